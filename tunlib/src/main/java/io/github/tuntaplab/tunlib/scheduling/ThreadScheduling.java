package io.github.tuntaplab.tunlib.scheduling;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the kernel schedules this process's threads, one thread at a time. A program that must answer
 * on time while the machine is busy (a window drawing frames while a lab forwards at full rate)
 * asks short slices for the threads that must wake up at once, and a higher nice value for the
 * threads that can wait. Neither needs a privilege: a thread of the same user may always be made
 * nicer and given a shorter slice; only making it less nice needs CAP_SYS_NICE (or RLIMIT_NICE).
 *
 * <p>Threads are named by their kernel ids ({@link #currentThreadId()}, {@link #threads()}), so one
 * thread can adjust another, including the JVM's own (its compilers). An id is meant to be one of this
 * process's threads: the kernel would apply it to any thread of the same user.
 */
public final class ThreadScheduling {
  private static final Path TASKS = Path.of("/proc/self/task");

  private ThreadScheduling() {}

  /** A thread of this process as the kernel lists it: its id, and its name (a Java thread's first 15 bytes). */
  public record KernelThread(int id, String name) {}

  /** The calling thread's kernel id. */
  public static int currentThreadId() {
    return Syscalls.gettid();
  }

  /**
   * Every thread of this process now, from /proc/self/task; threads that end while it is read are
   * left out. (A name cut at 15 bytes inside a character ends in a replacement character.)
   */
  public static List<KernelThread> threads() {
    List<KernelThread> threads = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path task : tasks) {
        try {
          threads.add(new KernelThread(Integer.parseInt(task.getFileName().toString()),
              new String(Files.readAllBytes(task.resolve("comm")), StandardCharsets.UTF_8).strip()));
        } catch (NoSuchFileException ended) {
          // The thread ended between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list this process's threads in " + TASKS, e);
    }
    return List.copyOf(threads);
  }

  /** A thread's nice value, -20 (first served) to 19 (last). */
  public static int niceness(int threadId) throws NativeCallException {
    return Syscalls.schedulingAttributes(threadId).niceness();
  }

  /**
   * Sets a thread's nice value. Raising it (a thread that yields more) is always allowed; lowering
   * it again needs CAP_SYS_NICE or RLIMIT_NICE, and fails (EACCES) with a message that says so.
   */
  public static void setNiceness(int threadId, int niceness) throws NativeCallException {
    try {
      Syscalls.setNiceness(threadId, niceness);
    } catch (NativeCallException e) {
      if (e.errno() == Errno.EACCES) {
        throw Errors.explained("thread " + threadId + " may not be given nice " + niceness + ", below its current"
            + " one: that needs CAP_SYS_NICE (run as root) or a nice limit that allows it (ulimit -e)",
            e.call(), e.errno());
      }
      throw e;
    }
  }

  /**
   * Makes a thread at least {@code niceness} nice: raises its nice value to it, and leaves a thread
   * already nicer as it is. Never lowers a nice value, so it needs no privilege.
   */
  public static void yieldAtLeast(int threadId, int niceness) throws NativeCallException {
    if (niceness(threadId) < niceness) {
      setNiceness(threadId, niceness);
    }
  }

  /**
   * {@link #yieldAtLeast} for the calling thread, for threads that observe or wait (a capture, a
   * stream, a loader): where the kernel refuses, the thread keeps its priority, which costs others
   * some time and nothing else. Returns whether the thread now runs at least {@code niceness} nice.
   */
  public static boolean yieldCurrentThreadAtLeast(int niceness) {
    try {
      yieldAtLeast(currentThreadId(), niceness);
      return true;
    } catch (NativeCallException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * The slice the kernel gives a thread before another may run (Linux 6.12 and later: the EEVDF
   * scheduler's per-thread slice), or empty where the kernel has no per-thread slice.
   */
  public static Optional<Duration> slice(int threadId) throws NativeCallException {
    Syscalls.SchedulingAttributes attributes = Syscalls.schedulingAttributes(threadId);
    return attributes.hasSlice() && attributes.runtimeNanos() > 0 ? Optional.of(Duration.ofNanos(
        attributes.runtimeNanos())) : Optional.empty();
  }

  /**
   * Asks a short slice for a thread, so that on waking it runs before threads with longer slices
   * (its deadline comes sooner) instead of waiting for them. The kernel keeps it within 0.1 ms to
   * 100 ms. Returns the slice now in force, or empty where the kernel has no per-thread slices (before
   * Linux 6.12, which accepts the request and ignores it). The thread's nice value is kept; threads
   * and processes it starts later get the default slice, not this one. Only for a SCHED_OTHER (or
   * SCHED_BATCH) thread: another policy throws {@link IllegalStateException}.
   */
  public static Optional<Duration> requestSlice(int threadId, Duration slice) throws NativeCallException {
    if (slice.isNegative() || slice.isZero()) {
      throw new IllegalArgumentException("a slice must be positive, not " + slice);
    }
    Syscalls.setSlice(threadId, slice.toNanos());
    return slice(threadId);
  }
}
