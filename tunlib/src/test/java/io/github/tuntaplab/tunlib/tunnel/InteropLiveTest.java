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
 * Our endpoint against real peers: socat's IP-in-UDP TUN tunnel (the plain format, each side in
 * turn) and the kernel's {@code vxlan} device (the VXLAN format). Ping and a checksummed TCP
 * transfer must cross.
 */
@LiveTest
class InteropLiveTest {
  @BeforeAll
  static void tools() {
    Prerequisites.requireTool("socat");
    Prerequisites.requireTool("ping");
  }

  @Test
  void ourClientTalksToASocatServer(@TempDir Path dir) throws Exception {
    try (Underlay underlay = new Underlay()) {
      // socat's UDP-LISTEN connects to the first sender, so it must be listening before we send.
      Process socat = underlay.server.start("socat", "UDP-LISTEN:5555,bind=" + Underlay.SERVER_IP,
          "TUN:198.18.0.2/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0");
      awaitAddress(underlay.server, "198.18.0.2");
      try (Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
          TunnelConfig.client(Encapsulation.plain(), "tl-tun0", Underlay.server(5555))
              .withAddresses(List.of(IpPrefix.parse("198.18.0.1/24")))))) {
        underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.0.2").orThrow();
        Underlay.transferAndCompare(underlay.client, underlay.server, "198.18.0.2", 4, dir);
        Underlay.transferAndCompare(underlay.server, underlay.client, "198.18.0.1", 4, dir);
        TunnelLiveTest.assertNothingRejected(client.stats());
      } finally {
        Underlay.stop(socat);
      }
    }
  }

  @Test
  void aSocatClientTalksToOurServer(@TempDir Path dir) throws Exception {
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(Encapsulation.plain(), "tl-tun0", Underlay.server(5555))
                .withAddresses(List.of(IpPrefix.parse("198.18.0.2/24")))))) {
      Process socat = underlay.client.start("socat", "UDP:" + Underlay.SERVER_IP + ":5555,bind=" + Underlay.CLIENT_IP
          + ":5555", "TUN:198.18.0.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0");
      try {
        awaitAddress(underlay.client, "198.18.0.1");
        underlay.client.ip("link", "set", "tl-tun0", "mtu", "1472");
        underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.0.2").orThrow();
        assertThat(server.peer()).contains(new InetSocketAddress(Underlay.CLIENT_IP, 5555));
        Underlay.transferAndCompare(underlay.client, underlay.server, "198.18.0.2", 4, dir);
        TunnelLiveTest.assertNothingRejected(server.stats());
      } finally {
        Underlay.stop(socat);
      }
    }
  }

  @Test
  void ourVxlanEndpointTalksToTheKernelsVxlanDevice(@TempDir Path dir) throws Exception {
    try (Underlay underlay = new Underlay()) {
      underlay.server.ip("link", "add", "tl-vx0", "type", "vxlan", "id", "42", "local", Underlay.SERVER_IP, "remote",
          Underlay.CLIENT_IP, "dstport", "4789", "dev", Underlay.SERVER_LINK);
      underlay.server.ip("addr", "add", "198.19.0.2/24", "dev", "tl-vx0");
      underlay.server.ip("link", "set", "tl-vx0", "up");
      assertThat(underlay.server.ip("link", "show", "tl-vx0")).as("the kernel's own arithmetic").contains("mtu 1450");
      try (Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
          TunnelConfig.client(Encapsulation.vxlan(42), "tl-tap0", Underlay.server(4789))
              .withListen(new InetSocketAddress(Underlay.CLIENT_IP, 4789))
              .withAddresses(List.of(IpPrefix.parse("198.19.0.1/24")))))) {
        assertThat(client.mtu().value()).isEqualTo(1450);
        underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "198.19.0.2").orThrow();
        Underlay.transferAndCompare(underlay.client, underlay.server, "198.19.0.2", 4, dir);
        Underlay.transferAndCompare(underlay.server, underlay.client, "198.19.0.1", 4, dir);
        TunnelLiveTest.assertNothingRejected(client.stats());
        assertThat(client.stats().receivedPackets()).isGreaterThan(100);
      }
    }
  }

  private static void awaitAddress(TestNamespace ns, String address) throws InterruptedException {
    for (int i = 0; i < 100 && !ns.exec("ip", "addr", "show", "dev", "tl-tun0").stdout().contains(address); i++) {
      Thread.sleep(50);
    }
  }
}
