package io.github.tuntaplab.inspector.ui;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MultipleSelectionModel;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * One device's view: a title with the link call-out, the packet list (or tcpdump's text of it), the
 * selected packet's tree, its bytes, and its tcpdump line, dump and live command.
 */
public final class PaneView extends VBox {
  /** A row's height in font sizes. */
  private static final double ROW_HEIGHT = 1.85;
  private final PacketPaneModel model;
  private final ListedRows listed;
  private final TableView<Integer> table = new TableView<>();
  private final ListView<Integer> text = new ListView<>();
  private final PacketTree tree;
  private final HexView hex;
  private final TextArea tcpdump = new TextArea();
  private final Label callout = new Label();
  private boolean selecting;
  /** The packets selected in the list on show before the listed rows last changed. */
  private List<Integer> selectedBefore = List.of();

  private final WindowLanguage words;

  PaneView(PacketPaneModel model, BooleanProperty textView, DoubleProperty fontSize, WindowLanguage words) {
    this.model = model;
    this.words = words;
    listed = new ListedRows(model.rows());
    getStyleClass().addAll("pane-view", "pane-" + model.kind().name().toLowerCase());
    Label title = words.named(new Label(), model.kind().title());
    title.getStyleClass().add("pane-title");
    Label subtitle = words.named(new Label(), model.kind().subtitle());
    subtitle.getStyleClass().add("pane-subtitle");
    callout.getStyleClass().add("callout");
    callout.textProperty().bind(words.text(model.calloutProperty()));
    callout.visibleProperty().bind(model.calloutProperty().isNotNull());
    callout.setWrapText(true);
    callout.setMaxWidth(Double.MAX_VALUE);
    HBox header = new HBox(title, subtitle);
    header.getStyleClass().add("pane-header");
    VBox top = new VBox(header, callout);
    callout.managedProperty().bind(callout.visibleProperty());

    buildTable(fontSize);
    // Fixed row heights (following the zoom): a million rows are then placed without measuring any.
    // (The text view's rows vary: a tunnelled packet takes two lines, as in tcpdump.)
    table.fixedCellSizeProperty().bind(fontSize.multiply(ROW_HEIGHT));
    text.getStyleClass().add("tcpdump-list");
    text.setCellFactory(view -> new ListCell<>() {
      @Override
      protected void updateItem(Integer number, boolean empty) {
        super.updateItem(number, empty);
        setText(empty || number == null ? null : model.line(listed.paneRow(getIndex())));
      }
    });
    text.visibleProperty().bind(textView);
    table.visibleProperty().bind(textView.not());
    text.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> selectRow(now.intValue()));
    StackPane lists = new StackPane(table, text);

    tree = new PacketTree(model, words);
    hex = new HexView(model, fontSize, words);
    tcpdump.setEditable(false);
    tcpdump.getStyleClass().add("tcpdump-view");
    tcpdump.setWrapText(false);
    model.selectedProperty().addListener((o, was, now) -> showTcpdump(now));
    model.liveCommandProperty().addListener((o, was, now) -> showTcpdump(model.selected()));
    words.wordsProperty().addListener((o, was, now) -> showTcpdump(model.selected()));

    SplitPane split = new SplitPane(lists, tree, hex, tcpdump);
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.34, 0.58, 0.82);
    VBox.setVgrow(split, Priority.ALWAYS);
    getChildren().addAll(top, split);

    model.selectedProperty().addListener((o, was, now) -> showSelection(now));
    listed.aroundChanges(() -> selectedBefore = selectedPackets(), this::keepSelectionListed);
    // Only the list on show holds the rows: the hidden one would lay out (and print) arriving live rows for nothing.
    showRowsIn(textView.get());
    textView.addListener((o, was, now) -> showRowsIn(now));
  }

  private void showRowsIn(boolean textView) {
    // The list giving its rows up clears its selection: not the user's choice, so the packet stays selected.
    selecting = true;
    table.setItems(textView ? FXCollections.emptyObservableList() : listed);
    text.setItems(textView ? listed : FXCollections.emptyObservableList());
    selecting = false;
    showSelection(model.selected());
  }

  private void showSelection(PacketDetail detail) {
    if (selecting) {
      return;
    }
    selecting = true;
    int row = detail == null ? -1 : listed.indexOf(model.rowOf(detail.number()));
    if (row < 0) {
      table.getSelectionModel().clearSelection();
      text.getSelectionModel().clearSelection();
    } else {
      table.getSelectionModel().clearAndSelect(row);
      text.getSelectionModel().clearAndSelect(row);
      table.scrollTo(Math.max(0, row - 3));
      text.scrollTo(Math.max(0, row - 3));
    }
    selecting = false;
  }

  /**
   * The selection after the listed rows changed: the packets selected before that are still listed,
   * the detail's packet last (the selected row, where Up and Down start), or none when no longer
   * listed (its detail stays on show). Left alone when the list's own moves already kept it.
   */
  private void keepSelectionListed() {
    MultipleSelectionModel<Integer> selection = selectionOnShow();
    PacketDetail detail = model.selected();
    int detailRow = detail == null ? -1 : listed.indexOf(model.rowOf(detail.number()));
    List<Integer> rows = new ArrayList<>();
    for (int number : selectedBefore) {
      int row = listed.indexOf(model.rowOf(number));
      if (row >= 0 && row != detailRow) {
        rows.add(row);
      }
    }
    if (detailRow >= 0) {
      rows.add(detailRow);
    }
    int last = rows.isEmpty() ? -1 : rows.get(rows.size() - 1);
    if (selection.getSelectedIndex() == last
        && new HashSet<>(selection.getSelectedIndices()).equals(new HashSet<>(rows))) {
      return;
    }
    selecting = true;
    selection.clearSelection();
    for (int row : rows) {
      selection.select(row); // the index, not select(T), the item: the rows' items are numbers too
    }
    selecting = false;
  }

  /** The selection of the list on show, the one holding the rows: the table or tcpdump's text. */
  private MultipleSelectionModel<Integer> selectionOnShow() {
    return text.getItems() == listed ? text.getSelectionModel() : table.getSelectionModel();
  }

  /**
   * Lists only the newest rows (while following a live stream), or all of them again; a list
   * listed anew shows its newest rows (the selected packet stays selected, if listed).
   */
  public void listNewestOnly(boolean newest) {
    if (listed.newestOnly(newest)) {
      showNewest();
    }
  }

  /** Scrolls the list on show to its newest row. */
  public void showNewest() {
    if (listed.isEmpty()) {
      return;
    }
    // Only the list on show: the hidden one would lay out (and print) rows for nothing.
    if (text.isVisible()) {
      text.scrollTo(listed.size() - 1);
    } else {
      table.scrollTo(listed.size() - 1);
    }
  }

  /**
   * Shows packet {@code number}'s detail, if this pane shows it, and selects it in the list on show
   * (scrolled to) when listed: a packet older than the newest rows listed while following still has its detail.
   */
  public void selectPacket(int number) {
    int row = model.rowOf(number);
    if (row >= 0) {
      model.select(row);
      showSelection(model.selected());
    }
  }

  /** The packets selected in the list on show, in the order selected. */
  public List<Integer> selectedPackets() {
    return List.copyOf(selectionOnShow().getSelectedItems());
  }

  private void buildTable(DoubleProperty fontSize) {
    table.setItems(listed);
    table.getStyleClass().add("packet-table");
    table.setRowFactory(view -> new PacketRow());
    table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
    table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
    table.getColumns().add(column("column.number", 56, s -> String.valueOf(s.number()), "number", fontSize));
    table.getColumns().add(column("column.time", 132, PacketSummary::time, "time", fontSize));
    table.getColumns().add(directionColumn(fontSize));
    table.getColumns().add(column("column.source", 150, PacketSummary::source, "source", fontSize));
    table.getColumns().add(column("column.destination", 150, PacketSummary::destination, "destination", fontSize));
    table.getColumns().add(column("column.protocol", 80, PacketSummary::protocol, "protocol", fontSize));
    table.getColumns().add(column("column.length", 60, s -> String.valueOf(s.length()), "length", fontSize));
    // A tunnelled packet's inner line follows on the same row, after a marker.
    table.getColumns().add(column("column.line", 900, s -> s.line().replace("\n", "  ⟫ "), "line", fontSize));
    table.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> selectRow(now.intValue()));
    table.setPlaceholder(words.named(new Label(), "pane.none", model.kind().title()));
    // Else JavaFX's own words, in the desktop's language, not the window's.
    text.setPlaceholder(words.named(new Label(), "pane.none", model.kind().title()));
  }

  /** A column named by the window's word for {@code key}. */
  private TableColumn<Integer, Integer> column(String key, double width, Function<PacketSummary, String> value,
      String id, DoubleProperty fontSize) {
    TableColumn<Integer, Integer> column = unnamedColumn(width, value, id, fontSize);
    column.textProperty().bind(words.text(key));
    return column;
  }

  /** The direction column is narrow: an arrow for a header, its name in the arrow's tooltip. */
  private TableColumn<Integer, Integer> directionColumn(DoubleProperty fontSize) {
    TableColumn<Integer, Integer> column = unnamedColumn(34, PacketSummary::direction, "direction", fontSize);
    Label arrow = new Label("⇄");
    arrow.setTooltip(words.tooltip("column.direction"));
    column.setGraphic(arrow);
    return column;
  }

  private TableColumn<Integer, Integer> unnamedColumn(double width, Function<PacketSummary, String> value,
      String id, DoubleProperty fontSize) {
    TableColumn<Integer, Integer> column = new TableColumn<>();
    column.setId(model.kind().name().toLowerCase() + "-" + id);
    // Widths follow the zoom, as the text does (and stay the user's to drag).
    column.setPrefWidth(width * fontSize.get() / InspectorModel.NORMAL_FONT);
    fontSize.addListener((o, was, now) ->
        column.setPrefWidth(column.getPrefWidth() * now.doubleValue() / was.doubleValue()));
    column.setSortable(false);
    // The value is the packet's number; the text is computed from the row only when shown.
    column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue()));
    column.setCellFactory(c -> new PacketCell(index -> index >= listed.size() ? ""
        : value.apply(model.summary(listed.paneRow(index)))));
    return column;
  }

  /**
   * The user selected list row {@code row} (-1: none). Not while the listed rows change: the lists'
   * selection then only moves with its packet (or drops one that scrolled off the newest rows, whose
   * detail stays on show).
   */
  private void selectRow(int row) {
    if (!selecting && !listed.isChanging()) {
      selecting = true;
      model.select(row < 0 ? -1 : listed.paneRow(row));
      selecting = false;
    }
  }

  private void showTcpdump(PacketDetail detail) {
    String live = model.liveCommandProperty().get();
    if (detail == null) {
      tcpdump.setText(labelled(live));
      return;
    }
    tcpdump.setText(detail.tcpdumpLine() + "\n" + detail.hexDump() + "\n\n"
        + labelled(live));
  }

  /** Each live command on its own line, marked as such. */
  private String labelled(String liveCommands) {
    return liveCommands.lines().map(command -> words.format("pane.live.command", command))
        .collect(Collectors.joining("\n"));
  }

  public PacketPaneModel model() {
    return model;
  }

  public TableView<Integer> table() {
    return table;
  }

  public ListView<Integer> textList() {
    return text;
  }

  public PacketTree tree() {
    return tree;
  }

  public HexView hex() {
    return hex;
  }

  public TextArea tcpdumpText() {
    return tcpdump;
  }

  public Label callout() {
    return callout;
  }

  static Region spacer() {
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    return spacer;
  }
}
