package io.github.tuntaplab.tunlib.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds pcapng files block by block, independently of {@link PcapngWriter}, to make what our
 * writer never makes: big-endian sections, other clocks, simple and obsolete packet blocks,
 * unknown blocks, and lies.
 */
final class PcapngBlocks {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  PcapngBlocks section(ByteOrder sectionOrder) {
    order = sectionOrder;
    return block(0x0a0d0d0a, buffer(16).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1));
  }

  PcapngBlocks interfaceBlock(int linkType, int snaplen, byte[] options) {
    return block(1, buffer(8 + options.length).putShort((short) linkType).putShort((short) 0).putInt(snaplen)
        .put(options));
  }

  PcapngBlocks enhanced(int interfaceId, long ticks, byte[] data, int originalLength, byte[] options) {
    return block(6, packetBody(interfaceId, ticks, data, originalLength, options));
  }

  PcapngBlocks obsolete(int interfaceId, long ticks, byte[] data, byte[] options) {
    ByteBuffer body = packetBody(0, ticks, data, data.length, options);
    body.putShort(0, (short) interfaceId).putShort(2, (short) 0);
    return block(2, body);
  }

  PcapngBlocks simple(byte[] data, int originalLength) {
    return block(3, buffer(4 + padded(data.length)).putInt(originalLength).put(data));
  }

  /** Any block, with its length computed honestly. */
  PcapngBlocks block(int type, ByteBuffer body) {
    int length = 12 + padded(body.capacity());
    ByteBuffer block = buffer(length).putInt(type).putInt(length).put(body.array()).position(length - 4)
        .putInt(length);
    out.writeBytes(block.array());
    return this;
  }

  /** Raw bytes, e.g. a block whose lengths lie. */
  PcapngBlocks raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  ByteOrder order() {
    return order;
  }

  /** Options as {code, value} pairs (a String is UTF-8, a byte[] is raw), with the end marker. */
  byte[] options(Object... codesAndValues) {
    ByteArrayOutputStream options = new ByteArrayOutputStream();
    for (int i = 0; i < codesAndValues.length; i += 2) {
      Object value = codesAndValues[i + 1];
      byte[] bytes = value instanceof String ? ((String) value).getBytes(StandardCharsets.UTF_8) : (byte[]) value;
      options.writeBytes(buffer(4 + padded(bytes.length)).putShort((short) (int) (Integer) codesAndValues[i])
          .putShort((short) bytes.length).put(bytes).array());
    }
    options.writeBytes(new byte[4]);
    return options.toByteArray();
  }

  byte[] longValue(long value) {
    return buffer(8).putLong(value).array();
  }

  private ByteBuffer packetBody(int interfaceId, long ticks, byte[] data, int originalLength, byte[] options) {
    return buffer(20 + padded(data.length) + options.length).putInt(interfaceId).putInt((int) (ticks >>> 32))
        .putInt((int) ticks).putInt(data.length).putInt(originalLength).put(data)
        .position(20 + padded(data.length)).put(options);
  }

  private ByteBuffer buffer(int size) {
    return ByteBuffer.allocate(size).order(order);
  }

  static int padded(int length) {
    return (length + 3) & ~3;
  }
}
