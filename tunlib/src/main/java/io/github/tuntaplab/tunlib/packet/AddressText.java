package io.github.tuntaplab.tunlib.packet;

/**
 * Addresses as text, read straight from packet bytes: dotted IPv4, and IPv6 as RFC 5952 has it
 * (what Wireshark and {@code ip} print). One implementation for the dissector and the network
 * configuration alike.
 */
public final class AddressText {
  private AddressText() {}

  public static String ipv4(byte[] data, int at) {
    return (data[at] & 0xff) + "." + (data[at + 1] & 0xff) + "." + (data[at + 2] & 0xff) + "." + (data[at + 3] & 0xff);
  }

  /** RFC 5952 text: lower case, the longest run of two or more zero groups as {@code ::}. */
  public static String ipv6(byte[] data, int at) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((data[at + 2 * i] & 0xff) << 8) | (data[at + 2 * i + 1] & 0xff);
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
    StringBuilder out = new StringBuilder(39);
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
