package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The VPN client lesson end to end, all through tunlib: a TUN takes over the default route, the
 * /32 exception keeps the VPN server reachable through the physical link, a UDP datagram for the
 * internet comes out of the TUN, and the blackhole kill switch refuses traffic once the tunnel is gone.
 */
@LiveTest
class VpnRoutingLiveTest {
  @Test
  void theTunnelTakesTheDefaultRouteExceptForTheServerAndTheKillSwitchHolds() throws Exception {
    try (TestNamespace ns = TestNamespace.create()) {
      NetworkNamespace client = ns.inside();
      client.apply(Sysctl.ipv6Disabled(true), LinkChange.veth("tl-eth0", "tl-lan"),
          LinkChange.up("tl-eth0"), LinkChange.up("tl-lan"),
          AddressChange.add(Address.of("tl-eth0", "198.51.100.2/24")),
          NeighbourChange.add(Neighbour.permanent("tl-eth0", "198.51.100.1", MacAddress.parse("02:00:5e:00:00:01"))),
          RouteChange.add(Route.to("default").via("198.51.100.1")));
      try (TunTapDevice tun = client.call(() -> TunTapDevice.tun("tl-tun0").open())) {
        client.apply(AddressChange.add(Address.pointToPoint("tl-tun0", "198.18.0.1", "198.18.0.2/32")),
            LinkChange.up("tl-tun0"),
            RouteChange.add(Route.to("203.0.113.89/32").via("198.51.100.1").dev("tl-eth0")),
            RouteChange.replace(Route.to("default").via("198.18.0.2").dev("tl-tun0")));
        Route toServer = client.query(c -> c.lookup(RouteQuery.to("203.0.113.89")));
        Route toWeb = client.query(c -> c.lookup(RouteQuery.to("203.0.113.8")));
        assertThat(toServer.device()).as("the /32 exception").contains("tl-eth0");
        assertThat(toWeb.device()).contains("tl-tun0");
        assertThat(toWeb.source().map(Ip::text)).contains("198.18.0.1");

        client.call(() -> {
          try (UdpSocket socket = UdpSocket.open(AddressFamily.INET)) {
            return socket.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), new InetSocketAddress("203.0.113.8", 40003));
          }
        });
        ByteBuffer packet = ByteBuffer.allocateDirect(tun.maxPacketSize());
        readUdp(tun, packet);
        assertThat(Ip.text(InetAddress.getByAddress(bytes(packet, 12)))).isEqualTo("198.18.0.1");
        assertThat(Ip.text(InetAddress.getByAddress(bytes(packet, 16)))).isEqualTo("203.0.113.8");
      }
      // The TUN closed and took its routes along; the kill switch keeps traffic off the physical link.
      client.apply(RouteChange.replace(Route.blackhole("default")));
      Twins.assertRefused(() -> client.call(() -> {
        try (UdpSocket socket = UdpSocket.open(AddressFamily.INET)) {
          return socket.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("203.0.113.8", 40003));
        }
      }), "EINVAL", "cannot send to 203.0.113.8:40003: the destination matches a blackhole route");
      Twins.assertRefused(() -> client.query(c -> c.lookup(RouteQuery.to("203.0.113.8"))), "EINVAL",
          "blackhole route");
      assertThat(client.query(c -> c.lookup(RouteQuery.to("203.0.113.89"))).device()).contains("tl-eth0");
    }
  }

  private static void readUdp(TunTapDevice tun, ByteBuffer into) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    tun.queue(0).setBlocking(false);
    while (System.nanoTime() < deadline) {
      into.clear();
      int n = tun.read(into);
      if (n > 20 && into.get(0) == 0x45 && into.get(9) == 17) {
        return;
      }
      if (n == 0) {
        Thread.sleep(5);
      }
    }
    throw new AssertionError("no UDP packet on " + tun.name() + " within 5 s");
  }

  private static byte[] bytes(ByteBuffer packet, int offset) {
    byte[] out = new byte[4];
    packet.get(offset, out);
    return out;
  }
}
