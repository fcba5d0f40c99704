package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.inspector.ui.live.LiveBar;
import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The window exactly as {@code tunlab} starts it ({@link InspectorApp#launch}, headless; the samples
 * and the lab found through the system properties {@code tunlab.home} and {@code tuntaplab.lab.*}),
 * for the tests that run it as the user nobody. Once it has settled it prints what it shows, a line
 * each ({@code mode: …}), and exits. Arguments: the lesson language ({@code en}, {@code zh}), then
 * optionally {@code ping ROLE ADDRESS}: once the window is live, this user asks the lab (a {@code run}
 * request on its socket) to ping ADDRESS from ROLE, and the panes' lines are printed once the echo's
 * reply shows in them.
 */
public final class StartedWindow {
  private static final int SECONDS = 30;

  private StartedWindow() {}

  /**
   * A tunlab home in {@code dir} (a {@code @TempDir}, before {@link AsNobody#prepare} opens it) whose
   * {@code sample-captures/} holds copies of the lessons' {@code recordings}; returns that directory.
   */
  static Path samples(Path dir, String... recordings) throws IOException {
    Path samples = Files.createDirectories(dir.resolve("tunlab").resolve("sample-captures"));
    for (String recording : recordings) {
      Files.copy(LabWindow.SAMPLES.resolve(recording), samples.resolve(recording));
    }
    return samples;
  }

  /**
   * Runs the window as {@code nobody}, as tunlab starts it, on {@code samples}, its lab looked for in
   * {@code lab}, speaking {@code language}; then any further arguments ({@code ping ROLE ADDRESS}).
   */
  static Cmd.Result runAs(AsNobody nobody, Path samples, Path lab, String language, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(language));
    args.addAll(List.of(more));
    return nobody.run(StartedWindow.class, List.of(InspectorApp.HOME_PROPERTY + "=" + samples.getParent(),
        LabSettings.PREFIX_PROPERTY + "=tl-u" + ProcessHandle.current().pid() + "-",
        LabSettings.DIRECTORY_PROPERTY + "=" + lab), args.toArray(String[]::new));
  }

  public static void main(String[] args) {
    Screenshots.useHeadlessPlatform();
    Thread reporter = new Thread(() -> {
      try {
        report(List.of(args));
        System.exit(0);
      } catch (Exception | Error e) {
        e.printStackTrace();
        System.exit(1);
      }
    }, "started-window-report");
    reporter.setDaemon(true);
    reporter.start();
    InspectorApp.launch(null, Language.of(args[0]));
  }

  private static void report(List<String> args) throws Exception {
    MainView view = awaitWindow();
    Stage stage = (Stage) onFx(() -> view.getScene().getWindow());
    if (args.size() == 4 && args.get(1).equals("ping")) {
      awaitOrNot(() -> liveState(view).startsWith("● LIVE"));
      System.out.println("live: " + onFx(() -> liveState(view)));
      ActionResult ping = new LabClient(LabSettings.fromSystemProperties()).run(args.get(2), Duration.ofSeconds(5),
          List.of("ping", "-c1", "-W2", args.get(3)));
      System.out.println("ping exit: " + ping.exitCode());
      awaitOrNot(() -> lines(view).stream().anyMatch(line -> line.contains("ICMP echo reply")));
    } else {
      // Settled: the panes show a file, fully read, and the lesson panel a step (or never will).
      awaitOrNot(() -> !stage.getTitle().startsWith("TunTap Lab") && !node(view, "#cancel-loading").isVisible()
          && !text(view, "#lesson-step-title").isEmpty());
    }
    onFx(() -> {
      System.out.println("title: " + stage.getTitle());
      System.out.println("live: " + liveState(view));
      Object lesson = ((ComboBox<?>) node(view, "#lesson-choice")).getValue();
      System.out.println("lesson chosen: " + (lesson == null ? "none" : ((LessonCatalog.Entry) lesson).number()));
      System.out.println("language: " + ((ComboBox<?>) node(view, "#lesson-language")).getValue());
      System.out.println("lesson title: " + text(view, "#lesson-title"));
      System.out.println("mode: " + text(view, "#lesson-mode"));
      System.out.println("step: " + text(view, "#lesson-step-title"));
      for (PaneKind kind : PaneKind.values()) {
        System.out.println("rows " + kind + ": " + view.pane(kind).model().rows().size());
      }
      lines(view).forEach(line -> System.out.println("line " + line));
      return null;
    });
  }

  /** The inspector's window once JavaFX has started and shown it. */
  private static MainView awaitWindow() throws Exception {
    for (int i = 0; i < SECONDS * 10; i++) {
      try {
        MainView view = onFx(() -> Window.getWindows().stream().map(w -> w.getScene() == null ? null
            : w.getScene().getRoot()).filter(MainView.class::isInstance).map(MainView.class::cast).findFirst()
            .orElse(null));
        if (view != null) {
          return view;
        }
      } catch (IllegalStateException e) {
        // The toolkit has not started yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no inspector window within " + SECONDS + " s");
  }

  /** Waits until {@code condition} holds on the FX thread, or the time is up: the report then says what was shown instead. */
  private static void awaitOrNot(Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < SECONDS * 10 && !onFx(condition); i++) {
      Thread.sleep(100);
    }
  }

  private static String liveState(MainView view) {
    return ((LiveBar) node(view, "#live-bar")).stateText();
  }

  /** Every pane's rows as tcpdump prints them, each after its pane's name. */
  private static List<String> lines(MainView view) {
    return java.util.Arrays.stream(PaneKind.values()).flatMap(kind -> {
      PacketPaneModel pane = view.pane(kind).model();
      return IntStream.range(0, pane.rows().size()).mapToObj(row -> kind + " " + pane.line(row));
    }).toList();
  }

  private static String text(MainView view, String selector) {
    return ((Label) node(view, selector)).getText();
  }

  /** A node of the window, laid out first: the lesson panel's content joins the scene graph with its skin. */
  private static Node node(MainView view, String selector) {
    view.applyCss();
    view.layout();
    return view.lookup(selector);
  }

  private static <T> T onFx(Callable<T> action) throws Exception {
    return Screenshots.onFx(action);
  }
}
