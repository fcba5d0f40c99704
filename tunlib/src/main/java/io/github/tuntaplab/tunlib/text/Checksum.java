package io.github.tuntaplab.tunlib.text;

/** The Internet checksum as tcpdump reports it: the folded sum, and the value the field should hold. */
final class Checksum {
  private Checksum() {}

  /** Adds {@code length} bytes from {@code p} as big-endian 16-bit words (an odd last byte padded). */
  static long add(long sum, byte[] d, int p, int length) {
    int i = 0;
    for (; i + 1 < length; i += 2) {
      sum += (d[p + i] & 0xff) << 8 | (d[p + i + 1] & 0xff);
    }
    if (i < length) {
      sum += (d[p + i] & 0xff) << 8;
    }
    return sum;
  }

  /** The one's complement of the folded sum: 0 when the data (checksum included) verifies. */
  static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /**
   * A TCP, UDP or ICMPv6 checksum over the pseudo-header of the IP packet at {@code ip}
   * (version 4 or 6) and {@code length} bytes of the segment at {@code p}; 0 when correct.
   */
  static int transport(byte[] d, int ip, int version, int protocol, int p, int length) {
    long sum = version == 4 ? add(0, d, ip + 12, 8) : add(0, d, ip + 8, 32);
    sum += protocol + length;
    return finish(add(sum, d, p, length));
  }

  /** tcpdump's {@code in_cksum_shouldbe}: what the stored checksum should have been. */
  static int shouldBe(int stored, int sum) {
    int shouldBe = stored + sum;
    shouldBe = (shouldBe & 0xffff) + (shouldBe >>> 16);
    return (shouldBe & 0xffff) + (shouldBe >>> 16) & 0xffff;
  }
}
