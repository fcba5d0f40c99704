package io.github.tuntaplab.inspector.cli;

/** The exit codes every {@code tunlab} command uses (DESIGN §2). */
final class ExitCode {
  /** The work was done. */
  static final int OK = 0;
  /** The work failed: an unreadable or corrupt file, a failed checkpoint, a lab error. */
  static final int FAILED = 1;
  /** The command line was wrong; picocli prints the usage. */
  static final int USAGE = 2;
  /** A privilege or prerequisite is missing; the message says how to get it. */
  static final int PREREQUISITE = 3;

  private ExitCode() {}
}
