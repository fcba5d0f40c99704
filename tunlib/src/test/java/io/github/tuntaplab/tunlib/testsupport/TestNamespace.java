package io.github.tuntaplab.tunlib.testsupport;

import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway network namespace named {@code tl-t<pid>-<n>}, deleted on close and, should the
 * test forget or fail first, when the JVM exits. Everything inside it (devices, routes, sockets)
 * disappears with it.
 */
public final class TestNamespace implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String name;
  private final Thread exitCleanup;
  private NetworkNamespace inside;
  private boolean closed;

  private TestNamespace(String name) {
    this.name = name;
    this.exitCleanup = new Thread(() -> delete(name), "delete " + name);
    Runtime.getRuntime().addShutdownHook(exitCleanup);
  }

  /** Creates a fresh namespace with its loopback up. */
  public static TestNamespace create() {
    Prerequisites.requireNetAdmin();
    Prerequisites.requireTool("ip");
    String name = "tl-t" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Cmd.ok("ip", "netns", "add", name);
    TestNamespace ns = new TestNamespace(name);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  public String name() {
    return name;
  }

  /**
   * A thread of this JVM inside the namespace (tunlib's {@link NetworkNamespace}), entered on first
   * use and ended by {@link #close()}: devices and sockets made through it live in the namespace.
   */
  public synchronized NetworkNamespace inside() throws IOException {
    if (inside == null) {
      inside = NetworkNamespace.enter(name);
    }
    return inside;
  }

  /** Runs {@code ip -n NAME args…} and returns its output, failing on a non-zero exit. */
  public String ip(String... args) {
    return Cmd.ok(Cmd.concat(List.of("ip", "-n", name), args));
  }

  /** Runs a command inside the namespace. */
  public Cmd.Result exec(String... command) {
    return exec(60, command);
  }

  public Cmd.Result exec(long timeoutSeconds, String... command) {
    return Cmd.run(timeoutSeconds, Cmd.concat(List.of("ip", "netns", "exec", name), command));
  }

  /** Starts a long-running command inside the namespace. */
  public Process start(String... command) {
    return Cmd.start(Cmd.concat(List.of("ip", "netns", "exec", name), command));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (inside != null) {
      inside.close();
    }
    delete(name);
    try {
      Runtime.getRuntime().removeShutdownHook(exitCleanup);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: nothing left to undo.
    }
  }

  private static void delete(String name) {
    // Processes left inside would keep the namespace alive after the mount is gone; a process
    // being killed can hold it for a moment, so deleting is retried for up to a second.
    for (int attempt = 0; attempt < 20; attempt++) {
      Cmd.Result pids = Cmd.run("ip", "netns", "pids", name);
      for (String pid : pids.stdout().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      if (Cmd.run("ip", "netns", "del", name).exitCode() == 0 || !Files.exists(Path.of("/run/netns", name))) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
