package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel traffic between two namespaces (ARP, ping, IPv6 neighbour discovery and ping, a TCP
 * transfer, UDP, fragmented pings, VXLAN, a socat IP-in-UDP tunnel), captured by tcpdump on the
 * veth twice (whole, and with a 64-byte snap length) and on the tunnel's TUN device (a RAW link).
 * Every file printed by us equals {@code tcpdump -nn} with each flag set.
 */
@LiveTest
class TcpdumpLiveConformanceTest {
  private static final String[][] FLAG_SETS = {{}, {"-e"}, {"-v"}, {"-XX"}, {"-e", "-v", "-XX"}};

  @Test
  void liveCapturesPrintAsTcpdumpPrintsThem(@TempDir Path dir) throws Exception {
    Prerequisites.requireTool("tcpdump");
    Prerequisites.requireTool("ping");
    Path whole = dir.resolve("veth.pcap");
    Path cut = dir.resolve("veth-snap64.pcap");
    Path tun = dir.resolve("tun.pcap");
    try (TestNamespace left = TestNamespace.create(); TestNamespace right = TestNamespace.create()) {
      left.ip("link", "add", "tl-pa", "type", "veth", "peer", "name", "tl-pb", "netns", right.name());
      configure(left, "tl-pa", "198.51.100.1", "2001:db8:100::1");
      configure(right, "tl-pb", "198.51.100.2", "2001:db8:100::2");
      Process full = left.start("tcpdump", "-i", "tl-pa", "--immediate-mode", "-U", "-Z", "root", "-s", "0", "-w", whole.toString());
      Process snap = left.start("tcpdump", "-i", "tl-pa", "--immediate-mode", "-U", "-Z", "root", "-s", "64", "-w", cut.toString());
      awaitHeader(whole);
      awaitHeader(cut);
      left.ip("link", "add", "tl-vx0", "type", "vxlan", "id", "42", "local", "198.51.100.1", "remote",
          "198.51.100.2", "dstport", "4789", "dev", "tl-pa");
      right.ip("link", "add", "tl-vx0", "type", "vxlan", "id", "42", "local", "198.51.100.2", "remote",
          "198.51.100.1", "dstport", "4789", "dev", "tl-pb");
      left.ip("addr", "add", "198.18.0.1/24", "dev", "tl-vx0");
      right.ip("addr", "add", "198.18.0.2/24", "dev", "tl-vx0");
      left.ip("link", "set", "tl-vx0", "up");
      right.ip("link", "set", "tl-vx0", "up");
      Process tcpServer = right.start("socat", "-u", "TCP-LISTEN:8080,reuseaddr", "OPEN:/dev/null");
      Thread.sleep(300);
      left.exec("ping", "-c", "2", "-i", "0.2", "198.51.100.2").orThrow();
      left.exec("ping", "-c", "1", "-s", "3000", "198.51.100.2").orThrow();
      left.exec("ping", "-6", "-c", "2", "-i", "0.2", "2001:db8:100::2").orThrow();
      left.exec("ping", "-6", "-c", "1", "-s", "3000", "2001:db8:100::2").orThrow();
      left.exec("bash", "-c", "head -c 20000 /dev/zero > /dev/tcp/198.51.100.2/8080").orThrow();
      left.exec("bash", "-c", "echo hello over udp > /dev/udp/198.51.100.2/9999").orThrow();
      left.exec("ping", "-c", "2", "-i", "0.2", "198.18.0.2").orThrow();
      // A socat IP-in-UDP tunnel: its TUN side is a RAW link; its underlay crosses the veth.
      // The listener connects to the first sender: a connected UDP socket dies on "port unreachable".
      Process rightTunnel = right.start("socat", "UDP-LISTEN:5555,bind=198.51.100.2",
          "TUN:198.18.2.2/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0");
      Thread.sleep(300);
      Process leftTunnel = left.start("socat", "UDP:198.51.100.2:5555,bind=198.51.100.1:5555",
          "TUN:198.18.2.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0");
      for (int i = 0; i < 100 && !left.exec("ip", "-4", "addr", "show", "dev", "tl-tun0").stdout().contains("198.18.2."); i++) {
        Thread.sleep(50);
      }
      Process tunDump = left.start("tcpdump", "-i", "tl-tun0", "--immediate-mode", "-U", "-Z", "root", "-s", "0", "-w", tun.toString());
      awaitHeader(tun);
      left.exec("ping", "-c", "3", "-i", "0.3", "-w", "5", "198.18.2.2");
      left.exec("bash", "-c", "echo through the tunnel > /dev/udp/198.18.2.2/7777").orThrow();
      Thread.sleep(300);
      for (Process process : List.of(tunDump, leftTunnel, rightTunnel)) {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      for (Process tcpdump : List.of(full, snap)) {
        tcpdump.destroy();
        assertThat(tcpdump.waitFor(10, TimeUnit.SECONDS)).as("tcpdump stops on SIGTERM").isTrue();
      }
      tcpServer.destroy();
      tcpServer.waitFor(5, TimeUnit.SECONDS);
      for (TestNamespace ns : List.of(left, right)) {
        for (int i = 0; i < 100 && !Cmd.ok("ip", "netns", "pids", ns.name()).isBlank(); i++) {
          Thread.sleep(50);
        }
      }
    }
    List<String> failures = new ArrayList<>();
    for (Path file : List.of(whole, cut, tun)) {
      for (String[] flags : FLAG_SETS) {
        List<String> expected = TcpdumpOracle.tcpdump(file, flags);
        TcpdumpOracle.Printed ours = TcpdumpOracle.ours(file, flags);
        int same = 0;
        for (int i = 0; i < Math.min(expected.size(), ours.lines().size()); i++) {
          if (expected.get(i).equals(ours.lines().get(i))) {
            same++;
          } else if (failures.size() < 10) {
            failures.add(file.getFileName() + " " + String.join(" ", flags) + " line " + (i + 1)
                + "\n  tcpdump: " + expected.get(i) + "\n  tunlab:  " + ours.lines().get(i));
          }
        }
        if (expected.size() != ours.lines().size()) {
          failures.add(file.getFileName() + " " + String.join(" ", flags) + ": tcpdump printed " + expected.size()
              + " lines, we printed " + ours.lines().size());
        }
        System.out.printf("live %s tcpdump -nn %-10s %d/%d lines match, %d packets printed partially%n",
            file.getFileName(), String.join(" ", flags), same, expected.size(), ours.partial());
      }
      assertThat(TcpdumpOracle.tcpdump(file).size()).as(file + " packets").isGreaterThan(file.equals(tun) ? 4 : 30);
    }
    assertThat(failures).isEmpty();
  }

  private static void configure(TestNamespace ns, String veth, String ipv4, String ipv6) {
    ns.ip("addr", "add", ipv4 + "/24", "dev", veth);
    ns.ip("addr", "add", ipv6 + "/64", "dev", veth, "nodad");
    ns.ip("link", "set", veth, "up");
  }

  private static void awaitHeader(Path file) throws Exception {
    for (int i = 0; i < 100 && !(Files.exists(file) && Files.size(file) >= 24); i++) {
      Thread.sleep(50);
    }
    Thread.sleep(200);
  }
}
