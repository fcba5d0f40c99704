package io.github.tuntaplab.inspector.ui;

import java.util.function.IntFunction;
import javafx.geometry.VPos;
import javafx.scene.control.TableCell;
import javafx.scene.control.skin.TableCellSkin;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * A cell of a packet table: its text is a {@link Text} node of its own, added once, whose text is
 * then only replaced. A cell's own text (a Labeled's) would cost, on every change, re-adding its
 * text node (which CSS then styles from scratch, matching every selector again) and measuring it to
 * cut it with an ellipsis: while a live pane follows the newest packets, every cell in view changes
 * at every update. The font is monospaced, so the cell cuts a text too long for it by counting
 * characters. Text and fill follow the cell's font and text fill (a selected row's white).
 */
final class PacketCell extends TableCell<Integer, Integer> {
  private static final String ELLIPSIS = "…";
  /** The font last measured and the width of one of its characters, shared by every cell (FX thread). */
  private static Font measuredFont;
  private static double characterWidth;

  private final IntFunction<String> textOfRow;
  private final Text text = new Text();
  private String whole = "";

  /** A cell showing {@code textOfRow.apply(row)} for its row. */
  PacketCell(IntFunction<String> textOfRow) {
    this.textOfRow = textOfRow;
    text.setManaged(false); // a new text does not ask its cell, and so its row, for a layout
    text.setTextOrigin(VPos.CENTER);
    text.fontProperty().bind(fontProperty());
    text.fillProperty().bind(textFillProperty());
    fontProperty().addListener((o, was, now) -> fit());
  }

  @Override
  protected javafx.scene.control.Skin<?> createDefaultSkin() {
    return new TableCellSkin<>(this) {
      {
        getChildren().add(text);
      }

      @Override
      protected void layoutChildren(double x, double y, double w, double h) {
        super.layoutChildren(x, y, w, h);
        text.setLayoutX(x);
        text.setLayoutY(y + h / 2);
        fit();
      }
    };
  }

  @Override
  protected void updateItem(Integer number, boolean empty) {
    super.updateItem(number, empty);
    whole = empty || number == null || getIndex() < 0 ? "" : textOfRow.apply(getIndex());
    fit();
  }

  /** The text as the cell shows it: whole, or cut to its width with an ellipsis. */
  String shownText() {
    return text.getText();
  }

  private void fit() {
    double room = getWidth() - snappedLeftInset() - snappedRightInset();
    int fits = room <= 0 ? whole.length() : (int) Math.floor(room / characterWidth(getFont()));
    text.setText(whole.length() <= fits ? whole : fits < 1 ? "" : whole.substring(0, fits - 1) + ELLIPSIS);
  }

  private static double characterWidth(Font font) {
    if (!font.equals(measuredFont)) {
      Text sample = new Text("0123456789");
      sample.setFont(font);
      characterWidth = sample.getLayoutBounds().getWidth() / 10;
      measuredFont = font;
    }
    return characterWidth;
  }
}
