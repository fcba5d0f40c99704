package io.github.tuntaplab.tunlib.device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 4-byte header a device opened with packet information puts before each packet: flags
 * (2 bytes, in the host's byte order: {@code struct tun_pi} declares them {@code __u16}) and the
 * EtherType of what follows (2 bytes, big-endian); {@code 00 00 08 00} before an IPv4 packet,
 * {@code 00 00 86 dd} before IPv6.
 */
public record PacketInformation(int flags, int protocol) {
  public static final int LENGTH = 4;
  /** Set by the kernel when the packet did not fit the reader's buffer and was cut. */
  public static final int TUN_PKT_STRIP = 0x0001;

  public PacketInformation {
    if (flags < 0 || flags > 0xffff || protocol < 0 || protocol > 0xffff) {
      throw new IllegalArgumentException("flags and protocol are 16-bit values");
    }
  }

  /** Reads the header at {@code buffer}'s position without moving it. */
  public static PacketInformation readFrom(ByteBuffer buffer) {
    if (buffer.remaining() < LENGTH) {
      throw new IllegalArgumentException("a packet-information header needs 4 bytes, " + buffer.remaining() + " remain");
    }
    int at = buffer.position();
    return new PacketInformation(Short.toUnsignedInt(inHostOrder(buffer).getShort(at)),
        Short.toUnsignedInt(buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(at + 2)));
  }

  /** Writes the header at {@code buffer}'s position and advances it. */
  public void writeTo(ByteBuffer buffer) {
    int at = buffer.position();
    inHostOrder(buffer).putShort(at, (short) flags).order(ByteOrder.BIG_ENDIAN).putShort(at + 2, (short) protocol);
    buffer.position(at + LENGTH);
  }

  private static ByteBuffer inHostOrder(ByteBuffer buffer) {
    return buffer.duplicate().order(ByteOrder.nativeOrder());
  }

  /** Sets {@link #TUN_PKT_STRIP} in the header at {@code at}, as the kernel does when it cuts a packet. */
  static void markTruncated(ByteBuffer packet, int at) {
    PacketInformation pi = readFrom(packet.duplicate().position(at));
    new PacketInformation(pi.flags | TUN_PKT_STRIP, pi.protocol).writeTo(packet.duplicate().position(at));
  }

  public boolean truncated() {
    return (flags & TUN_PKT_STRIP) != 0;
  }
}
