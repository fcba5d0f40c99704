package io.github.tuntaplab.inspector.ui.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.topology.TopologyGraph.Node;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.packet.PacketTemplates;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ways packets take through the default lab, worked out from their addresses and the device they were seen on. */
class PacketPathTest {
  private static final TopologyGraph DEFAULT = graph();
  private static final MacAddress CLIENT_ETH0 = MacAddress.parse("02:54:4c:64:00:02");
  private static final MacAddress ROUTER_LAN = MacAddress.parse("02:54:4c:64:00:01");

  private static TopologyGraph graph() {
    try {
      return new TopologyGraph(Topology.load("default"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anEchoToTheTunResponderGoesFromTheStackThroughTheTunToItsProgram() {
    byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.18.0.1"), Ip.parse("198.18.0.2"), 1, 1, new byte[4]);
    PacketPath path = PacketPath.of(DEFAULT, dissect(LinkType.RAW, echo), "tl-tun0", null);
    assertThat(ids(path.outer())).containsExactly("client", "client/tl-tun0", "client/tl-tun0 program");
    assertThat(ids(path.captured())).containsExactly("client/tl-tun0");
    assertThat(path.inner()).isEmpty();

    byte[] reply = PacketTemplates.icmpEcho(Ip.parse("2001:db8:19::2"), Ip.parse("2001:db8:19::1"), 1, 1, new byte[0]);
    PacketPath back = PacketPath.of(DEFAULT, dissect(LinkType.ETHERNET, PacketTemplates.ethernet(
        MacAddress.parse("02:54:4c:19:00:01"), MacAddress.parse("02:54:4c:19:00:02"), reply)), "tl-tap0", null);
    assertThat(ids(back.outer())).containsExactly("client/tl-tap0 program", "client/tl-tap0", "client");
  }

  @Test
  void aPingToTheWebHostCrossesTheRouterAndItsBridge() {
    byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.51.100.2"), Ip.parse("203.0.113.8"), 1, 1, new byte[4]);
    byte[] frame = PacketTemplates.ethernet(ROUTER_LAN, CLIENT_ETH0, echo);
    // tl-eth0 exists in three namespaces: the packet's addresses tell which one saw it.
    PacketPath path = PacketPath.of(DEFAULT, dissect(LinkType.ETHERNET, frame), "tl-eth0", null);
    assertThat(ids(path.outer())).containsExactly("client", "client/tl-eth0", "router/tl-lan", "router",
        "router/tl-inet", "router/tl-p-web", "web/tl-eth0", "web");
    assertThat(ids(path.captured())).containsExactly("client/tl-eth0");
    PacketPath onWeb = PacketPath.of(DEFAULT, dissect(LinkType.ETHERNET, frame), "tl-eth0", "tl-l42-1-web");
    assertThat(ids(onWeb.captured())).containsExactly("web/tl-eth0");
  }

  @Test
  void arpUsesItsProtocolAddressesAndANonForwardingNamespaceIsNoShortcut() {
    byte[] arp = PacketTemplates.arpRequest(MacAddress.parse("02:54:4c:19:00:01"), Ip.parse("198.19.0.1"),
        Ip.parse("198.19.0.2"));
    assertThat(ids(PacketPath.of(DEFAULT, dissect(LinkType.ETHERNET, arp), "tl-tap0", null).outer()))
        .containsExactly("client", "client/tl-tap0", "client/tl-tap0 program");
    // From the TUN's responder to the web host: through the client, which does not forward: no way.
    byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.18.0.2"), Ip.parse("203.0.113.8"), 1, 1, new byte[0]);
    PacketPath stuck = PacketPath.of(DEFAULT, dissect(LinkType.RAW, echo), "tl-tun0", null);
    assertThat(ids(stuck.outer())).containsExactly("client/tl-tun0");
  }

  @Test
  void anEncapsulatedPacketHasItsInnerWayToo() {
    byte[] inner = PacketTemplates.icmpEcho(Ip.parse("198.18.0.1"), Ip.parse("198.18.0.2"), 1, 1, new byte[4]);
    ByteBuffer vxlan = ByteBuffer.allocate(8 + 14 + inner.length).put((byte) 0x08).put(new byte[3]).putInt(42 << 8)
        .put(PacketTemplates.ethernet(MacAddress.parse("02:54:4c:19:00:02"), MacAddress.parse("02:54:4c:19:00:01"), inner));
    byte[] outer = PacketTemplates.udp(Ip.parse("198.51.100.2"), 40000, Ip.parse("203.0.113.89"), 4789, vxlan.array());
    PacketPath path = PacketPath.of(DEFAULT, dissect(LinkType.ETHERNET,
        PacketTemplates.ethernet(ROUTER_LAN, CLIENT_ETH0, outer)), "tl-eth0", null);
    assertThat(ids(path.outer())).containsExactly("client", "client/tl-eth0", "router/tl-lan", "router",
        "router/tl-inet", "router/tl-p-vpn", "vpn/tl-eth0", "vpn");
    assertThat(ids(path.inner())).containsExactly("client", "client/tl-tun0", "client/tl-tun0 program");
  }

  @Test
  void theGraphJoinsStacksLinksCablesAndPrograms() {
    assertThat(DEFAULT.nodes()).extracting(Node::id).contains("client", "router/tl-inet", "client/tl-tap0 program");
    assertThat(DEFAULT.edges()).filteredOn(TopologyGraph.Edge::cable).hasSize(3);
    assertThat(DEFAULT.owner(Ip.parse("203.0.113.89")).map(Node::id)).contains("vpn");
    assertThat(DEFAULT.owner(Ip.parse("198.19.0.2")).map(Node::id)).contains("client/tl-tap0 program");
  }

  private static Dissection dissect(LinkType type, byte[] data) {
    return Dissector.standard().dissect(type, data, 0, data.length, data.length);
  }

  private static List<String> ids(List<Node> nodes) {
    return nodes.stream().map(Node::id).toList();
  }
}
