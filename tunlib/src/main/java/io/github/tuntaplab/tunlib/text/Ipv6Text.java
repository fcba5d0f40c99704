package io.github.tuntaplab.tunlib.text;

/** IPv6 addresses as glibc's {@code inet_ntop} writes them (and so tcpdump), IPv4-mapped forms included. */
final class Ipv6Text {
  private Ipv6Text() {}

  static void append(LineBuffer out, byte[] d, int p) {
    // The first longest run of zero words, read from the bytes as needed (no array per address).
    int bestBase = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (word(d, p, i) != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && word(d, p, j) == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestBase = i;
        bestLength = j - i;
      }
      i = j;
    }
    if (bestLength < 2) {
      bestBase = -1;
    }
    for (int i = 0; i < 8; i++) {
      if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength) {
        if (i == bestBase) {
          out.append(':');
        }
        continue;
      }
      if (i != 0) {
        out.append(':');
      }
      if (i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && word(d, p, 5) == 0xffff))) {
        out.appendIpv4(d, p + 12);
        return;
      }
      out.appendHex(word(d, p, i));
    }
    if (bestBase >= 0 && bestBase + bestLength == 8) {
      out.append(':');
    }
  }

  private static int word(byte[] d, int p, int i) {
    return (d[p + 2 * i] & 0xff) << 8 | (d[p + 2 * i + 1] & 0xff);
  }
}
