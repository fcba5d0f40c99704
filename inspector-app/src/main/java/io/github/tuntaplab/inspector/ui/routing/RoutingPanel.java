package io.github.tuntaplab.inspector.ui.routing;

import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The routing panel: the table as {@code ip route} beside Windows' {@code route print}, and under
 * them the lookup box: a destination, the route that wins and why, every other matching route and
 * why it lost, and the kernel's own answer with a verdict on whether the two agree.
 */
public final class RoutingPanel extends VBox {
  static final PseudoClass AGREE = PseudoClass.getPseudoClass("agree");
  static final PseudoClass DISAGREE = PseudoClass.getPseudoClass("disagree");

  private final RoutingModel model;
  private final WindowLanguage words;
  private final TextField role = new TextField();
  private final TextField destination = new TextField();
  private final TextArea ipRoute = new TextArea();
  private final TextArea windows = new TextArea();
  private final Label summary = new Label();
  private final ListView<RouteLookup.Candidate> candidates = new ListView<>();
  private final Label ours = new Label();
  private final Label kernel = new Label();
  private final Label verdict = new Label();

  public RoutingPanel(RoutingModel model, WindowLanguage words) {
    this.model = model;
    this.words = words;
    getStyleClass().add("routing-panel");
    role.setId("routing-role");
    role.setPrefColumnCount(8);
    role.textProperty().bindBidirectional(model.roleProperty());
    Button refresh = words.named(new Button(), "routing.read");
    refresh.setId("routing-refresh");
    refresh.setOnAction(e -> model.refresh());
    role.setOnAction(e -> model.refresh());
    Label message = new Label();
    message.getStyleClass().add("routing-message");
    message.textProperty().bind(model.messageProperty());
    HBox top = new HBox(label("routing.namespace"), role, refresh, message);
    top.getStyleClass().add("routing-bar");

    for (TextArea area : new TextArea[] {ipRoute, windows}) {
      area.setEditable(false);
      area.getStyleClass().add("routing-text");
    }
    ipRoute.setId("routing-ip-route");
    windows.setId("routing-route-print");
    ipRoute.textProperty().bind(model.ipRouteTextProperty());
    windows.textProperty().bind(model.windowsTextProperty());
    SplitPane tables = new SplitPane(titled("routing.ip.route", ipRoute), titled("routing.route.print", windows));
    tables.setOrientation(Orientation.VERTICAL);

    destination.setId("routing-destination");
    destination.promptTextProperty().bind(words.text("routing.destination.prompt"));
    destination.setOnAction(e -> model.lookup(destination.getText()));
    Button lookup = words.named(new Button(), "routing.lookup");
    lookup.setId("routing-lookup");
    lookup.setOnAction(e -> model.lookup(destination.getText()));
    HBox.setHgrow(destination, Priority.ALWAYS);
    HBox ask = new HBox(label("routing.lookup.label"), destination, lookup);
    ask.getStyleClass().add("routing-bar");

    summary.setId("routing-summary");
    summary.getStyleClass().add("routing-summary");
    summary.textProperty().bind(words.text(model.decisionProperty().map(LookupPhrases::summary)));
    candidates.setId("routing-candidates");
    candidates.setPrefHeight(120);
    candidates.setCellFactory(view -> new CandidateCell(words));
    // The cells say their reasons again in the other language.
    words.wordsProperty().addListener((o, was, now) -> candidates.refresh());
    candidates.setPlaceholder(label("routing.candidates.none"));
    model.decisionProperty().addListener((o, was, now) -> candidates.getItems().setAll(
        now == null ? List.of() : now.candidates()));
    ours.setId("routing-ours");
    kernel.setId("routing-kernel");
    verdict.setId("routing-verdict");
    ours.textProperty().bind(Bindings.createStringBinding(() -> words.format("routing.ours",
        model.oursProperty().get()), model.oursProperty(), words.wordsProperty()));
    kernel.textProperty().bind(Bindings.createStringBinding(() -> words.format("routing.kernel",
        model.kernelProperty().get()), model.kernelProperty(), words.wordsProperty()));
    for (Label label : new Label[] {ours, kernel}) {
      label.getStyleClass().add("routing-answer");
    }
    verdict.getStyleClass().add("routing-verdict");
    model.agreementProperty().addListener((o, was, now) -> showVerdict(now));
    words.wordsProperty().addListener((o, was, now) -> showVerdict(model.agreementProperty().get()));
    Label explain = label("routing.explain");
    explain.getStyleClass().add("routing-explain");
    VBox result = new VBox(summary, candidates, explain, ours, kernel, verdict);
    result.getStyleClass().add("routing-result");
    VBox.setVgrow(candidates, Priority.ALWAYS);
    VBox.setVgrow(result, Priority.ALWAYS);

    SplitPane body = new SplitPane(tables, new VBox(ask, result));
    body.setOrientation(Orientation.HORIZONTAL);
    body.setDividerPositions(0.45);
    VBox.setVgrow(body, Priority.ALWAYS);
    getChildren().addAll(top, body);
  }

  private Label label(String key) {
    return words.named(new Label(), key);
  }

  private TitledPane titled(String key, TextArea area) {
    TitledPane pane = words.named(new TitledPane("", area), key);
    pane.setCollapsible(false);
    pane.setMaxHeight(Double.MAX_VALUE);
    return pane;
  }

  private void showVerdict(RoutingModel.Agreement agreement) {
    verdict.setText(agreement.verdict().in(words.words()));
    verdict.pseudoClassStateChanged(AGREE, agreement == RoutingModel.Agreement.AGREE);
    verdict.pseudoClassStateChanged(DISAGREE, agreement == RoutingModel.Agreement.DISAGREE);
  }

  public RoutingModel model() {
    return model;
  }

  public TextField destinationField() {
    return destination;
  }

  public Label verdictLabel() {
    return verdict;
  }

  public ListView<RouteLookup.Candidate> candidateList() {
    return candidates;
  }

  /** A candidate: the route as {@code ip route} prints it, and why it won or lost. */
  private static final class CandidateCell extends ListCell<RouteLookup.Candidate> {
    private static final PseudoClass WINNER = PseudoClass.getPseudoClass("winner");
    private final WindowLanguage words;

    CandidateCell(WindowLanguage words) {
      this.words = words;
    }

    @Override
    protected void updateItem(RouteLookup.Candidate item, boolean empty) {
      super.updateItem(item, empty);
      pseudoClassStateChanged(WINNER, !empty && item != null && item.wins());
      setText(empty || item == null ? null : (item.wins() ? "▶ " : "   ") + LookupPhrases.line(item.route())
          + "    — " + LookupPhrases.reason(item.why()).in(words.words()));
    }
  }
}
