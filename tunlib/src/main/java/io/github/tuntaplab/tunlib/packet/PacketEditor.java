package io.github.tuntaplab.tunlib.packet;

import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.MacAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Changes a packet's bytes field by field, as a student edits the detail tree, and keeps the
 * packet consistent: the IPv4 total length, IPv6 payload length and UDP length that enclose a
 * change of size grow or shrink with it, and every IPv4 header, ICMP, ICMPv6, UDP and TCP checksum
 * is recomputed (innermost first, so an outer UDP checksum covers the inner packet as it now is).
 * A field named in {@code pinned} (Wireshark names: {@code ip.len}, {@code udp.checksum}, …) keeps
 * whatever the student wrote there, and so does the field being edited. Pure: a new array each time.
 *
 * <pre>{@code
 * byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.18.0.2"), Ip.parse("198.18.0.1"), 7, 1, new byte[8]);
 * Dissection d = Dissector.standard().dissect(LinkType.RAW, echo, 0, echo.length, echo.length);
 * byte[] lower = PacketEditor.setField(LinkType.RAW, echo, d.field("ip.ttl").orElseThrow(), "1", Set.of());
 * }</pre>
 */
public final class PacketEditor {
  private static final Dissector DISSECTOR = Dissector.standard();
  private static final int IPV4_UDP_NO_CHECKSUM = 0;

  private PacketEditor() {}

  /**
   * Writes {@code text} into {@code field} of {@code packet}: a number (decimal or {@code 0x…}; a bit
   * field's value without its shift), an IPv4, IPv6 or MAC address, or hex bytes (any count for the
   * data, which then changes the packet's size). Then lengths and checksums as described above.
   *
   * @throws IllegalArgumentException when the text does not fit the field, saying what would
   */
  public static byte[] setField(LinkType linkType, byte[] packet, Field field, String text, Set<String> pinned) {
    Set<String> keep = new java.util.HashSet<>(pinned);
    keep.add(field.name());
    Object current = field.value();
    String value = text.strip();
    byte[] replacement;
    boolean numeric = value.matches("[0-9]+|0[xX][0-9a-fA-F]+");
    if (field.mask() != null || current instanceof Long || current instanceof String && numeric && field.length() <= 8
        && !value.contains(".")) {
      replacement = number(field, packet, value);
    } else if (current instanceof String && looksLikeAddress(value)) {
      replacement = address(value, field.length());
    } else {
      replacement = hex(value);
      if (replacement.length != field.length() && !field.name().equals("data.data")) {
        throw new IllegalArgumentException(field.name() + " holds " + field.length() + " bytes, not "
            + replacement.length + " (only the data may change size)");
      }
    }
    return replace(linkType, packet, field.offset(), field.length(), replacement, keep);
  }

  /**
   * Replaces {@code packet[offset, offset + length)} with {@code replacement}, of any size; the
   * lengths that enclose the change follow it, and the checksums are recomputed, except the pinned.
   */
  public static byte[] replace(LinkType linkType, byte[] packet, int offset, int length, byte[] replacement,
      Set<String> pinned) {
    if (offset < 0 || length < 0 || offset + length > packet.length) {
      throw new IllegalArgumentException("bytes " + offset + "+" + length + " lie outside a packet of "
          + packet.length);
    }
    int delta = replacement.length - length;
    byte[] edited = new byte[packet.length + delta];
    System.arraycopy(packet, 0, edited, 0, offset);
    System.arraycopy(replacement, 0, edited, offset, replacement.length);
    System.arraycopy(packet, offset + length, edited, offset + replacement.length, packet.length - offset - length);
    if (delta != 0) {
      for (Layer layer : dissect(linkType, packet).layers()) {
        adjustLength(layer, packet, edited, offset, delta, pinned);
      }
    }
    return fixChecksums(linkType, edited, pinned);
  }

  /** Recomputes every checksum the packet carries, innermost first, except the pinned ones. */
  public static byte[] fixChecksums(LinkType linkType, byte[] packet, Set<String> pinned) {
    byte[] fixed = packet.clone();
    List<Layer> layers = new ArrayList<>(dissect(linkType, fixed).layers());
    for (int i = layers.size() - 1; i >= 0; i--) {
      Layer layer = layers.get(i);
      Layer network = enclosingIp(layers, i);
      switch (layer.name()) {
        case "ip" -> {
          if (!pinned.contains("ip.checksum") && layer.offset() + 20 <= fixed.length) {
            int headerLength = (fixed[layer.offset()] & 0x0f) * 4;
            checksum(fixed, layer.offset() + 10,
                InternetChecksum.finish(sum(fixed, layer.offset(), headerLength, layer.offset() + 10)));
          }
        }
        case "icmp" -> {
          if (!pinned.contains("icmp.checksum") && network != null) {
            int end = payloadEnd(fixed, network);
            checksum(fixed, layer.offset() + 2,
                InternetChecksum.finish(sum(fixed, layer.offset(), end - layer.offset(), layer.offset() + 2)));
          }
        }
        case "icmpv6", "udp", "tcp" -> {
          String name = layer.name() + ".checksum";
          int at = layer.offset() + (layer.name().equals("tcp") ? 16 : layer.name().equals("udp") ? 6 : 2);
          boolean ipv4UdpWithout = layer.name().equals("udp") && network != null && network.name().equals("ip")
              && u16(fixed, at) == IPV4_UDP_NO_CHECKSUM; // IPv4 lets UDP go without; keep that choice
          if (!pinned.contains(name) && network != null && !ipv4UdpWithout && at + 2 <= fixed.length) {
            int protocol = switch (layer.name()) {
              case "tcp" -> 6;
              case "udp" -> 17;
              default -> 58;
            };
            int end = payloadEnd(fixed, network);
            int length = end - layer.offset();
            long sum = network.name().equals("ip") ? InternetChecksum.add(0, ByteBuffer.wrap(fixed), network.offset() + 12, 8)
                : InternetChecksum.add(0, ByteBuffer.wrap(fixed), network.offset() + 8, 32);
            sum += protocol + length;
            int value = InternetChecksum.finish(sum + sum(fixed, layer.offset(), length, at));
            // A UDP checksum that comes out 0 is sent as 0xffff: 0 means "none" (RFC 768).
            checksum(fixed, at, layer.name().equals("udp") && value == 0 ? 0xffff : value);
          }
        }
        default -> {
          // No checksum of its own.
        }
      }
    }
    return fixed;
  }

  /** The IPv4 or IPv6 header a transport layer at {@code index} sits in: the nearest one before it. */
  private static Layer enclosingIp(List<Layer> layers, int index) {
    for (int i = index - 1; i >= 0; i--) {
      String name = layers.get(i).name();
      if (name.equals("ip") || name.equals("ipv6")) {
        return layers.get(i);
      }
    }
    return null;
  }

  /** Where the IP packet at {@code network} ends by its own length field (never past the bytes there are). */
  private static int payloadEnd(byte[] packet, Layer network) {
    int start = network.offset();
    int end = network.name().equals("ip") ? start + u16(packet, start + 2) : start + 40 + u16(packet, start + 4);
    return Math.min(end, packet.length);
  }

  private static void adjustLength(Layer layer, byte[] before, byte[] after, int offset, int delta, Set<String> pinned) {
    int start = layer.offset();
    String name;
    int at;
    int end;
    switch (layer.name()) {
      case "ip" -> {
        name = "ip.len";
        at = start + 2;
        end = start + u16(before, at);
      }
      case "ipv6" -> {
        name = "ipv6.plen";
        at = start + 4;
        end = start + 40 + u16(before, at);
      }
      case "udp" -> {
        name = "udp.length";
        at = start + 4;
        end = start + u16(before, at);
      }
      default -> {
        return;
      }
    }
    // Only a change inside what the length counts moves it; a field before it (or the field itself) does not.
    if (pinned.contains(name) || offset < at + 2 || offset > end) {
      return;
    }
    int value = u16(before, at) + delta;
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException(name + " would become " + value + ", outside 0..65535");
    }
    after[at] = (byte) (value >>> 8);
    after[at + 1] = (byte) value;
  }

  private static Dissection dissect(LinkType linkType, byte[] packet) {
    return DISSECTOR.dissect(linkType, packet, 0, packet.length, packet.length);
  }

  /** The sum of {@code length} bytes at {@code offset}, with the 2-byte checksum field at {@code skip} counted as zero. */
  private static long sum(byte[] packet, int offset, int length, int skip) {
    int end = Math.min(offset + length, packet.length);
    ByteBuffer view = ByteBuffer.wrap(packet);
    long sum = InternetChecksum.add(0, view, offset, skip - offset);
    return InternetChecksum.add(sum, view, skip + 2, end - skip - 2);
  }

  private static void checksum(byte[] packet, int at, int value) {
    packet[at] = (byte) (value >>> 8);
    packet[at + 1] = (byte) value;
  }

  private static int u16(byte[] packet, int at) {
    return (packet[at] & 0xff) << 8 | (packet[at + 1] & 0xff);
  }

  private static byte[] number(Field field, byte[] packet, String text) {
    long value;
    try {
      value = text.startsWith("0x") || text.startsWith("0X") ? Long.parseUnsignedLong(text.substring(2), 16)
          : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field.name() + " takes a number (decimal or 0x…), not '" + text + "'");
    }
    int length = field.length();
    long old = 0;
    for (int i = 0; i < length; i++) {
      old = old << 8 | (packet[field.offset() + i] & 0xff);
    }
    long mask = field.mask() == null ? (length >= 8 ? -1L : (1L << (length * 8)) - 1) : field.mask();
    int shift = Long.numberOfTrailingZeros(mask);
    long max = mask >>> shift;
    if (value < 0 || Long.compareUnsigned(value, max) > 0) {
      throw new IllegalArgumentException(field.name() + " takes 0.." + Long.toUnsignedString(max) + ", not " + text);
    }
    long updated = old & ~mask | value << shift & mask;
    byte[] bytes = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      bytes[i] = (byte) updated;
      updated >>>= 8;
    }
    return bytes;
  }

  private static boolean looksLikeAddress(String text) {
    return text.matches("[0-9.]+") || text.contains(":") && !text.matches("([0-9a-fA-F]{2} ?)+");
  }

  private static byte[] address(String text, int length) {
    byte[] bytes;
    if (length == MacAddress.LENGTH && text.matches("[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}")) {
      bytes = MacAddress.parse(text).toByteArray();
    } else {
      InetAddress parsed;
      try {
        parsed = Ip.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an address: '" + text + "'");
      }
      bytes = parsed.getAddress();
    }
    if (bytes.length != length) {
      throw new IllegalArgumentException("this field holds a " + length + "-byte address, and '" + text + "' has "
          + bytes.length);
    }
    return bytes;
  }

  /** Hex digits, spaces, colons and dashes between bytes allowed: {@code 08 00}, {@code de:ad:be:ef}. */
  static byte[] hex(String text) {
    String digits = text.replaceAll("[\\s:-]", "");
    if (digits.startsWith("0x")) {
      digits = digits.substring(2);
    }
    try {
      return HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex bytes: '" + text + "' (write e.g. 'de ad be ef')");
    }
  }
}
