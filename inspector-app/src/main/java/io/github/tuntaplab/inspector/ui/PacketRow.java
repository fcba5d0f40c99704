package io.github.tuntaplab.inspector.ui;

import javafx.scene.control.TableRow;

/**
 * A packet table's row. When it only swaps one packet for another its cells stay where they are
 * (the rows have a fixed height, the columns did not change) and each sets its new text itself
 * ({@link PacketCell}, which asks for no layout): the row then asks for no layout either. A row
 * asking for one is styled again in full before it is laid out, with all its cells; while a live
 * pane follows the newest packets every row in view swaps its packet at every update.
 */
final class PacketRow extends TableRow<Integer> {
  private boolean swapping;

  @Override
  protected void updateItem(Integer number, boolean empty) {
    swapping = getSkin() != null && !isEmpty() && !empty && getItem() != null && number != null;
    try {
      super.updateItem(number, empty);
    } finally {
      swapping = false;
    }
  }

  @Override
  public void requestLayout() {
    if (!swapping) {
      super.requestLayout();
    }
  }
}
