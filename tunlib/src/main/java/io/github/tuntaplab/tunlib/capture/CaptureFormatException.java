package io.github.tuntaplab.tunlib.capture;

import java.io.IOException;

/**
 * A capture file that is not what it claims to be: a wrong magic number, a forged length, a block
 * that ends too early. The message names the byte offset and what was wrong there, in words a user
 * can act on; no stack trace is needed to understand it.
 */
public final class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final boolean truncated;

  CaptureFormatException(long offset, String message, boolean truncated) {
    super(message);
    this.offset = offset;
    this.truncated = truncated;
  }

  /** Something at {@code offset} is malformed; {@code message} already names the offset. */
  static CaptureFormatException malformed(long offset, String message) {
    return new CaptureFormatException(offset, message, false);
  }

  /**
   * The file ends inside {@code what} (which names {@code offset}): every complete packet before it was
   * delivered (tcpdump says "truncated dump file" in the same case).
   */
  static CaptureFormatException truncated(long offset, String what, long needed, long available) {
    return new CaptureFormatException(offset,
        "truncated file: " + what + " needs " + needed + " bytes but only " + available + " remain", true);
  }

  /** The byte offset in the file of the structure that is wrong. */
  public long offset() {
    return offset;
  }

  /** True when the file merely ends too early (an interrupted capture), not when it lies. */
  public boolean isTruncation() {
    return truncated;
  }
}
