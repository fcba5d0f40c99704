package io.github.tuntaplab.tunlib.net;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet address, immutable. */
public final class MacAddress {
  public static final int LENGTH = 6;
  public static final MacAddress BROADCAST = new MacAddress(new byte[] {-1, -1, -1, -1, -1, -1});

  private final byte[] bytes;

  private MacAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  public static MacAddress of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
    }
    return new MacAddress(bytes.clone());
  }

  /** Parses {@code 02:00:5e:10:00:01} (colons or dashes, either case). */
  public static MacAddress parse(String text) {
    String[] parts = text.split("[:-]");
    if (parts.length != LENGTH) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    byte[] bytes = new byte[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 2) {
        throw new IllegalArgumentException("not a MAC address: " + text);
      }
      bytes[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return new MacAddress(bytes);
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the six bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  public boolean isMulticast() {
    return (bytes[0] & 1) != 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MacAddress && Arrays.equals(((MacAddress) other).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Lower-case, colon-separated, as {@code ip link} and tcpdump print it. */
  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes);
  }
}
