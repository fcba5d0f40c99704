package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;

/** IP-in-UDP: the payload is the bare inner packet, as socat's {@code UDP … TUN,iff-no-pi} sends it. */
final class PlainCodec implements Codec {
  @Override
  public int headerLength() {
    return 0;
  }

  @Override
  public int trailerLength() {
    return 0;
  }

  @Override
  public int seal(ByteBuffer buffer, int at, int innerLength) {
    return innerLength;
  }

  @Override
  public int open(ByteBuffer buffer, int at, int length) {
    int version = length > 0 ? (buffer.get(at) & 0xff) >>> 4 : 0;
    return version == 4 || version == 6 ? length : MALFORMED;
  }
}
