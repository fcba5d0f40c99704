package io.github.tuntaplab.tunlib.text;

import java.nio.charset.StandardCharsets;

/** tcpdump's hex dumps: {@code -x} (hex) and {@code -X} (hex and ASCII), 16 bytes a line. */
final class HexDumps {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** The width of the hex part of a full {@code -X} line: eight groups of " xxxx". */
  private static final int HEX_WIDTH = 40;

  private HexDumps() {}

  /** Appends the dump of {@code length} bytes from {@code p}, each line starting with {@code indent}. */
  static void append(LineBuffer out, String indent, byte[] d, int p, int length, boolean ascii) {
    int lineSize = indent.length() + 2 + 4 + 2 + HEX_WIDTH + 2 + 16;
    for (int line = 0; line < length; line += 16) {
      int n = Math.min(16, length - line);
      out.append(indent);
      byte[] b = out.reserve(lineSize);
      int at = out.length();
      b[at++] = '0';
      b[at++] = 'x';
      for (int shift = 12; shift >= 0; shift -= 4) {
        b[at++] = HEX[line >>> shift & 0xf];
      }
      b[at++] = ':';
      b[at++] = ' ';
      int hexStart = at;
      for (int i = 0; i < n; i++) {
        if ((i & 1) == 0) {
          b[at++] = ' ';
        }
        int value = d[p + line + i] & 0xff;
        b[at++] = HEX[value >>> 4];
        b[at++] = HEX[value & 0xf];
      }
      if (ascii) {
        while (at - hexStart < HEX_WIDTH) {
          b[at++] = ' ';
        }
        b[at++] = ' ';
        b[at++] = ' ';
        for (int i = 0; i < n; i++) {
          int value = d[p + line + i] & 0xff;
          b[at++] = value > 0x20 && value < 0x7f ? (byte) value : (byte) '.';
        }
      }
      out.commit(at);
    }
  }
}
