package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.inspector.ui.live.LiveBar;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The lesson panel beside the packet panes: pick a lesson and a language, read the step, answer its
 * prediction, run its actions one by one from their buttons (on the live lab) or the whole step (on
 * the live lab, or on the recording), watch its checkpoints turn green or red with their messages,
 * and step forward and back. Its own words are in the lesson's language ({@link LessonModel#words()}).
 */
public final class LessonPanel extends ScrollPane {
  private final LessonModel model;
  private final Button run = new Button();
  private final ListView<CheckRow> checks = new ListView<>();
  private final VBox actions = new VBox(4);

  /**
   * @param hostLab builds the open lesson's lab in this process (the window runs as root); null
   *     when it cannot
   */
  public LessonPanel(LessonModel model, Runnable hostLab) {
    this.model = model;
    getStyleClass().add("lesson-panel");
    setId("lesson-panel");
    setFitToWidth(true);
    // Wrapped text would otherwise ask for the width of its longest line.
    setPrefWidth(460);
    setMinWidth(280);

    ComboBox<LessonCatalog.Entry> lesson = new ComboBox<>();
    lesson.setId("lesson-choice");
    lesson.getItems().setAll(lessons(model.languageProperty().get()));
    lesson.promptTextProperty().bind(word("panel.choose"));
    lesson.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(LessonCatalog.Entry entry) {
        return entry == null ? "" : entry.number() + ". " + entry.title();
      }

      @Override
      public LessonCatalog.Entry fromString(String text) {
        return null;
      }
    });
    lesson.setOnAction(e -> {
      if (lesson.getValue() != null && lesson.getValue().number() != model.lessonNumberProperty().get()) {
        model.open(lesson.getValue().number());
      }
    });
    // A lesson opened elsewhere (the Lab menu, a test) shows as chosen.
    model.lessonNumberProperty().addListener((o, was, now) -> lesson.getItems().stream()
        .filter(entry -> entry.number() == now.intValue()).findFirst().ifPresent(lesson::setValue));
    ComboBox<LessonLanguage> language = new ComboBox<>();
    language.setId("lesson-language");
    language.getItems().setAll(LessonLanguage.values());
    language.valueProperty().bindBidirectional(model.languageProperty());
    // The lessons' titles in the language chosen, the open one still chosen.
    model.languageProperty().addListener((o, was, now) -> {
      int open = model.lessonNumberProperty().get();
      lesson.getItems().setAll(lessons(now));
      lesson.getItems().stream().filter(entry -> entry.number() == open).findFirst().ifPresent(lesson::setValue);
    });
    HBox choose = new HBox(8, lesson, language);

    Label mode = wrapped("lesson-mode");
    mode.textProperty().bind(model.modeProperty());
    TextField labCommand = new TextField();
    labCommand.setId("lesson-lab-command");
    labCommand.setEditable(false);
    labCommand.textProperty().bind(model.labCommandProperty());
    HBox.setHgrow(labCommand, Priority.ALWAYS);
    Button copy = new Button();
    copy.setId("lesson-copy");
    copy.textProperty().bind(word("panel.copy"));
    copy.setOnAction(e -> LiveBar.copyToClipboard(labCommand.getText()));
    Label itsLab = new Label();
    itsLab.textProperty().bind(word("panel.lab"));
    HBox start = new HBox(6, itsLab, labCommand, copy);
    if (hostLab != null) {
      Button host = new Button();
      host.setId("lesson-host-lab");
      host.textProperty().bind(word("panel.host"));
      javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
      tip.textProperty().bind(word("panel.host.tip"));
      host.setTooltip(tip);
      host.setOnAction(e -> hostLab.run());
      host.disableProperty().bind(model.lessonNumberProperty().lessThan(1));
      start.getChildren().add(host);
    }
    start.visibleProperty().bind(model.labCommandProperty().isNotEmpty());
    start.managedProperty().bind(start.visibleProperty());

    Label title = wrapped("lesson-title");
    title.getStyleClass().add("lesson-title");
    title.textProperty().bind(model.titleProperty());
    Label stepTitle = wrapped("lesson-step-title");
    stepTitle.getStyleClass().add("lesson-step-title");
    stepTitle.textProperty().bind(Bindings.createStringBinding(() -> model.stepProperty().get() == 0 ? ""
        : String.format(Locale.ROOT, "%d / %d · %s", model.stepProperty().get(), model.steps(),
            model.stepTitleProperty().get()), model.stepProperty(), model.stepTitleProperty()));
    Label text = wrapped("lesson-step-text");
    text.textProperty().bind(model.stepTextProperty());

    Label question = wrapped("lesson-prediction");
    question.getStyleClass().add("lesson-prediction");
    question.textProperty().bind(Bindings.createStringBinding(() -> model.words().format("predict",
        model.predictionProperty().get()), model.wordsProperty(), model.predictionProperty()));
    TextArea answer = new TextArea();
    answer.setId("lesson-answer");
    answer.promptTextProperty().bind(word("panel.answer.prompt"));
    answer.setPrefRowCount(2);
    answer.setWrapText(true);
    answer.textProperty().bindBidirectional(model.answerProperty());
    VBox predict = new VBox(4, question, answer);
    predict.visibleProperty().bind(model.predictionProperty().isNotEmpty());
    predict.managedProperty().bind(predict.visibleProperty());

    actions.setId("lesson-actions");
    model.actions().addListener((javafx.collections.ListChangeListener<ActionRow>) c -> showActions());
    showActions();
    run.setId("lesson-run");
    run.textProperty().bind(word("panel.run"));
    run.disableProperty().bind(model.canRunBinding().not());
    run.setOnAction(e -> model.run());

    checks.setId("lesson-checks");
    checks.setItems(model.checks());
    checks.setPrefHeight(180);
    Label noChecks = new Label();
    noChecks.textProperty().bind(word("panel.checks.none"));
    checks.setPlaceholder(noChecks);
    checks.setCellFactory(list -> new CheckCell());

    TextArea transcript = new TextArea();
    transcript.setId("lesson-transcript");
    transcript.setEditable(false);
    transcript.getStyleClass().add("lesson-transcript");
    transcript.textProperty().bind(model.transcriptProperty());
    TitledPane output = new TitledPane("", transcript);
    output.setId("lesson-output");
    output.textProperty().bind(word("panel.output"));
    output.setExpanded(false);

    Label explanation = wrapped("lesson-explanation");
    explanation.textProperty().bind(model.explanationProperty());
    explanation.visibleProperty().bind(model.ranProperty());
    explanation.managedProperty().bind(explanation.visibleProperty());

    Label message = wrapped("lesson-message");
    message.getStyleClass().add("lesson-message");
    message.textProperty().bind(model.messageProperty());

    Button back = new Button();
    back.setId("lesson-back");
    back.textProperty().bind(word("panel.back"));
    back.disableProperty().bind(model.stepProperty().lessThanOrEqualTo(1));
    back.setOnAction(e -> model.back());
    Button next = new Button();
    next.setId("lesson-next");
    next.textProperty().bind(word("panel.next"));
    next.disableProperty().bind(Bindings.createBooleanBinding(() -> model.stepProperty().get() >= model.steps(),
        model.stepProperty()));
    next.setOnAction(e -> model.next());

    VBox content = new VBox(8, choose, mode, start, title, stepTitle, text, predict, actions, run, checks, explanation,
        output, message, new HBox(8, back, next));
    content.setPadding(new Insets(8));
    setContent(content);
    // Words the panel puts together itself, beside the bound ones.
    model.wordsProperty().addListener((o, was, now) -> {
      showActions();
      checks.refresh();
    });
  }

  /** The panel's word for {@code key}, in the language chosen. */
  private StringBinding word(String key) {
    return WindowLanguage.said(model.wordsProperty(), words -> words.format(key));
  }

  /** The built-in lessons, their titles in {@code language} where translated. */
  private static List<LessonCatalog.Entry> lessons(LessonLanguage language) {
    try {
      return LessonCatalog.builtIn(language.language()).entries();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A button per action, labelled with its command, and beside it where it runs and how it ended. */
  private void showActions() {
    actions.getChildren().clear();
    List<ActionRow> rows = model.actions();
    LessonWords words = model.words();
    for (int i = 0; i < rows.size(); i++) {
      ActionRow row = rows.get(i);
      int index = i + 1;
      Button button = new Button(row.action().line());
      button.setId("lesson-action-" + index);
      button.getStyleClass().add("lesson-action");
      button.setMnemonicParsing(false);
      button.setWrapText(true);
      button.disableProperty().bind(model.canRunActionBinding().not());
      button.setTooltip(new javafx.scene.control.Tooltip(words.format("panel.action.tip", row.where(words))));
      button.setOnAction(e -> model.runAction(index));
      Label where = new Label(row.where(words));
      where.setId("lesson-action-where-" + index);
      where.getStyleClass().add("lesson-action-where");
      Label outcome = new Label(row.outcome(words));
      outcome.setId("lesson-action-outcome-" + index);
      outcome.getStyleClass().add("lesson-action-outcome");
      outcome.pseudoClassStateChanged(PseudoClass.getPseudoClass("failed"), row.failed());
      actions.getChildren().add(new HBox(6, button, where, outcome));
      if (!row.output().isEmpty()) {
        Label output = wrapped("lesson-action-output-" + index);
        output.getStyleClass().add("lesson-action-output");
        output.setText(row.output());
        actions.getChildren().add(output);
      }
    }
  }

  private static Label wrapped(String id) {
    Label label = new Label();
    label.setId(id);
    label.setWrapText(true);
    return label;
  }

  /**
   * A checkpoint: symbol and word (not colour alone), its line, and the verdict's message (one that
   * needs the live lab says so, with the command that starts it).
   */
  private final class CheckCell extends ListCell<CheckRow> {
    @Override
    protected void updateItem(CheckRow row, boolean empty) {
      super.updateItem(row, empty);
      for (CheckRow.Status status : CheckRow.Status.values()) {
        pseudoClassStateChanged(PseudoClass.getPseudoClass(status.name().toLowerCase(Locale.ROOT)),
            !empty && row != null && row.status() == status);
      }
      if (empty || row == null) {
        setText(null);
        return;
      }
      setWrapText(true);
      setPrefWidth(0);
      LessonWords words = model.words();
      String why = row.status() == CheckRow.Status.NEEDS_LAB
          ? words.format("check.needs.lab.why", model.labCommandProperty().get())
          : row.message().in(words.language());
      setText(row.status().symbol() + " " + row.status().word(words) + "  " + row.checkpoint()
          + (why.isEmpty() ? "" : "\n    " + why));
    }
  }
}
