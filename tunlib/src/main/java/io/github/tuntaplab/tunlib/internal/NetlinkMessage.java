package io.github.tuntaplab.tunlib.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One message the kernel sent: its type, and its payload (the family header, then attributes)
 * copied out of the receive buffer so it outlives the next {@code recv}.
 */
public record NetlinkMessage(int type, int flags, byte[] payload) {
  /** The payload as a native-order buffer, for the family header's fields. */
  public ByteBuffer body() {
    return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
  }

  /** The attributes that follow a family header of {@code headerLength} bytes. */
  public NetlinkAttributes attributes(int headerLength) {
    return new NetlinkAttributes(payload, headerLength, payload.length);
  }
}
