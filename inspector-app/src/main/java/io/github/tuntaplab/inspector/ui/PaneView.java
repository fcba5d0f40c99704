package io.github.tuntaplab.inspector.ui;

import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
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

  PaneView(PacketPaneModel model, BooleanProperty textView, DoubleProperty fontSize) {
    this.model = model;
    listed = new ListedRows(model.rows());
    getStyleClass().addAll("pane-view", "pane-" + model.kind().name().toLowerCase());
    Label title = new Label(model.kind().title());
    title.getStyleClass().add("pane-title");
    Label subtitle = new Label(model.kind().subtitle());
    subtitle.getStyleClass().add("pane-subtitle");
    callout.getStyleClass().add("callout");
    callout.textProperty().bind(model.calloutProperty());
    callout.visibleProperty().bind(model.calloutProperty().isNotEmpty());
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

    tree = new PacketTree(model);
    hex = new HexView(model, fontSize);
    tcpdump.setEditable(false);
    tcpdump.getStyleClass().add("tcpdump-view");
    tcpdump.setWrapText(false);
    model.selectedProperty().addListener((o, was, now) -> showTcpdump(now));
    model.liveCommandProperty().addListener((o, was, now) -> showTcpdump(model.selected()));

    SplitPane split = new SplitPane(lists, tree, hex, tcpdump);
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.34, 0.58, 0.82);
    VBox.setVgrow(split, Priority.ALWAYS);
    getChildren().addAll(top, split);

    model.selectedProperty().addListener((o, was, now) -> showSelection(now));
    listed.addListener((javafx.collections.ListChangeListener<Integer>) c -> keepSelectionListed());
    // Only the list on show holds the rows: the hidden one would lay out (and print) arriving live rows for nothing.
    showRowsIn(textView.get());
    textView.addListener((o, was, now) -> showRowsIn(now));
  }

  private void showRowsIn(boolean textView) {
    table.setItems(textView ? FXCollections.emptyObservableList() : listed);
    text.setItems(textView ? listed : FXCollections.emptyObservableList());
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
   * The lists' selection after the listed rows changed: on the selected packet's row, or none when
   * it is no longer listed (its detail stays on show). Only the list's own moves are corrected.
   */
  private void keepSelectionListed() {
    PacketDetail detail = model.selected();
    int row = detail == null ? -1 : listed.indexOf(model.rowOf(detail.number()));
    selecting = true;
    for (javafx.scene.control.MultipleSelectionModel<Integer> selection : List.of(table.getSelectionModel(),
        text.getSelectionModel())) {
      if (row < 0 && !selection.isEmpty()) {
        selection.clearSelection();
      } else if (row >= 0 && selection.getSelectedIndex() != row) {
        selection.clearAndSelect(row);
      }
    }
    selecting = false;
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

  /** Selects packet {@code number} in the list on show (and scrolls to it) if it is listed. */
  public void selectPacket(int number) {
    int row = listed.indexOf(model.rowOf(number));
    if (row >= 0) {
      table.getSelectionModel().clearAndSelect(row);
      table.scrollTo(row);
    }
  }

  /** The packets selected in the list on show, in the order selected. */
  public List<Integer> selectedPackets() {
    return List.copyOf((text.isVisible() ? text.getSelectionModel() : table.getSelectionModel()).getSelectedItems());
  }

  private void buildTable(DoubleProperty fontSize) {
    table.setItems(listed);
    table.getStyleClass().add("packet-table");
    table.setRowFactory(view -> new PacketRow());
    table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
    table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
    table.getColumns().add(column("No.", 56, s -> String.valueOf(s.number()), "number", fontSize));
    table.getColumns().add(column("Time", 132, PacketSummary::time, "time", fontSize));
    table.getColumns().add(column("Dir", 34, PacketSummary::direction, "direction", fontSize));
    table.getColumns().add(column("Source", 150, PacketSummary::source, "source", fontSize));
    table.getColumns().add(column("Destination", 150, PacketSummary::destination, "destination", fontSize));
    table.getColumns().add(column("Protocol", 80, PacketSummary::protocol, "protocol", fontSize));
    table.getColumns().add(column("Length", 60, s -> String.valueOf(s.length()), "length", fontSize));
    // A tunnelled packet's inner line follows on the same row, after a marker.
    table.getColumns().add(column("tcpdump -nn -e", 900, s -> s.line().replace("\n", "  ⟫ "), "line", fontSize));
    table.getColumns().get(2).setText("⇄");
    table.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> selectRow(now.intValue()));
    table.setPlaceholder(new Label("No " + model.kind().title() + " packets in this file"));
  }

  private TableColumn<Integer, Integer> column(String name, double width, Function<PacketSummary, String> value,
      String id, DoubleProperty fontSize) {
    TableColumn<Integer, Integer> column = new TableColumn<>(name);
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
  private static String labelled(String liveCommands) {
    return liveCommands.lines().map(command -> "Live: " + command).collect(java.util.stream.Collectors.joining("\n"));
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
