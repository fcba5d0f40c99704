package io.github.tuntaplab.inspector.ui;

import javafx.collections.ObservableListBase;

/**
 * A pane's visible packets as the list a TableView or ListView shows: the file index of each row,
 * nothing else in memory. Grows while the file loads; replaced whole when a filter changes.
 * FX thread only.
 */
final class PacketRows extends ObservableListBase<Integer> {
  private IntList source = new IntList(16);
  private int size;

  /** Shows the first {@code count} packets of {@code list} (the same list, grown, or a new one). */
  void show(IntList list, int count) {
    if (list == source && count >= size) {
      if (count > size) {
        int from = size;
        size = count;
        beginChange();
        nextAdd(from, count);
        endChange();
      }
      return;
    }
    int removed = size;
    source = list;
    size = count;
    beginChange();
    if (removed > 0) {
      nextRemove(0, java.util.Collections.nCopies(removed, 0));
    }
    if (count > 0) {
      nextAdd(0, count);
    }
    endChange();
  }

  IntList source() {
    return source;
  }

  @Override
  public Integer get(int index) {
    java.util.Objects.checkIndex(index, size);
    return source.get(index);
  }

  @Override
  public int size() {
    return size;
  }

  /** The row showing packet {@code number}, or -1. */
  int rowOf(int number) {
    int row = source.indexOf(number);
    return row < size ? row : -1;
  }
}
