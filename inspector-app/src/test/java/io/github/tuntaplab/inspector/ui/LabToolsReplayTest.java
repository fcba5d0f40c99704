package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.craft.CraftModel;
import io.github.tuntaplab.inspector.ui.craft.CraftTarget;
import io.github.tuntaplab.inspector.ui.tools.LabTools;
import io.github.tuntaplab.inspector.ui.topology.PacketPath;
import io.github.tuntaplab.inspector.ui.topology.TopologyGraph;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * The lab tools on recorded runs, without a lab. Lesson 5's on the topology picture: the way of a packet through the plain
 * tunnel runs from the client's stack into its TUN, through the tunnel endpoint, out of its UDP
 * socket over the underlay (the client's veth, the router, the VPN server's veth) to the server's
 * endpoint and out of its TUN; the underlay datagram carrying it has that way as its inner one.
 * The expected ways follow the lesson's topology block (lessons/05-encapsulation/README.md).
 * Lesson 3's in craft and inject: the selected packet duplicated, byte for byte, aimed at its device.
 */
class LabToolsReplayTest extends InspectorWindowTest {
  /** 198.18.0.1 (l5-client) to 198.18.0.2 (l5-vpn) through the plain tunnel on tl-tun0, UDP 5555. */
  private static final List<String> THROUGH_THE_TUNNEL = List.of("l5-client", "l5-client/tl-tun0",
      "l5-client/tl-tun0 program", "l5-client", "l5-client/tl-eth0", "l5-router/tl-lan", "l5-router",
      "l5-router/tl-inet", "l5-vpn/tl-eth0", "l5-vpn", "l5-vpn/tl-tun0 program", "l5-vpn/tl-tun0", "l5-vpn");
  private static final List<String> OVER_THE_UNDERLAY = THROUGH_THE_TUNNEL.subList(3, 10);

  private LabTools tools;

  @Start
  void start(Stage stage) {
    show(stage);
    tools = new LabTools(inspector.model, () -> new LabClient(Path.of("/nonexistent/lab.sock")), Runnable::run);
    inspector.view.installLabTools(tools);
  }

  private void open(int lesson) throws Exception {
    inspector.open(Prerequisites.repositoryRoot().resolve("sample-captures/lesson-" + lesson + ".pcapng"));
    assertThat(Inspector.onFx(() -> tools.topologyModel().sourceProperty().get()))
        .endsWith("(topology lesson-" + lesson + ")");
  }

  @Test
  void aPacketInTheClientsTunGoesThroughTheEndpointAndTheUnderlayToTheServersTun() throws Exception {
    open(5);
    PacketPath path = select(PaneKind.TUN, "198.18.0.1 > 198.18.0.2: ICMP echo request");
    assertThat(ids(path.captured())).containsExactly("l5-client/tl-tun0");
    assertThat(ids(path.outer())).containsExactlyElementsOf(THROUGH_THE_TUNNEL);
    assertThat(path.inner()).isEmpty();
    assertThat(Inspector.onFx(() -> tools.topologyView().ways())).hasSize(1);
  }

  @Test
  void theUnderlayDatagramCarriesTheTunnelsWayInside() throws Exception {
    open(5);
    PacketPath path = select(PaneKind.UNDERLAY, "198.51.100.2.");
    String captured = Inspector.onFx(() -> {
      PacketDetail detail = inspector.model.pane(PaneKind.UNDERLAY).selected();
      String namespace = CaptureSession.InterfaceInfo.namespaceIn(detail.packet().interfaceDescription());
      return namespace.substring("tl-".length()) + "/" + detail.packet().interfaceName();
    });
    assertThat(ids(path.captured())).containsExactly(captured);
    assertThat(ids(path.outer())).containsExactlyElementsOf(OVER_THE_UNDERLAY).contains(captured);
    assertThat(ids(path.inner())).containsExactlyElementsOf(THROUGH_THE_TUNNEL);
    assertThat(Inspector.onFx(() -> tools.topologyView().ways())).hasSize(2);
  }

  @Test
  void theSelectedPacketIsDuplicatedByteForByteAndAimedAtItsDevice() throws Exception {
    open(3);
    CraftModel craft = tools.craftPanel().model();
    assertThat(Inspector.onFx(() -> craft.targets().stream().map(CraftTarget::link).toList()))
        .containsExactlyInAnyOrder("tl-tun0", "tl-tap0");
    select(PaneKind.TAP, "ICMP echo request");
    byte[] frame = Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected().data());
    Inspector.onFx(() -> ((Button) tools.craftPanel().lookup("#craft-duplicate")).fire());
    assertThat(Inspector.onFx(() -> craft.packetProperty().get())).isEqualTo(frame);
    assertThat(Inspector.onFx(() -> craft.targetProperty().get().link())).isEqualTo("tl-tap0");
    assertThat(Inspector.onFx(() -> craft.messageProperty().get()))
        .startsWith("A copy of the " + frame.length + "-byte packet from tl-tap0");
    // Aimed at the TUN instead, the copy loses its Ethernet header: a TUN carries the bare IP packet.
    Inspector.onFx(() -> craft.targetProperty().set(craft.targets().stream()
        .filter(t -> t.link().equals("tl-tun0")).findFirst().orElseThrow()));
    assertThat(Inspector.onFx(() -> craft.packetProperty().get())).isEqualTo(Arrays.copyOfRange(frame, 14, frame.length));
    assertThat(Inspector.onFx(() -> craft.linkTypeProperty().get())).isEqualTo(LinkType.RAW);
  }

  /** Selects the first row of {@code pane} whose line contains {@code text} (and ".5555: UDP" in the underlay). */
  private PacketPath select(PaneKind pane, String text) {
    List<String> lines = inspector.lines(pane);
    int row = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(text)
        && (pane != PaneKind.UNDERLAY || lines.get(i).contains(".5555: UDP"))).findFirst().orElseThrow();
    inspector.selectRow(pane, row);
    return Inspector.onFx(() -> tools.topologyModel().pathProperty().get());
  }

  private static List<String> ids(List<TopologyGraph.Node> nodes) {
    return nodes.stream().map(TopologyGraph.Node::id).toList();
  }
}
