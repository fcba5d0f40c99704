package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.inspector.ui.CaptureSession;
import io.github.tuntaplab.inspector.ui.InspectorModel;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.Privileges;
import io.github.tuntaplab.lessons.lesson.ActionReport;
import io.github.tuntaplab.lessons.lesson.CheckResult;
import io.github.tuntaplab.lessons.lesson.Checkpoint;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonReplay;
import io.github.tuntaplab.lessons.lesson.LessonRequest;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.Step;
import io.github.tuntaplab.lessons.lesson.StepReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.IntConsumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The lesson panel's state: a lesson in the student's language, its current step, the answer to the
 * step's prediction (asked before anything runs), and the checkpoints' results. A step runs on the
 * live lab when one is connected (the lab's {@code lesson N STEP LANGUAGE} request: the lab runs the step's
 * commands in its namespaces and judges the checkpoints on its packets and kernel), otherwise on the
 * lesson's recorded run ({@link LessonReplay}), which the panes then show. On the live lab each of
 * the step's actions also runs alone, from a button of its own (the lab's {@code action} request),
 * the checkpoints judged again after each. The panel's own words follow the language
 * ({@link LessonWords}), and so do the checkpoints' verdicts, which carry their words in every language,
 * at a switch too; a live lab's transcript is text the lab wrote, so it stays in the language the step
 * ran in until the step runs again (a replay's is said anew). Read-only properties; call from the FX
 * thread; lab requests and files on the background executor.
 */
public final class LessonModel {
  private final InspectorModel inspector;
  private final LiveSource live;
  private final Executor background;
  private final Path recordings;
  /** The window's language: the panel speaks it too. */
  private final ObjectProperty<LessonLanguage> language;
  private final ObjectBinding<LessonWords> words;
  private final ReadOnlyIntegerWrapper lessonNumber = new ReadOnlyIntegerWrapper(this, "lessonNumber");
  private final ReadOnlyIntegerWrapper step = new ReadOnlyIntegerWrapper(this, "step");
  private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
  private final ReadOnlyStringWrapper stepTitle = new ReadOnlyStringWrapper(this, "stepTitle", "");
  private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper(this, "stepText", "");
  private final ReadOnlyStringWrapper prediction = new ReadOnlyStringWrapper(this, "prediction", "");
  private final ReadOnlyStringWrapper explanation = new ReadOnlyStringWrapper(this, "explanation", "");
  private final ReadOnlyStringWrapper transcript = new ReadOnlyStringWrapper(this, "transcript", "");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
  private final ReadOnlyStringWrapper mode = new ReadOnlyStringWrapper(this, "mode", "");
  private final ReadOnlyStringWrapper labCommand = new ReadOnlyStringWrapper(this, "labCommand", "");
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
  private final ReadOnlyBooleanWrapper ran = new ReadOnlyBooleanWrapper(this, "ran");
  private final StringProperty answer = new SimpleStringProperty(this, "answer", "");
  private final ObservableList<CheckRow> checks = FXCollections.observableArrayList();
  private final ObservableList<ActionRow> actions = FXCollections.observableArrayList();
  /** One read-only view, kept: a listener added to a view that is then dropped would be collected with it. */
  private final ObservableList<ActionRow> actionsView = FXCollections.unmodifiableObservableList(actions);
  private final Map<Integer, List<ActionRow>> actionResults = new HashMap<>();
  private final Map<Integer, String> answers = new HashMap<>();
  private final Map<Integer, List<CheckRow>> results = new HashMap<>();
  /**
   * What each step that ran printed: a replay's in the language shown, a live lab's in the language it
   * ran in.
   */
  private final Map<Integer, Function<LessonWords, String>> transcripts = new HashMap<>();
  private final BooleanBinding canRun;
  private final BooleanBinding canRunAction;
  private Lesson shown;
  private Lesson english;
  private LessonReplay replay;
  private Path recording;
  private IntConsumer showPacket = number -> {};

  public LessonModel(InspectorModel inspector, LiveSource live, Executor background, Path recordings) {
    this.inspector = inspector;
    this.live = live;
    this.background = background;
    this.recordings = recordings;
    language = inspector.language().choiceProperty();
    words = inspector.language().table(LessonWords::of);
    canRun = Bindings.createBooleanBinding(() -> shown != null && !busy.get()
        && (prediction.get().isEmpty() || !answer.get().isBlank()), busy, prediction, answer, step);
    canRunAction = Bindings.createBooleanBinding(() -> canRun.get()
        && live.stateProperty().get() == LiveSource.State.LIVE, canRun, live.stateProperty());
    words.addListener((o, was, now) -> {
      showMode();
      if (lessonNumber.get() > 0) {
        open(lessonNumber.get(), step.get());
      }
    });
    live.stateProperty().addListener((o, was, now) -> showMode());
  }

  /** Where the panel wants a replayed step's first packet shown (selected in its pane). */
  public void onReplayPacket(IntConsumer handler) {
    this.showPacket = handler;
  }

  public ObjectProperty<LessonLanguage> languageProperty() {
    return language;
  }

  /** The panel's own words, in the chosen language. */
  public ObservableValue<LessonWords> wordsProperty() {
    return words;
  }

  public LessonWords words() {
    return words.get();
  }

  public ReadOnlyIntegerProperty lessonNumberProperty() {
    return lessonNumber.getReadOnlyProperty();
  }

  /** The current step, from 1; 0 before a lesson is open. */
  public ReadOnlyIntegerProperty stepProperty() {
    return step.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty titleProperty() {
    return title.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty stepTitleProperty() {
    return stepTitle.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty stepTextProperty() {
    return stepText.getReadOnlyProperty();
  }

  /** The question to answer before the step runs; empty when the step asks none. */
  public ReadOnlyStringProperty predictionProperty() {
    return prediction.getReadOnlyProperty();
  }

  /** The step's actions, each with how its last run ended. */
  public ObservableList<ActionRow> actions() {
    return actionsView;
  }

  /** What the lesson explains once the step has run. */
  public ReadOnlyStringProperty explanationProperty() {
    return explanation.getReadOnlyProperty();
  }

  /** What running the step printed (the lab's transcript, or what the replay looked at). */
  public ReadOnlyStringProperty transcriptProperty() {
    return transcript.getReadOnlyProperty();
  }

  /** A problem or a hint, in one line; empty when all is well. */
  public ReadOnlyStringProperty messageProperty() {
    return message.getReadOnlyProperty();
  }

  /** "Live lab", "Replay of the recorded run", or that the lab stopped; empty before a lesson is open. */
  public ReadOnlyStringProperty modeProperty() {
    return mode.getReadOnlyProperty();
  }

  /** The command that starts this lesson's lab. */
  public ReadOnlyStringProperty labCommandProperty() {
    return labCommand.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty busyProperty() {
    return busy.getReadOnlyProperty();
  }

  /** Whether the current step has run (its explanation may show). */
  public ReadOnlyBooleanProperty ranProperty() {
    return ran.getReadOnlyProperty();
  }

  /** The student's answer to the prediction; the step runs only once it is given. */
  public StringProperty answerProperty() {
    return answer;
  }

  public BooleanBinding canRunBinding() {
    return canRun;
  }

  /** Whether an action may run alone: the prediction is answered and a live lab is connected. */
  public BooleanBinding canRunActionBinding() {
    return canRunAction;
  }

  public ObservableList<CheckRow> checks() {
    return FXCollections.unmodifiableObservableList(checks);
  }

  /** How many steps the open lesson has. */
  public int steps() {
    return shown == null ? 0 : shown.steps().size();
  }

  /** Whether lesson {@code number} has a recorded run to replay without a lab. */
  public boolean hasRecording(int number) {
    return Files.isRegularFile(recording(number));
  }

  private Path recording(int number) {
    return recordings.resolve("lesson-" + number + ".pcapng");
  }

  /** Opens lesson {@code number} at its first step. */
  public void open(int number) {
    open(number, 1);
  }

  private void open(int number, int atStep) {
    LessonLanguage in = language.get();
    busy.set(true);
    background.execute(() -> {
      try {
        Lesson lessonInEnglish = LessonCatalog.builtIn().lesson(number);
        LessonCatalog catalog = LessonCatalog.builtIn(in.language());
        Lesson read = in.language() == Language.ENGLISH ? lessonInEnglish : catalog.lesson(number);
        boolean translated = catalog.translated(number);
        Path recording = recording(number);
        // The recording finds the steps of the lesson as read, whatever language it was recorded in.
        LessonReplay recorded = Files.isRegularFile(recording) ? LessonReplay.read(read, recording) : null;
        Platform.runLater(() -> opened(number, atStep, lessonInEnglish, read, translated, recorded, recording, in));
      } catch (IOException | RuntimeException e) {
        Platform.runLater(() -> {
          busy.set(false);
          message.set(words().format("panel.cannot.open", number, e.getMessage()));
        });
      }
    });
  }

  private void opened(int number, int atStep, Lesson inEnglish, Lesson read, boolean translated,
      LessonReplay recorded, Path recordedRun, LessonLanguage in) {
    boolean sameLesson = lessonNumber.get() == number;
    english = inEnglish;
    shown = read;
    replay = recorded;
    recording = recordedRun;
    if (!sameLesson) {
      answers.clear();
      results.clear();
      transcripts.clear();
      actionResults.clear();
    }
    lessonNumber.set(number);
    title.set(shown.title());
    labCommand.set(startCommand(number));
    message.set(!translated ? words().format("panel.untranslated", number, in) : "");
    busy.set(false);
    showMode();
    if (!sameLesson && live.stateProperty().get() != LiveSource.State.LIVE && recorded != null) {
      inspector.open(recordedRun); // replay: the panes show the recorded run
    }
    go(Math.min(atStep, shown.steps().size()));
  }

  private void showMode() {
    LiveSource.State state = live.stateProperty().get();
    mode.set(shown == null ? "" : state == LiveSource.State.LIVE ? words().format("mode.live", live.socket())
        : replay == null ? words().format("mode.none")
        : words().format(state == LiveSource.State.STOPPED ? "mode.stopped" : "mode.replay"));
  }

  public void next() {
    go(step.get() + 1);
  }

  public void back() {
    go(step.get() - 1);
  }

  private void go(int number) {
    if (shown == null || number < 1 || number > shown.steps().size()) {
      return;
    }
    if (step.get() > 0) {
      answers.put(step.get(), answer.get());
    }
    step.set(number);
    Step current = shown.steps().get(number - 1);
    stepTitle.set(current.title());
    stepText.set(prose(current.text()));
    prediction.set(prose(current.prediction().orElse("")));
    explanation.set(prose(current.explanation()));
    actions.setAll(actionRows(number));
    answer.set(answers.getOrDefault(number, ""));
    checks.setAll(results.getOrDefault(number, current.checks().stream()
        .map(c -> CheckRow.unjudged(c.text(), CheckRow.Status.NOT_RUN)).toList()));
    showTranscript();
    ran.set(results.containsKey(number));
  }

  private void showTranscript() {
    transcript.set(transcripts.getOrDefault(step.get(), w -> "").apply(words()));
  }

  /** Markdown prose as the panel wraps it: a line break inside a paragraph is a space. */
  private static String prose(String markdown) {
    return markdown.strip().replaceAll("(?<!\n)\n(?!\n)", " ");
  }

  /** Runs the current step: on the live lab if one is connected, otherwise on the recording. */
  public void run() {
    if (!canRun.get()) {
      return;
    }
    answers.put(step.get(), answer.get());
    int number = step.get();
    int lesson = lessonNumber.get();
    Path socket = live.stateProperty().get() == LiveSource.State.LIVE ? live.socket() : null;
    String in = language.get().language().code();
    LessonReplay recorded = replay;
    if (socket == null && recorded == null) {
      message.set(words().format("panel.no.recording", lesson));
      return;
    }
    busy.set(true);
    message.set("");
    background.execute(() -> {
      try {
        if (socket != null) {
          StepReport report = StepReport.parse(askInLanguage(socket, in, LessonRequest.NAME, Integer.toString(lesson),
              Integer.toString(number)));
          List<CheckRow> rows = report.checks().stream().map(LessonModel::row).toList();
          String text = String.join("\n", report.transcript());
          Platform.runLater(() -> finished(lesson, number, rows, w -> text, -1, true));
        } else {
          List<CheckRow> rows = replayed(recorded, number);
          int first = recorded.firstPacketOf(number);
          int end = recorded.endOf(number);
          Function<LessonWords, String> text = w -> first < 0 ? w.format("replay.nothing")
              : w.format("replay.packets", first + 1, end);
          Platform.runLater(() -> finished(lesson, number, rows, text, first, false));
        }
      } catch (IOException | RuntimeException e) {
        Platform.runLater(() -> {
          busy.set(false);
          message.set(e.getMessage());
        });
      }
    });
  }

  /**
   * Runs action {@code index} (from 1) of the current step alone on the live lab; its exit status and
   * output show beside its button, and the step's checkpoints are judged again just after it.
   */
  public void runAction(int index) {
    if (!canRunAction.get() || index < 1 || index > actions.size()) {
      return;
    }
    answers.put(step.get(), answer.get());
    int number = step.get();
    int lesson = lessonNumber.get();
    Path socket = live.socket();
    String in = language.get().language().code();
    busy.set(true);
    message.set("");
    ActionRow before = actions.get(index - 1);
    actions.set(index - 1, before.running());
    background.execute(() -> {
      try {
        ActionReport report = ActionReport.parse(askInLanguage(socket, in, LessonRequest.ACTION,
            Integer.toString(lesson), Integer.toString(number), Integer.toString(index)));
        Platform.runLater(() -> actionEnded(lesson, number, index, report));
      } catch (IOException | RuntimeException e) {
        Platform.runLater(() -> {
          busy.set(false);
          if (lesson == lessonNumber.get() && number == step.get()) {
            actions.set(index - 1, before); // the request failed: the action's last result stands
          }
          message.set(e.getMessage());
        });
      }
    });
  }

  /**
   * Asks the lab with the panel's language {@code in} after {@code fields}. A lab of an earlier version
   * takes no language and refuses with its usage line: it is asked once more without, and the panel
   * says that lab's transcript and verdicts are in English and how to start a lab of this version.
   * Runs on the background thread.
   */
  private String askInLanguage(Path socket, String in, String... fields) throws IOException {
    LabClient lab = new LabClient(socket);
    List<String> named = new ArrayList<>(List.of(fields));
    named.add(in);
    try {
      return lab.ask(named.toArray(String[]::new));
    } catch (IOException refused) {
      if (!String.valueOf(refused.getMessage()).startsWith(LabClient.REFUSED + "usage: " + fields[0] + "<TAB>")) {
        throw refused;
      }
      String body = lab.ask(fields);
      String command = startCommand(Integer.parseInt(fields[1]));
      Platform.runLater(() -> message.set(words().format("panel.lab.earlier", command)));
      return body;
    }
  }

  /** The command that starts lesson {@code number}'s lab. */
  private static String startCommand(int number) {
    return "sudo " + Privileges.tunlabCommand() + " lab up --lesson " + number;
  }

  private void actionEnded(int lesson, int number, int index, ActionReport report) {
    busy.set(false);
    if (lesson != lessonNumber.get()) {
      return;
    }
    List<ActionRow> rows = new ArrayList<>(actionRows(number));
    rows.set(index - 1, rows.get(index - 1).ended(report));
    actionResults.put(number, rows);
    List<CheckRow> judged = report.report().checks().stream().map(LessonModel::row).toList();
    results.put(number, judged);
    if (step.get() == number) {
      actions.setAll(rows);
      checks.setAll(judged);
      // The explanation follows once every action has run.
      ran.set(rows.stream().noneMatch(row -> row.state() == ActionRow.State.NOT_RUN));
    }
  }

  /** Step {@code number}'s actions as they last ran, or not run yet. */
  private List<ActionRow> actionRows(int number) {
    return actionResults.getOrDefault(number, english.steps().get(number - 1).actions().stream()
        .map(ActionRow::notRun).toList());
  }

  private List<CheckRow> replayed(LessonReplay recorded, int number) {
    Map<String, CheckResult> judged = new HashMap<>();
    recorded.check(number).forEach(r -> judged.put(r.checkpoint().text(), r));
    List<CheckRow> rows = new ArrayList<>();
    for (Checkpoint checkpoint : english.steps().get(number - 1).checks()) {
      CheckResult result = judged.get(checkpoint.text());
      rows.add(result != null ? row(result) : CheckRow.unjudged(checkpoint.text(), CheckRow.Status.NEEDS_LAB));
    }
    return rows;
  }

  private static CheckRow row(CheckResult result) {
    return new CheckRow(result.checkpoint().text(), result.passed() ? CheckRow.Status.PASS : CheckRow.Status.FAIL,
        result.verdict().said());
  }

  private void finished(int lesson, int number, List<CheckRow> rows, Function<LessonWords, String> text,
      int firstPacket, boolean socket) {
    busy.set(false);
    if (lesson != lessonNumber.get()) {
      return;
    }
    results.put(number, rows);
    transcripts.put(number, text);
    if (socket) {
      actionResults.put(number, english.steps().get(number - 1).actions().stream()
          .map(ActionRow::ranWithStep).toList());
    }
    if (step.get() == number) {
      if (actionResults.containsKey(number)) {
        actions.setAll(actionResults.get(number));
      }
      checks.setAll(rows);
      showTranscript();
      ran.set(true);
    }
    if (firstPacket >= 0) {
      showRecorded(firstPacket);
    }
  }

  /**
   * Selects packet {@code number} of the recording in its pane, opening the recording first when the
   * panes show something else (a stopped lab's packets, another file): a replayed step's packet
   * numbers are the recording's.
   */
  private void showRecorded(int number) {
    CaptureSession session = inspector.sessionProperty().get();
    if (session != null && !session.isLive() && session.file().equals(recording)) {
      showPacket.accept(number);
      return;
    }
    Path file = recording;
    inspector.open(file);
    inspector.loadingProperty().addListener(new ChangeListener<>() {
      @Override
      public void changed(ObservableValue<? extends Boolean> o, Boolean was, Boolean loading) {
        if (!loading) {
          o.removeListener(this);
          CaptureSession opened = inspector.sessionProperty().get();
          if (opened != null && !opened.isLive() && opened.file().equals(file)) {
            showPacket.accept(number);
          }
        }
      }
    });
  }
}
