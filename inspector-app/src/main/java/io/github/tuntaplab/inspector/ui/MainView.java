package io.github.tuntaplab.inspector.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.scene.control.Alert;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;

/** The window's content: menus, the filter, the panes side by side, the legend and the status bar. */
public final class MainView extends BorderPane {
  private final InspectorModel model;
  private final WindowLanguage words;
  private final Map<PaneKind, PaneView> panes = new EnumMap<>(PaneKind.class);
  private final SplitPane split = new SplitPane();
  private final TextField filter = new TextField();
  private final StatusBar statusBar = new StatusBar();
  private final Label selection = new Label();
  /** What the status bar says of the selection, said in the window's language. */
  private final javafx.beans.property.ObjectProperty<Phrase> selected = new javafx.beans.property.SimpleObjectProperty<>();
  private final Menu recent = new Menu();
  private final MenuBar menuBar;
  private final VBox top;
  private javafx.scene.control.TabPane sidePanels;
  private final List<Path> samples;
  private PaneView focused;
  private FilePicker picker;

  public MainView(InspectorModel model, List<Path> samples) {
    this.model = model;
    this.words = model.language();
    this.picker = FilePicker.dialogs(words);
    this.samples = samples;
    recent.textProperty().bind(words.text("menu.recent"));
    getStyleClass().add("inspector");
    for (PaneKind kind : PaneKind.values()) {
      PaneView pane = new PaneView(model.pane(kind), model.textViewProperty(), model.fontSizeProperty(), words);
      panes.put(kind, pane);
      pane.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> focus(pane));
    }
    focused = panes.get(PaneKind.TAP);
    split.getItems().addAll(panes.get(PaneKind.TAP), panes.get(PaneKind.TUN));
    model.hasUnderlayProperty().addListener((o, was, now) -> placePanes());
    model.showsTapProperty().addListener((o, was, now) -> placePanes());
    split.setOrientation(Orientation.HORIZONTAL);
    // Panes share the width equally whenever one comes or goes.
    split.getItems().addListener((javafx.collections.ListChangeListener<javafx.scene.Node>) c -> {
      int count = split.getItems().size();
      split.setDividerPositions(IntStream.range(1, count).mapToDouble(i -> (double) i / count).toArray());
    });

    menuBar = menus();
    top = new VBox(menuBar, toolbar(), new Legend(words));
    setTop(top);
    setCenter(split);
    setBottom(statusBar());
    styleProperty().bind(Bindings.format(java.util.Locale.ROOT, "-fx-font-size: %.1fpx;", model.fontSizeProperty()));
    model.presentationProperty().addListener((o, was, now) -> pseudoClassStateChanged(
        javafx.css.PseudoClass.getPseudoClass("presentation"), now));
    model.filterErrorProperty().addListener((o, was, now) -> {
      filter.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("error"), !now.isEmpty());
      filter.setTooltip(now.isEmpty() ? null : new Tooltip(now)); // libpcap's own words
    });
    for (PaneView pane : panes.values()) {
      pane.model().highlightProperty().addListener((o, was, now) -> showSelection(pane));
      pane.model().selectedProperty().addListener((o, was, now) -> {
        if (pane == focused) {
          showSelection(pane);
        }
      });
    }
    model.onProblem(problem -> {
      // Bound, as the rest of the window: an open dialog follows a switch of language.
      ButtonType ok = new ButtonType(words.format("dialog.ok"), ButtonBar.ButtonData.OK_DONE);
      Alert alert = new Alert(Alert.AlertType.ERROR, "", ok);
      alert.titleProperty().bind(words.text(problem.title()));
      alert.headerTextProperty().bind(words.text(problem.title()));
      alert.contentTextProperty().bind(words.text(problem.message()));
      words.named((Button) alert.getDialogPane().lookupButton(ok), "dialog.ok");
      alert.getDialogPane().getStyleClass().add("problem-dialog");
      if (getScene() != null && getScene().getWindow() != null) {
        alert.initOwner(getScene().getWindow());
      }
      alert.show();
    });
    setOnDragOver(e -> {
      if (e.getDragboard().hasFiles()) {
        e.acceptTransferModes(TransferMode.COPY);
      }
      e.consume();
    });
    setOnDragDropped(e -> {
      List<File> files = e.getDragboard().getFiles();
      boolean ok = files != null && !files.isEmpty();
      if (ok) {
        model.open(files.get(0).toPath());
      }
      e.setDropCompleted(ok);
      e.consume();
    });
  }

  /** TAP (when worth showing) | TUN | underlay (when the file has one), in that order. */
  private void placePanes() {
    List<PaneView> shown = new java.util.ArrayList<>();
    if (model.showsTapProperty().get()) {
      shown.add(panes.get(PaneKind.TAP));
    }
    shown.add(panes.get(PaneKind.TUN));
    if (model.hasUnderlayProperty().get()) {
      shown.add(panes.get(PaneKind.UNDERLAY));
    }
    if (!split.getItems().equals(shown)) {
      split.getItems().setAll(shown);
    }
  }

  private void focus(PaneView pane) {
    focused = pane;
    showSelection(pane);
  }

  private MenuBar menus() {
    MenuItem open = item("menu.open", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseFile);
    refreshRecent();
    model.recentFiles().addListener((javafx.collections.ListChangeListener<Path>) c -> refreshRecent());
    Menu sampleMenu = menu("menu.samples");
    if (samples.isEmpty()) {
      MenuItem none = item("menu.samples.none", null, () -> { });
      none.setDisable(true);
      sampleMenu.getItems().add(none);
    }
    for (Path sample : samples) {
      sampleMenu.getItems().add(fileItem(sample.getFileName().toString(), () -> model.open(sample)));
    }
    MenuItem saveVisible = item("menu.save.visible", new KeyCodeCombination(KeyCode.S,
        KeyCombination.SHORTCUT_DOWN), () -> save(model.visiblePackets()));
    MenuItem saveSelected = item("menu.save.selected", new KeyCodeCombination(KeyCode.S,
        KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
        () -> save(focused.selectedPackets()));
    MenuItem quit = item("menu.quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN),
        () -> getScene().getWindow().hide());
    Menu file = menu("menu.file", open, recent, sampleMenu, new javafx.scene.control.SeparatorMenuItem(),
        saveVisible, saveSelected, new javafx.scene.control.SeparatorMenuItem(), quit);

    MenuItem zoomIn = item("menu.zoom.in", new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN),
        () -> model.zoom(1));
    MenuItem zoomInPlus = item("menu.zoom.in", new KeyCodeCombination(KeyCode.PLUS, KeyCombination.SHORTCUT_DOWN),
        () -> model.zoom(1));
    MenuItem zoomInAdd = item("menu.zoom.in", new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN),
        () -> model.zoom(1));
    zoomInPlus.setVisible(false);
    zoomInAdd.setVisible(false);
    MenuItem zoomOut = item("menu.zoom.out", new KeyCodeCombination(KeyCode.MINUS, KeyCombination.SHORTCUT_DOWN),
        () -> model.zoom(-1));
    MenuItem zoomOutKeypad = item("menu.zoom.out", new KeyCodeCombination(KeyCode.SUBTRACT,
        KeyCombination.SHORTCUT_DOWN), () -> model.zoom(-1));
    zoomOutKeypad.setVisible(false);
    MenuItem zoomReset = item("menu.zoom.reset", new KeyCodeCombination(KeyCode.DIGIT0, KeyCombination.SHORTCUT_DOWN),
        () -> model.fontSizeProperty().set(model.presentationProperty().get() ? InspectorModel.PRESENTATION_FONT
            : InspectorModel.NORMAL_FONT));
    CheckMenuItem presentation = words.named(new CheckMenuItem(), "menu.presentation");
    presentation.setAccelerator(new KeyCodeCombination(KeyCode.F5));
    presentation.selectedProperty().bindBidirectional(model.presentationProperty());
    CheckMenuItem text = words.named(new CheckMenuItem(), "menu.text");
    text.setAccelerator(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN));
    text.selectedProperty().bindBidirectional(model.textViewProperty());
    Menu language = menu("menu.language");
    ToggleGroup languages = new ToggleGroup();
    for (LessonLanguage each : LessonLanguage.values()) {
      RadioMenuItem choice = new RadioMenuItem(each.toString()); // each language by its own name
      choice.setToggleGroup(languages);
      choice.setSelected(words.choiceProperty().get() == each);
      choice.setOnAction(e -> words.choiceProperty().set(each));
      words.choiceProperty().addListener((o, was, now) -> choice.setSelected(now == each));
      language.getItems().add(choice);
    }
    Menu view = menu("menu.view", zoomIn, zoomInPlus, zoomInAdd, zoomOut, zoomOutKeypad, zoomReset,
        new javafx.scene.control.SeparatorMenuItem(), presentation, text, new javafx.scene.control.SeparatorMenuItem(),
        language);
    return new MenuBar(file, view);
  }

  /** A menu item whose text is the window's word for {@code key}, its mnemonic ({@code _O}) parsed. */
  private MenuItem item(String key, KeyCombination accelerator, Runnable action) {
    MenuItem item = words.named(new MenuItem(), key);
    item.setOnAction(e -> action.run());
    item.setAccelerator(accelerator);
    return item;
  }

  /** A menu item named by a file: no mnemonic, as the name is. */
  private static MenuItem fileItem(String name, Runnable action) {
    MenuItem item = new MenuItem(name);
    item.setMnemonicParsing(false);
    item.setOnAction(e -> action.run());
    return item;
  }

  /** A menu whose text is the window's word for {@code key}. */
  private Menu menu(String key, MenuItem... items) {
    return words.named(new Menu("", null, items), key);
  }

  private void refreshRecent() {
    recent.getItems().setAll(model.recentFiles().stream()
        .map(path -> fileItem(path.toString(), () -> model.open(path))).collect(Collectors.toList()));
    recent.setDisable(recent.getItems().isEmpty());
  }

  private ToolBar toolbar() {
    Button open = words.named(new Button(), "toolbar.open");
    open.setOnAction(e -> chooseFile());
    filter.promptTextProperty().bind(words.text("toolbar.filter.prompt"));
    filter.setId("filter");
    filter.setPrefColumnCount(36);
    filter.setOnAction(e -> model.filter(filter.getText()));
    Button clear = words.named(new Button(), "toolbar.clear");
    clear.setOnAction(e -> {
      filter.clear();
      model.filter("");
    });
    ToggleButton text = words.named(new ToggleButton(), "toolbar.text");
    text.selectedProperty().bindBidirectional(model.textViewProperty());
    ToggleButton presentation = words.named(new ToggleButton(), "toolbar.presentation");
    presentation.selectedProperty().bindBidirectional(model.presentationProperty());
    Button smaller = new Button("A−");
    smaller.setTooltip(words.tooltip("toolbar.smaller"));
    smaller.setOnAction(e -> model.zoom(-1));
    Button larger = new Button("A+");
    larger.setTooltip(words.tooltip("toolbar.larger"));
    larger.setOnAction(e -> model.zoom(1));
    return new ToolBar(open, new Separator(), words.named(new Label(), "toolbar.filter"), filter, clear,
        new Separator(), text, smaller, larger, presentation);
  }

  private StatusBar statusBar() {
    statusBar.textProperty().bind(model.statusProperty());
    statusBar.progressProperty().bind(Bindings.when(model.loadingProperty())
        .then(model.progressProperty()).otherwise(0.0));
    Label counts = new Label();
    counts.textProperty().bind(model.countsProperty());
    counts.getStyleClass().add("status-counts");
    selection.getStyleClass().add("status-selection");
    selection.textProperty().bind(words.text(selected));
    Button cancel = words.named(new Button(), "status.cancel");
    cancel.setId("cancel-loading");
    cancel.visibleProperty().bind(model.loadingProperty());
    cancel.managedProperty().bind(model.loadingProperty());
    cancel.setOnAction(e -> model.cancelLoading());
    statusBar.getRightItems().addAll(selection, new Separator(Orientation.VERTICAL), counts, cancel);
    return statusBar;
  }

  private void showSelection(PaneView pane) {
    PacketDetail detail = pane.model().selected();
    Highlight highlight = pane.model().highlightProperty().get();
    selected.set(detail == null ? null : Phrase.of("selection", pane.model().kind().title(), detail.number() + 1,
        highlight == null ? Phrase.of("selection.bytes", detail.data().length) : highlight.describe()));
  }

  private void chooseFile() {
    picker.toOpen(window()).ifPresent(model::open);
  }

  private void save(List<Integer> packets) {
    if (packets.isEmpty() || model.sessionProperty().get() == null) {
      return;
    }
    picker.toSave(window(), words.format("save.title", packets.size()), "packets.pcapng")
        .ifPresent(target -> model.save(target, packets));
  }

  /** Replaces the file dialogs (tests answer them at once). */
  public void setFilePicker(FilePicker picker) {
    this.picker = picker;
  }

  private Window window() {
    return getScene() == null ? null : getScene().getWindow();
  }

  /** Adds a menu after the built-in ones (the live lab's, the lessons'). */
  public void addMenu(Menu menu) {
    menuBar.getMenus().add(menu);
  }

  /** Adds a bar under the toolbar (the live lab's controls). */
  public void addBar(javafx.scene.Node bar) {
    top.getChildren().add(2, bar);
  }

  /** Adds a panel beside the packet panes, as a tab of the side panel (made on first use), and returns the tab. */
  public javafx.scene.control.Tab addSidePanel(javafx.beans.value.ObservableValue<String> title,
      javafx.scene.Node content) {
    if (sidePanels == null) {
      sidePanels = new javafx.scene.control.TabPane();
      sidePanels.getStyleClass().add("side-panels");
      sidePanels.setPrefWidth(480);
      setRight(sidePanels);
    }
    javafx.scene.control.Tab tab = new javafx.scene.control.Tab("", content);
    tab.textProperty().bind(title);
    tab.setClosable(false);
    sidePanels.getTabs().add(tab);
    return tab;
  }

  /** Puts {@code tools} (the lab tools) under the panes, in a split the user can drag. */
  public void installLabTools(javafx.scene.Node tools) {
    SplitPane stack = new SplitPane(split, tools);
    stack.setOrientation(Orientation.VERTICAL);
    stack.setDividerPositions(0.62);
    setCenter(stack);
  }

  public PaneView pane(PaneKind kind) {
    return panes.get(kind);
  }

  public TextField filterField() {
    return filter;
  }

  public StatusBar statusBarControl() {
    return statusBar;
  }

  /** The selection's byte range as the status bar shows it. */
  public Label selectionLabel() {
    return selection;
  }
}
