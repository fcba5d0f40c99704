package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tunlab} in child JVMs, as a user runs it, with a lab of the test's own: namespaces
 * {@code tl-l<pid>-<n>-ROLE} (other test runs' root-namespace guards leave them be) and the lock
 * and socket in a directory of the test's, never /run/tunlab. The window's tests use it too.
 */
public final class LabChild {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  public final String prefix;
  public final Path directory;

  public LabChild(Path tempDir) {
    this.prefix = "tl-l" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-";
    this.directory = tempDir.resolve("run");
    try {
      // Other users (the socket test's) must be able to reach the socket's directory.
      Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String namespace(String role) {
    return prefix + role;
  }

  public Path socket() {
    return directory.resolve("lab.sock");
  }

  /**
   * The wrapper that starts a lab in a session of its own, as {@code sudo} (use_pty) does: a lab's
   * session yields to windows (its group's nice value), and the test's own session keeps its share
   * even when a lab is killed before it can put the value back.
   */
  public static final List<String> OWN_SESSION = List.of("setsid");

  /** The command line: {@code java -cp … -D… TunlabCommand args…}, optionally behind {@code wrapper} (setpriv, setsid). */
  List<String> command(List<String> wrapper, String... args) {
    List<String> command = new ArrayList<>(wrapper);
    // A short-lived command: the quick JIT tier and a small collector start it sooner.
    command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "-Dtuntaplab.lab.prefix=" + prefix, "-Dtuntaplab.lab.dir=" + directory,
        TunlabCommand.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs a tunlab command to its end. */
  Cmd.Result tunlab(String... args) {
    return Cmd.run(60, command(List.of(), args).toArray(String[]::new));
  }

  /** {@code lab up} in the background, for {@code uid}'s socket; returns once it says it is up. */
  public Running up(int sudoUid) throws Exception {
    Path output = Files.createTempFile(directory.getParent(), "lab-up", ".out");
    ProcessBuilder builder = new ProcessBuilder(command(OWN_SESSION, "lab", "up")).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    env.put("SUDO_UID", Integer.toString(sudoUid));
    env.put("SUDO_GID", Integer.toString(sudoUid));
    Running running = new Running(builder.start(), output);
    try {
      running.awaitLine("tunlab: lab default is up", 30);
    } catch (Exception | Error e) {
      running.close(); // a root process holding the lab's lock must not outlive the test
      throw e;
    }
    return running;
  }

  /** Removes the namespaces a lab process killed half way left behind, so the root-namespace guard finds none. */
  public void removeLeftovers() {
    for (String line : Cmd.ok("ip", "netns", "list").split("\n")) {
      if (line.startsWith(prefix)) {
        Cmd.run("ip", "netns", "del", line.split(" ")[0]);
      }
    }
  }

  /**
   * A lab process. Its output goes to a file (reading a pipe while the process exits races with the
   * JDK closing it), which {@link #awaitLine} reads again until the line is there.
   */
  public static final class Running implements AutoCloseable {
    final Process process;
    private final Path output;

    Running(Process process, Path output) {
      this.process = process;
      this.output = output;
    }

    /** What the lab process has printed so far. */
    List<String> output() throws IOException {
      return Files.readAllLines(output, StandardCharsets.UTF_8);
    }

    void awaitLine(String wanted, long seconds) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        boolean ended = !process.isAlive();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        if (lines.contains(wanted)) {
          return;
        }
        if (ended || System.nanoTime() > deadline) {
          throw new AssertionError("no line '" + wanted + "' " + (ended ? "before the lab process ended" : "within "
              + seconds + " s") + ":\n" + String.join("\n", lines));
        }
        Thread.sleep(50);
      }
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy(); // SIGTERM: the lab tears down
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }
  }
}
