package io.github.tuntaplab.tunlib.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.testsupport.KernelThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scheduling a thread, checked against what the kernel itself reports in /proc (its nice value in
 * {@code stat}, its slice in {@code sched}), on threads started for the test so that no other
 * thread of the test JVM changes.
 */
class ThreadSchedulingTest {

  /** A thread that waits until closed, and its kernel id. */
  private static final class Probe implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final CompletableFuture<Integer> id = new CompletableFuture<>();
    private final Thread thread;

    Probe(String name) {
      this(name, () -> () -> { });
    }

    /** A probe that first runs {@code first} on its thread, and closes what it returns when it ends. */
    Probe(String name, Callable<AutoCloseable> first) {
      thread = new Thread(() -> {
        try (AutoCloseable started = first.call()) {
          id.complete(ThreadScheduling.currentThreadId());
          done.await();
        } catch (Exception e) {
          id.completeExceptionally(e);
        }
      }, name);
      thread.start();
    }

    int id() throws Exception {
      return id.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      done.countDown();
      thread.join();
    }
  }

  @Test
  void threadsAreListedByKernelIdAndName() throws Exception {
    try (Probe probe = new Probe("tl-probe-listed-by-name")) {
      assertThat(ThreadScheduling.threads())
          .contains(new ThreadScheduling.KernelThread(probe.id(), "tl-probe-listed"))
          .contains(new ThreadScheduling.KernelThread(ThreadScheduling.currentThreadId(),
              Files.readString(Path.of("/proc/thread-self/comm")).strip()));
    }
  }

  @Test
  void aNiceValueChangesThatThreadOnly() throws Exception {
    int mine = KernelThreads.nice(ThreadScheduling.currentThreadId());
    try (Probe probe = new Probe("tl-probe-nice")) {
      int start = KernelThreads.nice(probe.id());
      int nicer = Math.min(19, start + 7);
      ThreadScheduling.setNiceness(probe.id(), nicer);
      assertThat(KernelThreads.nice(probe.id())).isEqualTo(nicer);
      assertThat(ThreadScheduling.niceness(probe.id())).isEqualTo(nicer);
      assertThat(KernelThreads.nice(ThreadScheduling.currentThreadId())).isEqualTo(mine);
      // Back down: allowed with CAP_SYS_NICE or a nice limit, refused otherwise, with a message that says so.
      try {
        ThreadScheduling.setNiceness(probe.id(), start);
        assertThat(KernelThreads.nice(probe.id())).isEqualTo(start);
      } catch (NativeCallException refused) {
        assertThat(refused).hasMessageContaining("CAP_SYS_NICE").hasMessageContaining("setpriority")
            .hasMessageContaining("EACCES");
        assertThat(KernelThreads.nice(probe.id())).isEqualTo(nicer);
      }
    }
  }

  @Test
  void yieldingRaisesANiceValueAndNeverLowersOne() throws Exception {
    try (Probe lower = new Probe("tl-probe-yield"); Probe nicer = new Probe("tl-probe-nicer")) {
      int start = KernelThreads.nice(lower.id());
      int target = Math.min(19, start + 5);
      ThreadScheduling.setNiceness(nicer.id(), Math.min(19, start + 9));
      ThreadScheduling.yieldAtLeast(lower.id(), target);
      ThreadScheduling.yieldAtLeast(nicer.id(), target);
      assertThat(KernelThreads.nice(lower.id())).isEqualTo(target);
      assertThat(KernelThreads.nice(nicer.id())).isEqualTo(Math.min(19, start + 9));
    }
  }

  @Test
  void aThreadYieldsItselfWithoutAnErrorToHandle() throws Exception {
    int target = Math.min(19, KernelThreads.nice(ThreadScheduling.currentThreadId()) + 3);
    CompletableFuture<Boolean> yielded = new CompletableFuture<>();
    try (Probe probe = new Probe("tl-probe-self", () -> {
      yielded.complete(ThreadScheduling.yieldCurrentThreadAtLeast(target));
      return () -> { };
    })) {
      assertThat(yielded.get(10, TimeUnit.SECONDS)).isTrue();
      assertThat(KernelThreads.nice(probe.id())).isEqualTo(target);
    }
  }

  @Test
  void aSliceIsWhatTheKernelReportsAndTheNiceValueStays() throws Exception {
    try (Probe probe = new Probe("tl-probe-slice")) {
      int nice = Math.min(19, KernelThreads.nice(probe.id()) + 4);
      ThreadScheduling.setNiceness(probe.id(), nice);
      var granted = ThreadScheduling.requestSlice(probe.id(), Duration.ofMillis(3));
      assertThat(KernelThreads.nice(probe.id())).isEqualTo(nice);
      OptionalLong reported = KernelThreads.slice(probe.id());
      if (reported.isPresent() && reported.getAsLong() == 3_000_000) {
        assertThat(granted).contains(Duration.ofMillis(3));
        // Below the kernel's least slice: it keeps 0.1 ms.
        assertThat(ThreadScheduling.requestSlice(probe.id(), Duration.ofNanos(1))).contains(Duration.ofNanos(100_000));
        assertThat(KernelThreads.slice(probe.id())).hasValue(100_000);
        assertThat(ThreadScheduling.slice(probe.id())).contains(Duration.ofNanos(100_000));
      } else if (reported.isPresent()) {
        // A kernel that keeps no slice per thread (before 6.12) shows its own and reports none through sched_getattr.
        assertThat(granted).isEmpty();
      }
    }
  }

  @Test
  void threadsStartedByAThreadWithASliceGetTheDefaultOne() throws Exception {
    OptionalLong defaultSlice = KernelThreads.slice(ThreadScheduling.currentThreadId());
    CompletableFuture<Integer> child = new CompletableFuture<>();
    try (Probe parent = new Probe("tl-probe-parent", () -> {
      ThreadScheduling.requestSlice(ThreadScheduling.currentThreadId(), Duration.ofNanos(200_000));
      Probe started = new Probe("tl-probe-child");
      child.complete(started.id());
      return started;
    })) {
      int childId = child.get(10, TimeUnit.SECONDS);
      if (KernelThreads.slice(parent.id()).orElse(-1) == 200_000) {
        assertThat(KernelThreads.slice(childId)).isEqualTo(defaultSlice);
        assertThat(ThreadScheduling.slice(childId)).contains(Duration.ofNanos(defaultSlice.getAsLong()));
      }
    }
  }

  @Test
  void aThreadThatIsGoneIsNamedInTheError() throws Exception {
    int gone;
    try (Probe probe = new Probe("tl-probe-gone")) {
      gone = probe.id();
    }
    // The native thread outlives join() for a moment. Its id is reused only once the pid space wraps
    // around (32,768 ids by default), not within these few milliseconds on a machine running tests.
    Path task = Path.of("/proc/self/task/" + gone);
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); Files.exists(task)
        && System.nanoTime() < deadline; ) {
      Thread.sleep(10);
    }
    assertThat(task).doesNotExist();
    assertThatThrownBy(() -> ThreadScheduling.setNiceness(gone, 5)).isInstanceOf(NativeCallException.class)
        .hasMessageContaining("setpriority").hasMessageContaining("ESRCH");
    assertThatThrownBy(() -> ThreadScheduling.requestSlice(gone, Duration.ofMillis(1)))
        .isInstanceOf(NativeCallException.class).hasMessageContaining("sched_getattr").hasMessageContaining("ESRCH");
  }
}
