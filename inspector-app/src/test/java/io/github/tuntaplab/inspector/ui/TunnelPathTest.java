package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.tools.LabTools;
import io.github.tuntaplab.inspector.ui.topology.PacketPath;
import io.github.tuntaplab.inspector.ui.topology.TopologyGraph;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * Lesson 5's recorded run on the topology picture (no lab): the way of a packet through the plain
 * tunnel runs from the client's stack into its TUN, through the tunnel endpoint, out of its UDP
 * socket over the underlay (the client's veth, the router, the VPN server's veth) to the server's
 * endpoint and out of its TUN; the underlay datagram carrying it has that way as its inner one.
 * The expected ways follow the lesson's topology block (lessons/05-encapsulation/README.md).
 */
class TunnelPathTest extends InspectorWindowTest {
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

  @BeforeEach
  void open() throws Exception {
    inspector.open(Prerequisites.repositoryRoot().resolve("sample-captures/lesson-5.pcapng"));
    assertThat(Inspector.onFx(() -> tools.topologyModel().sourceProperty().get())).endsWith("(topology lesson-5)");
  }

  @Test
  void aPacketInTheClientsTunGoesThroughTheEndpointAndTheUnderlayToTheServersTun() {
    PacketPath path = select(PaneKind.TUN, "198.18.0.1 > 198.18.0.2: ICMP echo request");
    assertThat(ids(path.captured())).containsExactly("l5-client/tl-tun0");
    assertThat(ids(path.outer())).containsExactlyElementsOf(THROUGH_THE_TUNNEL);
    assertThat(path.inner()).isEmpty();
    assertThat(Inspector.onFx(() -> tools.topologyView().ways())).hasSize(1);
  }

  @Test
  void theUnderlayDatagramCarriesTheTunnelsWayInside() {
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
