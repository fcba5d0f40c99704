package io.github.tuntaplab.inspector.ui;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.inspector.ui.live.LabFeatures;
import io.github.tuntaplab.inspector.ui.tools.LabTools;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.lessons.lesson.Language;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The inspector window. Started by {@code tunlab} (no arguments: the running lab, live; without one,
 * lesson 1 replayed on its recording when the window cannot host a lab, else the bundled sample
 * captures; {@code tunlab FILE}: that file; {@code --lang zh}: the window in Chinese) through
 * {@link #launch(Path, Language)}, never as the jar's main class, so JavaFX runs from the class path
 * without module flags.
 */
public final class InspectorApp extends Application {
  /** Where the bundled samples are: the clone's {@code sample-captures/}, found from the property the script sets. */
  public static final String HOME_PROPERTY = "tunlab.home";
  private static final String LANGUAGE = "lang";
  private static final int FIRST_LESSON = 1;

  private final ExecutorService background = Executors.newSingleThreadExecutor(
      FramePriority.background("inspector-loader"));

  /** Requests to the lab (connecting, its counters, lesson steps, routes, injects) may take seconds: never the loader's thread. */
  private final ExecutorService labRequests = Executors.newSingleThreadExecutor(runnable -> {
    // At the window's own priority: a hosted lab starts its threads (and their nice value) from here.
    Thread thread = new Thread(runnable, "inspector-lab-requests");
    thread.setDaemon(true);
    return thread;
  });

  private InspectorModel model;
  private LabFeatures lab;

  /** Opens the window, speaking {@code language}, and returns when it is closed. */
  public static void launch(Path file, Language language) {
    // JavaFX warns that it runs from the class path, which is how this jar runs it on purpose.
    java.util.logging.Logger.getLogger("javafx").setLevel(java.util.logging.Level.SEVERE);
    keepHeapNearNeed();
    List<String> arguments = new ArrayList<>(List.of("--" + LANGUAGE + "=" + language.code()));
    if (file != null) {
      arguments.add(file.toString());
    }
    Application.launch(InspectorApp.class, arguments.toArray(String[]::new));
  }

  /**
   * Sets a soft heap limit of 384 MiB, or the heap's maximum when smaller, and returns it (bytes; 0
   * when this JVM has none to set). ZGC, which {@code ./tunlab} gives the window, otherwise let the
   * heap grow to 4 GiB while hosting a lab, 110 MiB of it live. Set here, not as
   * {@code -XX:SoftMaxHeapSize} in the script: the JVM refuses to start with a flag above its maximum
   * heap (a small machine's default, a user's {@code -Xmx}); the flag is manageable, so settable now.
   */
  public static long keepHeapNearNeed() {
    long limit = Math.min(384L << 20, Runtime.getRuntime().maxMemory());
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption("SoftMaxHeapSize",
          Long.toString(limit));
      return limit;
    } catch (RuntimeException notHotSpotOrNotSettable) {
      return 0; // a JVM without the option: its collector's own sizing stands
    }
  }

  @Override
  public void start(Stage stage) {
    List<Path> samples = InspectorModel.samples(sampleDirectory());
    model = new InspectorModel(background, Preferences.userNodeForPackage(InspectorApp.class));
    String language = getParameters().getNamed().get(LANGUAGE);
    if (language != null) {
      // Chosen before anything is built: no English flash, no lesson panel reopened in the other language.
      Language chosen = Language.of(language);
      model.language().choiceProperty().set(LessonLanguage.of(chosen));
      // JavaFX's own words (a text field's Cut/Copy/Paste menu, a dialog's buttons) follow the JVM's
      // locale as each control is made: the chosen language's, not the desktop's. A switch at run
      // time does not reach those already made.
      Locale.setDefault(chosen == Language.CHINESE ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH);
    }
    MainView view = new MainView(model, samples);
    lab = LabFeatures.install(view, model, labRequests, sampleDirectory(), LabSettings.fromSystemProperties());
    view.installLabTools(new LabTools(model, () -> new LabClient(LabSettings.fromSystemProperties()), labRequests));
    Scene scene = scene(view);
    stage.setScene(scene);
    stage.setWidth(1600);
    stage.setHeight(1000);
    title(stage, model);
    stage.show();
    FramePriority.apply(); // now that the renderer runs
    List<String> arguments = getParameters().getUnnamed();
    if (!arguments.isEmpty()) {
      model.open(Path.of(arguments.get(0)));
    } else {
      // A lab runs: its live stream fills the panes; else what is shown without one.
      lab.connectOrElse(() -> openWithoutLab(samples));
    }
    stage.setOnHidden(e -> Platform.exit());
  }

  /** No usable lab (the live bar says why): something else fills the panes. */
  private void openWithoutLab(List<Path> samples) {
    if (!Privileges.canBuildLab() && lab.lessons().hasRecording(FIRST_LESSON)) {
      // None can be built here either: lesson 1 replayed on its recording, which fills the panes.
      lab.lessons().open(FIRST_LESSON);
    } else if (!samples.isEmpty()) {
      // A lesson's whole capture (every device, TAP and TUN side by side) rather than one device's.
      model.open(samples.stream().filter(f -> f.toString().endsWith(".pcapng")).findFirst().orElse(samples.get(0)));
    } else {
      model.noSamples(sampleDirectory());
    }
  }

  /** Binds {@code stage}'s title to the file shown, in the window's language (shared with the tests). */
  public static void title(Stage stage, InspectorModel model) {
    stage.titleProperty().bind(model.language().text(javafx.beans.binding.Bindings.createObjectBinding(
        () -> model.sessionProperty().get() == null ? Phrase.of("window.title")
            : Phrase.of("window.title.file", model.sessionProperty().get().file().getFileName()),
        model.sessionProperty())));
  }

  /** The scene with the inspector's style sheet: shared by the window, the tests and the screenshots. */
  public static Scene scene(MainView view) {
    Scene scene = new Scene(view);
    scene.getStylesheets().add(InspectorApp.class.getResource("inspector.css").toExternalForm());
    return scene;
  }

  /** {@code sample-captures/} of the clone the jar was built in, or of the working directory. */
  static Path sampleDirectory() {
    String home = System.getProperty(HOME_PROPERTY);
    return (home == null ? Path.of("") : Path.of(home)).toAbsolutePath().resolve("sample-captures");
  }

  @Override
  public void stop() {
    lab.close();
    labRequests.shutdownNow();
    model.close();
    background.shutdownNow();
  }
}
