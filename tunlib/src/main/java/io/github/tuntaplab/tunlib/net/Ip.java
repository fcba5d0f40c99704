package io.github.tuntaplab.tunlib.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Literal IP addresses without DNS, printed the way iproute2 prints them. */
final class Ip {
  private Ip() {}

  /** Parses a literal IPv4 or IPv6 address; never resolves a name. */
  static InetAddress parse(String literal) {
    if (literal.isEmpty() || !literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: " + literal, e);
    }
  }

  /** {@code 2001:db8::1} (RFC 5952, as {@code ip} prints it) or {@code 198.51.100.1}. */
  static String text(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
