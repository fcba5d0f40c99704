package io.github.tuntaplab.inspector.ui.live;

import io.github.tuntaplab.inspector.ui.CaptureSession;
import io.github.tuntaplab.inspector.ui.InspectorModel;
import io.github.tuntaplab.inspector.ui.MainView;
import io.github.tuntaplab.inspector.ui.PaneKind;
import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.inspector.ui.lesson.LessonModel;
import io.github.tuntaplab.inspector.ui.lesson.LessonPanel;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonRequest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;

/**
 * What the window gains from the live lab: the live source and its bar, the Lab menu (connect to the
 * lab's socket, found at {@link LabSettings#socket()} or chosen; host a lab in this process when the
 * window runs as root) and the lesson panel.
 */
public final class LabFeatures implements AutoCloseable {
  private final MainView view;
  private final InspectorModel model;
  private final Executor labRequests;
  private final LabSettings settings;
  private final LiveSource live;
  private final LessonModel lessons;
  private final LiveBar bar;
  private volatile LabHost hosted;

  private LabFeatures(MainView view, InspectorModel model, Executor labRequests, Path samples, LabSettings settings) {
    this.view = view;
    this.model = model;
    this.labRequests = labRequests;
    this.settings = settings;
    this.live = new LiveSource(model, labRequests);
    this.lessons = new LessonModel(model, live, labRequests, samples);
    this.bar = new LiveBar(live, view, settings::socket, model.language());
  }

  /**
   * Adds the live bar, the Lab menu and the lesson panel to {@code view}; lab requests (connecting,
   * counters, lesson steps, which may take seconds) run on {@code labRequests}.
   *
   * @param samples the bundled {@code sample-captures/}, whose {@code lessons/} holds the recorded runs
   */
  public static LabFeatures install(MainView view, InspectorModel model, Executor labRequests, Path samples,
      LabSettings settings) {
    LabFeatures features = new LabFeatures(view, model, labRequests, samples, settings);
    view.addBar(features.bar);
    view.addMenu(features.labMenu());
    // As root, a lesson's own lab can be built right here.
    Runnable hostLesson = Privileges.canBuildLab()
        ? () -> {
          int number = features.lessons.lessonNumberProperty().get();
          features.host(() -> LessonCatalog.builtIn().lesson(number).topology());
        }
        : null;
    view.addSidePanel(javafx.beans.binding.Bindings.createStringBinding(
        () -> features.lessons.words().format("panel.tab"), features.lessons.wordsProperty()),
        new LessonPanel(features.lessons, hostLesson));
    features.lessons.onReplayPacket(features::select);
    return features;
  }

  public LiveSource live() {
    return live;
  }

  public LessonModel lessons() {
    return lessons;
  }

  public LiveBar bar() {
    return bar;
  }

  /**
   * Connects to the lab at its socket; when there is none, or it cannot be used (a crashed lab's
   * leftover file, another user's lab, something else than a lab), the bar says why and how to fix it,
   * and {@code withoutLab} runs (on the FX thread), to show something else meanwhile: unless the user
   * opened a file or a lesson while the window waited for the lab's answer (up to seconds), which stays.
   */
  public void connectOrElse(Runnable withoutLab) {
    CaptureSession shown = model.sessionProperty().get();
    int lesson = lessons.lessonNumberProperty().get();
    live.connect(settings.socket());
    live.stateProperty().addListener(new ChangeListener<>() {
      @Override
      public void changed(ObservableValue<? extends LiveSource.State> state, LiveSource.State was,
          LiveSource.State now) {
        if (now != LiveSource.State.CONNECTING) {
          state.removeListener(this);
          // Nothing opened meanwhile, nor being opened.
          boolean untouched = model.sessionProperty().get() == shown && !model.loadingProperty().get()
              && lessons.lessonNumberProperty().get() == lesson && !lessons.busyProperty().get();
          if (now == LiveSource.State.NO_LAB && untouched) {
            withoutLab.run();
          }
        }
      }
    });
  }

  private Menu labMenu() {
    WindowLanguage words = model.language();
    MenuItem connect = words.named(new MenuItem(), "lab.menu.connect");
    connect.setAccelerator(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN));
    connect.setOnAction(e -> live.connect(settings.socket()));
    MenuItem choose = words.named(new MenuItem(), "lab.menu.choose");
    choose.setOnAction(e -> {
      FileChooser chooser = new FileChooser();
      chooser.setTitle(words.format("lab.choose.title"));
      if (Files.isDirectory(settings.directory())) {
        chooser.setInitialDirectory(settings.directory().toFile());
      }
      File chosen = chooser.showOpenDialog(view.getScene() == null ? null : view.getScene().getWindow());
      if (chosen != null) {
        live.connect(chosen.toPath());
      }
    });
    MenuItem disconnect = words.named(new MenuItem(), "lab.menu.disconnect");
    disconnect.setOnAction(e -> live.disconnect());
    MenuItem host = words.named(new MenuItem(), "lab.menu.host");
    host.setDisable(!Privileges.canBuildLab());
    host.setOnAction(e -> host(() -> Topology.load("default")));
    return words.named(new Menu("", null, connect, choose, disconnect, new SeparatorMenuItem(), host), "lab.menu");
  }

  /**
   * Builds a lab in this process (the window runs as root), replacing one it hosts already, and
   * connects to it; its socket serves other clients as {@code sudo tunlab lab up} would. It ends
   * with the window, or when a client sends {@code stop}.
   */
  public void host(Callable<Topology> topology) {
    labRequests.execute(() -> {
      try {
        stopHosted();
        hosted = LabHost.start(topology.call(), settings, Privileges.sudoUid(), Privileges.sudoGid(),
            () -> labRequests.execute(this::stopHosted), LessonRequest.extensions());
        Platform.runLater(() -> live.connect(settings.socket()));
      } catch (Exception e) {
        Platform.runLater(() -> model.reportProblem(Phrase.of("problem.lab.start"),
            Phrase.verbatim(String.valueOf(e.getMessage()))));
      }
    });
  }

  private void stopHosted() {
    LabHost host = hosted;
    hosted = null;
    if (host != null) {
      try {
        host.close();
      } catch (IOException e) {
        // Tearing down anyway: cleanup removes leftovers.
      }
    }
  }

  /** Selects packet {@code number} (from 0) in the pane that shows it. */
  private void select(int number) {
    for (PaneKind kind : PaneKind.values()) {
      view.pane(kind).selectPacket(number);
    }
  }

  /** Stops reading the lab, and takes down a lab this window hosts. */
  @Override
  public void close() {
    live.disconnect();
    stopHosted();
  }
}
