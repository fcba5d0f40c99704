package io.github.tuntaplab.tunlib.packet;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words. Sums are carried unfolded in a {@code long}, so the pieces of a pseudo-header
 * and a message simply add up; read byte by byte so the caller's buffer order never matters. Shared
 * by whoever builds packets (the responder) and whoever judges them (tcpdump's -v verdicts).
 */
public final class InternetChecksum {
  private InternetChecksum() {}

  /** Adds {@code buffer[offset, offset + length)} as 16-bit words, an odd last byte padded with zero. */
  public static long add(long sum, ByteBuffer buffer, int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i + 1 < end; i += 2) {
      sum += (buffer.get(i) & 0xff) << 8 | (buffer.get(i + 1) & 0xff);
    }
    if (i < end) {
      sum += (buffer.get(i) & 0xff) << 8;
    }
    return sum;
  }

  /** The value to store in a checksum field whose bytes were summed as zero. */
  public static int finish(long sum) {
    return ~fold(sum) & 0xffff;
  }

  /** True when a sum that includes the checksum field itself shows no error. */
  public static boolean verifies(long sum) {
    return fold(sum) == 0xffff;
  }

  private static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) sum;
  }
}
