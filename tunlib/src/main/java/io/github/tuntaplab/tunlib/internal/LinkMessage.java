package io.github.tuntaplab.tunlib.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * One link as rtnetlink describes it: the fields tunlib reads, raw. {@code infoData} holds the
 * kind-specific attributes (for {@code tun}: IFLA_TUN_TYPE, IFLA_TUN_PI, …) by attribute number.
 */
public record LinkMessage(int index, String name, int flags, int mtu, byte[] address, String kind,
    Map<Integer, Long> infoData, long[] stats64) {

  // IFLA_TUN_* attribute numbers (include/uapi/linux/if_link.h).
  public static final int TUN_OWNER = 1;
  public static final int TUN_GROUP = 2;
  public static final int TUN_TYPE = 3;
  public static final int TUN_PI = 4;
  public static final int TUN_VNET_HDR = 5;
  public static final int TUN_PERSIST = 6;
  public static final int TUN_MULTI_QUEUE = 7;
  public static final int TUN_NUM_QUEUES = 8;

  // Indexes into struct rtnl_link_stats64.
  public static final int RX_PACKETS = 0;
  public static final int TX_PACKETS = 1;
  public static final int RX_BYTES = 2;
  public static final int TX_BYTES = 3;
  public static final int RX_DROPPED = 6;
  public static final int TX_DROPPED = 7;

  public long info(int attribute, long absent) {
    return infoData.getOrDefault(attribute, absent);
  }

  public long stat(int index) {
    return index < stats64.length ? stats64[index] : 0;
  }

  static final class Builder {
    final int index;
    final int flags;
    String name = "";
    int mtu;
    byte[] address = new byte[0];
    String kind = "";
    final Map<Integer, Long> infoData = new HashMap<>();
    long[] stats = new long[0];

    Builder(int index, int flags) {
      this.index = index;
      this.flags = flags;
    }

    LinkMessage build() {
      return new LinkMessage(index, name, flags, mtu, address, kind, Map.copyOf(infoData), stats);
    }
  }
}
