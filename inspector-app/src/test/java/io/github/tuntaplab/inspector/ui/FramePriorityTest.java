package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window's thread priorities as the kernel reports them in /proc: the threads that make a frame
 * get the short slice, the JIT compilers and the window's background threads nice 10, the VM thread
 * keeps its priority. (It changes this test JVM's threads for the rest of its run, as the window's
 * start does: the other tests do not time anything.)
 */
@ExtendWith(ApplicationExtension.class)
class FramePriorityTest {

  @Start
  void start(Stage stage) {
    stage.setScene(new Scene(new Label("a frame to render")));
    stage.show();
  }

  @Test
  void frameThreadsComeFirstAndTheRestYields() throws Exception {
    FutureTask<String> applied = new FutureTask<>(FramePriority::apply);
    Platform.runLater(applied);
    String said = applied.get(10, TimeUnit.SECONDS);
    FutureTask<String> fxThread = new FutureTask<>(() -> Files.readString(Path.of("/proc/thread-self/stat")));
    Platform.runLater(fxThread);
    String fxStat = fxThread.get(10, TimeUnit.SECONDS);
    String fxId = fxStat.substring(0, fxStat.indexOf(' '));

    if (perThreadSlices()) {
      assertThat(slice(fxId)).isEqualTo(FramePriority.FRAME_SLICE.toNanos());
      assertThat(idsNamed("QuantumRenderer")).isNotEmpty().allSatisfy(id -> assertThat(slice(id))
          .isEqualTo(FramePriority.FRAME_SLICE.toNanos()));
      assertThat(said).contains("slice 0.1 ms");
    } else {
      assertThat(said).contains("no per-thread slice");
    }
    assertThat(nice(fxId)).isZero();
    assertThat(idsNamed("C1 CompilerThre")).isNotEmpty().allSatisfy(id -> assertThat(nice(id))
        .isEqualTo(FramePriority.BACKGROUND_NICENESS));
    assertThat(idsNamed("VM Thread")).singleElement().satisfies(id -> assertThat(nice(id)).isZero());

    ExecutorService background = Executors.newSingleThreadExecutor(FramePriority.background("tl-later-thread"));
    try {
      CompletableFuture<String> started = CompletableFuture.supplyAsync(() -> {
        try {
          return Files.readString(Path.of("/proc/thread-self/stat"));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, background);
      String laterStat = started.get(10, TimeUnit.SECONDS);
      assertThat(laterStat).contains("(tl-later-thread)");
      assertThat(nice(laterStat.substring(0, laterStat.indexOf(' ')))).isEqualTo(FramePriority.BACKGROUND_NICENESS);
    } finally {
      background.shutdownNow();
    }
  }

  private static List<String> idsNamed(String prefix) throws Exception {
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.filter(task -> {
        try {
          return Files.readString(task.resolve("comm")).startsWith(prefix);
        } catch (java.io.IOException ended) {
          return false;
        }
      }).map(task -> task.getFileName().toString()).toList();
    }
  }

  /** Field 19 of the thread's stat, counted after its name's closing parenthesis. */
  private static int nice(String threadId) throws Exception {
    String stat = Files.readString(Path.of("/proc/self/task/" + threadId + "/stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19 - 3]);
  }

  private static long slice(String threadId) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/task/" + threadId + "/sched")).stream()
        .filter(line -> line.startsWith("se.slice")).mapToLong(line -> Long.parseLong(
            line.substring(line.indexOf(':') + 1).strip())).findFirst().orElseThrow();
  }

  /** Whether this kernel keeps a slice per thread: Linux 6.12 and later. */
  private static boolean perThreadSlices() throws Exception {
    String[] release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).split("[.-]");
    return Integer.parseInt(release[0]) * 1000 + Integer.parseInt(release[1]) >= 6_012;
  }
}
