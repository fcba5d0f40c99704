package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** The inspector as the tests drive it: its model, its view on a headless stage, and helpers. */
final class Inspector {
  /** The preferences node the tests' windows keep their recent files in. */
  static final String PREFERENCES = "tuntaplab-inspector-tests";

  final InspectorModel model;
  final MainView view;
  private final ExecutorService background;

  private Inspector(InspectorModel model, MainView view, ExecutorService background) {
    this.model = model;
    this.view = view;
    this.background = background;
  }

  /** Builds the window on {@code stage}; call from a TestFX {@code @Start} method (the FX thread). */
  static Inspector show(Stage stage) {
    ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "inspector-test-loader");
      thread.setDaemon(true);
      return thread;
    });
    InspectorModel model = new InspectorModel(background, Preferences.userRoot().node(PREFERENCES));
    MainView view = new MainView(model, List.of());
    stage.setScene(InspectorApp.scene(view));
    InspectorApp.title(stage, model);
    stage.setWidth(1600);
    stage.setHeight(1000);
    stage.show();
    return new Inspector(model, view, background);
  }

  /** Opens a file and waits until it is loaded (or has failed). */
  Inspector open(Path file) throws TimeoutException {
    WaitForAsyncUtils.waitForAsyncFx(5000, () -> model.open(file));
    awaitIdle(30);
    return this;
  }

  void awaitIdle(int seconds) throws TimeoutException {
    WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onFx(() -> !model.loadingProperty().get()));
    WaitForAsyncUtils.waitForFxEvents();
  }

  PaneView pane(PaneKind kind) {
    return view.pane(kind);
  }

  /** Runs {@code action} on the FX thread and returns its result. */
  static <T> T onFx(java.util.concurrent.Callable<T> action) {
    return WaitForAsyncUtils.waitForAsyncFx(10_000, action);
  }

  static void onFx(Runnable action) {
    WaitForAsyncUtils.waitForAsyncFx(10_000, action);
  }

  /** The tcpdump lines of every row of a pane, as the text view shows them. */
  List<String> lines(PaneKind kind) {
    return onFx(() -> {
      PacketPaneModel pane = model.pane(kind);
      List<String> lines = new ArrayList<>();
      for (int row = 0; row < pane.rows().size(); row++) {
        // A tunnelled packet prints as two lines, the inner packet's second, as tcpdump prints it.
        lines.addAll(List.of(pane.line(row).split("\n")));
      }
      return lines;
    });
  }

  /** Selects row {@code row} of a pane (its packet, wherever the list on show has it). */
  void selectRow(PaneKind kind, int row) {
    onFx(() -> pane(kind).selectPacket(model.pane(kind).rows().get(row)));
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** The error dialogs showing now. */
  static List<DialogPane> dialogs(FxRobot robot) {
    return onFx(() -> {
      List<DialogPane> found = new ArrayList<>();
      for (Window window : Window.getWindows()) {
        if (window.isShowing() && window.getScene() != null && window.getScene().getRoot() instanceof DialogPane dialog) {
          found.add(dialog);
        }
      }
      return found;
    });
  }

  void close() throws InterruptedException {
    onFx(() -> {
      for (Window window : new ArrayList<>(Window.getWindows())) {
        if (window.getScene() != null && window.getScene().getRoot() instanceof DialogPane) {
          ((Stage) window).close();
        }
      }
    });
    background.shutdownNow();
    assertThat(background.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }
}
