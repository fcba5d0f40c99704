package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's {@code tunnel … vxlan} statement: two TAPs joined by our VXLAN endpoints across a
 * veth. A ping crosses; the client's TAP shows the Ethernet frame, and the underlay carries it
 * whole after the 8-byte VXLAN header, as our dissector and {@code tcpdump -nn} both decode it.
 */
@LiveTest
class LabVxlanLiveTest {
  /** Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8: where the inner frame starts in packet B. */
  private static final int INNER_FRAME = 50;
  private static final String TOPOLOGY = """
      topology vxlan
      namespace client
      namespace vpn
      veth client tl-eth0 02:54:4c:64:00:02 vpn tl-eth1 02:54:4c:71:00:59
      tunnel client tl-tap0 vxlan vni 4242 mac 02:54:4c:64:00:10 peer 203.0.113.89 4789 bind tl-eth0
      tunnel vpn tl-tap0 vxlan vni 4242 mac 02:54:4c:71:00:10 listen 4789
      address client tl-eth0 203.0.113.2/24
      address vpn tl-eth1 203.0.113.89/24
      address client tl-tap0 198.19.0.1/24
      address vpn tl-tap0 198.19.0.2/24
      """;

  @TempDir
  Path dir;

  @Test
  void pingCrossesTheTapsAndTheUnderlayCarriesTheFrameAfterAVxlanHeader() throws Exception {
    Prerequisites.requireTool("tcpdump");
    LabSettings settings = TestLabs.settings(dir);
    try (Lab lab = Lab.up(Topology.parse("vxlan.topology", TOPOLOGY), settings)) {
      assertThat(lab.commands()).anyMatch(c -> c.contains("tunlab tunnel client --format vxlan --vni 4242")
          && c.contains("1500 − 20 (IPv4) − 8 (UDP) − 8 (VXLAN) − 14 (inner Ethernet) = 1450")
          && c.contains("the MTU of tl-eth0 (the bind device)"));
      assertThat(Cmd.ok("ip", "-n", settings.namespace("client"), "link", "show", "tl-tap0"))
          .contains("mtu 1450", "link/ether 02:54:4c:64:00:10");

      byte[] frame;
      byte[] outer;
      try (PacketWatch underlay = lab.watch(p -> p.on("client", "tl-eth0") && TestLabs.isUdpTo(p, 4789));
          PacketWatch tap = lab.watch(p -> p.on("client", "tl-tap0") && p.direction() == Direction.OUTBOUND
              && isIcmpEchoRequest(p))) {
        ActionResult ping = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "-W2", "198.19.0.2");
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        frame = tap.await(Duration.ofSeconds(2)).orElseThrow().data();
        byte[] a = frame;
        outer = TestLabs.awaitPacket(underlay, b -> b.length == INNER_FRAME + a.length
            && Arrays.equals(Arrays.copyOfRange(b, INNER_FRAME, b.length), a));
      }
      assertThat(Arrays.copyOfRange(frame, 6, 12)).as("the frame comes from the client TAP's MAC")
          .isEqualTo(new byte[] {2, 0x54, 0x4c, 0x64, 0, 0x10});

      Dissection dissection = Dissector.standard().dissect(LinkType.ETHERNET, outer, 0, outer.length, outer.length);
      assertThat(dissection.layers()).extracting(l -> l.name() + "/" + l.depth())
          .containsExactly("eth/0", "ip/0", "udp/0", "vxlan/0", "eth/1", "ip/1", "icmp/1");
      assertThat(dissection.field("vxlan.vni").map(Field::value)).contains(4242L);
      assertThat(dissection.fields("eth.src")).extracting(Field::text)
          .containsExactly("Source: 02:54:4c:64:00:02", "Source: 02:54:4c:64:00:10");

      Path pcap = dir.resolve("underlay.pcapng");
      try (PcapngWriter out = PcapngWriter.create(pcap)) {
        int id = out.addInterface(LinkType.ETHERNET, "tl-eth0", 0);
        out.write(id, Instant.now(), outer, 0, outer.length, outer.length, null);
      }
      assertThat(Cmd.ok("tcpdump", "-nn", "-e", "-r", pcap.toString()))
          .contains("203.0.113.2.", "> 203.0.113.89.4789: VXLAN, flags [I] (0x08), vni 4242",
              "02:54:4c:64:00:10 > 02:54:4c:71:00:10, ethertype IPv4", "198.19.0.1 > 198.19.0.2: ICMP echo request");
    }
  }

  /** The lab's vxlan client against the kernel's vxlan device, made by hand in the server's namespace. */
  @Test
  void theLabsVxlanClientTalksToTheKernelsVxlanDevice() throws Exception {
    LabSettings settings = TestLabs.settings(dir);
    String clientOnly = TOPOLOGY.lines().filter(line -> !line.startsWith("tunnel vpn") && !line.contains("vpn tl-tap0"))
        .map(line -> line + "\n").reduce("", String::concat);
    try (Lab lab = Lab.up(Topology.parse("vxlan.topology", clientOnly), settings)) {
      String vpn = settings.namespace("vpn");
      Cmd.ok("ip", "-n", vpn, "link", "add", "tl-vx0", "type", "vxlan", "id", "4242", "local", "203.0.113.89",
          "remote", "203.0.113.2", "dstport", "4789", "dev", "tl-eth1");
      Cmd.ok("ip", "-n", vpn, "address", "add", "198.19.0.2/24", "dev", "tl-vx0");
      Cmd.ok("ip", "-n", vpn, "link", "set", "tl-vx0", "up");
      assertThat(lab.commands()).anyMatch(c -> c.contains("--listen 0.0.0.0:4789"));
      try (PacketWatch reply = lab.watch(p -> p.on("client", "tl-tap0") && p.direction() == Direction.INBOUND
          && p.buffer().limit() > 34 && p.buffer().get(23) == 1 && p.buffer().get(34) == 0)) {
        ActionResult ping = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "-W2", "198.19.0.2");
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        assertThat(reply.await(Duration.ofSeconds(2))).as("the kernel's echo reply, written into the TAP")
            .isPresent();
      }
    }
  }

  private static boolean isIcmpEchoRequest(LabPacket packet) {
    ByteBuffer frame = packet.buffer();
    return frame.limit() >= 35 && frame.getShort(12) == 0x0800 && frame.get(23) == 1 && frame.get(34) == 8;
  }
}
