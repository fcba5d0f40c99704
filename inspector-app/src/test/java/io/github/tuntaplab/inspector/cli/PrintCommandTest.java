package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.text.TcpdumpOracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tunlab print} against {@code TZ=UTC tcpdump -nn} on the CORE captures: filter expressions
 * compiled by libpcap, the "reading from file" line, and tcpdump's kind of failure for a bad
 * expression or an unreadable file.
 */
class PrintCommandTest {
  private static TimeZone jvmZone;
  private static Path corpus;
  private static List<Path> core;

  @BeforeAll
  static void utcAndCorpus() throws IOException {
    Prerequisites.requireTool("tcpdump");
    corpus = Prerequisites.requireShared("corpus/tcpdump-tests");
    core = TcpdumpOracle.coreCaptures();
    // tcpdump prints local time; both sides use UTC here.
    jvmZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
  }

  @AfterAll
  static void restoreZone() {
    if (jvmZone != null) {
      TimeZone.setDefault(jvmZone);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"arp", "icmp or icmp6", "udp port 4789", "host 198.18.0.2", "host 192.168.203.5",
      "tcp[tcpflags] & tcp-syn != 0", "vlan", "ip6 and not icmp6"})
  void filterExpressionsSelectWhatTcpdumpSelects(String expression) {
    int selected = 0;
    for (Path file : core) {
      Cmd.Result tcpdump = Cmd.run("tcpdump", "-nn", "-e", "-r", file.toString(), expression);
      Tunlab ours = Tunlab.run("print", "-e", file.toString(), expression);
      assertThat(ours.exitCode()).as(file + " exit code").isEqualTo(tcpdump.exitCode());
      assertThat(ours.stdout()).as(file + " " + expression).isEqualTo(tcpdump.stdout());
      selected += tcpdump.stdout().lines().count();
    }
    System.out.println("filter '" + expression + "': " + selected + " lines from the CORE files, as tcpdump");
  }

  @Test
  void theReadingLineIsTcpdumps() {
    for (Path file : core) {
      Cmd.Result tcpdump = Cmd.run("tcpdump", "-nn", "-r", file.toString());
      Tunlab ours = Tunlab.run("print", file.toString());
      assertThat(ours.stderr().lines().findFirst()).as(file.toString())
          .isEqualTo(tcpdump.stderr().lines().findFirst());
    }
  }

  @Test
  void countStopsAfterNPackets() {
    Path file = corpus.resolve("vxlan.pcap");
    assertThat(Tunlab.run("print", "-c", "3", "-v", file.toString()).stdout())
        .isEqualTo(Cmd.run("tcpdump", "-nn", "-c", "3", "-v", "-r", file.toString()).stdout());
  }

  @Test
  void aBadExpressionFailsWithLibpcapsMessage() {
    Path file = corpus.resolve("vxlan.pcap");
    Cmd.Result tcpdump = Cmd.run("tcpdump", "-nn", "-r", file.toString(), "udp port x");
    Tunlab ours = Tunlab.run("print", file.toString(), "udp", "port", "x");
    assertThat(ours.exitCode()).isEqualTo(1).isEqualTo(tcpdump.exitCode());
    assertThat(ours.stderr()).contains("tunlab: unknown port 'x'");
    assertThat(tcpdump.stderr()).contains("tcpdump: unknown port 'x'");
    assertThat(ours.stdout()).isEmpty();
  }

  @Test
  void anUnreadableFileFailsLikeTcpdump() {
    Cmd.Result tcpdump = Cmd.run("tcpdump", "-nn", "-r", "/nonexistent/tl-missing.pcap");
    Tunlab ours = Tunlab.run("print", "/nonexistent/tl-missing.pcap");
    assertThat(ours.exitCode()).isEqualTo(1).isEqualTo(tcpdump.exitCode());
    assertThat(ours.stderr().strip()).isEqualTo(tcpdump.stderr().strip().replace("tcpdump:", "tunlab:"));
  }
}
