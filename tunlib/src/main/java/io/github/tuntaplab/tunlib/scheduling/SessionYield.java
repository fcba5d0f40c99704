package io.github.tuntaplab.tunlib.scheduling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
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
  private static final Path CGROUPS = Path.of("/proc/self/cgroup");
  private static final Path UNIFIED_ROOT_CONTROLLERS = Path.of("/sys/fs/cgroup/cgroup.subtree_control");
  /** The kernel takes one change a tenth of a second from a caller without CAP_SYS_ADMIN (EAGAIN otherwise). */
  private static final long RETRY_NANOS = 300_000_000L;

  private final long session;
  private final String group;
  private final int before;
  private final int niceness;
  private boolean closed;

  private SessionYield(long session, String group, int before, int niceness) {
    this.session = session;
    this.group = group;
    this.before = before;
    this.niceness = niceness;
  }

  /**
   * Raises the session group's nice value to {@code niceness} (0 to 19) unless it is that nice
   * already; empty where the kernel does not group this process by session (no autogroup, turned
   * off, or the process is in a cpu cgroup of its own, which the kernel weighs instead).
   *
   * @throws IOException when the kernel refuses the new value, naming the file and its answer
   */
  public static Optional<SessionYield> atLeast(int niceness) throws IOException {
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("a session yields with a nice value from 0 to 19, not " + niceness);
    }
    Optional<Group> found = groupsBySession() ? readGroup() : Optional.empty();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    int before = found.get().niceness();
    if (before < niceness) {
      write(niceness);
    }
    return Optional.of(new SessionYield(sessionId(), found.get().name(), before, Math.max(before, niceness)));
  }

  /**
   * Whether the kernel weighs this process's session against the others: autogroup built in and
   * turned on, and the process in the root cpu cgroup (the kernel groups by session only there).
   */
  public static boolean groupsBySession() throws IOException {
    try {
      return Files.exists(AUTOGROUP) && Files.readString(ENABLED).strip().equals("1") && inRootCpuGroup();
    } catch (NoSuchFileException absent) {
      return false;
    }
  }

  /** cgroup v1: the cpu hierarchy's path is "/"; v2: "/", or the root does not hand the cpu controller down. */
  private static boolean inRootCpuGroup() throws IOException {
    if (!Files.exists(CGROUPS)) {
      return true;
    }
    for (String line : Files.readAllLines(CGROUPS)) {
      String[] fields = line.split(":", 3);
      if (fields.length < 3 || fields[2].equals("/")) {
        continue;
      }
      if (List.of(fields[1].split(",")).contains("cpu")) {
        return false;
      }
      if (fields[0].equals("0") && fields[1].isEmpty() && Files.exists(UNIFIED_ROOT_CONTROLLERS)
          && List.of(Files.readString(UNIFIED_ROOT_CONTROLLERS).strip().split(" ")).contains("cpu")) {
        return false;
      }
    }
    return true;
  }

  /** The session's id (its leader's pid): {@code /proc/ID/autogroup} is its group's file. */
  public long session() {
    return session;
  }

  /** What puts the group's value back by hand, should this process be killed before {@link #close()}. */
  public String undoCommand() {
    return "echo " + before + " | sudo tee /proc/" + session + "/autogroup";
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

  /** Puts back the nice value found, unless the process has left the group or something else changed it meanwhile. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Optional<Group> now = readGroup();
    if (before < niceness && now.isPresent() && now.get().name().equals(group) && now.get().niceness() == niceness) {
      write(before);
    }
  }

  @Override
  public String toString() {
    return "session " + session + "'s group " + group + " at nice " + niceness + " (was " + before + ")";
  }

  private record Group(String name, int niceness) {}

  /** Field 6 of {@code /proc/self/stat}, counted after the command name (which may hold spaces). */
  private static long sessionId() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
  }

  /** {@code /autogroup-365 nice 0}; empty for a process left in the root group (the file reads nothing). */
  private static Optional<Group> readGroup() throws IOException {
    String text = Files.readString(AUTOGROUP).strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String[] fields = text.split("\\s+");
    try {
      if (fields.length == 3 && fields[1].equals("nice")) {
        return Optional.of(new Group(fields[0], Integer.parseInt(fields[2])));
      }
    } catch (NumberFormatException e) {
      // Said below, with the whole text.
    }
    throw new IOException(AUTOGROUP + " reads '" + text + "', not '/autogroup-N nice K'");
  }

  private static void write(int niceness) throws IOException {
    long deadline = System.nanoTime() + RETRY_NANOS;
    while (true) {
      try {
        Files.writeString(AUTOGROUP, Integer.toString(niceness));
        return;
      } catch (IOException e) {
        // EAGAIN comes as an IOException whose words follow the locale: any refusal is tried again briefly.
        if (System.nanoTime() < deadline) {
          sleepBriefly();
          continue;
        }
        throw new IOException("cannot set the session group's nice value to " + niceness + " in " + AUTOGROUP
            + ": " + e.getMessage(), e);
      }
    }
  }

  private static void sleepBriefly() throws IOException {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the kernel asked to try " + AUTOGROUP + " again", e);
    }
  }
}
