package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.MultipleSelectionModel;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.Start;

/**
 * While a pane follows the newest rows, each update drops rows at the list's top: the selection stays
 * on the selected packets, in tcpdump's text as in the table, and listing the rows anew keeps them.
 * (The pane is fed as a live session feeds it: the rows shown grow at their end.)
 */
class FollowingSelectionTest extends InspectorWindowTest {
  private static final int PACKETS = ListedRows.NEWEST + 3_000;
  @TempDir
  Path dir;

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void theSelectionStaysOnItsPacketsAsRowsDropOffTheTop() throws Exception {
    Path file = dir.resolve("packets.pcap");
    SyntheticCaptures.udpFrames(file, PACKETS);
    inspector.open(file);
    PacketPaneModel model = inspector.model.pane(PaneKind.TAP);
    PaneView pane = inspector.pane(PaneKind.TAP);
    MultipleSelectionModel<Integer> text = Inspector.onFx(() -> pane.textList().getSelectionModel());
    Inspector.onFx(() -> {
      inspector.model.textViewProperty().set(true);
      model.showLoaded(PACKETS - 2_000);
      pane.listNewestOnly(true);
      text.clearAndSelect(5_000);
    });
    int detail = Inspector.onFx(() -> model.selected().number());
    assertThat(Inspector.onFx(() -> text.getSelectedItem())).isEqualTo(detail);

    // An update: 1,000 rows arrive, as many leave the top; the row selected is the detail's still.
    Inspector.onFx(() -> model.showLoaded(PACKETS - 1_000));
    assertThat(Inspector.onFx(() -> text.getSelectedItem())).isEqualTo(detail);
    assertThat(Inspector.onFx(() -> text.getSelectedIndex())).isEqualTo(4_000);
    assertThat(Inspector.onFx(pane::selectedPackets)).containsExactly(detail);

    // The table, two packets selected (the detail's last): an update and a listing anew (following
    // off, as Pause does) keep both.
    MultipleSelectionModel<Integer> table = Inspector.onFx(() -> pane.table().getSelectionModel());
    Inspector.onFx(() -> {
      inspector.model.textViewProperty().set(false);
      table.clearAndSelect(3_000);
      table.select(3_002);
    });
    List<Integer> selected = Inspector.onFx(pane::selectedPackets);
    assertThat(selected).hasSize(2).endsWith(Inspector.onFx(() -> model.selected().number()));
    Inspector.onFx(() -> model.showLoaded(PACKETS - 500));
    assertThat(Inspector.onFx(pane::selectedPackets)).containsExactlyElementsOf(selected);
    assertThat(Inspector.onFx(() -> table.getSelectedIndex())).isEqualTo(2_502);
    Inspector.onFx(() -> pane.listNewestOnly(false));
    assertThat(Inspector.onFx(pane::selectedPackets)).containsExactlyElementsOf(selected);
    assertThat(Inspector.onFx(() -> table.getSelectedItem())).isEqualTo(selected.get(1));

    // A packet no longer listed while following is selected by number (a lesson's replay): its detail shows.
    Inspector.onFx(() -> pane.listNewestOnly(true));
    Inspector.onFx(() -> {
      inspector.model.textViewProperty().set(true);
      pane.selectPacket(0);
    });
    assertThat(Inspector.onFx(() -> model.selected().number())).isZero();
    assertThat(Inspector.onFx(() -> text.isEmpty())).isTrue();
    Inspector.onFx(() -> pane.selectPacket(PACKETS - 501));
    assertThat(Inspector.onFx(() -> text.getSelectedItem())).isEqualTo(PACKETS - 501);
  }

  /** Ctrl+T shows the list as tcpdump's text and back: the packet selected stays selected, its detail shown. */
  @Test
  void theTcpdumpTextAndTheTableShowTheSameSelection() throws Exception {
    Path file = dir.resolve("packets.pcap");
    SyntheticCaptures.udpFrames(file, 100);
    inspector.open(file);
    inspector.selectRow(PaneKind.TAP, 42);
    PaneView pane = inspector.pane(PaneKind.TAP);
    for (boolean text : new boolean[] {true, false}) {
      Inspector.onFx(() -> inspector.model.textViewProperty().set(text));
      assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected())).as("text view " + text)
          .isNotNull().extracting(PacketDetail::number).isEqualTo(42);
      assertThat(Inspector.onFx(pane::selectedPackets)).as("text view " + text).containsExactly(42);
    }
  }
}
