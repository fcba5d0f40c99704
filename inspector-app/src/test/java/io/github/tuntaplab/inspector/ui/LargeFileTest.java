package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A file of 1,000,000 packets: the window keeps drawing while it loads, and the first rows show early. */
class LargeFileTest extends InspectorWindowTest {
  static final int PACKETS = 1_000_000;
  @TempDir
  Path dir;
  /** A smaller window: less for the software renderer to draw while the loader works. */
  @Start
  void start(Stage stage) {
    show(stage);
    stage.setWidth(1200);
    stage.setHeight(800);
  }

  @Test
  void theWindowStaysResponsiveWhileAMillionPacketsLoad() throws Exception {
    Path file = dir.resolve("million.pcap");
    SyntheticCaptures.udpFrames(file, PACKETS);
    List<Long> pulses = new ArrayList<>();
    AnimationTimer timer = new AnimationTimer() {
      @Override
      public void handle(long now) {
        pulses.add(System.nanoTime());
      }
    };
    long[] firstRows = {0};
    Inspector.onFx(() -> {
      timer.start();
      inspector.model.pane(PaneKind.TAP).rows().addListener((javafx.collections.ListChangeListener<Integer>) c -> {
        if (firstRows[0] == 0) {
          firstRows[0] = System.nanoTime();
        }
      });
    });
    // A probe asks the FX thread for a moment every 20 ms and notes how long each answer took.
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread probe = new Thread(() -> {
      while (probing.get()) {
        long asked = System.nanoTime();
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        javafx.application.Platform.runLater(answered::countDown);
        try {
          answered.await();
          latencies.add(System.nanoTime() - asked);
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    probe.start();
    long started = System.nanoTime();
    Inspector.onFx(() -> inspector.model.open(file));
    WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> Inspector.onFx(() -> firstRows[0] != 0));
    long firstRowsAt = firstRows[0];
    // While it loads, the table already shows its first rows' text.
    String firstNumber = Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).summary(0).line());
    assertThat(firstNumber).contains("198.18.0.1.1024 > 198.18.0.2.7: UDP, length 18");
    inspector.awaitIdle(120);
    long loaded = System.nanoTime();
    Inspector.onFx(timer::stop);
    probing.set(false);
    probe.join();
    long[] answers = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long slowestAnswer = answers[answers.length - 1];
    long typicalAnswer = answers[answers.length * 9 / 10];
    List<Long> during = Inspector.onFx(() -> pulses.stream().filter(t -> t >= started && t <= loaded).toList());
    long longestGap = 0;
    for (int i = 1; i < during.size(); i++) {
      longestGap = Math.max(longestGap, during.get(i) - during.get(i - 1));
    }
    System.out.printf("1,000,000 packets: first rows after %d ms, loaded after %d ms; %d pulses, longest gap %d ms;"
        + " FX thread answered %d probes, 90%% within %d ms, the slowest after %d ms%n",
        (firstRowsAt - started) / 1_000_000, (loaded - started) / 1_000_000, during.size(), longestGap / 1_000_000,
        answers.length, typicalAnswer / 1_000_000, slowestAnswer / 1_000_000);
    assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).rows().size())).isEqualTo(PACKETS);
    assertThat(firstRowsAt).as("first rows before the whole file is indexed").isLessThan(loaded);
    // Generous bounds: the software renderer shares two cores with the loader (and, on a shared
    // machine, with other builds); on a quiet machine answers take a few milliseconds.
    assertThat(during.size()).as("pulses while loading").isGreaterThan(5);
    assertThat(longestGap).as("longest pause between pulses while loading").isLessThan(TimeUnit.SECONDS.toNanos(3));
    assertThat(typicalAnswer).as("the FX thread's 90th percentile answer while loading")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(300));
    assertThat(slowestAnswer).as("the FX thread's slowest answer while loading").isLessThan(TimeUnit.SECONDS.toNanos(3));
    String last = Inspector.onFx(() -> {
      inspector.pane(PaneKind.TAP).table().scrollTo(PACKETS - 1);
      return inspector.model.pane(PaneKind.TAP).summary(PACKETS - 1).line();
    });
    assertThat(last).contains("length 18");
  }
}
