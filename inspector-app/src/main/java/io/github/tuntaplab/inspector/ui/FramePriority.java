package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling.KernelThread;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import javafx.application.Platform;

/**
 * Keeps the window's frames on time while the machine is busy: a lab forwarding at full rate on two
 * cores left the FX thread runnable but waiting for a core for up to 100 ms at a time (the live
 * ingest benchmark reads that from the kernel's schedstat), though it needs a tenth of one.
 *
 * <p>The threads that make a frame ask the kernel for a short slice, so that they run as soon as they
 * wake (Linux 6.12's EEVDF scheduler runs the earliest deadline first, and a short slice brings the
 * deadline forward): the FX application thread (on GTK it also runs the pulse timer), the renderer,
 * and headless Monocle's pulse timer. Every other thread of the JVM yields to them at nice 10: its
 * JIT compilers and collector, which took a quarter of a core each while packets poured in, the
 * loader, and the reader of the lab's stream. Only the VM thread keeps its priority: it runs the
 * safepoints that stop every Java thread, the FX thread included.
 *
 * <p>Neither needs a privilege, and neither takes anything from other processes. Threads started
 * later inherit their creator's nice value, so the window's background threads start through
 * {@link #background(String)}.
 */
public final class FramePriority {
  /** The shortest slice the kernel grants: a frame thread's work is split, never delayed. */
  static final Duration FRAME_SLICE = Duration.ofNanos(100_000);
  static final int BACKGROUND_NICENESS = 10;
  private static final String VM_THREAD = "VM Thread";

  private FramePriority() {}

  /**
   * Applies the priorities to this JVM's threads now; on the FX thread, once the toolkit runs.
   * Returns one line saying what was done, or why it could not be.
   */
  public static String apply() {
    if (!Platform.isFxApplicationThread()) {
      throw new IllegalStateException("FramePriority.apply() runs on the FX thread, which it tells by that");
    }
    int fxThread = ThreadScheduling.currentThreadId();
    int frameThreads = 0;
    int lowered = 0;
    Optional<Duration> slice = Optional.empty();
    try {
      for (KernelThread thread : ThreadScheduling.threads()) {
        if (thread.id() == fxThread || isFrameThread(thread.name())) {
          slice = ThreadScheduling.requestSlice(thread.id(), FRAME_SLICE);
          frameThreads++;
        } else if (!thread.name().equals(VM_THREAD)) {
          lowered += lower(thread.id()) ? 1 : 0;
        }
      }
    } catch (NativeCallException | RuntimeException e) {
      return "frame threads keep the default scheduling: " + e.getMessage();
    }
    return String.format("%d frame threads: %s; %d other threads at nice %d", frameThreads,
        slice.map(s -> "slice " + s.toNanos() / 1e6 + " ms").orElse("no per-thread slice in this kernel (before 6.12)"),
        lowered, BACKGROUND_NICENESS);
  }

  /** Lowers the calling thread's priority: for a background thread of the window started after {@link #apply()}. */
  public static void lowerCurrentThread() {
    lower(ThreadScheduling.currentThreadId());
  }

  /** Daemon threads named {@code name} that run at the background priority. */
  public static ThreadFactory background(String name) {
    return runnable -> {
      Thread thread = new Thread(() -> {
        lowerCurrentThread();
        runnable.run();
      }, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private static boolean isFrameThread(String name) {
    return name.startsWith("QuantumRenderer") || name.equals("Monocle Timer");
  }

  /** Whether the thread now runs at the background niceness; a thread that ended meanwhile needs none. */
  private static boolean lower(int threadId) {
    try {
      if (ThreadScheduling.niceness(threadId) < BACKGROUND_NICENESS) {
        ThreadScheduling.setNiceness(threadId, BACKGROUND_NICENESS);
      }
      return true;
    } catch (NativeCallException e) {
      return false;
    }
  }
}
