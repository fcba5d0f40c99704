package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;

/**
 * Ethernet-in-UDP with the 8-byte VXLAN header of RFC 7348: flags (the I bit, 0x08, says the VNI
 * is valid), 3 reserved bytes, the 24-bit VXLAN Network Identifier, 1 reserved byte. Reserved bits
 * are sent as zero and ignored on receipt, as the RFC asks; a frame of another VNI is not ours.
 */
final class VxlanCodec implements Codec {
  static final int HEADER_LENGTH = 8;
  private static final int FLAG_VNI_VALID = 0x08;
  private static final int ETHERNET_HEADER = 14;

  private final int vni;

  VxlanCodec(int vni) {
    this.vni = vni;
  }

  @Override
  public int headerLength() {
    return HEADER_LENGTH;
  }

  @Override
  public int trailerLength() {
    return 0;
  }

  @Override
  public int seal(ByteBuffer buffer, int at, int innerLength) {
    buffer.putInt(at, FLAG_VNI_VALID << 24);
    buffer.putInt(at + 4, vni << 8);
    return HEADER_LENGTH + innerLength;
  }

  @Override
  public int open(ByteBuffer buffer, int at, int length) {
    if (length < HEADER_LENGTH + ETHERNET_HEADER || (buffer.get(at) & FLAG_VNI_VALID) == 0
        || buffer.getInt(at + 4) >>> 8 != vni) {
      return MALFORMED;
    }
    return length - HEADER_LENGTH;
  }
}
