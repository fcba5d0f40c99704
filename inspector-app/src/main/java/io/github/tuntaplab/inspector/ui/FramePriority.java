package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling.KernelThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import javafx.application.Platform;

/**
 * Keeps the window's frames on time while the machine is busy: with a lab forwarding at full rate on
 * two cores, the FX thread spent most of its longest pulse intervals runnable but waiting for a core
 * (the live ingest benchmark reads that from the kernel's schedstat), though it needs a tenth of one.
 *
 * <p>The threads that make a frame ask the kernel for its shortest slice, so that they run soon after
 * they wake (Linux 6.12's EEVDF scheduler runs the earliest virtual deadline first, and a short slice
 * brings it forward): the FX application thread (on GTK it also runs the pulse timer), the renderer,
 * and headless Monocle's pulse timer. Threads they start later get the default slice.
 *
 * <p>The window's background work yields to them at nice 10: the JIT compilers (a quarter of a core
 * while packets pour in), the loader, and the reader of the lab's stream, which start through
 * {@link #background(String)} or lower themselves ({@link #lowerCurrentThread()}). The collector's and
 * the VM's own threads keep their priority, since the FX thread waits for them at every pause; so do
 * the threads that send requests to the lab, from which a window run as root starts a hosted lab,
 * whose threads would inherit a nice value.
 *
 * <p>None of it needs a privilege; a kernel before 6.12 keeps its one slice for all.
 */
public final class FramePriority {
  /** The shortest slice the kernel grants (0.1 ms): a frame thread then waits least for a core. */
  static final Duration FRAME_SLICE = Duration.ofNanos(100_000);
  static final int BACKGROUND_NICENESS = 10;
  private static final System.Logger LOG = System.getLogger(FramePriority.class.getName());

  private FramePriority() {}

  /**
   * Gives this JVM's frame threads their slice and its compilers the background priority; on the FX
   * thread, once the window shows (the renderer runs then). Never fails the window: returns one line
   * saying what was done, and what could not be.
   */
  public static String apply() {
    if (!Platform.isFxApplicationThread()) {
      throw new IllegalStateException("FramePriority.apply() must run on the FX thread: it is one of the frame threads");
    }
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try {
      int fxThread = ThreadScheduling.currentThreadId();
      for (KernelThread thread : ThreadScheduling.threads()) {
        try {
          if (thread.id() == fxThread || isFrameThread(thread.name())) {
            Optional<Duration> slice = ThreadScheduling.requestSlice(thread.id(), FRAME_SLICE);
            done.add(thread.name() + ": " + slice.map(s -> "slice " + s.toNanos() / 1e6 + " ms")
                .orElse("no per-thread slice in this kernel (before 6.12)"));
          } else if (isBackgroundThread(thread.name())) {
            ThreadScheduling.yieldAtLeast(thread.id(), BACKGROUND_NICENESS);
            done.add(thread.name() + ": nice " + ThreadScheduling.niceness(thread.id()));
          }
        } catch (Exception | LinkageError e) {
          failed.add(thread.name() + ": " + e.getMessage());
        }
      }
    } catch (RuntimeException | LinkageError e) {
      failed.add("the threads could not be listed or named: " + e);
    }
    String said = String.join("; ", done) + (failed.isEmpty() ? "" : "; not changed: " + String.join("; ", failed));
    LOG.log(failed.isEmpty() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, "thread priorities: " + said);
    return said;
  }

  /** Lowers the calling thread's priority: for a background thread of the window. Never throws. */
  public static void lowerCurrentThread() {
    if (!ThreadScheduling.yieldCurrentThreadAtLeast(BACKGROUND_NICENESS)) {
      LOG.log(System.Logger.Level.DEBUG, "a background thread keeps its priority: " + Thread.currentThread().getName());
    }
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

  /** HotSpot's JIT compiler threads (their names cut at 15 bytes, as the kernel keeps them). */
  private static boolean isBackgroundThread(String name) {
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") || name.equals("Sweeper thread");
  }
}
