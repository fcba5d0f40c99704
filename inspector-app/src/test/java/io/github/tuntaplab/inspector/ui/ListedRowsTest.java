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
    arrive(600);
    arrive(600);
    assertThat(listed).hasSize(ListedRows.NEWEST);
    assertThat(listed.get(ListedRows.NEWEST - 1)).isEqualTo(rows.get(1199));
    assertThat(listed.get(0)).isEqualTo(rows.get(200));
    assertThat(listed.paneRow(0)).isEqualTo(200);
    assertThat(listed.indexOf(199)).isEqualTo(-1);
    assertThat(listed.indexOf(1199)).isEqualTo(ListedRows.NEWEST - 1);
    // 200 dropped at the top, 600 added at the end (after the 400 kept).
    assertThat(changes).containsExactly("+0..600", "-0x200 +400..1000");
    // The dropped rows are the ones listed before: a list's selection moves with them.
    List<Integer> removed = new ArrayList<>();
    listed.addListener((ListChangeListener<Integer>) c -> {
      while (c.next()) {
        removed.addAll(c.getRemoved());
      }
    });
    arrive(3);
    assertThat(removed).isEqualTo(IntStream.range(200, 203).mapToObj(rows::get).toList());
    assertThat(listed).hasSize(ListedRows.NEWEST);
  }

  @Test
  void notFollowingEveryRowIsListedAgain() {
    listed.newestOnly(true);
    arrive(1500);
    listed.newestOnly(false);
    assertThat(listed).hasSize(1500);
    assertThat(listed.paneRow(0)).isZero();
    assertThat(listed.get(1499)).isEqualTo(rows.get(1499));
    arrive(10);
    assertThat(listed).hasSize(1510);
    // A new list (a filter, a cleared session) is listed afresh.
    listed.newestOnly(true);
    IntList fewer = new IntList(16);
    fewer.add(4);
    rows.show(fewer, 1);
    assertThat(listed).containsExactly(4);
  }
}
