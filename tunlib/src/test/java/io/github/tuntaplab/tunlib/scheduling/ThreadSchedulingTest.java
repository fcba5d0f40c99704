package io.github.tuntaplab.tunlib.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.NativeCallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
      thread = new Thread(() -> {
        id.complete(ThreadScheduling.currentThreadId());
        try {
          done.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
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
    int mine = niceInProc(ThreadScheduling.currentThreadId());
    try (Probe probe = new Probe("tl-probe-nice")) {
      ThreadScheduling.setNiceness(probe.id(), 7);
      assertThat(niceInProc(probe.id())).isEqualTo(7);
      assertThat(ThreadScheduling.niceness(probe.id())).isEqualTo(7);
      assertThat(niceInProc(ThreadScheduling.currentThreadId())).isEqualTo(mine);
      if (isRoot()) {
        ThreadScheduling.setNiceness(probe.id(), 0);
        assertThat(niceInProc(probe.id())).isZero();
      } else {
        assertThatThrownBy(() -> ThreadScheduling.setNiceness(probe.id(), 0))
            .isInstanceOf(NativeCallException.class).hasMessageContaining("CAP_SYS_NICE")
            .hasMessageContaining("setpriority");
        assertThat(niceInProc(probe.id())).isEqualTo(7);
      }
    }
  }

  @Test
  void aSliceIsKeptWhereTheKernelHasPerThreadSlicesAndTheNiceValueStays() throws Exception {
    try (Probe probe = new Probe("tl-probe-slice")) {
      ThreadScheduling.setNiceness(probe.id(), 4);
      var granted = ThreadScheduling.requestSlice(probe.id(), Duration.ofMillis(3));
      assertThat(niceInProc(probe.id())).isEqualTo(4);
      if (kernelAtLeast(6, 12)) {
        assertThat(granted).contains(Duration.ofMillis(3));
        assertThat(sliceInProc(probe.id())).isEqualTo(3_000_000);
        // Below the kernel's least slice: it keeps 0.1 ms.
        assertThat(ThreadScheduling.requestSlice(probe.id(), Duration.ofNanos(1))).contains(Duration.ofNanos(100_000));
        assertThat(sliceInProc(probe.id())).isEqualTo(100_000);
        assertThat(ThreadScheduling.slice(probe.id())).contains(Duration.ofNanos(100_000));
      } else {
        assertThat(granted).isEmpty();
      }
    }
  }

  @Test
  void aThreadThatIsGoneIsNamedInTheError() throws Exception {
    int gone;
    try (Probe probe = new Probe("tl-probe-gone")) {
      gone = probe.id();
    }
    // The native thread outlives join() for a moment. Thread ids are reused only after the whole pid
    // space wraps around: this one stays free meanwhile.
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

  /** Field 19 of /proc/self/task/ID/stat, counted after the name's closing parenthesis. */
  private static int niceInProc(int threadId) throws Exception {
    String stat = Files.readString(Path.of("/proc/self/task/" + threadId + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[19 - 3]);
  }

  /** The {@code se.slice} line of /proc/self/task/ID/sched, in ns. */
  private static long sliceInProc(int threadId) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/task/" + threadId + "/sched")).stream()
        .filter(line -> line.startsWith("se.slice")).map(line -> line.substring(line.indexOf(':') + 1).strip())
        .mapToLong(Long::parseLong).findFirst().orElseThrow();
  }

  private static boolean kernelAtLeast(int major, int minor) throws Exception {
    String[] release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip().split("[.-]");
    int releaseMajor = Integer.parseInt(release[0]);
    return releaseMajor > major || releaseMajor == major && Integer.parseInt(release[1]) >= minor;
  }

  private static boolean isRoot() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("Uid:"))
        .anyMatch(line -> line.split("\\s+")[2].equals("0"));
  }
}
