package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * On the lab capture: a field's highlighted bytes are the dissection's range, a clicked byte
 * selects its field, and a TAP frame, a TUN packet and the underlay packet carrying it select each
 * other with the extra bytes called out.
 */
@LiveTest
class HighlightAndLinkTest extends InspectorWindowTest {
  @Start
  void start(Stage stage) {
    show(stage);
  }

  @BeforeEach
  void open() throws Exception {
    inspector.open(LabCapture.merged());
  }

  /** The row of the first packet in a pane whose tcpdump line contains {@code text}. */
  private int rowWith(PaneKind kind, String text) {
    List<String> lines = inspector.lines(kind);
    int row = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(text)).findFirst().orElse(-1);
    assertThat(row).as("a %s line with %s in %s", kind, text, lines).isNotNegative();
    return row;
  }

  @Test
  void everyFieldHighlightsExactlyItsBytesInHexAndAscii() {
    int row = rowWith(PaneKind.TAP, "id 32343, seq 1");
    inspector.selectRow(PaneKind.TAP, row);
    PaneView pane = inspector.pane(PaneKind.TAP);
    List<TreeItem<PacketTree.Entry>> items = Inspector.onFx(() -> pane.tree().fieldItems());
    assertThat(items).hasSizeGreaterThan(15);
    for (TreeItem<PacketTree.Entry> item : items) {
      Field field = item.getValue().field();
      List<Integer> highlighted = Inspector.onFx(() -> {
        pane.tree().getSelectionModel().select(item);
        return pane.hex().highlightedOffsets();
      });
      assertThat(highlighted).as(field.name())
          .containsExactlyElementsOf(IntStream.range(field.offset(), field.offset() + field.length()).boxed().toList());
      assertThat(Inspector.onFx(() -> inspector.view.selectionLabel().getText())).as(field.name())
          .contains(field.name() + ", bytes " + field.offset() + "–" + (field.offset() + field.length() - 1));
    }
  }

  @Test
  void clickingAByteSelectsItsField(FxRobot robot) {
    inspector.selectRow(PaneKind.TAP, rowWith(PaneKind.TAP, "id 32343, seq 1"));
    HexView hex = inspector.pane(PaneKind.TAP).hex();
    // Offsets from the headers' definitions: Ethernet (14 bytes), then IPv4 without options, then ICMP.
    String[][] expected = {{"0", "eth.dst"}, {"6", "eth.src"}, {"13", "eth.type"}, {"14", "ip.version"},
        {"22", "ip.ttl"}, {"23", "ip.proto"}, {"27", "ip.src"}, {"30", "ip.dst"}, {"34", "icmp.type"},
        {"38", "icmp.ident"}};
    for (String[] byteAndField : expected) {
      int offset = Integer.parseInt(byteAndField[0]);
      robot.clickOn(Inspector.onFx(() -> hex.hexCell(offset)));
      WaitForAsyncUtils.waitForFxEvents();
      Field selected = Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selectedFieldProperty().get());
      assertThat(selected).as("byte " + offset).isNotNull();
      assertThat(selected.name()).as("byte " + offset).isEqualTo(byteAndField[1]);
      assertThat(Inspector.onFx(() -> hex.highlightedOffsets())).contains(offset);
      TreeItem<PacketTree.Entry> inTree = Inspector.onFx(() ->
          inspector.pane(PaneKind.TAP).tree().getSelectionModel().getSelectedItem());
      assertThat(inTree.getValue().field().name()).isEqualTo(byteAndField[1]);
    }
  }

  @Test
  void aTapFrameSelectsTheTunPacketWithTheSameIpBytes() {
    inspector.selectRow(PaneKind.TAP, rowWith(PaneKind.TAP, "id 32343, seq 2"));
    PacketDetail tap = Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected());
    PacketDetail tun = Inspector.onFx(() -> inspector.model.pane(PaneKind.TUN).selected());
    assertThat(tun).as("the linked TUN packet").isNotNull();
    assertThat(tun.data()).isEqualTo(Arrays.copyOfRange(tap.data(), 14, tap.data().length));
    assertThat(tun.tcpdumpLine()).contains("ICMP echo request, id 32343, seq 2");
    assertThat(Inspector.onFx(() -> inspector.pane(PaneKind.TAP).callout().getText()))
        .startsWith("+ 14-byte Ethernet header around TUN #" + (tun.number() + 1));
    assertThat(Inspector.onFx(() -> inspector.pane(PaneKind.TUN).callout().getText()))
        .startsWith("= the IP packet inside TAP #" + (tap.number() + 1));

    // And back: the TUN packet selects the TAP frame.
    inspector.selectRow(PaneKind.TAP, rowWith(PaneKind.TAP, "ARP"));
    inspector.selectRow(PaneKind.TUN, Inspector.onFx(() -> inspector.model.pane(PaneKind.TUN).rowOf(tun.number())));
    assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected().number())).isEqualTo(tap.number());
  }

  @Test
  void aTunnelledPacketSelectsTheUnderlayPacketCarryingIt() {
    inspector.selectRow(PaneKind.TUN, rowWith(PaneKind.TUN, "198.18.2.1 > 198.18.2.2: ICMP echo request"));
    PacketDetail tun = Inspector.onFx(() -> inspector.model.pane(PaneKind.TUN).selected());
    PacketDetail underlay = Inspector.onFx(() -> inspector.model.pane(PaneKind.UNDERLAY).selected());
    assertThat(underlay).as("the underlay packet").isNotNull();
    byte[] outer = underlay.data();
    assertThat(Arrays.copyOfRange(outer, outer.length - tun.data().length, outer.length)).isEqualTo(tun.data());
    assertThat(underlay.tcpdumpLine()).contains("198.51.100.1.5555 > 198.51.100.2.5555: UDP");
    assertThat(Inspector.onFx(() -> inspector.pane(PaneKind.UNDERLAY).callout().getText()))
        .startsWith("+ 42 bytes: 14-byte Ethernet header + 28 bytes of encapsulation (ip 20, udp 8)");
  }
}
