package io.github.tuntaplab.tunlib.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What the kernel itself says of one of this process's threads, in /proc: the oracle of scheduling tests. */
public final class KernelThreads {
  private KernelThreads() {}

  /** The thread's nice value: field 19 of its stat, counted after its name's closing parenthesis. */
  public static int nice(long threadId) throws IOException {
    return niceIn(Path.of("/proc/self/task/" + threadId + "/stat"));
  }

  /** Another process's nice value (its main thread's), from its stat. */
  public static int processNice(long pid) throws IOException {
    return niceIn(Path.of("/proc/" + pid + "/stat"));
  }

  private static int niceIn(Path stat) throws IOException {
    String fields = Files.readString(stat);
    return Integer.parseInt(fields.substring(fields.lastIndexOf(')') + 2).split(" ")[19 - 3]);
  }

  /**
   * The thread's {@code se.slice} in its sched file, in ns, where the kernel has one (EEVDF kernels,
   * 6.6 on; the file needs CONFIG_SCHED_DEBUG before 6.15).
   */
  public static OptionalLong slice(long threadId) throws IOException {
    Path sched = Path.of("/proc/self/task/" + threadId + "/sched");
    if (!Files.exists(sched)) {
      return OptionalLong.empty();
    }
    return Files.readAllLines(sched).stream().filter(line -> line.startsWith("se.slice"))
        .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip())).findFirst();
  }
}
