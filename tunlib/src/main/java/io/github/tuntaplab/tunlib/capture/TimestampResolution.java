package io.github.tuntaplab.tunlib.capture;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * A pcapng interface's clock: {@code if_tsresol} ticks per second (10^-n or 2^-n seconds per tick)
 * and {@code if_tsoffset} seconds added to every timestamp.
 */
record TimestampResolution(long ticksPerSecond, long offsetSeconds) {
  static final TimestampResolution MICROSECONDS = new TimestampResolution(1_000_000, 0);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** Beyond these exponents the ticks per second no longer fit in a signed 64-bit number. */
  private static final int MAX_DECIMAL_EXPONENT = 18;
  private static final int MAX_BINARY_EXPONENT = 62;

  /** Decodes the {@code if_tsresol} byte, or returns null if it names an impossible resolution. */
  static Long ticksPerSecond(int tsresol) {
    int exponent = tsresol & 0x7f;
    if ((tsresol & 0x80) != 0) {
      return exponent <= MAX_BINARY_EXPONENT ? 1L << exponent : null;
    }
    if (exponent > MAX_DECIMAL_EXPONENT) {
      return null;
    }
    long ticks = 1;
    for (int i = 0; i < exponent; i++) {
      ticks *= 10;
    }
    return ticks;
  }

  TimestampResolution withOffset(long seconds) {
    return new TimestampResolution(ticksPerSecond, seconds);
  }

  /** The instant of an unsigned 64-bit tick count, or null if no {@link Instant} can hold it. */
  Instant toInstant(long ticks) {
    long seconds = Long.divideUnsigned(ticks, ticksPerSecond);
    long rest = Long.remainderUnsigned(ticks, ticksPerSecond);
    long nanos = ticksPerSecond <= Long.MAX_VALUE / NANOS_PER_SECOND
        ? rest * NANOS_PER_SECOND / ticksPerSecond
        : BigInteger.valueOf(rest).multiply(BigInteger.valueOf(NANOS_PER_SECOND))
            .divide(BigInteger.valueOf(ticksPerSecond)).longValueExact();
    try {
      return seconds < 0 ? null : Instant.ofEpochSecond(Math.addExact(seconds, offsetSeconds), nanos);
    } catch (ArithmeticException | DateTimeException e) {
      return null;
    }
  }
}
