package io.github.tuntaplab.tunlib.capture;

/**
 * Which way a packet went through the interface it was captured on, as pcapng's {@code epb_flags}
 * say it: received by the interface (inbound) or sent by it (outbound). For a TUN or TAP the kernel
 * sends what the program behind the device reads, and receives what it writes.
 */
public enum Direction {
  UNKNOWN(0), INBOUND(1), OUTBOUND(2);

  private final int epbFlags;

  Direction(int epbFlags) {
    this.epbFlags = epbFlags;
  }

  /** The direction that pcapng's {@code epb_flags} give in bits 0 and 1 (the value 3 is undefined: unknown). */
  public static Direction ofEpbFlags(int flags) {
    return switch (flags & 3) {
      case 1 -> INBOUND;
      case 2 -> OUTBOUND;
      default -> UNKNOWN;
    };
  }

  /** The direction bits of pcapng's {@code epb_flags} (bits 0 and 1). */
  public int epbFlags() {
    return epbFlags;
  }
}
