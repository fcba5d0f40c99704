package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.packet.PacketTemplates;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code routes} and {@code inject} requests against a lab in this JVM, judged by {@code ip} and the capture. */
@LiveTest
class LabCraftRequestsLiveTest {
  @TempDir
  Path dir;

  @Test
  void routesAreIpRoutesAndInjectedPacketsReachTheKernel() throws Exception {
    LabSettings settings = TestLabs.settings(dir);
    try (Lab lab = Lab.up(Topology.load("default"), settings);
        LabServer server = LabServer.start(lab, settings.socket(), OptionalInt.empty(), OptionalInt.empty(), () -> {},
            java.util.Map.of())) {
      LabClient client = new LabClient(settings);
      LabRoutes routes = client.routes("client");
      String namespace = settings.namespace("client");
      List<String> ours = RouteText.ipRoute(routes.routes()).stream().map(String::stripTrailing).toList();
      List<String> theirs = new java.util.ArrayList<>();
      for (String family : List.of("-4", "-6")) {
        Cmd.ok("ip", "-n", namespace, family, "route", "show", "table", "all").lines().map(String::stripTrailing)
            .forEach(theirs::add);
      }
      // Link-local addresses (and their routes) may arrive between the two reads: compare the others.
      assertThat(ours.stream().filter(l -> !l.contains("fe80"))).containsExactlyInAnyOrderElementsOf(
          theirs.stream().filter(l -> !l.contains("fe80")).toList());
      assertThat(ours).contains("default via 198.51.100.1 dev tl-eth0", "198.18.0.0/24 dev tl-tun0 proto kernel scope "
          + "link src 198.18.0.1");
      assertThat(routes.addresses()).extracting(a -> a.link() + " " + a.text())
          .contains("tl-tun0 198.18.0.1/24", "tl-eth0 2001:db8:100::2/64");

      // An echo request "from" the TUN's responder: the client's kernel answers it back out of the TUN.
      byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.18.0.2"), Ip.parse("198.18.0.1"), 0x5151, 7,
          "crafted".getBytes());
      try (PacketWatch replies = lab.watch(p -> p.device().link().equals("tl-tun0") && p.length() == echo.length
          && (p.data()[20] & 0xff) == 0)) {
        client.inject("client", "tl-tun0", echo);
        LabPacket reply = replies.await(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no echo reply"));
        assertThat(reply.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(Ip.text(java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(reply.data(), 16, 20))))
            .isEqualTo("198.18.0.2");
      }
      // An ARP request on the TAP, as if from its responder: the kernel answers who has 198.19.0.1.
      byte[] arp = PacketTemplates.arpRequest(MacAddress.parse("02:54:4c:19:00:02"), Ip.parse("198.19.0.2"),
          Ip.parse("198.19.0.1"));
      try (PacketWatch replies = lab.watch(p -> p.device().link().equals("tl-tap0") && p.data().length >= 22
          && p.data()[12] == 0x08 && p.data()[13] == 0x06 && p.data()[21] == 2)) {
        client.inject("client", "tl-tap0", arp);
        assertThat(replies.await(Duration.ofSeconds(5))).as("the kernel's ARP reply").isPresent();
      }
      assertThatThrownBy(() -> client.inject("client", "tl-eth0", echo)).hasMessageContaining("no TUN or TAP tl-eth0");
      assertThatThrownBy(() -> client.routes("nowhere")).hasMessageContaining("no namespace nowhere");
    }
  }
}
