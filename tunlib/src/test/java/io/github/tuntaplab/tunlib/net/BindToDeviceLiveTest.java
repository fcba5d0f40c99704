package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SO_BINDTODEVICE: the main table sends everything through {@code tl-a} (default route, metric 0);
 * a socket bound to {@code tl-c} still sends through {@code tl-c}, where the old default remains at
 * metric 100. tcpdump on both links shows which link each datagram left by.
 */
@LiveTest
class BindToDeviceLiveTest {
  private static final InetSocketAddress UNBOUND_TARGET = new InetSocketAddress("198.19.200.1", 40001);
  private static final InetSocketAddress BOUND_TARGET = new InetSocketAddress("198.19.200.1", 40002);

  private TestNamespace ns;
  private NetworkNamespace inside;

  @BeforeEach
  void createTwoUplinks() throws Exception {
    Prerequisites.requireTool("tcpdump");
    ns = TestNamespace.create();
    inside = ns.inside();
    List<String> commands = inside.apply(Sysctl.ipv6Disabled(true),
        LinkChange.veth("tl-a", "tl-b"), LinkChange.veth("tl-c", "tl-d"),
        LinkChange.up("tl-a"), LinkChange.up("tl-b"), LinkChange.up("tl-c"), LinkChange.up("tl-d"),
        AddressChange.add(Address.of("tl-a", "198.51.100.2/24")),
        AddressChange.add(Address.of("tl-c", "203.0.113.2/24")),
        NeighbourChange.add(Neighbour.permanent("tl-a", "198.51.100.1", MacAddress.parse("02:00:5e:00:00:01"))),
        NeighbourChange.add(Neighbour.permanent("tl-c", "203.0.113.1", MacAddress.parse("02:00:5e:00:00:02"))),
        RouteChange.add(Route.to("default").via("198.51.100.1")),
        RouteChange.add(Route.to("default").via("203.0.113.1").metric(100)));
    assertThat(commands).hasSize(13).endsWith("ip -n " + ns.name() + " route add default via 203.0.113.1 metric 100");
  }

  @AfterEach
  void delete() {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void aBoundSocketsDatagramLeavesThroughItsLinkDespiteTheMainTable() throws Exception {
    Process onA = tcpdump("tl-a");
    Process onC = tcpdump("tl-c");
    try {
      Route bound = inside.call(() -> {
        try (NetworkConfig config = NetworkConfig.open();
            UdpSocket unbound = UdpSocket.open(AddressFamily.INET);
            UdpSocket toC = UdpSocket.open(AddressFamily.INET).bindToDevice("tl-c")) {
          unbound.send(ByteBuffer.wrap("unbound".getBytes(StandardCharsets.US_ASCII)), UNBOUND_TARGET);
          toC.send(ByteBuffer.wrap("bound".getBytes(StandardCharsets.US_ASCII)), BOUND_TARGET);
          assertThat(toC.device()).contains("tl-c");
          assertThat(config.lookup(unbound.routeQuery("198.19.200.1")).device()).contains("tl-a");
          return config.lookup(toC.routeQuery("198.19.200.1"));
        }
      });
      assertThat(bound.device()).contains("tl-c");
      assertThat(bound.gateway().map(Ip::text)).contains("203.0.113.1");
      Thread.sleep(300);
    } finally {
      // SIGTERM through the handle: Process.destroy would also close the output we still want to read.
      onA.toHandle().destroy();
      onC.toHandle().destroy();
    }
    String capturedA = output(onA);
    String capturedC = output(onC);
    assertThat(capturedA).as("tl-a, the main table's choice")
        .contains("198.51.100.2.", "> 198.19.200.1.40001: UDP, length 7").doesNotContain(".40002");
    assertThat(capturedC).as("tl-c, the bound socket's link")
        .contains("203.0.113.2.", "> 198.19.200.1.40002: UDP, length 5").doesNotContain(".40001");
  }

  @Test
  void aTunlibSocketAndAJdkChannelExchangeDatagrams() throws Exception {
    inside.call(() -> {
      try (UdpSocket ours = UdpSocket.open(AddressFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
          DatagramChannel jdk = DatagramChannel.open(StandardProtocolFamily.INET)
              .bind(new InetSocketAddress("127.0.0.1", 0))) {
        ByteBuffer hello = ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(ours.send(hello, (InetSocketAddress) jdk.getLocalAddress())).isEqualTo(5);
        assertThat(hello.hasRemaining()).isFalse();
        ByteBuffer got = ByteBuffer.allocate(64);
        assertThat(jdk.receive(got)).isEqualTo(ours.localAddress());
        assertThat(new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        jdk.send(ByteBuffer.wrap("back".getBytes(StandardCharsets.US_ASCII)), ours.localAddress());
        ByteBuffer back = ByteBuffer.allocate(64);
        assertThat(ours.receive(back)).isEqualTo(jdk.getLocalAddress());
        assertThat(new String(back.array(), 0, back.position(), StandardCharsets.US_ASCII)).isEqualTo("back");
      }
      return null;
    });
  }

  @Test
  void aBatchGoesOutAsSeparateDatagramsInOneCall() throws Exception {
    inside.call(() -> {
      try (UdpSocket ours = UdpSocket.open(AddressFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
          DatagramChannel jdk = DatagramChannel.open(StandardProtocolFamily.INET)
              .bind(new InetSocketAddress("127.0.0.1", 0))) {
        ByteBuffer[] batch = new ByteBuffer[4];
        for (int i = 0; i < 3; i++) {
          batch[i] = ByteBuffer.allocateDirect(16).put(("datagram " + i).getBytes(StandardCharsets.US_ASCII)).flip();
        }
        batch[3] = batch[0].duplicate();
        assertThat(ours.sendBatch(batch, 4, (InetSocketAddress) jdk.getLocalAddress())).isEqualTo(4);
        assertThat(batch[1].hasRemaining()).isFalse();
        for (String expected : new String[] {"datagram 0", "datagram 1", "datagram 2", "datagram 0"}) {
          ByteBuffer got = ByteBuffer.allocate(64);
          assertThat(jdk.receive(got)).isEqualTo(ours.localAddress());
          assertThat(new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII)).isEqualTo(expected);
        }
      }
      return null;
    });
  }

  @Test
  void bindingToAMissingLinkSaysSo() throws Exception {
    Twins.assertRefused(() -> inside.call(() -> {
      try (UdpSocket socket = UdpSocket.open(AddressFamily.INET)) {
        return socket.bindToDevice("tl-nowhere");
      }
    }), "ENODEV", "no such link in the socket's namespace");
  }

  private static String output(Process tcpdump) throws Exception {
    assertThat(tcpdump.waitFor(10, TimeUnit.SECONDS)).as("tcpdump ends on SIGTERM").isTrue();
    return new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** tcpdump on {@code link}, started and listening when this returns. */
  private Process tcpdump(String link) throws IOException {
    Process process = ns.start("tcpdump", "-i", link, "-n", "-l", "-p", "udp");
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      if (line.contains("listening on")) {
        return process;
      }
    }
    throw new AssertionError("tcpdump on " + link + " ended before listening");
  }
}
