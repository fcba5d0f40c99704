package io.github.tuntaplab.tunlib.text;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The tcpdump flags {@link TcpdumpPrinter} honours; {@code -nn} is implied (numbers, never names).
 *
 * @param linkHeader {@code -e}: print the link-level header
 * @param verbosity the number of {@code -v} flags
 * @param quiet {@code -q}
 * @param timestamps {@code -t} ({@link Timestamps#NONE}), {@code -tt} ({@link Timestamps#EPOCH}) or the default
 * @param hexDump {@code -x}, {@code -xx}, {@code -X}, {@code -XX} or none
 * @param zone the zone of the default timestamp (tcpdump uses local time, which honours {@code TZ})
 */
public record TcpdumpOptions(boolean linkHeader, int verbosity, boolean quiet, Timestamps timestamps,
    HexDump hexDump, ZoneId zone) {

  /** How a line starts. */
  public enum Timestamps {
    /** {@code 17:59:11.951226}, local time. */
    TIME_OF_DAY,
    /** {@code -t}: no timestamp. */
    NONE,
    /** {@code -tt}: seconds since the epoch, {@code 1700000000.951226}. */
    EPOCH
  }

  /** The hex dump after each line. */
  public enum HexDump {
    NONE,
    /** {@code -x}: hex, without the link-level header. */
    HEX,
    /** {@code -xx}: hex, with the link-level header. */
    HEX_WITH_LINK,
    /** {@code -X}: hex and ASCII, without the link-level header. */
    HEX_ASCII,
    /** {@code -XX}: hex and ASCII, with the link-level header. */
    HEX_ASCII_WITH_LINK;

    boolean withLink() {
      return this == HEX_WITH_LINK || this == HEX_ASCII_WITH_LINK;
    }

    boolean withAscii() {
      return this == HEX_ASCII || this == HEX_ASCII_WITH_LINK;
    }
  }

  public TcpdumpOptions {
    Objects.requireNonNull(timestamps, "timestamps");
    Objects.requireNonNull(hexDump, "hexDump");
    Objects.requireNonNull(zone, "zone");
    if (verbosity < 0) {
      throw new IllegalArgumentException("verbosity " + verbosity + " < 0");
    }
  }

  /** Plain {@code tcpdump -nn}, timestamps in the JVM's zone. */
  public static TcpdumpOptions defaults() {
    return new TcpdumpOptions(false, 0, false, Timestamps.TIME_OF_DAY, HexDump.NONE, ZoneId.systemDefault());
  }

  public TcpdumpOptions withLinkHeader(boolean on) {
    return new TcpdumpOptions(on, verbosity, quiet, timestamps, hexDump, zone);
  }

  public TcpdumpOptions withVerbosity(int level) {
    return new TcpdumpOptions(linkHeader, level, quiet, timestamps, hexDump, zone);
  }

  public TcpdumpOptions withQuiet(boolean on) {
    return new TcpdumpOptions(linkHeader, verbosity, on, timestamps, hexDump, zone);
  }

  public TcpdumpOptions withTimestamps(Timestamps style) {
    return new TcpdumpOptions(linkHeader, verbosity, quiet, style, hexDump, zone);
  }

  public TcpdumpOptions withHexDump(HexDump dump) {
    return new TcpdumpOptions(linkHeader, verbosity, quiet, timestamps, dump, zone);
  }

  public TcpdumpOptions withZone(ZoneId timeZone) {
    return new TcpdumpOptions(linkHeader, verbosity, quiet, timestamps, hexDump, timeZone);
  }
}
