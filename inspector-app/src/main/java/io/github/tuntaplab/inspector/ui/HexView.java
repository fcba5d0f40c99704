package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;

/**
 * The selected packet's bytes, 16 a row, in hex and ASCII as tcpdump's {@code -XX} shows them,
 * each byte coloured by the layer it belongs to. The selected field's bytes are highlighted in both
 * columns; clicking a byte selects its field. An encapsulated packet's first byte is marked.
 */
public final class HexView extends ScrollPane {
  public static final String STYLE_CLASS = "hex-view";
  static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
  static final PseudoClass BITS = PseudoClass.getPseudoClass("bits");
  static final PseudoClass BOUNDARY = PseudoClass.getPseudoClass("boundary");
  /** tcpdump's 16 bytes a row, or 8 when 16 do not fit (large type on a projector). */
  private static final int WIDE = 16;
  private static final int NARROW = 8;
  /** A row of n bytes needs about 4.6 + 2.5 n font sizes of width (DejaVu Sans Mono, this padding). */
  private static final double EMS_PER_BYTE = 2.5;
  private static final double EMS_FIXED = 5.5;

  private final PacketPaneModel model;
  private final DoubleProperty fontSize;
  private final GridPane grid = new GridPane();
  private final List<Label> hexCells = new ArrayList<>();
  private final List<Label> asciiCells = new ArrayList<>();
  private int highlightFrom;
  private int highlightTo;
  private int perRow = WIDE;

  private final WindowLanguage words;

  HexView(PacketPaneModel model, DoubleProperty fontSize, WindowLanguage words) {
    this.model = model;
    this.words = words;
    this.fontSize = fontSize;
    getStyleClass().add(STYLE_CLASS);
    grid.getStyleClass().add("hex-grid");
    setContent(grid);
    setFitToWidth(true);
    model.selectedProperty().addListener((o, was, now) -> rebuild(now));
    model.highlightProperty().addListener((o, was, now) -> highlight(now));
    widthProperty().addListener((o, was, now) -> fitRows());
    fontSize.addListener((o, was, now) -> fitRows());
    // The bytes' tooltips in the other language.
    words.wordsProperty().addListener((o, was, now) -> {
      rebuild(model.selected());
      highlight(model.highlightProperty().get());
    });
  }

  private void fitRows() {
    double em = fontSize.get();
    int fitting = getWidth() >= em * (EMS_FIXED + EMS_PER_BYTE * WIDE) ? WIDE : NARROW;
    if (fitting != perRow) {
      perRow = fitting;
      rebuild(model.selected());
      highlight(model.highlightProperty().get());
    }
  }

  private void rebuild(PacketDetail detail) {
    grid.getChildren().clear();
    hexCells.clear();
    asciiCells.clear();
    highlightFrom = highlightTo = 0;
    if (detail == null) {
      return;
    }
    byte[] data = detail.data();
    List<Layer> layers = detail.dissection().layers();
    int[] layerOfByte = new int[data.length];
    java.util.Arrays.fill(layerOfByte, -1);
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      for (int i = layer.offset(); i < Math.min(data.length, layer.offset() + layer.length()); i++) {
        layerOfByte[i] = l;
      }
    }
    for (int row = 0; row * perRow < data.length; row++) {
      Label offset = new Label(String.format("%04x", row * perRow));
      offset.setMinWidth(USE_PREF_SIZE);
      offset.getStyleClass().add("hex-offset");
      grid.add(offset, 0, row);
      for (int column = 0; column < perRow; column++) {
        int i = row * perRow + column;
        if (i >= data.length) {
          break;
        }
        int value = data[i] & 0xff;
        Label hex = cell(String.format("%02x", value), i, layerOfByte[i] < 0 ? null : layers.get(layerOfByte[i]), "hex-byte");
        Label ascii = cell(value >= 0x20 && value < 0x7f ? String.valueOf((char) value) : ".", i,
            layerOfByte[i] < 0 ? null : layers.get(layerOfByte[i]), "ascii-byte");
        boolean boundary = layerOfByte[i] >= 0 && i == layers.get(layerOfByte[i]).offset()
            && layers.get(layerOfByte[i]).depth() > 0 && (layerOfByte[i] == 0
            || layers.get(layerOfByte[i] - 1).depth() < layers.get(layerOfByte[i]).depth());
        hex.pseudoClassStateChanged(BOUNDARY, boundary);
        ascii.pseudoClassStateChanged(BOUNDARY, boundary);
        // A gap after 8 bytes, as in tcpdump's pairs and Wireshark's halves.
        grid.add(hex, 1 + column + (column >= NARROW ? 1 : 0), row);
        grid.add(ascii, 2 + perRow + 1 + column, row);
        hexCells.add(hex);
        asciiCells.add(ascii);
      }
    }
    Label gap = new Label(" ");
    gap.getStyleClass().add("hex-gap");
    grid.add(gap, 1 + perRow + 1, 0);
    if (perRow > NARROW) {
      Label middle = new Label(" ");
      middle.getStyleClass().add("hex-middle");
      grid.add(middle, 1 + NARROW, 0);
    }
  }

  private Label cell(String text, int offset, Layer layer, String styleClass) {
    Label label = new Label(text);
    label.setMinWidth(USE_PREF_SIZE);
    label.getStyleClass().add(styleClass);
    if (layer != null) {
      label.getStyleClass().addAll(LayerStyle.classesOf(layer.name(), layer.depth()));
      label.setTooltip(new Tooltip(words.format(layer.depth() > 0 ? "hex.byte.inner" : "hex.byte", layer.label(),
          offset)));
    }
    label.setOnMouseClicked(e -> model.selectByte(offset));
    label.setUserData(offset);
    return label;
  }

  private void highlight(Highlight field) {
    for (int i = highlightFrom; i < highlightTo && i < hexCells.size(); i++) {
      for (Label cell : List.of(hexCells.get(i), asciiCells.get(i))) {
        cell.pseudoClassStateChanged(SELECTED, false);
        cell.pseudoClassStateChanged(BITS, false);
      }
    }
    highlightFrom = field == null ? 0 : Math.min(field.offset(), hexCells.size());
    highlightTo = field == null ? 0 : Math.min(field.offset() + field.length(), hexCells.size());
    boolean bits = field != null && field.mask() != null;
    for (int i = highlightFrom; i < highlightTo; i++) {
      for (Label cell : List.of(hexCells.get(i), asciiCells.get(i))) {
        cell.pseudoClassStateChanged(SELECTED, true);
        cell.pseudoClassStateChanged(BITS, bits);
      }
    }
    if (highlightTo > highlightFrom) {
      Label first = hexCells.get(highlightFrom);
      double y = first.getBoundsInParent().getMinY();
      double height = grid.getHeight() - getViewportBounds().getHeight();
      if (height > 0) {
        setVvalue(Math.max(0, Math.min(1, (y - getViewportBounds().getHeight() / 3) / height)));
      }
    }
  }

  /** The offsets of the bytes highlighted now, in the hex column and (the same) in the ASCII column. */
  public List<Integer> highlightedOffsets() {
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < hexCells.size(); i++) {
      boolean hex = hexCells.get(i).getPseudoClassStates().contains(SELECTED);
      boolean ascii = asciiCells.get(i).getPseudoClassStates().contains(SELECTED);
      if (hex != ascii) {
        throw new IllegalStateException("byte " + i + " highlighted in one column only");
      }
      if (hex) {
        offsets.add(i);
      }
    }
    return offsets;
  }

  /** The hex cell of byte {@code offset}: for clicks in tests and screenshots. */
  public Label hexCell(int offset) {
    return hexCells.get(offset);
  }

  /** How many bytes are shown. */
  public int byteCount() {
    return hexCells.size();
  }
}
