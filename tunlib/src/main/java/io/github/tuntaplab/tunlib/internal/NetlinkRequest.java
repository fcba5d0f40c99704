package io.github.tuntaplab.tunlib.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds one netlink message: the 16-byte {@code nlmsghdr}, the family header the caller writes
 * ({@code ifinfomsg}, {@code rtmsg}, …) and attributes, nested ones included. Lengths and padding
 * are filled in by {@link #finish}; the sequence number by {@link RtNetlink}.
 */
public final class NetlinkRequest {
  static final int HEADER = 16;
  private static final int NLA_F_NESTED = 0x8000;

  private final short type;
  private final int flags;
  private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
  private final Deque<Integer> openNests = new ArrayDeque<>();

  /** A request of {@code type} ({@code RTM_NEWROUTE}…) with {@code flags} beyond NLM_F_REQUEST. */
  public NetlinkRequest(int type, int flags) {
    this.type = (short) type;
    this.flags = flags | RtNetlink.NLM_F_REQUEST;
    buffer.position(HEADER);
  }

  public short type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public NetlinkRequest u8(int value) {
    room(1).put((byte) value);
    return this;
  }

  public NetlinkRequest u16(int value) {
    room(2).putShort((short) value);
    return this;
  }

  public NetlinkRequest u32(int value) {
    room(4).putInt(value);
    return this;
  }

  public NetlinkRequest attribute(int attrType, byte[] value) {
    int length = 4 + value.length;
    room(align(length)).putShort((short) length).putShort((short) attrType).put(value);
    pad();
    return this;
  }

  public NetlinkRequest attributeU8(int attrType, int value) {
    return attribute(attrType, new byte[] {(byte) value});
  }

  public NetlinkRequest attributeU32(int attrType, int value) {
    return attribute(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
  }

  /** A NUL-terminated string, as the kernel expects names. */
  public NetlinkRequest attributeString(int attrType, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    byte[] terminated = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, terminated, 0, bytes.length);
    return attribute(attrType, terminated);
  }

  /** An IPv4 or IPv6 address in network byte order. */
  public NetlinkRequest attributeAddress(int attrType, InetAddress value) {
    return attribute(attrType, value.getAddress());
  }

  /** Opens a nested attribute; everything up to {@link #endNested} goes inside it. */
  public NetlinkRequest beginNested(int attrType) {
    openNests.push(buffer.position());
    room(4).putShort((short) 0).putShort((short) (attrType | NLA_F_NESTED));
    return this;
  }

  public NetlinkRequest endNested() {
    int start = openNests.pop();
    buffer.putShort(start, (short) (buffer.position() - start));
    return this;
  }

  /** The finished message with {@code sequence}, ready to send; position 0, limit its length. */
  ByteBuffer finish(int sequence) {
    if (!openNests.isEmpty()) {
      throw new IllegalStateException("a nested attribute was left open");
    }
    int length = buffer.position();
    ByteBuffer out = buffer.duplicate().order(ByteOrder.nativeOrder());
    out.putInt(0, length).putShort(4, type).putShort(6, (short) flags).putInt(8, sequence).putInt(12, 0);
    out.position(0).limit(length);
    return out;
  }

  private void pad() {
    while ((buffer.position() & 3) != 0) {
      buffer.put((byte) 0);
    }
  }

  private ByteBuffer room(int bytes) {
    if (buffer.remaining() < bytes) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
          .order(ByteOrder.nativeOrder());
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
    return buffer;
  }

  static int align(int length) {
    return (length + 3) & ~3;
  }
}
