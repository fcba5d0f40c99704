package io.github.tuntaplab.inspector.bench;

import io.github.tuntaplab.inspector.ui.CaptureSession;
import io.github.tuntaplab.inspector.ui.InspectorModel;
import io.github.tuntaplab.inspector.ui.PaneKind;
import io.github.tuntaplab.inspector.ui.PacketPaneModel;
import io.github.tuntaplab.inspector.ui.SyntheticCaptures;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.application.Platform;

/**
 * Opening a 1,000,000-packet capture in the inspector's model (headless, no window): time to the
 * first 50 rows (indexed, dissected, printed), time to fully indexed, and heap per packet once
 * loaded; beside tcpdump printing its first 50 lines and capinfos counting the packets.
 *
 * <pre>
 * mvn -B -ntp -q install -DskipTests
 * mvn -B -ntp -q -pl inspector-app exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.tuntaplab.inspector.bench.OpenBenchmark
 * </pre>
 */
public final class OpenBenchmark {
  private static final int PACKETS = 1_000_000;
  private static final int FIRST_ROWS = 50;

  private OpenBenchmark() {}

  public static void main(String[] args) {
    try {
      run();
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    System.setProperty("glass.platform", "Monocle");
    System.setProperty("monocle.platform", "Headless");
    System.setProperty("prism.order", "sw");
    Path dir = Files.createTempDirectory("tl-open-bench");
    Path file = dir.resolve("million.pcap");
    SyntheticCaptures.udpFrames(file, PACKETS);
    System.out.printf("%,d packets, %,d bytes: %s%n", PACKETS, Files.size(file), file);
    CountDownLatch started = new CountDownLatch(1);
    Platform.startup(started::countDown);
    started.await();
    for (int round = 1; round <= 3; round++) {
      measure(file, round);
      peer("tcpdump -nn -e -r FILE -c 50 (first lines, process start included)", "tcpdump", "-nn", "-e", "-r",
          file.toString(), "-c", String.valueOf(FIRST_ROWS));
      peer("capinfos -c FILE (counts every packet)", "capinfos", "-c", file.toString());
    }
    Files.delete(file);
    Files.delete(dir);
    Platform.exit();
  }

  private static void measure(Path file, int round) throws Exception {
    Runtime runtime = Runtime.getRuntime();
    long heapBefore = usedHeap();
    CountDownLatch firstRows = new CountDownLatch(1);
    CountDownLatch loaded = new CountDownLatch(1);
    long[] at = new long[2];
    Executor background = command -> {
      Thread thread = new Thread(command, "bench-loader");
      thread.setUncaughtExceptionHandler((t, e) -> e.printStackTrace());
      thread.start();
    };
    InspectorModel[] model = new InspectorModel[1];
    long start = System.nanoTime();
    Platform.runLater(() -> {
      model[0] = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-bench"));
      PacketPaneModel tap = model[0].pane(PaneKind.TAP);
      tap.rows().addListener((javafx.collections.ListChangeListener<Integer>) c -> {
        if (firstRows.getCount() > 0 && tap.rows().size() >= FIRST_ROWS) {
          for (int row = 0; row < FIRST_ROWS; row++) {
            tap.summary(row);
          }
          at[0] = System.nanoTime();
          firstRows.countDown();
        }
      });
      model[0].loadingProperty().addListener((o, was, now) -> {
        if (!now) {
          at[1] = System.nanoTime();
          loaded.countDown();
        }
      });
      model[0].open(file);
    });
    if (!firstRows.await(60, TimeUnit.SECONDS) || !loaded.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the capture did not load: " + (model[0] == null ? "no model" : model[0].statusProperty().get() + ", " + model[0].pane(PaneKind.TAP).rows().size() + " rows"));
    }
    long heapAfter = usedHeap();
    CaptureSession session = onFxSession(model[0]);
    System.out.printf("round %d  inspector: first %d rows after %,6.0f ms, fully indexed after %,6.0f ms,"
        + " %,d packets, heap %.1f bytes/packet (max heap %,d MB)%n", round, FIRST_ROWS, (at[0] - start) / 1e6,
        (at[1] - start) / 1e6, session.size(), (double) (heapAfter - heapBefore) / session.size(),
        runtime.maxMemory() >> 20);
    Platform.runLater(model[0]::close);
    Thread.sleep(500);
  }

  private static CaptureSession onFxSession(InspectorModel model) throws Exception {
    CaptureSession[] session = new CaptureSession[1];
    CountDownLatch done = new CountDownLatch(1);
    Platform.runLater(() -> {
      session[0] = model.sessionProperty().get();
      done.countDown();
    });
    done.await();
    return session[0];
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void peer(String name, String... command) throws Exception {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    process.waitFor();
    System.out.printf("         %-70s %,6.0f ms%n", name, (System.nanoTime() - start) / 1e6);
  }
}
