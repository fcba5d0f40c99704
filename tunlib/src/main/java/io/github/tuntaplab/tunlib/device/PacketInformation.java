package io.github.tuntaplab.tunlib.device;

import java.nio.ByteBuffer;

/**
 * The 4-byte header a device opened with packet information puts before each packet:
 * flags (2 bytes) and the EtherType of what follows (2 bytes), big-endian; {@code 00 00 08 00}
 * before an IPv4 packet, {@code 00 00 86 dd} before IPv6.
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
    return new PacketInformation(unsignedShort(buffer, at), unsignedShort(buffer, at + 2));
  }

  /** Writes the header at {@code buffer}'s position and advances it. */
  public void writeTo(ByteBuffer buffer) {
    buffer.put((byte) (flags >> 8)).put((byte) flags).put((byte) (protocol >> 8)).put((byte) protocol);
  }

  // Big-endian whatever order the caller's buffer is set to.
  private static int unsignedShort(ByteBuffer buffer, int at) {
    return (buffer.get(at) & 0xff) << 8 | buffer.get(at + 1) & 0xff;
  }

  public boolean truncated() {
    return (flags & TUN_PKT_STRIP) != 0;
  }
}
