package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import io.github.tuntaplab.tunlib.NativeCallException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
  private NetworkConfig config;

  private NetworkNamespace(String name, ExecutorService thread) {
    this.name = name;
    this.thread = thread;
  }

  /** Enters the existing namespace {@code name} on a new dedicated thread. */
  public static NetworkNamespace enter(String name) throws IOException {
    int fd = openHandle(name);
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

  /**
   * Creates the namespace {@code name} the way {@code ip netns add} does, so {@code ip netns} and
   * {@code ip -n} see it: {@code /run/netns} becomes a shared mount, and a file there is bind-mounted
   * from the namespace of a throwaway thread that {@code unshare}d it (and then ends: no pooled
   * thread is ever moved).
   */
  public static void create(String name) throws IOException {
    NamespaceChange change = NamespaceChange.add(name);
    Files.createDirectories(NETNS_DIR);
    makeNetnsDirShared(change);
    Path file = NETNS_DIR.resolve(checkName(name));
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw Errors.explained(change.commandLine() + ": a namespace named " + name + " exists already (ip netns list; "
          + "delete it with ip netns del " + name + ")", "open(" + file + ", O_CREAT|O_EXCL)", Errno.EEXIST);
    }
    int[] errno = new int[1];
    String[] call = new String[1];
    Thread unsharer = new Thread(() -> {
      call[0] = "unshare(CLONE_NEWNET)";
      errno[0] = -Syscalls.unshareOrErrno(Syscalls.CLONE_NEWNET);
      if (errno[0] == 0) {
        call[0] = "mount(/proc/thread-self/ns/net, " + file + ", MS_BIND)";
        errno[0] = -Syscalls.mountOrErrno("/proc/thread-self/ns/net", file.toString(), "none", Syscalls.MS_BIND);
      }
    }, "create netns " + name);
    unsharer.start();
    try {
      unsharer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating namespace " + name, e);
    }
    if (errno[0] != 0) {
      Files.deleteIfExists(file);
      throw Errors.explained(change.commandLine() + ": " + (errno[0] == Errno.EPERM
          ? "creating a namespace needs CAP_SYS_ADMIN (run as root)" : "the kernel refused the namespace"),
          call[0], errno[0]);
    }
  }

  /**
   * Deletes the namespace {@code name} as {@code ip netns del} does: detaches its mount and removes
   * the file. The namespace itself ends once no process, thread or socket holds it any more.
   */
  public static void delete(String name) throws IOException {
    Path file = NETNS_DIR.resolve(checkName(name));
    Syscalls.umountOrErrno(file.toString(), Syscalls.MNT_DETACH);
    try {
      Files.delete(file);
    } catch (NoSuchFileException e) {
      throw Errors.explained(NamespaceChange.delete(name).commandLine() + ": there is no namespace named " + name
          + " (ip netns list)", "unlink(" + file + ")", Errno.ENOENT);
    }
  }

  /** The named namespaces, sorted ({@code ip netns list}). */
  public static List<String> list() throws IOException {
    if (!Files.isDirectory(NETNS_DIR)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(NETNS_DIR)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** An open descriptor of the namespace's file, for setns or moving a link there; the caller closes it. */
  static int openHandle(String name) throws NativeCallException {
    String path = NETNS_DIR.resolve(checkName(name)).toString();
    int fd = Syscalls.openOrErrno(path, Syscalls.O_CLOEXEC);
    if (fd < 0) {
      throw Errors.explained(-fd == Errno.ENOENT
          ? "no network namespace " + name + " (ip netns list shows the ones there are)"
          : "cannot open the network namespace " + name, "open(" + path + ")", -fd);
    }
    return fd;
  }

  private static String checkName(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a namespace name: '" + name + "'");
    }
    return name;
  }

  private static void makeNetnsDirShared(NamespaceChange change) throws NativeCallException {
    String dir = NETNS_DIR.toString();
    int errno = -Syscalls.mountOrErrno("none", dir, "none", Syscalls.MS_SHARED | Syscalls.MS_REC);
    if (errno == Errno.EINVAL) {
      // Not a mount point yet: make it one (bind it onto itself), then share it, as ip netns add does.
      errno = -Syscalls.mountOrErrno(dir, dir, "none", Syscalls.MS_BIND | Syscalls.MS_REC);
      if (errno == 0) {
        errno = -Syscalls.mountOrErrno("none", dir, "none", Syscalls.MS_SHARED | Syscalls.MS_REC);
      }
    }
    if (errno != 0) {
      throw Errors.explained(change.commandLine() + ": cannot make " + dir + " a shared mount (needs CAP_SYS_ADMIN; "
          + "run as root)", "mount(" + dir + ", MS_SHARED)", errno);
    }
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

  /**
   * Applies {@code changes} inside the namespace, in order, and returns each one's twin aimed at it
   * ({@code ip -n NAME route add …}) for a lesson to print beside what happened. Stops at the first
   * refusal, whose exception says what to fix.
   */
  public List<String> apply(NetChange... changes) throws IOException {
    return call(() -> {
      List<String> done = new ArrayList<>();
      for (NetChange change : changes) {
        config().apply(change);
        done.add(change.commandLineIn(name));
      }
      return done;
    });
  }

  /** Reads the namespace's configuration on its thread, e.g. {@code ns.query(NetworkConfig::routes)}. */
  public <T> T query(ConfigQuery<T> query) throws IOException {
    return call(() -> query.ask(config()));
  }

  /** A question for {@link #query}. */
  @FunctionalInterface
  public interface ConfigQuery<T> {
    T ask(NetworkConfig config) throws IOException;
  }

  /** The namespace's own configuration handle; opened on, and only touched by, its thread. */
  private NetworkConfig config() throws NativeCallException {
    if (config == null) {
      config = NetworkConfig.open();
    }
    return config;
  }

  /** Ends the thread; the namespace itself stays until {@code ip netns del} or the lab removes it. */
  @Override
  public synchronized void close() {
    if (thread.isShutdown()) {
      return;
    }
    thread.submit(() -> {
      if (config != null) {
        config.close();
      }
    });
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
