package io.github.tuntaplab.inspector.ui.live;

import io.github.tuntaplab.inspector.ui.MainView;
import io.github.tuntaplab.inspector.ui.PaneKind;
import io.github.tuntaplab.inspector.ui.PaneView;
import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.inspector.ui.WindowLanguage;
import io.github.tuntaplab.lessons.lab.LinkCounters;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The live lab's bar under the toolbar: its state in one line (with the command that starts a lab
 * and a copy button when none runs, or when it stopped), pause, clear, follow-newest, the
 * offered/shown/dropped counters, and the lab's links' rx/tx counters.
 */
public final class LiveBar extends VBox {
  static final Duration COUNTER_REFRESH = Duration.seconds(2);

  private final LiveSource source;
  private final WindowLanguage words;
  private final Label state = new Label();
  private final Label message = new Label();
  private final TextField command = new TextField();
  private final Button copy = new Button();
  private final Label packets = new Label();
  private final FlowPane links = new FlowPane();

  public LiveBar(LiveSource source, MainView view, Supplier<Path> socket, WindowLanguage words) {
    this.source = source;
    this.words = words;
    getStyleClass().add("live-bar");
    setId("live-bar");
    state.getStyleClass().add("live-state");
    state.setId("live-state");
    message.setId("live-message");
    command.setId("live-command");
    command.setEditable(false);
    command.textProperty().bind(source.startCommandProperty());
    command.setPrefColumnCount(24);
    copy.setId("live-copy");
    words.named(copy, "live.copy").setTooltip(words.tooltip("live.copy.tip"));
    copy.setOnAction(e -> copyToClipboard(command.getText()));
    Button connect = words.named(new Button(), "live.connect");
    connect.setId("live-connect");
    connect.setOnAction(e -> source.connect(socket.get()));
    ToggleButton pause = new ToggleButton();
    pause.textProperty().bind(Bindings.when(source.pausedProperty()).then(words.text("live.resume"))
        .otherwise(words.text("live.pause")));
    pause.setId("live-pause");
    pause.selectedProperty().bindBidirectional(source.pausedProperty());
    Button clear = words.named(new Button(), "live.clear");
    clear.setTooltip(words.tooltip("live.clear.tip"));
    clear.setId("live-clear");
    clear.setOnAction(e -> source.clear());
    CheckBox follow = words.named(new CheckBox(), "live.follow");
    follow.setId("live-follow");
    follow.selectedProperty().bindBidirectional(source.followNewestProperty());
    packets.setId("live-packets");
    packets.textProperty().bind(Bindings.createStringBinding(() -> words.format("live.counters",
        source.offeredProperty().get(), source.shownProperty().get(), source.droppedProperty().get()),
        source.offeredProperty(), source.shownProperty(), source.droppedProperty(), words.wordsProperty()));
    packets.setTooltip(words.tooltip("live.counters.tip"));

    HBox line = new HBox(8, state, message, command, copy, connect, new Separator(javafx.geometry.Orientation.VERTICAL),
        pause, clear, follow, packets);
    line.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
    HBox.setHgrow(message, Priority.SOMETIMES);
    links.setId("live-links");
    links.setHgap(14);
    links.getStyleClass().add("live-links");
    getChildren().addAll(line, links);

    source.stateProperty().addListener((o, was, now) -> showState());
    source.messageProperty().addListener((o, was, now) -> showState());
    words.wordsProperty().addListener((o, was, now) -> {
      showState();
      showCounters();
    });
    showState();
    source.counters().addListener((ListChangeListener<LinkCounters>) c -> showCounters());
    for (PaneKind kind : PaneKind.values()) {
      PaneView pane = view.pane(kind);
      pane.model().rows().addListener((ListChangeListener<Integer>) c -> follow(pane));
    }
    source.followNewestProperty().addListener((o, was, now) -> listNewestOnly(view));
    source.pausedProperty().addListener((o, was, now) -> listNewestOnly(view));
    source.stateProperty().addListener((o, was, now) -> listNewestOnly(view));
    Timeline refresh = new Timeline(new KeyFrame(COUNTER_REFRESH, e -> source.refreshCounters()));
    refresh.setCycleCount(Timeline.INDEFINITE);
    refresh.play();
  }

  /** The bar's word for a state, e.g. "● LIVE". */
  public static Phrase stateName(LiveSource.State state) {
    return Phrase.of("live.state." + state.name().toLowerCase(Locale.ROOT));
  }

  private void showState() {
    LiveSource.State now = source.stateProperty().get();
    state.setText(stateName(now).in(words.words()));
    for (LiveSource.State each : LiveSource.State.values()) {
      state.pseudoClassStateChanged(PseudoClass.getPseudoClass(each.name().toLowerCase(Locale.ROOT)), each == now);
    }
    message.setText(source.messageProperty().get());
    boolean offerStart = now == LiveSource.State.NO_LAB || now == LiveSource.State.STOPPED;
    command.setVisible(offerStart);
    command.setManaged(offerStart);
    copy.setVisible(offerStart);
    copy.setManaged(offerStart);
  }

  private void showCounters() {
    links.getChildren().clear();
    for (LinkCounters c : source.counters()) {
      if (c.link().equals("lo")) {
        continue;
      }
      Label link = new Label(String.format(Locale.ROOT, "%s/%s rx %,d tx %,d", c.role(), c.link(), c.rxPackets(),
          c.txPackets())); // as ip -s link names them
      link.setTooltip(new javafx.scene.control.Tooltip(words.format("live.link.tip", c.link(), c.role(), c.kind(),
          c.up() ? "UP" : "DOWN", c.rxPackets(), c.rxBytes(), c.txPackets(), c.txBytes())));
      link.getStyleClass().add("live-link");
      links.getChildren().add(link);
    }
  }

  private void follow(PaneView pane) {
    if (source.followNewestProperty().get() && source.stateProperty().get() == LiveSource.State.LIVE) {
      pane.showNewest();
    }
  }

  /** While the panes follow a live stream, they list only the newest rows; paused or not following, all of them. */
  private void listNewestOnly(MainView view) {
    boolean newest = source.followNewestProperty().get() && !source.pausedProperty().get()
        && source.stateProperty().get() == LiveSource.State.LIVE;
    for (PaneKind kind : PaneKind.values()) {
      view.pane(kind).listNewestOnly(newest);
    }
  }

  /** Puts {@code text} on the clipboard: a command to paste into a terminal. */
  public static void copyToClipboard(String text) {
    ClipboardContent content = new ClipboardContent();
    content.putString(text);
    Clipboard.getSystemClipboard().setContent(content);
  }

  /** The one-line state as shown, for tests. */
  public String stateText() {
    return state.getText() + " " + message.getText();
  }
}
