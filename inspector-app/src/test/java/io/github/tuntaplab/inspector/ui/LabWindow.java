package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.inspector.ui.live.LabFeatures;
import io.github.tuntaplab.lessons.lab.LabSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The inspector window with its live-lab features, as the tests drive it, and a lab of the test's
 * own: namespaces {@code tl-l<pid>-<n>-ROLE} (other test JVMs' root-namespace guards leave them be),
 * the lock and socket in a directory of the test's, never /run/tunlab.
 */
final class LabWindow implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  static final Path SAMPLES = Path.of("..", "sample-captures").toAbsolutePath().normalize();

  final Inspector inspector;
  final LabFeatures features;
  final LabSettings settings;
  private final ExecutorService labRequests;

  private LabWindow(Inspector inspector, LabFeatures features, LabSettings settings, ExecutorService labRequests) {
    this.inspector = inspector;
    this.features = features;
    this.settings = settings;
    this.labRequests = labRequests;
  }

  /** Adds the live bar, Lab menu and lesson panel to a window the test shows; call on the FX thread. */
  static LabWindow install(Inspector inspector) {
    LabSettings settings;
    try {
      settings = new LabSettings("tl-l" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-",
          Files.createTempDirectory("tl-inspector-lab"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExecutorService labRequests = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "inspector-test-lab-requests");
      thread.setDaemon(true);
      return thread;
    });
    return new LabWindow(inspector, LabFeatures.install(inspector.view, inspector.model, labRequests, SAMPLES,
        settings), settings, labRequests);
  }

  /** Waits on the FX thread's view of the world until {@code condition} holds. */
  static void await(String what, int seconds, Callable<Boolean> condition) {
    try {
      WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> Inspector.onFx(condition));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("not within " + seconds + " s: " + what, e);
    }
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** A node of the window found by {@code selector}, laid out first (the lesson panel's content joins the scene graph with its skin); on the FX thread. */
  javafx.scene.Node node(String selector) {
    inspector.view.applyCss();
    inspector.view.layout();
    return inspector.view.lookup(selector);
  }

  @Override
  public void close() throws InterruptedException {
    Inspector.onFx(features::close);
    labRequests.shutdownNow();
    labRequests.awaitTermination(5, TimeUnit.SECONDS);
  }
}
