package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.lessons.lab.Topology.DeviceKind;
import io.github.tuntaplab.tunlib.net.MacAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topology format: the built-in default as DESIGN §3 plans it, and every mistake named with its line. */
class TopologyTest {
  private static final String HEAD = "topology t\nnamespace a\nnamespace b forwarding\n";

  @Test
  void theDefaultTopologyIsTheAddressPlan() throws Exception {
    Topology topology = Topology.load("default");
    assertThat(Topology.builtIn()).contains("default");
    assertThat(topology.namespaces()).extracting(Topology.Namespace::role)
        .containsExactly("client", "router", "vpn", "web");
    assertThat(topology.namespaces()).filteredOn(Topology.Namespace::forwarding).extracting(Topology.Namespace::role)
        .containsExactly("router", "vpn");
    assertThat(topology.veths()).hasSize(3);
    assertThat(topology.devices()).extracting(Topology.Device::link, Topology.Device::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tl-tun0", DeviceKind.TUN),
            org.assertj.core.groups.Tuple.tuple("tl-tap0", DeviceKind.TAP));
    assertThat(topology.addresses()).extracting(a -> a.namespace() + " " + a.address().link() + " "
        + a.address().text()).contains("client tl-eth0 198.51.100.2/24", "router tl-lan 198.51.100.1/24",
        "router tl-inet 203.0.113.1/24", "vpn tl-eth0 203.0.113.89/24", "web tl-eth0 203.0.113.8/24",
        "client tl-tun0 198.18.0.1/24", "client tl-tap0 198.19.0.1/24", "client tl-eth0 2001:db8:100::2/64");
    assertThat(topology.routes()).extracting(r -> r.namespace() + " " + r.route())
        .contains("client default via 198.51.100.1", "client ::/0 via 2001:db8:100::1");
    assertThat(topology.linksIn("router")).containsExactly("tl-lan", "tl-p-vpn", "tl-p-web", "tl-inet");
    assertThat(topology.devices().get(1).responderMac()).contains(MacAddress.parse("02:54:4c:19:00:02"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "namespace first             | namespace a                                          | 1 | the first statement must be 'topology NAME'",
      "unknown statement           | " + "topology t\\nbridge-ish x                      | 2 | unknown statement 'bridge-ish'",
      "undeclared namespace        | " + HEAD_ESCAPED + "veth a tl-x 02:00:00:00:00:01 c tl-y 02:00:00:00:00:02 | 4 | no namespace c",
      "global MAC                  | " + HEAD_ESCAPED + "tap a tl-tap0 00:11:22:33:44:55 | 4 | not a locally administered unicast MAC",
      "MAC twice                   | " + HEAD_ESCAPED + "veth a tl-x 02:00:00:00:00:01 b tl-y 02:00:00:00:00:01 | 4 | is used twice",
      "long link name              | " + HEAD_ESCAPED + "tun a tl-a-very-long-name | 4 | at most 15 characters",
      "link without tl-            | " + HEAD_ESCAPED + "tun a tun0 | 4 | starts with tl-",
      "host network address        | " + HEAD_ESCAPED + "tun a tl-tun0\\naddress a tl-tun0 192.168.1.2/24 | 5 | outside the lab's ranges",
      "address without length      | " + HEAD_ESCAPED + "tun a tl-tun0\\naddress a tl-tun0 198.18.0.1 | 5 | needs a prefix length",
      "address on unknown link     | " + HEAD_ESCAPED + "address a tl-eth0 198.18.0.1/24 | 4 | no link tl-eth0 in a",
      "route without gateway       | " + HEAD_ESCAPED + "route a default metric 5 | 4 | via a gateway or out of a link",
      "route across families       | " + HEAD_ESCAPED + "route a 198.18.0.0/24 via 2001:db8::1 | 4 | different families",
      "peer name taken             | " + HEAD_ESCAPED + "tun a tl-y\\nveth a tl-x 02:00:00:00:00:01 b tl-y 02:00:00:00:00:02 | 5 | exists in a, where the pair is made",
      "port of no bridge           | " + HEAD_ESCAPED + "veth a tl-x 02:00:00:00:00:01 b tl-y 02:00:00:00:00:02\\nport a tl-x tl-br | 5 | no bridge tl-br in a",
      "tap responder without MAC   | " + HEAD_ESCAPED + "tap a tl-tap0 02:00:00:00:00:01 responder 198.19.0.2 | 4 | not a MAC address",
      "namespace twice             | " + HEAD_ESCAPED + "namespace a | 4 | declared twice",
      "too many words              | " + HEAD_ESCAPED + "namespace c forwarding no-ipv6 now | 4 | too many words",
      "namespace option misspelt   | " + HEAD_ESCAPED + "namespace c forwarding now | 4 | only 'forwarding' and 'no-ipv6' may follow",
      "namespace options reversed  | " + HEAD_ESCAPED + "namespace c no-ipv6 forwarding | 4 | in that order, not 'forwarding'",
      "no topology                 | # only a comment | 0 | names no topology",
      "tunnel of unknown format    | " + HEAD_ESCAPED + "tunnel a tl-tun0 gre listen 5555 | 4 | unknown tunnel format 'gre'",
      "tunnel without peer port    | " + HEAD_ESCAPED + "tunnel a tl-tun0 plain peer 203.0.113.89 | 4 | needs the server's address and port",
      "tunnel peer outside ranges  | " + HEAD_ESCAPED + "tunnel a tl-tun0 plain peer 192.0.2.1 5555 | 4 | outside the lab's ranges",
      "tunnel peer with a length   | " + HEAD_ESCAPED + "tunnel a tl-tun0 plain peer 203.0.113.89/24 5555 | 4 | without a prefix length",
      "tunnel peer over IPv6       | " + HEAD_ESCAPED + "tunnel a tl-tun0 aead peer 2001:db8::89 5556 | 4 | no IPv4 address",
      "tunnel port out of range    | " + HEAD_ESCAPED + "tunnel a tl-tun0 aead listen 70000 | 4 | no UDP port",
      "tunnel neither peer/listen  | " + HEAD_ESCAPED + "tunnel a tl-tun0 plain to 203.0.113.89 | 4 | expected 'peer' or 'listen'",
      "tunnel bound to no link     | " + HEAD_ESCAPED + "tunnel a tl-tun0 plain listen 5555 bind tl-eth0 | 4 | no link tl-eth0 in a",
      "tunnel after bind           | " + HEAD_ESCAPED + "veth a tl-eth0 02:00:00:00:00:01 b tl-eth1 02:00:00:00:00:02\\ntunnel a tl-tun0 plain listen 5555 bind tl-eth0 now | 5 | only 'bind LINK' may follow",
      "vni on a plain tunnel       | " + HEAD_ESCAPED + "tunnel a tl-tun0 plain vni 5 listen 5555 | 4 | belongs to a vxlan tunnel",
      "vxlan vni beyond 24 bits    | " + HEAD_ESCAPED + "tunnel a tl-tap0 vxlan vni 16777216 listen 4789 | 4 | 24 bits",
      "vxlan vni without number    | " + HEAD_ESCAPED + "tunnel a tl-tap0 vxlan vni | 4 | too few words",
      "tunnel on a taken name      | " + HEAD_ESCAPED + "tun a tl-tun0\\ntunnel a tl-tun0 plain listen 5555 | 5 | exists in a already",
  })
  void mistakesAreNamedWithTheirLine(String what, String text, int line, String message) {
    assertThatThrownBy(() -> Topology.parse("t.topology", text.replace("\\n", "\n")))
        .isInstanceOf(TopologyException.class)
        .hasMessageContaining(message)
        .hasMessageStartingWith(line > 0 ? "t.topology:" + line + ": " : "t.topology: ")
        .satisfies(e -> assertThat(((TopologyException) e).line()).isEqualTo(line));
  }

  private static final String HEAD_ESCAPED = "topology t\\nnamespace a\\nnamespace b forwarding\\n";

  @Test
  void tunnelsAreLinksOfTheirNamespace() throws Exception {
    Topology topology = Topology.parse("t.topology", HEAD_ESCAPED.replace("\\n", "\n")
        + "veth a tl-eth0 02:00:00:00:00:01 b tl-eth1 02:00:00:00:00:02\n"
        + "tunnel a tl-tun0 aead peer 203.0.113.89 5556 bind tl-eth0\n"
        + "tunnel b tl-tun0 plain listen 5555\n"
        + "tunnel a tl-tap0 vxlan vni 4242 mac 02:00:00:00:00:10 peer 203.0.113.89 4789\n"
        + "tunnel b tl-tap0 vxlan listen 4789\n"
        + "address a tl-tun0 198.18.0.1/24\n");
    assertThat(topology.tunnels()).containsExactly(
        new Topology.TunnelEndpoint("a", "tl-tun0", Topology.TunnelFormat.AEAD,
            Optional.of(new InetSocketAddress("203.0.113.89", 5556)), 0, Optional.of("tl-eth0")),
        new Topology.TunnelEndpoint("b", "tl-tun0", Topology.TunnelFormat.PLAIN, Optional.empty(), 5555,
            Optional.empty()),
        new Topology.TunnelEndpoint("a", "tl-tap0", Topology.TunnelFormat.VXLAN, 4242,
            Optional.of(MacAddress.parse("02:00:00:00:00:10")), Optional.of(new InetSocketAddress("203.0.113.89", 4789)),
            0, Optional.empty()),
        new Topology.TunnelEndpoint("b", "tl-tap0", Topology.TunnelFormat.VXLAN, 42, Optional.empty(), Optional.empty(),
            4789, Optional.empty()));
    assertThat(topology.linksIn("a")).containsExactly("tl-eth0", "tl-tun0", "tl-tap0");
  }

  @Test
  void commentsBlankLinesAndDescriptionsAreKept() throws Exception {
    Topology topology = Topology.parse("x", HEAD + "\n# a comment\ndescription two\ndescription lines # and a remark\n"
        + "tun a tl-tun0 responder 198.18.0.2 2001:db8:18::2\n");
    assertThat(topology.description()).isEqualTo("two lines");
    assertThat(topology.devices().get(0).responderAddresses()).hasSize(2);
    assertThat(topology.name()).isEqualTo("t");
  }

  @Test
  void anUnknownBuiltInNamesTheOnesThereAre() {
    assertThatThrownBy(() -> Topology.load("nosuch")).hasMessageContaining("built in: [default");
    assertThatThrownBy(() -> Topology.load("../etc")).hasMessageContaining("not a topology name");
  }
}
