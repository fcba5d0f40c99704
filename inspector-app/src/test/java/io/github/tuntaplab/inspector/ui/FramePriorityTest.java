package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.KernelThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * get the shortest slice (where the kernel keeps one per thread), the JIT compilers and the window's
 * background threads nice 10, the collector's and the VM's threads keep theirs. For the rest of this
 * test JVM's run, as after the window's start, its frame threads keep that slice and its compilers
 * that nice value; nothing else changes.
 */
@ExtendWith(ApplicationExtension.class)
class FramePriorityTest {

  @Start
  void start(Stage stage) {
    stage.setScene(new Scene(new Label("a frame to render")));
    stage.show();
  }

  @Test
  void frameThreadsComeFirstAndBackgroundWorkYields() throws Exception {
    long testThread = ownId();
    int startingNice = KernelThreads.nice(testThread);
    long fxThread = onFx(FramePriorityTest::ownId);
    int fxNice = KernelThreads.nice(fxThread);
    String said = onFx(FramePriority::apply);

    // The kernel's own slice where it keeps one per thread (EEVDF, 6.12 on: then se.slice follows a request).
    OptionalLong fxSlice = KernelThreads.slice(fxThread);
    if (fxSlice.isPresent() && fxSlice.getAsLong() == FramePriority.FRAME_SLICE.toNanos()) {
      assertThat(said).contains("slice 0.1 ms").doesNotContain("not changed");
      for (String frameThread : List.of("QuantumRenderer", "Monocle Timer")) {
        assertThat(idsNamed(frameThread)).as(frameThread).isNotEmpty()
            .allSatisfy(id -> assertThat(KernelThreads.slice(id)).hasValue(FramePriority.FRAME_SLICE.toNanos()));
      }
    } else {
      assertThat(said).contains("no per-thread slice");
    }
    int background = Math.max(startingNice, FramePriority.BACKGROUND_NICENESS);
    assertThat(KernelThreads.nice(fxThread)).isEqualTo(fxNice);
    assertThat(KernelThreads.nice(testThread)).isEqualTo(startingNice);
    assertThat(idsNamed("C1 CompilerThre")).isNotEmpty()
        .allSatisfy(id -> assertThat(KernelThreads.nice(id)).isEqualTo(background));
    assertThat(idsNamed("VM Thread")).singleElement()
        .satisfies(id -> assertThat(KernelThreads.nice(id)).isEqualTo(startingNice));

    // A background thread that the FX thread starts afterwards: nice 10, and the default slice, not the FX thread's.
    ExecutorService loader = Executors.newSingleThreadExecutor(FramePriority.background("tl-later-thread"));
    try {
      long later = onFx(() -> CompletableFuture.supplyAsync(FramePriorityTest::ownIdUnchecked, loader))
          .get(10, TimeUnit.SECONDS);
      assertThat(Files.readString(Path.of("/proc/self/task/" + later + "/comm")).strip()).isEqualTo("tl-later-thread");
      assertThat(KernelThreads.nice(later)).isEqualTo(background);
      assertThat(KernelThreads.slice(later)).isEqualTo(KernelThreads.slice(testThread));
    } finally {
      loader.shutdownNow();
    }
  }

  private static <T> T onFx(Callable<T> action) throws Exception {
    FutureTask<T> task = new FutureTask<>(action);
    Platform.runLater(task);
    return task.get(10, TimeUnit.SECONDS);
  }

  /** The calling thread's kernel id, from /proc/thread-self. */
  private static long ownId() throws IOException {
    return Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
  }

  private static long ownIdUnchecked() {
    try {
      return ownId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Long> idsNamed(String prefix) throws IOException {
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.filter(task -> {
        try {
          return Files.readString(task.resolve("comm")).startsWith(prefix);
        } catch (IOException ended) {
          return false;
        }
      }).map(task -> Long.parseLong(task.getFileName().toString())).toList();
    }
  }
}
