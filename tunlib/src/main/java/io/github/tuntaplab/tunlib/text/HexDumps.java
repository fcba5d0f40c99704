package io.github.tuntaplab.tunlib.text;

/** tcpdump's hex dumps: {@code -x} (hex) and {@code -X} (hex and ASCII), 16 bytes a line. */
final class HexDumps {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** The width of the hex part of a full {@code -X} line: eight groups of " xxxx". */
  private static final int HEX_WIDTH = 40;

  private HexDumps() {}

  /** Appends the dump of {@code length} bytes from {@code p}, each line starting with {@code indent}. */
  static void append(LineBuffer out, String indent, byte[] d, int p, int length, boolean ascii) {
    for (int line = 0; line < length; line += 16) {
      int n = Math.min(16, length - line);
      out.append(indent).append("0x");
      for (int shift = 12; shift >= 0; shift -= 4) {
        out.append(HEX[line >>> shift & 0xf]);
      }
      out.append(": ");
      int hexStart = out.length();
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          out.append(' ');
        }
        int b = d[p + line + i] & 0xff;
        out.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
      }
      if (ascii) {
        for (int pad = out.length() - hexStart; pad < HEX_WIDTH; pad++) {
          out.append(' ');
        }
        out.append("  ");
        for (int i = 0; i < n; i++) {
          int b = d[p + line + i] & 0xff;
          out.append(b > 0x20 && b < 0x7f ? (char) b : '.');
        }
      }
    }
  }
}
