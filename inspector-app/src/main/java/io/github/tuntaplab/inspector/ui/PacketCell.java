package io.github.tuntaplab.inspector.ui;

import java.util.function.IntFunction;
import javafx.geometry.VPos;
import javafx.scene.AccessibleAttribute;
import javafx.scene.control.Skin;
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
 * characters (measuring it when it holds a glyph other than ASCII, which a fallback font may draw
 * wider). Text and fill follow the cell's font and text fill (a selected row's white).
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
  protected Skin<?> createDefaultSkin() {
    return new TableCellSkin<>(this) {
      {
        // Added once and kept: the skin replaces its children only when the graphic or the content
        // display changes (LabeledSkinBase.updateChildren), neither of which a packet cell sets.
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
    // A cell outside a packet row is the one a column's fit-to-content (a double click on its
    // header's divider) measures: that measures the cell's own text, so it gets it.
    setText(getTableRow() instanceof PacketRow ? null : whole);
    fit();
  }

  /** Screen readers read the whole text, not the cut one nor the cell's own (unset). */
  @Override
  public Object queryAccessibleAttribute(AccessibleAttribute attribute, Object... parameters) {
    return attribute == AccessibleAttribute.TEXT ? whole : super.queryAccessibleAttribute(attribute, parameters);
  }

  /** The text as the cell shows it: whole, or cut to its width with an ellipsis. */
  String shownText() {
    return text.getText();
  }

  /** The width the text takes as the cell shows it. */
  double shownWidth() {
    return text.getLayoutBounds().getWidth();
  }

  private void fit() {
    double room = getWidth() - snappedLeftInset() - snappedRightInset();
    int length = whole.codePointCount(0, whole.length());
    int fits = room <= 0 ? length : (int) Math.floor(room / characterWidth(getFont()));
    text.setText(length <= fits ? whole : cut(fits - 1));
    if (room > 0 && !whole.chars().allMatch(c -> c < 128)) {
      // Another glyph's width is not a digit's: measured, and cut shorter while it does not fit.
      int kept = length <= fits ? length : fits - 1;
      while (kept > 0 && text.getLayoutBounds().getWidth() > room) {
        kept = Math.min(kept - 1, (int) (kept * room / text.getLayoutBounds().getWidth()));
        text.setText(cut(kept));
      }
    }
  }

  /** The first {@code kept} characters (code points) of the text and an ellipsis, or nothing for none. */
  private String cut(int kept) {
    return kept < 1 ? "" : whole.substring(0, whole.offsetByCodePoints(0, kept)) + ELLIPSIS;
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
