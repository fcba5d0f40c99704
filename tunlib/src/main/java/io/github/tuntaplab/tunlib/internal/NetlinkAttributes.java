package io.github.tuntaplab.tunlib.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attributes of a netlink message (or of one nested attribute), by type. A truncated
 * attribute ends the list: what came before it stays readable, nothing is read past the end.
 */
public final class NetlinkAttributes {
  private static final int NLA_TYPE_MASK = 0x3fff;

  private final byte[] bytes;
  /** Attribute type → {offset of its value, length of its value}. */
  private final Map<Integer, int[]> spans = new HashMap<>();

  NetlinkAttributes(byte[] bytes, int start, int end) {
    this.bytes = bytes;
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    for (int at = start; at + 4 <= end; ) {
      int length = Short.toUnsignedInt(in.getShort(at));
      int type = in.getShort(at + 2) & NLA_TYPE_MASK;
      if (length < 4 || at + length > end) {
        break;
      }
      spans.putIfAbsent(type, new int[] {at + 4, length - 4});
      at += NetlinkRequest.align(length);
    }
  }

  public boolean has(int type) {
    return spans.containsKey(type);
  }

  public Optional<byte[]> bytes(int type) {
    int[] span = spans.get(type);
    return span == null ? Optional.empty() : Optional.of(Arrays.copyOfRange(bytes, span[0], span[0] + span[1]));
  }

  /** An unsigned 8-, 16- or 32-bit value, whichever width the kernel sent. */
  public OptionalLong unsigned(int type) {
    int[] span = spans.get(type);
    if (span == null || span[1] == 0) {
      return OptionalLong.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    return OptionalLong.of(switch (span[1]) {
      case 1 -> Byte.toUnsignedLong(in.get(span[0]));
      case 2, 3 -> Short.toUnsignedLong(in.getShort(span[0]));
      case 4, 5, 6, 7 -> Integer.toUnsignedLong(in.getInt(span[0]));
      default -> in.getLong(span[0]);
    });
  }

  public OptionalInt u32(int type) {
    OptionalLong value = unsigned(type);
    return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
  }

  /** A NUL-terminated string. */
  public Optional<String> string(int type) {
    return bytes(type).map(value -> {
      int end = 0;
      while (end < value.length && value[end] != 0) {
        end++;
      }
      return new String(value, 0, end, StandardCharsets.UTF_8);
    });
  }

  /** An IPv4 or IPv6 address (4 or 16 bytes). */
  public Optional<InetAddress> address(int type) {
    return bytes(type).filter(value -> value.length == 4 || value.length == 16).map(value -> {
      try {
        return InetAddress.getByAddress(value);
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    });
  }

  /** The array of native 64-bit counters in a statistics attribute. */
  public long[] longs(int type) {
    int[] span = spans.get(type);
    if (span == null) {
      return new long[0];
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    long[] out = new long[span[1] / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getLong(span[0] + 8 * i);
    }
    return out;
  }

  /** The attributes nested inside attribute {@code type}; empty if it is absent. */
  public NetlinkAttributes nested(int type) {
    int[] span = spans.get(type);
    return span == null ? new NetlinkAttributes(bytes, 0, 0) : new NetlinkAttributes(bytes, span[0], span[0] + span[1]);
  }
}
