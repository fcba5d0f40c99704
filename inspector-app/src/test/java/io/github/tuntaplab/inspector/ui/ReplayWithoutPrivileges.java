package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.inspector.ui.lesson.CheckRow;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.inspector.ui.lesson.LessonModel;
import io.github.tuntaplab.inspector.ui.live.LabFeatures;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Privileges;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;
import javafx.stage.Stage;

/**
 * The inspector's window with its lab features (as {@link InspectorApp} builds them, here without
 * it), no lab running: lesson 3's second step replayed on its recording. Arguments: the directory of
 * the recordings, then the lab directory where no lab runs. Prints what the window shows, a line
 * each ({@code check PASS …}); {@link ReplayWithoutPrivilegesTest} runs it as the user nobody.
 */
public final class ReplayWithoutPrivileges {
  private ReplayWithoutPrivileges() {}

  public static void main(String[] args) {
    Screenshots.runHeadless(() -> replay(Path.of(args[0]), Path.of(args[1])));
  }

  private static void replay(Path samples, Path noLab) throws Exception {
    ExecutorService background = Executors.newSingleThreadExecutor();
    InspectorModel model = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-replay"));
    MainView view = Screenshots.onFx(() -> new MainView(model, List.of()));
    LabFeatures features = lessonThreeStepTwo(view, model, samples, noLab, LessonLanguage.ENGLISH,
        "An ARP request to the broadcast address");
    LessonModel lessons = features.lessons();
    Screenshots.onFx(() -> {
      System.out.println("can build a lab: " + Privileges.canBuildLab());
      System.out.println("build it here offered: " + (view.lookup("#lesson-host-lab") != null));
      System.out.println("bar: " + features.bar().stateText());
      System.out.println("mode: " + lessons.modeProperty().get());
      System.out.println("panes: " + model.sessionProperty().get().file().getFileName());
      PacketDetail selected = model.pane(PaneKind.TAP).selected();
      System.out.println("selected on the TAP: " + (selected == null ? "none" : selected.number()));
      for (CheckRow check : lessons.checks()) {
        System.out.println("check " + check.status() + " " + check.checkpoint());
      }
    });
    Screenshots.onFx(features::close);
    background.shutdownNow();
  }

  /**
   * Shows {@code view} with the lab features, no lab running in {@code noLab}, and replays lesson 3's
   * second step in {@code language} with {@code answer} to its prediction; returns once its
   * checkpoints are judged.
   */
  static LabFeatures lessonThreeStepTwo(MainView view, InspectorModel model, Path samples, Path noLab,
      LessonLanguage language, String answer) throws Exception {
    ExecutorService labRequests = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "replay-lab-requests");
      thread.setDaemon(true);
      return thread;
    });
    LabSettings nowhere = new LabSettings("tl-u" + ProcessHandle.current().pid() + "-", noLab);
    LabFeatures features = Screenshots.onFx(() -> LabFeatures.install(view, model, labRequests, samples, nowhere));
    LessonModel lessons = features.lessons();
    Screenshots.onFx(() -> {
      Stage stage = new Stage();
      stage.setScene(InspectorApp.scene(view));
      stage.setWidth(Screenshots.WIDTH);
      stage.setHeight(Screenshots.HEIGHT);
      stage.show();
      features.connectOrElse(() -> { }); // the lesson replays whatever the bar says
      lessons.languageProperty().set(language);
      lessons.open(3);
    });
    Screenshots.await("lesson 3 open on its recording", () -> lessons.stepProperty().get() == 1
        && !lessons.busyProperty().get() && !model.loadingProperty().get());
    Screenshots.onFx(() -> {
      lessons.next();
      lessons.answerProperty().set(answer);
      lessons.run();
    });
    Screenshots.await("step 2 replayed", () -> lessons.ranProperty().get() && !lessons.busyProperty().get());
    return features;
  }
}
