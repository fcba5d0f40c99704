package io.github.tuntaplab.lessons.lab;

import java.io.IOException;

/** A topology that cannot be read or built as written: where ({@code file:line}) and why. */
public final class TopologyException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;

  /** @param line the 1-based line, or 0 when the whole source is at fault */
  public TopologyException(String source, int line, String message) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
    this.source = source;
    this.line = line;
  }

  public String source() {
    return source;
  }

  /** The 1-based line of the mistake, 0 when it concerns the whole topology. */
  public int line() {
    return line;
  }
}
