package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * Lesson 5's recorded run ({@code sample-captures/lesson-5.pcapng}: a plain and an encrypted
 * IP-in-UDP tunnel, their TUNs and the veths under them, with their namespaces in the interface
 * descriptions): the plain tunnel is found without a decode-as rule for the tree, the highlighting
 * and the link, while the tcpdump text stays tcpdump's; the live commands run tcpdump in each
 * interface's namespace.
 */
class TunnelSampleTest extends InspectorWindowTest {
  private final Path samples = Prerequisites.repositoryRoot().resolve("sample-captures");
  private final Path tunnel = samples.resolve("lesson-5.pcapng");

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @BeforeEach
  void open() throws Exception {
    inspector.open(tunnel);
  }

  @Test
  void theUnderlayPacketShowsTheTunPacketInsideWhileItsTextStaysTcpdumps() throws Exception {
    List<String> tunLines = inspector.lines(PaneKind.TUN);
    int row = IntStream.range(0, tunLines.size()).filter(i -> tunLines.get(i).contains("ICMP echo request"))
        .findFirst().orElseThrow();
    inspector.selectRow(PaneKind.TUN, row);
    PacketDetail tun = Inspector.onFx(() -> inspector.model.pane(PaneKind.TUN).selected());
    PacketDetail underlay = Inspector.onFx(() -> inspector.model.pane(PaneKind.UNDERLAY).selected());
    assertThat(underlay).as("the underlay packet carrying the TUN packet").isNotNull();
    int innerStart = underlay.data().length - tun.data().length;
    assertThat(Arrays.copyOfRange(underlay.data(), innerStart, underlay.data().length)).isEqualTo(tun.data());

    // The tree: the carried packet is an encapsulated subtree from its first byte.
    Layer inner = underlay.dissection().layers().stream().filter(l -> l.depth() == 1).findFirst().orElseThrow();
    assertThat(inner.name()).isEqualTo("ip");
    assertThat(inner.offset()).isEqualTo(innerStart);
    List<TreeItem<PacketTree.Entry>> sources = Inspector.onFx(() -> inspector.pane(PaneKind.UNDERLAY).tree()
        .fieldItems().stream().filter(item -> item.getValue().field().name().equals("ip.src")).toList());
    assertThat(sources).hasSize(2);
    Field innerSource = sources.get(1).getValue().field();
    List<Integer> highlighted = Inspector.onFx(() -> {
      inspector.pane(PaneKind.UNDERLAY).tree().getSelectionModel().select(sources.get(1));
      return inspector.pane(PaneKind.UNDERLAY).hex().highlightedOffsets();
    });
    assertThat(highlighted).containsExactly(innerStart + 12, innerStart + 13, innerStart + 14, innerStart + 15);
    assertThat(innerSource.value().toString()).isEqualTo("198.18.0.1");
    assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.UNDERLAY).summary(
        inspector.model.pane(PaneKind.UNDERLAY).rowOf(underlay.number())).protocol())).isEqualTo("ICMP in UDP");

    // The text: what tcpdump prints for the veths' captures, a bare UDP datagram.
    String tcpdumpLine = underlay.tcpdumpLine();
    assertThat(tcpdumpLine).endsWith("UDP, length " + tun.data().length);
    List<String> veths = new ArrayList<>();
    try (Stream<Path> files = Files.list(samples)) {
      files.filter(file -> file.getFileName().toString().matches("lesson-5-.*\\.pcap")).sorted()
          .forEach(file -> veths.addAll(PacketListTest.tcpdump(file)));
    }
    assertThat(veths).contains(tcpdumpLine);
  }

  @Test
  void theLiveCommandsRunTcpdumpInTheInterfacesNamespaces() {
    Prerequisites.requireTool("tshark");
    List<String> described = Cmd.ok("tshark", "-n", "-r", tunnel.toString(), "-T", "fields", "-E", "separator=/t",
        "-e", "frame.interface_name", "-e", "frame.interface_description").lines().distinct().toList();
    Map<PaneKind, List<String>> expected = new EnumMap<>(PaneKind.class);
    for (String line : described) {
      String[] cells = line.split("\t");
      String namespace = cells[1].substring(cells[1].lastIndexOf(' ') + 1);
      PaneKind pane = cells[1].startsWith("tun ") ? PaneKind.TUN : PaneKind.UNDERLAY;
      expected.computeIfAbsent(pane, p -> new ArrayList<>())
          .add("sudo ip netns exec " + namespace + " tcpdump -nn -e -XX -i " + cells[0]);
    }
    assertThat(expected.keySet()).containsExactly(PaneKind.TUN, PaneKind.UNDERLAY);
    for (Map.Entry<PaneKind, List<String>> pane : expected.entrySet()) {
      assertThat(Inspector.onFx(() -> inspector.model.pane(pane.getKey()).liveCommandProperty().get()).lines())
          .containsExactlyInAnyOrderElementsOf(pane.getValue());
    }
    // A tunnel's TUN and underlay take the window; the empty TAP pane steps aside.
    assertThat(Inspector.onFx(() -> inspector.model.showsTapProperty().get())).isFalse();
  }
}
