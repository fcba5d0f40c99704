package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A named network namespace ({@code ip netns}, {@code /run/netns/NAME}) with a thread of its own:
 * code given to {@link #call} runs on that thread, which has entered the namespace with
 * {@code setns()}, while the rest of the JVM stays where it was. Devices and sockets created there
 * belong to the namespace for their whole life, whichever thread uses them later.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final Path NETNS_DIR = Path.of("/run/netns");

  private final String name;
  private final ExecutorService thread;

  private NetworkNamespace(String name, ExecutorService thread) {
    this.name = name;
    this.thread = thread;
  }

  /** Enters the existing namespace {@code name} on a new dedicated thread. */
  public static NetworkNamespace enter(String name) throws IOException {
    String path = NETNS_DIR.resolve(name).toString();
    int fd = Syscalls.openOrErrno(path, Syscalls.O_CLOEXEC);
    if (fd < 0) {
      throw Errors.explained(-fd == Errno.ENOENT
          ? "no network namespace " + name + " (ip netns list shows the ones there are)"
          : "cannot open the network namespace " + name, "open(" + path + ")", -fd);
    }
    ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "netns " + name);
      t.setDaemon(true);
      return t;
    });
    try {
      thread.submit(() -> {
        Syscalls.setns(fd, Syscalls.CLONE_NEWNET, name);
        return null;
      }).get();
    } catch (ExecutionException | InterruptedException e) {
      thread.shutdownNow();
      throw unwrap(e, name);
    } finally {
      Syscalls.closeQuietly(fd);
    }
    return new NetworkNamespace(name, thread);
  }

  public String name() {
    return name;
  }

  /** Runs {@code task} inside the namespace and returns its result. */
  public <T> T call(Callable<T> task) throws IOException {
    Future<T> result = thread.submit(task);
    try {
      return result.get();
    } catch (ExecutionException | InterruptedException e) {
      throw unwrap(e, name);
    }
  }

  /** Ends the thread; the namespace itself stays until {@code ip netns del} or the lab removes it. */
  @Override
  public void close() {
    thread.shutdown();
  }

  private static IOException unwrap(Exception e, String name) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new IOException("interrupted while working in namespace " + name, e);
    }
    Throwable cause = e.getCause();
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IOException("failed inside namespace " + name + ": " + cause, cause);
  }
}
