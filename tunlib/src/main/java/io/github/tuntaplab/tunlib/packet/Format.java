package io.github.tuntaplab.tunlib.packet;

/** Addresses, bytes and names as Wireshark writes them. */
final class Format {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** RFC 1035 limits a name to 255 bytes; more jumps than that can only be a loop. */
  static final int MAX_NAME_JUMPS = 128;
  /** RFC 1035: a name is at most 255 bytes in wire form. */
  static final int MAX_NAME_BYTES = 255;

  private Format() {}

  /** {@code length} bytes as hex pairs, separated by {@code separator} unless it is 0. */
  static String hex(byte[] data, int at, int length, char separator) {
    StringBuilder out = new StringBuilder(length * 3);
    for (int i = 0; i < length; i++) {
      if (i > 0 && separator != 0) {
        out.append(separator);
      }
      int b = data[at + i] & 0xff;
      out.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
    }
    return out.toString();
  }

  static String hexNumber(long value, int digits) {
    StringBuilder out = new StringBuilder("0x");
    String hex = Long.toHexString(value);
    for (int i = hex.length(); i < digits; i++) {
      out.append('0');
    }
    return out.append(hex).toString();
  }

  /** Writes the bits of {@code raw} under {@code mask} Wireshark's way: {@code .... 0101}. */
  static void bits(StringBuilder out, long raw, long mask, int width) {
    for (int bit = width - 1; bit >= 0; bit--) {
      long one = 1L << bit;
      out.append((mask & one) == 0 ? '.' : (raw & one) != 0 ? '1' : '0');
      if (bit % 4 == 0 && bit > 0) {
        out.append(' ');
      }
    }
  }

  /**
   * The DNS name at {@code at}, following compression pointers inside the message
   * {@code [message, end)}. A broken name ends in a bracketed note instead of looping or throwing;
   * the root is {@code <Root>} as in Wireshark.
   */
  static String dnsName(byte[] data, int message, int end, int at) {
    StringBuilder name = new StringBuilder(32);
    int p = at;
    for (int jumps = 0; ; ) {
      if (p >= end) {
        return name.append(name.length() > 0 ? " " : "").append("[truncated]").toString();
      }
      int length = data[p] & 0xff;
      if (length == 0) {
        return name.length() == 0 ? "<Root>" : name.toString();
      }
      if ((length & 0xc0) == 0xc0) {
        if (p + 1 >= end || ++jumps > MAX_NAME_JUMPS) {
          return name.append(name.length() > 0 ? " " : "").append("[compression loop]").toString();
        }
        p = message + (((length & 0x3f) << 8) | (data[p + 1] & 0xff));
        continue;
      }
      if ((length & 0xc0) != 0 || p + 1 + length > end || name.length() + length > MAX_NAME_BYTES) {
        return name.append(name.length() > 0 ? " " : "").append("[bad label]").toString();
      }
      if (name.length() > 0) {
        name.append('.');
      }
      for (int i = 1; i <= length; i++) {
        char c = (char) (data[p + i] & 0xff);
        name.append(c > 0x20 && c < 0x7f ? c : '?');
      }
      p += 1 + length;
    }
  }
}
