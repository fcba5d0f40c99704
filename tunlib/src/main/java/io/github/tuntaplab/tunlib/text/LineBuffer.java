package io.github.tuntaplab.tunlib.text;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Printed text as UTF-8 bytes, appended in place: what {@link TcpdumpPrinter} writes into, so that
 * a million lines go to a file or a pipe without a String or an encoder per field. tcpdump's text
 * is ASCII; other text (an interface name) goes through {@link #appendText}, as UTF-8.
 */
public final class LineBuffer {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** The digits of 0..99, two bytes each. */
  private static final byte[] TWO_DIGITS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      TWO_DIGITS[2 * i] = (byte) ('0' + i / 10);
      TWO_DIGITS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private byte[] bytes;
  private int length;

  public LineBuffer(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  /** The number of bytes held. */
  public int length() {
    return length;
  }

  /** Keeps the first {@code newLength} bytes (a printer takes back what it wrote). */
  public void setLength(int newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IndexOutOfBoundsException("length " + newLength + " outside 0.." + length);
    }
    length = newLength;
  }

  public void clear() {
    length = 0;
  }

  /** Writes the bytes held to {@code out} and empties the buffer. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, length);
    length = 0;
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  public LineBuffer append(char c) {
    if (c >= 0x80) {
      return appendText(String.valueOf(c));
    }
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /** Appends ASCII text (all of tcpdump's); {@link #appendText} takes any other. */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a plain copy of ASCII text
  public LineBuffer append(String ascii) {
    int n = ascii.length();
    ensure(n);
    ascii.getBytes(0, n, bytes, length);
    length += n;
    return this;
  }

  /**
   * ASCII text encoded once, for {@link #append(byte[])}: the words a printer writes on every
   * line. Under C1 (as {@code tunlab print} runs), appending a String goes through String's
   * bounds checks and internals at three times the cost of copying bytes.
   */
  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends text encoded by {@link #ascii}. */
  public LineBuffer append(byte[] ascii) {
    ensure(ascii.length);
    System.arraycopy(ascii, 0, bytes, length, ascii.length);
    length += ascii.length;
    return this;
  }

  /** Appends the bytes {@code other} holds. */
  public LineBuffer append(LineBuffer other) {
    ensure(other.length);
    System.arraycopy(other.bytes, 0, bytes, length, other.length);
    length += other.length;
    return this;
  }

  /** Appends any text as UTF-8. */
  public LineBuffer appendText(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, length, utf8.length);
    length += utf8.length;
    return this;
  }

  public LineBuffer append(int value) {
    if (value < 0) {
      return append((long) value);
    }
    ensure(10);
    int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : value < 100000 ? 5
        : value < 1000000 ? 6 : value < 10000000 ? 7 : value < 100000000 ? 8 : value < 1000000000 ? 9 : 10;
    int at = length + digits;
    while (value >= 100) {
      int quotient = div100(value);
      int pair = value - 100 * quotient;
      value = quotient;
      bytes[--at] = TWO_DIGITS[2 * pair + 1];
      bytes[--at] = TWO_DIGITS[2 * pair];
    }
    if (value >= 10) {
      bytes[--at] = TWO_DIGITS[2 * value + 1];
      bytes[--at] = TWO_DIGITS[2 * value];
    } else {
      bytes[--at] = (byte) ('0' + value);
    }
    length += digits;
    return this;
  }

  // tunlab print runs on C1, which compiles a division by a constant to a slow division
  // instruction: these divide by multiplying (exact for every int from 0 up).

  static int div10(int value) {
    return (int) ((value * 3435973837L) >>> 35);
  }

  static int div100(int value) {
    return (int) ((value * 1374389535L) >>> 37);
  }

  public LineBuffer append(long value) {
    if (value >= 0 && value <= Integer.MAX_VALUE) {
      return append((int) value);
    }
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return append(Long.toString(value));
      }
      append('-');
      value = -value;
    }
    ensure(20);
    int digits = 1;
    for (long rest = value; rest >= 10; rest /= 10) {
      digits++;
    }
    int at = length + digits;
    while (value >= 100) {
      int pair = (int) (value % 100);
      value /= 100;
      bytes[--at] = TWO_DIGITS[2 * pair + 1];
      bytes[--at] = TWO_DIGITS[2 * pair];
    }
    if (value >= 10) {
      bytes[--at] = TWO_DIGITS[2 * (int) value + 1];
      bytes[--at] = TWO_DIGITS[2 * (int) value];
    } else {
      bytes[--at] = (byte) ('0' + value);
    }
    length += digits;
    return this;
  }

  /** {@code value} (not negative) in decimal, zero-padded to {@code digits} digits (higher digits dropped). */
  public LineBuffer appendDigits(int value, int digits) {
    ensure(digits);
    for (int i = length + digits - 1; i >= length; i--) {
      int quotient = div10(value);
      bytes[i] = (byte) ('0' + value - 10 * quotient);
      value = quotient;
    }
    length += digits;
    return this;
  }

  /** {@code value} in lowercase hex, {@code digits} digits, zero-padded (higher bits dropped). */
  public LineBuffer appendHex(long value, int digits) {
    ensure(digits);
    if (digits == 2) {
      bytes[length] = HEX[(int) (value >>> 4 & 0xf)];
      bytes[length + 1] = HEX[(int) (value & 0xf)];
      length += 2;
      return this;
    }
    for (int i = digits - 1; i >= 0; i--) {
      bytes[length + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
    length += digits;
    return this;
  }

  /** {@code value} in lowercase hex without leading zeros, as {@link Integer#toHexString} (for 0..0xffff and more). */
  public LineBuffer appendHex(int value) {
    int digits = value == 0 ? 1 : (35 - Integer.numberOfLeadingZeros(value)) / 4;
    return appendHex(Integer.toUnsignedLong(value), digits);
  }


  /**
   * {@code count} bytes of {@code data} from {@code offset} as two lowercase hex digits each,
   * separated by {@code separator}: a MAC address ({@code 02:00:00:00:00:0a}) in one step.
   */
  public LineBuffer appendHexBytes(byte[] data, int offset, int count, char separator) {
    if (count <= 0) {
      return this;
    }
    ensure(3 * count);
    byte[] b = bytes;
    int at = length;
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b[at++] = (byte) separator;
      }
      int value = data[offset + i];
      b[at++] = HEX[value >>> 4 & 0xf];
      b[at++] = HEX[value & 0xf];
    }
    length = at;
    return this;
  }

  /** The 4 bytes of {@code data} from {@code offset} as a dotted-quad IPv4 address. */
  public LineBuffer appendIpv4(byte[] data, int offset) {
    ensure(15);
    byte[] b = bytes;
    int at = length;
    for (int i = 0; i < 4; i++) {
      int value = data[offset + i] & 0xff;
      if (i > 0) {
        b[at++] = '.';
      }
      if (value >= 100) {
        int hundreds = div100(value);
        b[at++] = (byte) ('0' + hundreds);
        value -= 100 * hundreds;
        b[at++] = TWO_DIGITS[2 * value];
        b[at++] = TWO_DIGITS[2 * value + 1];
      } else if (value >= 10) {
        b[at++] = TWO_DIGITS[2 * value];
        b[at++] = TWO_DIGITS[2 * value + 1];
      } else {
        b[at++] = (byte) ('0' + value);
      }
    }
    length = at;
    return this;
  }

  /** Makes room for {@code more} bytes and returns the array to write them into, from {@link #length()}. */
  byte[] reserve(int more) {
    ensure(more);
    return bytes;
  }

  /** After writing into {@link #reserve}'s array: the bytes up to {@code newLength} are held. */
  void commit(int newLength) {
    length = newLength;
  }

  /** Small enough for C1 to inline into every append; growing is the rare call. */
  private void ensure(int more) {
    if (length + more > bytes.length) {
      grow(more);
    }
  }

  private void grow(int more) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
  }
}
