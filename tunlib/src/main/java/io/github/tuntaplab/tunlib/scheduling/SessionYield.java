package io.github.tuntaplab.tunlib.scheduling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The calling process's session made nicer, for as long as this is open. Where the kernel groups
 * tasks by session (autogroup: {@code CONFIG_SCHED_AUTOGROUP}, on unless
 * {@code kernel.sched_autogroup_enabled=0}), each session's group gets an equal share of the cores,
 * whatever its threads' nice values: a program started from its own terminal competes with the others
 * as one. A thread's nice value only orders threads within their group; the group's own nice value
 * ({@code /proc/self/autogroup}) weighs the group against the others. A background service of a class (a
 * lab forwarding at full rate) raises it so that the windows showing its traffic keep their frames; what
 * it runs in its session yields with it. Raising it needs no privilege; {@link #close()} puts back the
 * value it found, so the terminal the service ran in gets its share back.
 */
public final class SessionYield implements AutoCloseable {
  private static final Path AUTOGROUP = Path.of("/proc/self/autogroup");
  private static final Path ENABLED = Path.of("/proc/sys/kernel/sched_autogroup_enabled");

  private final String group;
  private final int before;
  private final int niceness;
  private boolean closed;

  private SessionYield(String group, int before, int niceness) {
    this.group = group;
    this.before = before;
    this.niceness = niceness;
  }

  /**
   * Raises the session group's nice value to {@code niceness} (0 to 19) unless it is that nice
   * already; empty where the kernel does not group tasks by session (no autogroup, or turned off).
   *
   * @throws IOException when the kernel refuses the new value
   */
  public static Optional<SessionYield> atLeast(int niceness) throws IOException {
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("a session yields with a nice value from 0 to 19, not " + niceness);
    }
    if (!groupsBySession()) {
      return Optional.empty();
    }
    String[] found = readGroup();
    int before = Integer.parseInt(found[1]);
    if (before < niceness) {
      write(niceness);
    }
    return Optional.of(new SessionYield(found[0], before, Math.max(before, niceness)));
  }

  /** Whether this kernel weighs sessions against each other (autogroup built in and turned on). */
  public static boolean groupsBySession() throws IOException {
    try {
      return Files.exists(AUTOGROUP) && Files.readString(ENABLED).strip().equals("1");
    } catch (NoSuchFileException absent) {
      return false;
    }
  }

  /** The session's group as the kernel names it, {@code /autogroup-365}. */
  public String group() {
    return group;
  }

  /** The group's nice value when this opened. */
  public int before() {
    return before;
  }

  /** The group's nice value while this is open. */
  public int niceness() {
    return niceness;
  }

  /** Puts back the nice value found, unless something else changed it meanwhile. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (before < niceness && Integer.parseInt(readGroup()[1]) == niceness) {
      write(before);
    }
  }

  @Override
  public String toString() {
    return "session group " + group + " at nice " + niceness + " (was " + before + ")";
  }

  /** {@code /autogroup-365 nice 0}: the group's name and its nice value. */
  private static String[] readGroup() throws IOException {
    String[] fields = Files.readString(AUTOGROUP).strip().split("\\s+");
    if (fields.length != 3 || !fields[1].equals("nice")) {
      throw new IOException(AUTOGROUP + " reads '" + String.join(" ", fields) + "', not '/autogroup-N nice K'");
    }
    return new String[] {fields[0], fields[2]};
  }

  private static void write(int niceness) throws IOException {
    try {
      Files.writeString(AUTOGROUP, Integer.toString(niceness));
    } catch (IOException e) {
      throw new IOException("cannot set the session group's nice value to " + niceness + " in " + AUTOGROUP + ": "
          + e.getMessage(), e);
    }
  }
}
