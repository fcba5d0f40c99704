package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our tunnel between two namespaces, one format at a time: ping both ways over IPv4 and IPv6 and a
 * TCP transfer of several megabytes whose SHA-256 must be the same on both sides.
 */
@LiveTest
class TunnelLiveTest {
  static final List<IpPrefix> CLIENT_TUNNEL = List.of(IpPrefix.parse("198.18.0.1/24"), IpPrefix.parse("2001:db8:18::1/64"));
  static final List<IpPrefix> SERVER_TUNNEL = List.of(IpPrefix.parse("198.18.0.2/24"), IpPrefix.parse("2001:db8:18::2/64"));

  @BeforeAll
  static void tools() {
    Prerequisites.requireTool("socat");
    Prerequisites.requireTool("ping");
  }

  @Test
  void plainTunnelCarriesPingAndTcp(@TempDir Path dir) throws Exception {
    carries(Encapsulation.plain(), false, dir);
  }

  @Test
  void aeadTunnelCarriesPingAndTcp(@TempDir Path dir) throws Exception {
    carries(Encapsulation.aead(TunnelKey.generate()), false, dir);
  }

  /**
   * With offloads (UDP segmentation offload outside, TCP segments joined on their way into the TUN)
   * the same pings and transfers arrive intact, and the receiving TUN counts fewer packets than the
   * tunnel delivered: the kernel took joined segments.
   */
  @Test
  void tunnelsWithOffloadsCarryPingAndTcpAndJoinSegments(@TempDir Path dir) throws Exception {
    carries(Encapsulation.plain(), true, dir);
    carries(Encapsulation.aead(TunnelKey.generate()), true, dir);
  }

  @Test
  void vxlanTunnelCarriesPingAndTcpBetweenTaps(@TempDir Path dir) throws Exception {
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(Encapsulation.vxlan(42), "tl-tap0", Underlay.server(4789))
                .withAddresses(List.of(IpPrefix.parse("198.19.0.2/24")))));
        Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
            TunnelConfig.client(Encapsulation.vxlan(42), "tl-tap0", Underlay.server(4789))
                .withListen(new java.net.InetSocketAddress(Underlay.CLIENT_IP, 4789))
                .withAddresses(List.of(IpPrefix.parse("198.19.0.1/24")))))) {
      assertThat(client.mtu().arithmetic()).isEqualTo("1500 − 20 (IPv4) − 8 (UDP) − 8 (VXLAN) − 14 (inner Ethernet) = 1450");
      assertThat(underlay.client.ip("link", "show", "tl-tap0")).contains("mtu 1450");
      underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.19.0.2").orThrow();
      Underlay.transferAndCompare(underlay.client, underlay.server, "198.19.0.2", 8, dir);
      assertNothingRejected(client.stats());
      assertNothingRejected(server.stats());
      assertThat(server.stats().receivedPackets()).isGreaterThan(1000);
    }
  }

  /** The underlay may be IPv6: 40 bytes of outer header instead of 20, and the MTU follows. */
  @Test
  void aeadTunnelOverAnIpv6Underlay(@TempDir Path dir) throws Exception {
    Encapsulation aead = Encapsulation.aead(TunnelKey.generate());
    java.net.InetSocketAddress server6 = new java.net.InetSocketAddress(Underlay.SERVER_IP6, 5556);
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(aead, "tl-tun0", server6).withAddresses(SERVER_TUNNEL)));
        Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
            TunnelConfig.client(aead, "tl-tun0", server6).withAddresses(CLIENT_TUNNEL)))) {
      assertThat(client.mtu().arithmetic()).isEqualTo("1500 − 40 (IPv6) − 8 (UDP) − 40 (AEAD header 24 + tag 16) = 1412");
      assertThat(underlay.client.ip("link", "show", "tl-tun0")).contains("mtu 1412");
      underlay.client.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.0.2").orThrow();
      Underlay.transferAndCompare(underlay.client, underlay.server, "2001:db8:18::2", 4, dir);
      assertThat(server.peer().orElseThrow().getAddress()).isEqualTo(java.net.InetAddress.getByName(Underlay.CLIENT_IP6));
      assertNothingRejected(client.stats());
      assertNothingRejected(server.stats());
    }
  }

  /**
   * With the TUN's MTU raised above the tunnel's, over-size packets reach the tunnel: an IPv4 one
   * with DF and an IPv6 one are answered with ICMP carrying the tunnel MTU (ping shows it), an IPv4
   * one without DF crosses in a fragmented outer packet (tcpdump on the underlay sees the fragments).
   */
  @Test
  void overSizePacketsAreAnsweredWithIcmpOrCrossInFragments(@TempDir Path dir) throws Exception {
    Prerequisites.requireTool("tcpdump");
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(Encapsulation.plain(), "tl-tun0", Underlay.server(5555)).withAddresses(SERVER_TUNNEL)));
        Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
            TunnelConfig.client(Encapsulation.plain(), "tl-tun0", Underlay.server(5555)).withAddresses(CLIENT_TUNNEL)))) {
      underlay.client.ip("link", "set", "tl-tun0", "mtu", "1500");
      String dontFragment = underlay.client.exec("ping", "-M", "do", "-s", "1472", "-c", "1", "-W", "2",
          "198.18.0.2").stdout();
      assertThat(dontFragment).contains("From 198.18.0.2 icmp_seq=1 Frag needed and DF set (mtu = 1472)");
      String ipv6 = underlay.client.exec("ping", "-6", "-s", "1452", "-c", "1", "-W", "2", "2001:db8:18::2").stdout();
      assertThat(ipv6).contains("From 2001:db8:18::2 icmp_seq=1 Packet too big: mtu=1472");
      assertThat(client.stats().tooBig()).isEqualTo(2);

      underlay.client.ip("route", "flush", "cache"); // forget the learnt path MTU: whole 1500-byte packets again
      Path capture = dir.resolve("underlay.pcap");
      Process tcpdump = Underlay.tcpdump(underlay.server, Underlay.SERVER_LINK, capture);
      underlay.client.exec("ping", "-M", "dont", "-s", "1472", "-c", "2", "-i", "0.2", "-W", "2", "198.18.0.2")
          .orThrow();
      Underlay.stop(tcpdump);
      String fragments = io.github.tuntaplab.tunlib.testsupport.Cmd.ok("tcpdump", "-nn", "-r", capture.toString(),
          "src", Underlay.CLIENT_IP, "and", "ip[6:2] & 0x3fff != 0");
      assertThat(fragments.lines().count()).as(fragments).isGreaterThanOrEqualTo(2);
    }
  }

  /**
   * The underlay MTU is the outer link's: a veth of MTU 1400 gives a plain TUN of 1372, found from
   * the route to the peer, from the bind device, or from the link holding the listening address;
   * a server listening on every address with no bind device assumes 1500 and says so.
   */
  @Test
  void tunMtuFollowsTheMtuOfTheLinkTheOuterPacketsLeaveBy() throws Exception {
    try (Underlay underlay = new Underlay()) {
      underlay.client.ip("link", "set", Underlay.CLIENT_LINK, "mtu", "1400");
      try (Tunnel routed = Underlay.in(underlay.client, () -> Tunnel.start(
          TunnelConfig.client(Encapsulation.plain(), "tl-tun0", Underlay.server(5555))))) {
        assertThat(routed.mtu().explained()).isEqualTo("1400 − 20 (IPv4) − 8 (UDP) = 1372   (1400: the MTU of "
            + "tl-eth0, where the route to 203.0.113.89 leads)");
        assertThat(underlay.client.ip("link", "show", "tl-tun0")).contains("mtu 1372 ");
        assertThat(routed.notices()).isEmpty();
      }
      try (Tunnel bound = Underlay.in(underlay.client, () -> Tunnel.start(
          TunnelConfig.client(Encapsulation.aead(TunnelKey.generate()), "tl-tun1", Underlay.server(5556))
              .withBindDevice(Underlay.CLIENT_LINK)))) {
        assertThat(bound.mtu().value()).isEqualTo(1400 - 20 - 8 - 40);
        assertThat(bound.mtu().underlaySource()).isEqualTo("the MTU of tl-eth0 (the bind device)");
      }
      try (Tunnel listening = Underlay.in(underlay.client, () -> Tunnel.start(TunnelConfig.server(
          Encapsulation.plain(), "tl-tun2", new InetSocketAddress(Underlay.CLIENT_IP6, 5555))))) {
        assertThat(listening.mtu().arithmetic()).isEqualTo("1400 − 40 (IPv6) − 8 (UDP) = 1352");
        assertThat(listening.mtu().underlaySource()).isEqualTo("the MTU of tl-eth0, which holds 2001:db8:113::2");
      }
      try (Tunnel anywhere = Underlay.in(underlay.client, () -> Tunnel.start(TunnelConfig.server(
          Encapsulation.plain(), "tl-tun3", new InetSocketAddress("0.0.0.0", 5555))))) {
        assertThat(anywhere.mtu().value()).isEqualTo(1472);
        assertThat(anywhere.notices()).singleElement().asString().startsWith("underlay MTU 1500 assumed: ");
      }
    }
  }

  /** With offloads the TUN carries a virtio-net header: the ICMP answer to an over-size packet still gets through. */
  @Test
  void overSizePacketsAreAnsweredWithIcmpWithOffloads() throws Exception {
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(TunnelConfig.server(Encapsulation.plain(),
            "tl-tun0", Underlay.server(5555)).withAddresses(SERVER_TUNNEL).withOffload(true)));
        Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(TunnelConfig.client(Encapsulation.plain(),
            "tl-tun0", Underlay.server(5555)).withAddresses(CLIENT_TUNNEL).withOffload(true)))) {
      underlay.client.ip("link", "set", "tl-tun0", "mtu", "1500");
      String ipv6 = underlay.client.exec("ping", "-6", "-s", "1452", "-c", "1", "-W", "2", "2001:db8:18::2").stdout();
      assertThat(ipv6).contains("From 2001:db8:18::2 icmp_seq=1 Packet too big: mtu=1472");
      String dontFragment = underlay.client.exec("ping", "-M", "do", "-s", "1472", "-c", "1", "-W", "2",
          "198.18.0.2").stdout();
      assertThat(dontFragment).contains("Frag needed and DF set (mtu = 1472)");
      assertThat(client.stats().tooBig()).isEqualTo(2);
    }
  }

  private static void carries(Encapsulation encapsulation, boolean offload, Path dir) throws Exception {
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(encapsulation, "tl-tun0", Underlay.server(encapsulation.defaultPort()))
                .withAddresses(SERVER_TUNNEL).withOffload(offload)));
        Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
            TunnelConfig.client(encapsulation, "tl-tun0", Underlay.server(encapsulation.defaultPort()))
                .withBindDevice(Underlay.CLIENT_LINK).withAddresses(CLIENT_TUNNEL).withOffload(offload)))) {
      int overhead = encapsulation.overhead();
      assertThat(client.mtu().value()).isEqualTo(1500 - 20 - 8 - overhead);
      assertThat(underlay.client.ip("link", "show", "tl-tun0")).contains("mtu " + (1472 - overhead));
      underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.0.2").orThrow();
      underlay.client.exec("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "2001:db8:18::2").orThrow();
      assertThat(server.peer()).as("the server learnt the client's address").isPresent();
      underlay.server.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", "198.18.0.1").orThrow();
      Underlay.transferAndCompare(underlay.client, underlay.server, "198.18.0.2", 8, dir);
      long kernelTook = rxPackets(underlay.server);
      long delivered = server.stats().receivedPackets();
      Underlay.transferAndCompare(underlay.server, underlay.client, "2001:db8:18::1", 4, dir);
      if (offload) {
        assertThat(kernelTook).as("packets the server's TUN took, against %d the tunnel delivered", delivered)
            .isLessThan(delivered / 2);
      }
      assertNothingRejected(client.stats());
      assertNothingRejected(server.stats());
      assertThat(client.failure()).isEmpty();
      assertThat(server.failure()).isEmpty();
    }
  }

  /** The packets the kernel received on the namespace's {@code tl-tun0} (each write into the TUN is one). */
  private static long rxPackets(TestNamespace ns) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"rx\":\\{[^}]*\"packets\":(\\d+)")
        .matcher(ns.ip("-j", "-s", "link", "show", "tl-tun0"));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  /**
   * No packet was refused on the way. (A server may drop what its device sends before it knows its
   * peer, e.g. the IPv6 router solicitation of a fresh device: that is {@code noPeer}, not checked.)
   */
  static void assertNothingRejected(TunnelStats stats) {
    assertThat(List.of(stats.malformed(), stats.unknownKey(), stats.tampered(), stats.replayed(), stats.tooOld(),
        stats.unknownSender(), stats.tooBig(), stats.sendFailures())).as(stats.toString()).containsOnly(0L);
  }
}
