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
  public static final int RX_ERRORS = 4;
  public static final int TX_ERRORS = 5;
  public static final int RX_DROPPED = 6;
  public static final int TX_DROPPED = 7;

  /** struct ifinfomsg: family, pad, type, index, flags, change. */
  public static final int IFINFOMSG = 16;
  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_STATS64 = 23;
  static final int IFLA_INFO_KIND = 1;
  static final int IFLA_INFO_DATA = 2;

  public long info(int attribute, long absent) {
    return infoData.getOrDefault(attribute, absent);
  }

  public long stat(int index) {
    return index < stats64.length ? stats64[index] : 0;
  }

  /** Reads an {@code RTM_NEWLINK} message. */
  static LinkMessage parse(NetlinkMessage message) {
    int index = message.body().getInt(4);
    int flags = message.body().getInt(8);
    NetlinkAttributes attributes = message.attributes(IFINFOMSG);
    NetlinkAttributes linkInfo = attributes.nested(IFLA_LINKINFO);
    NetlinkAttributes data = linkInfo.nested(IFLA_INFO_DATA);
    Map<Integer, Long> infoData = new HashMap<>();
    for (int type = 1; type <= TUN_NUM_QUEUES; type++) {
      int attribute = type;
      data.unsigned(type).ifPresent(value -> infoData.put(attribute, value));
    }
    return new LinkMessage(index, attributes.string(IFLA_IFNAME).orElse(""), flags,
        attributes.u32(IFLA_MTU).orElse(0), attributes.bytes(IFLA_ADDRESS).orElse(new byte[0]),
        linkInfo.string(IFLA_INFO_KIND).orElse(""), Map.copyOf(infoData), attributes.longs(IFLA_STATS64));
  }
}
