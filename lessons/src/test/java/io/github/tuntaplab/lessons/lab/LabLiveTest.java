package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default topology built in-process: pings cross it, and subscribers see each device's packets. */
@LiveTest
class LabLiveTest {
  @TempDir
  Path dir;

  @Test
  void pingsReachTheResponderAndTheWebHostAndSubscribersSeeWhereTheyWent() throws Exception {
    LabSettings settings = TestLabs.settings(dir);
    List<LabPacket> seen = new CopyOnWriteArrayList<>();
    try (Lab lab = Lab.up(Topology.load("default"), settings);
        AutoCloseable subscription = lab.subscribe(seen::add)) {
      assertThat(NetworkNamespace.list()).contains(settings.namespace("client"), settings.namespace("web"));
      lab.step("ping the TAP's responder");
      ActionResult tap;
      try (PacketWatch arpOnTap = lab.watch(p -> p.on("client", "tl-tap0") && p.buffer().getShort(12) == 0x0806)) {
        tap = lab.run("client", Duration.ofSeconds(10), "ping", "-c1", "-W2", "198.19.0.2");
        assertThat(arpOnTap.await(Duration.ofSeconds(2))).isPresent();
        assertThat(arpOnTap.matches()).extracting(LabPacket::direction)
            .contains(Direction.OUTBOUND, Direction.INBOUND);
      }
      assertThat(tap.succeeded()).as(tap.output()).isTrue();
      ActionResult tun = lab.run("client", Duration.ofSeconds(10), "ping", "-c1", "-W2", "198.18.0.2");
      assertThat(tun.succeeded()).as(tun.output()).isTrue();
      ActionResult web = lab.run("client", Duration.ofSeconds(10), "ping", "-c1", "-W2", "203.0.113.8");
      assertThat(web.succeeded()).as(web.output()).isTrue();
      ActionResult web6 = lab.run("client", Duration.ofSeconds(10), "ping", "-6", "-c1", "-W2", "2001:db8:113::8");
      assertThat(web6.succeeded()).as(web6.output()).isTrue();
      assertThat(tap.command()).startsWith("ip", "netns", "exec", settings.namespace("client"), "ping");

      assertThat(seen).anySatisfy(p -> {
        assertThat(p.on("client", "tl-tap0")).isTrue();
        assertThat(p.buffer().getShort(12)).isEqualTo((short) 0x0806);
        assertThat(p.direction()).isEqualTo(Direction.OUTBOUND);
      });
      assertThat(seen).anySatisfy(p -> {
        assertThat(p.on("client", "tl-tun0")).isTrue();
        assertThat(p.buffer().get(9)).as("ICMP").isEqualTo((byte) 1);
        assertThat(p.direction()).isEqualTo(Direction.INBOUND);
      });
      assertThat(seen).anySatisfy(p -> assertThat(p.on("web", "tl-eth0")).isTrue());
      assertThat(seen).filteredOn(p -> p.comment() != null).extracting(LabPacket::comment)
          .containsExactly("ping the TAP's responder");
      // A hand-made echo request written into the TUN: the kernel answers it back out of the TUN.
      byte[] echo = HexFormat.of().parseHex("4500001c0001000040010000c6120002c6120001" + "0800f7ff00000000");
      long sum = 0;
      for (int i = 0; i < 20; i += 2) {
        sum += ((echo[i] & 0xff) << 8) | (echo[i + 1] & 0xff);
      }
      sum = (sum & 0xffff) + (sum >> 16);
      echo[10] = (byte) (~sum >> 8);
      echo[11] = (byte) ~sum;
      try (PacketWatch reply = lab.watch(p -> p.on("client", "tl-tun0") && p.direction() == Direction.OUTBOUND
          && p.buffer().get(20) == 0 && p.buffer().getInt(16) == 0xc6120002)) {
        lab.inject("client", "tl-tun0", echo);
        assertThat(reply.await(Duration.ofSeconds(2))).as("the kernel's echo reply").isPresent();
      }
      assertThat(lab.commands()).contains("ip netns add " + settings.namespace("client"),
          "ip -n " + settings.namespace("client") + " route add default via 198.51.100.1");
    }
    assertThat(NetworkNamespace.list()).noneMatch(name -> name.startsWith(settings.prefix()));
  }
}
