package io.github.tuntaplab.inspector.ui;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableListBase;

/**
 * The rows a pane's lists hold: all of the pane's rows, or, while they follow a live stream, only
 * the newest {@link #NEWEST} of them. A list that follows at full rate then keeps its length: each
 * update drops as many rows at its top as arrive at its end, so the cells in view keep their indexes
 * (no odd/even restyling of every cell in view) and the table keeps its cells (a table whose row
 * count changes, or all of whose rows go at once, makes its cells anew, restyled from scratch), and
 * the list's layout, which walks every row up to the one in view, walks a bounded number of rows,
 * not all of a million. FX thread only.
 */
final class ListedRows extends ObservableListBase<Integer> {
  /**
   * Rows listed at most while following: more than an update usually brings. A live source lets
   * the panes fall at most LiveSource.BACKLOG (8,192) packets behind, though one pane may gain
   * nearly twice that between two turns, and a resume after a pause brings all it held (that lists
   * anew anyway). An update bringing more than this drops every row listed: correct, only slower
   * for that one update (the table makes its cells anew).
   */
  static final int NEWEST = 20_000;

  private final ObservableList<Integer> rows;
  private int limit = Integer.MAX_VALUE;
  /** The pane's row listed first. */
  private int first;
  private int size;
  private boolean changing;
  private Runnable beforeChange = () -> { };
  private Runnable afterChange = () -> { };

  ListedRows(ObservableList<Integer> rows) {
    this.rows = rows;
    size = rows.size();
    rows.addListener((ListChangeListener<Integer>) this::rowsChanged);
  }

  /**
   * Runs {@code before} ahead of each change (this list still as it was) and {@code after} once every listener has seen it: a
   * list's selection model, a listener the list adds whenever it is given these rows (after any of
   * ours), moves its selection with the change, so ours can only be corrected after it.
   */
  void aroundChanges(Runnable before, Runnable after) {
    beforeChange = before;
    afterChange = after;
  }

  /** Lists only the newest {@link #NEWEST} rows, or all of them again; false when it already did. */
  boolean newestOnly(boolean newest) {
    int next = newest ? NEWEST : Integer.MAX_VALUE;
    if (next == limit) {
      return false;
    }
    beforeChange.run();
    limit = next;
    relist();
    return true;
  }

  /** The pane's row shown at {@code index} of this list. */
  int paneRow(int index) {
    return first + index;
  }

  /** The index of the pane's {@code row} in this list, or -1 when it is not listed. */
  int indexOf(int row) {
    return row < first || row >= first + size ? -1 : row - first;
  }

  /** Whether this list is changing: its lists' selection then moves with the rows, not by the user. */
  boolean isChanging() {
    return changing;
  }

  private void rowsChanged(ListChangeListener.Change<? extends Integer> change) {
    beforeChange.run();
    boolean grown = change.next() && change.wasAdded() && !change.wasRemoved() && change.getFrom() == first + size
        && !change.next();
    if (grown) {
      listNewest();
    } else {
      relist();
    }
  }

  /** The pane's rows grew at their end: what arrived is listed at the end, as much dropped at the top. */
  private void listNewest() {
    int total = rows.size();
    int nextFirst = Math.max(first, total - limit);
    int dropped = Math.min(nextFirst - first, size);
    List<Integer> droppedRows = List.copyOf(subList(0, dropped));
    int kept = size - dropped;
    first = nextFirst;
    size = total - first;
    fire(droppedRows, kept);
  }

  /** The pane's rows were replaced (or the limit changed): everything is listed afresh. */
  private void relist() {
    List<Integer> old = Collections.nCopies(size, 0);
    first = Math.max(0, rows.size() - limit);
    size = rows.size() - first;
    fire(old, 0);
  }

  /** One change: {@code removed} rows gone from the top, then rows added after the {@code kept} ones. */
  private void fire(List<Integer> removed, int kept) {
    if (removed.isEmpty() && kept == size) {
      return;
    }
    changing = true;
    try {
      beginChange();
      if (!removed.isEmpty()) {
        nextRemove(0, removed);
      }
      if (size > kept) {
        nextAdd(kept, size);
      }
      endChange();
    } finally {
      changing = false;
    }
    afterChange.run();
  }

  @Override
  public Integer get(int index) {
    Objects.checkIndex(index, size);
    return rows.get(first + index);
  }

  @Override
  public int size() {
    return size;
  }
}
