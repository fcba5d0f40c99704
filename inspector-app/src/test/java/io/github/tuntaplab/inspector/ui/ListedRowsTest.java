package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

/** The rows a pane lists while following a live stream: the newest ones, a list that keeps its length. */
class ListedRowsTest {
  private final IntList packets = new IntList(16);
  private final PacketRows rows = new PacketRows();
  private final ListedRows listed = new ListedRows(rows);
  private final List<String> changes = new ArrayList<>();

  ListedRowsTest() {
    listed.addListener((ListChangeListener<Integer>) c -> {
      StringBuilder text = new StringBuilder();
      while (c.next()) {
        text.append(c.wasRemoved() ? "-" + c.getFrom() + "x" + c.getRemovedSize() : "")
            .append(c.wasAdded() ? "+" + c.getFrom() + ".." + c.getTo() : "").append(' ');
      }
      changes.add(text.toString().strip());
    });
  }

  private void arrive(int count) {
    for (int i = 0; i < count; i++) {
      packets.add(packets.size() * 2); // packet numbers as a pane's: ascending, not every one
    }
    rows.show(packets, packets.size());
  }

  @Test
  void whileFollowingTheListKeepsItsLengthAndItsRowsTheirIndexes() {
    listed.newestOnly(true);
    int newest = ListedRows.NEWEST;
    arrive(newest * 6 / 10);
    arrive(newest * 6 / 10);
    assertThat(listed).hasSize(newest);
    int total = newest * 12 / 10;
    assertThat(listed.get(newest - 1)).isEqualTo(rows.get(total - 1));
    assertThat(listed.get(0)).isEqualTo(rows.get(total - newest));
    assertThat(listed.paneRow(0)).isEqualTo(total - newest);
    assertThat(listed.indexOf(total - newest - 1)).isEqualTo(-1);
    assertThat(listed.indexOf(total - 1)).isEqualTo(newest - 1);
    // A fifth dropped at the top, six tenths added at the end (after the four tenths kept).
    assertThat(changes).containsExactly("+0.." + newest * 6 / 10,
        "-0x" + newest / 5 + " +" + newest * 4 / 10 + ".." + newest);
    // The dropped rows are the ones listed before: a list's selection moves with them.
    List<Integer> removed = new ArrayList<>();
    listed.addListener((ListChangeListener<Integer>) c -> {
      while (c.next()) {
        removed.addAll(c.getRemoved());
      }
    });
    arrive(3);
    assertThat(removed).isEqualTo(IntStream.range(total - newest, total - newest + 3).mapToObj(rows::get).toList());
    assertThat(listed).hasSize(ListedRows.NEWEST);
  }

  @Test
  void notFollowingEveryRowIsListedAgain() {
    listed.newestOnly(true);
    int more = ListedRows.NEWEST * 3 / 2;
    arrive(more);
    listed.newestOnly(false);
    assertThat(listed).hasSize(more);
    assertThat(listed.paneRow(0)).isZero();
    assertThat(listed.get(more - 1)).isEqualTo(rows.get(more - 1));
    arrive(10);
    assertThat(listed).hasSize(more + 10);
    // A new list (a filter, a cleared session) is listed afresh.
    listed.newestOnly(true);
    IntList fewer = new IntList(16);
    fewer.add(4);
    rows.show(fewer, 1);
    assertThat(listed).containsExactly(4);
  }
}
