package io.github.tuntaplab.tunlib.packet;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kernel traffic, captured by tcpdump, dissected by us and by tshark: two namespaces joined
 * by a veth pair carry ARP, ping, IPv6 neighbour discovery and ping, TCP, UDP, a DNS query, and a
 * VXLAN tunnel (the kernel's vxlan device) with ARP and ping inside. Every range must match.
 */
@LiveTest
class DissectorLiveTest {
  @Test
  void kernelTrafficMatchesTshark(@TempDir Path dir) throws Exception {
    Prerequisites.requireTool("tcpdump");
    Prerequisites.requireTool("tshark");
    Prerequisites.requireTool("ping");
    Path file = dir.resolve("veth.pcap");
    List<String> names = new java.util.ArrayList<>();
    try (TestNamespace left = TestNamespace.create(); TestNamespace right = TestNamespace.create()) {
      names.add(left.name());
      names.add(right.name());
      left.ip("link", "add", "tl-va", "type", "veth", "peer", "name", "tl-vb", "netns", right.name());
      configure(left, "tl-va", "198.51.100.1", "2001:db8:100::1");
      configure(right, "tl-vb", "198.51.100.2", "2001:db8:100::2");
      // Immediate mode: without it the packets of the last ring-buffer block die with tcpdump.
      Process tcpdump = left.start("tcpdump", "-i", "tl-va", "--immediate-mode", "-U", "-Z", "root", "-s", "0", "-w", file.toString());
      waitForPcapHeader(file);
      // The VXLAN devices come up after tcpdump: their first packets make the ARP we want to see.
      addVxlan(left, "198.51.100.1", "198.51.100.2", "198.18.0.1", "tl-va");
      addVxlan(right, "198.51.100.2", "198.51.100.1", "198.18.0.2", "tl-vb");
      Process tcpServer = right.start("socat", "-u", "TCP-LISTEN:8080,reuseaddr", "OPEN:/dev/null");
      Thread.sleep(300);
      left.exec("ping", "-c", "2", "-i", "0.2", "198.51.100.2").orThrow();
      left.exec("ping", "-6", "-c", "2", "-i", "0.2", "2001:db8:100::2").orThrow();
      left.exec("bash", "-c", "echo hello over tcp > /dev/tcp/198.51.100.2/8080").orThrow();
      left.exec("bash", "-c", "echo hello over udp > /dev/udp/198.51.100.2/9999").orThrow();
      left.exec("bash", "-c", "printf '" + printfEscapes(TestPackets.dnsQuery(0x4242, "lab.example")) + "' > /dev/udp/198.51.100.2/53")
          .orThrow();
      left.exec("ping", "-c", "2", "-i", "0.2", "198.18.0.2").orThrow();
      Thread.sleep(300);
      tcpdump.destroy();
      assertThat(tcpdump.waitFor(10, TimeUnit.SECONDS)).as("tcpdump stops on SIGTERM").isTrue();
      tcpServer.destroy();
      tcpServer.waitFor(5, TimeUnit.SECONDS);
      // Leave only empty namespaces behind, so that deleting them cannot race a dying process.
      awaitNoProcesses(left);
      awaitNoProcesses(right);
    } finally {
      deleteLeftovers(names);
    }

    List<CapturedPacket> packets = CaptureFiles.packets(file);
    TsharkOracle.Score score = TsharkOracle.score(file, packets, Dissector.standard());
    System.out.println("live veth capture (" + packets.size() + " packets): " + score);
    Dissector dissector = Dissector.standard();
    List<String> seen = packets.stream()
        .map(p -> dissector.dissect(p.linkType(), p.data(), 0, p.data().length, p.originalLength()).toString())
        .collect(java.util.stream.Collectors.toList());
    assertThat(seen).anyMatch(s -> s.equals("eth / arp"))
        .anyMatch(s -> s.equals("eth / ip / icmp"))
        .anyMatch(s -> s.equals("eth / ipv6 / icmpv6"))
        .anyMatch(s -> s.startsWith("eth / ip / tcp"))
        .anyMatch(s -> s.equals("eth / ip / udp / data"))
        .anyMatch(s -> s.equals("eth / ip / udp / dns"))
        .anyMatch(s -> s.equals("eth / ip / udp / vxlan / eth / arp"))
        .anyMatch(s -> s.equals("eth / ip / udp / vxlan / eth / ip / icmp"))
        .noneMatch(s -> s.contains("malformed"));
    assertThat(score.compared).isGreaterThan(300);
    assertThat(score.mismatches).as(score.toString()).isEmpty();
  }

  /** Addresses on the veth, IPv6 without duplicate detection. */
  private static void configure(TestNamespace ns, String veth, String ipv4, String ipv6) {
    ns.ip("addr", "add", ipv4 + "/24", "dev", veth);
    ns.ip("addr", "add", ipv6 + "/64", "dev", veth, "nodad");
    ns.ip("link", "set", veth, "up");
  }

  private static void addVxlan(TestNamespace ns, String ipv4, String peer, String tunnel, String veth) {
    ns.ip("link", "add", "tl-vx0", "type", "vxlan", "id", "42", "local", ipv4, "remote", peer,
        "dstport", "4789", "dev", veth);
    ns.ip("addr", "add", tunnel + "/24", "dev", "tl-vx0");
    ns.ip("link", "set", "tl-vx0", "up");
  }

  /**
   * Deleting a namespace once failed here while other namespace tests ran on the machine; try
   * again, and say so, rather than leave it to the root-namespace guard.
   */
  private static void deleteLeftovers(List<String> names) throws InterruptedException {
    for (int attempt = 0; attempt < 20; attempt++) {
      String listed = Cmd.ok("ip", "netns", "list");
      List<String> left = names.stream().filter(n -> listed.contains(n)).collect(java.util.stream.Collectors.toList());
      if (left.isEmpty()) {
        return;
      }
      for (String name : left) {
        Cmd.Result retry = Cmd.run("ip", "netns", "del", name);
        System.out.println("namespace " + name + " outlived its close(); ip netns del again: exit "
            + retry.exitCode() + " " + retry.stderr().strip());
      }
      Thread.sleep(100);
    }
  }

  private static void awaitNoProcesses(TestNamespace ns) throws InterruptedException {
    for (int i = 0; i < 100 && !Cmd.ok("ip", "netns", "pids", ns.name()).isBlank(); i++) {
      Thread.sleep(50);
    }
  }

  private static void waitForPcapHeader(Path file) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (Files.exists(file) && Files.size(file) >= 24) {
        Thread.sleep(200);
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("tcpdump did not start writing " + file);
  }

  private static String printfEscapes(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("\\x%02x", b & 0xff));
    }
    return out.toString();
  }
}
