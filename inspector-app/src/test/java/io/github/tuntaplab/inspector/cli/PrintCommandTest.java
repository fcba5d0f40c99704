package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.packet.TestPackets;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.text.TcpdumpOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tunlab print} against {@code TZ=UTC tcpdump -nn} on the CORE captures: filter expressions
 * compiled by libpcap, the "reading from file" line, and tcpdump's kind of failure for a bad
 * expression or an unreadable file; {@code --decode-as} for IP- and Ethernet-in-UDP tunnels.
 */
class PrintCommandTest {
  private static final int TUNNEL_PORT = 5555;
  /** A packet's first line starts with tcpdump's default timestamp; its other lines do not. */
  private static final Pattern PACKET_START = Pattern.compile("(?m)^(?=\\d\\d:\\d\\d:\\d\\d\\.\\d{6} )");
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

  /**
   * A file cut in its tenth record: with {@code -c 9} tcpdump never reads the broken record and
   * exits 0; with {@code -c 10} it prints nine packets and fails. Ours reads ahead on another
   * thread, so this is where a read error past the Nth packet could leak out.
   */
  @ParameterizedTest(name = "-c {0}")
  @ValueSource(ints = {8, 9, 10})
  void countStopsBeforeABrokenRecordAsTcpdumpDoes(int count, @TempDir Path dir) throws IOException {
    byte[] whole = Files.readAllBytes(corpus.resolve("vxlan.pcap"));
    Path cut = dir.resolve("tl-cut.pcap");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 10));
    Cmd.Result tcpdump = Cmd.run("tcpdump", "-nn", "-c", Integer.toString(count), "-r", cut.toString());
    Tunlab ours = Tunlab.run("print", "-c", Integer.toString(count), cut.toString());
    assertThat(tcpdump.stdout().lines().filter(line -> PACKET_START.matcher(line).lookingAt()).count())
        .isEqualTo(Math.min(count, 9));
    assertThat(ours.stdout()).isEqualTo(tcpdump.stdout());
    assertThat(ours.exitCode()).isEqualTo(tcpdump.exitCode()).isEqualTo(count <= 9 ? 0 : 1);
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

  /**
   * Every Ethernet frame of the CORE captures (for {@code eth}; its IP packet for {@code ip}) sent
   * through a UDP tunnel on port 5555: the first line is what tcpdump prints for the tunnel's packet,
   * the next what tcpdump prints for the carried packet captured alone (on a TAP, or a TUN: a RAW
   * link), without its timestamp.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"udp.port=5555:ip,", "udp.port=5555:ip,-e", "udp.port=5555:ip,-v", "udp.port=5555:ip,-e -v",
      "udp.port=5555:eth,", "udp.port=5555:eth,-e", "udp.port=5555:eth,-v", "5555=raw_ip,-e",
      "5555=ethernet,-e"})
  void decodeAsPrintsTheTunnelledPacketOnTheNextLine(String rule, String flagText, @TempDir Path dir)
      throws IOException {
    boolean ethernet = rule.endsWith("eth") || rule.endsWith("ethernet");
    Path alone = dir.resolve("alone.pcap");
    Path tunnel = dir.resolve("tunnel.pcap");
    int packets = writeTunnel(ethernet, alone, tunnel);
    List<String> flags = flagText == null ? List.of() : List.of(flagText.split(" "));
    List<String> outer = packetsPrinted(tcpdump(flags, tunnel));
    List<String> inner = packetsPrinted(tcpdump(flags, alone));
    assertThat(packets).isGreaterThanOrEqualTo(20);
    assertThat(outer).hasSize(packets);
    assertThat(inner).hasSize(packets);
    List<String> arguments = new ArrayList<>(flags);
    arguments.addAll(0, List.of("print", "--decode-as", rule));
    arguments.add(tunnel.toString());
    List<String> ours = packetsPrinted(Tunlab.run(arguments.toArray(String[]::new)).stdout());
    assertThat(ours).hasSize(packets);
    for (int i = 0; i < packets; i++) {
      String expected = outer.get(i).stripTrailing() + "\n" + inner.get(i).substring("00:00:00.000000 ".length());
      assertThat(ours.get(i)).as("packet " + (i + 1)).isEqualTo(expected);
    }
  }

  @Test
  void aBadDecodeAsRuleIsAUsageErrorThatShowsTheSpelling() {
    String file = corpus.resolve("vxlan.pcap").toString();
    for (String rule : List.of("udp.port=5555", "udp.port=5555:ppp", "udp.port=70000:eth", "5555")) {
      Tunlab bad = Tunlab.run("print", "--decode-as", rule, file);
      assertThat(bad.exitCode()).as(rule).isEqualTo(2);
      assertThat(bad.stdout()).isEmpty();
      assertThat(bad.stderr()).as(rule).contains("--decode-as").contains(rule.contains("70000")
          ? "a UDP port is 0..65535, not 70000" : "expected udp.port=PORT:PROTOCOL");
    }
    assertThat(Tunlab.run("print", "--decode-as", "udp.port=x:ip", file).stderr()).contains("'x'", "not a UDP port");
  }

  /**
   * A sample pcapng file with a TUN and a TAP (two link types, which tcpdump refuses): each packet
   * prints as tcpdump prints it from a file of its interface alone, and packets of another link type
   * than the first packet's start with their interface's name.
   */
  @ParameterizedTest(name = "print [{0}]")
  @ValueSource(strings = {"", "-e", "-v"})
  void aSampleWithSeveralLinkTypesPrintsEachPacketAsTcpdumpWithTheInterfaceName(String flagText, @TempDir Path dir)
      throws IOException {
    List<Path> mixed = new ArrayList<>();
    for (Path sample : TcpdumpOracle.sampleCaptures()) {
      if (TcpdumpOracle.linkTypes(sample).size() > 1) {
        mixed.add(sample);
      }
    }
    assertThat(mixed).as("sample-captures/ with several link types").isNotEmpty();
    List<String> flags = flagText.isEmpty() ? List.of() : List.of(flagText.split(" "));
    for (Path sample : mixed) {
      List<CapturedPacket> packets = new ArrayList<>();
      try (CaptureReader reader = CaptureReader.open(sample)) {
        for (CapturedPacket packet; (packet = reader.next()) != null; ) {
          packets.add(packet);
        }
      }
      java.util.Map<Integer, List<String>> perInterface = new java.util.HashMap<>();
      for (int id : packets.stream().map(CapturedPacket::interfaceIndex).distinct().toList()) {
        Path alone = dir.resolve(sample.getFileName() + "-" + id + ".pcap");
        try (PcapWriter writer = PcapWriter.create(alone)) {
          writer.addInterface(packets.stream().filter(p -> p.interfaceIndex() == id).findFirst().orElseThrow()
              .linkType(), null, 0);
          for (CapturedPacket packet : packets) {
            if (packet.interfaceIndex() == id) {
              writer.write(0, packet);
            }
          }
        }
        perInterface.put(id, new ArrayList<>(packetsPrinted(tcpdump(flags, alone))));
      }
      StringBuilder expected = new StringBuilder();
      for (CapturedPacket packet : packets) {
        if (!packet.linkType().equals(packets.get(0).linkType())) {
          expected.append(packet.interfaceName()).append(' ');
        }
        expected.append(perInterface.get(packet.interfaceIndex()).remove(0));
      }
      List<String> arguments = new ArrayList<>(List.of("print"));
      arguments.addAll(flags);
      arguments.add(sample.toString());
      Tunlab ours = Tunlab.run(arguments.toArray(String[]::new));
      assertThat(ours.exitCode()).isZero();
      assertThat(ours.stdout()).as(sample + " " + flagText).isEqualTo(expected.toString());
      assertThat(ours.stdout()).contains("\n" + packets.stream().filter(p -> !p.linkType().equals(packets.get(0)
          .linkType())).findFirst().orElseThrow().interfaceName() + " ");
    }
  }

  /** The print command on every single-interface sample capture (the lessons' lesson-N-LINK.pcap): tcpdump's text. */
  @ParameterizedTest(name = "print [{0}]")
  @ValueSource(strings = {"", "-e"})
  void everySingleInterfaceSampleCapturePrintsAsTcpdump(String flagText) throws IOException {
    List<String> flags = flagText.isEmpty() ? List.of() : List.of(flagText);
    List<Path> singles = TcpdumpOracle.sampleCaptures().stream().filter(f -> f.toString().endsWith(".pcap")).toList();
    assertThat(singles).as("single-interface files in sample-captures/").isNotEmpty();
    for (Path sample : singles) {
      List<String> arguments = new ArrayList<>(List.of("print"));
      arguments.addAll(flags);
      arguments.add(sample.toString());
      Tunlab ours = Tunlab.run(arguments.toArray(String[]::new));
      assertThat(ours.exitCode()).as(ours.stderr()).isZero();
      String expected = tcpdump(flags, sample);
      assertThat(expected).as(sample + " is printed by tcpdump").isNotEmpty();
      assertThat(ours.stdout()).as(sample + " " + flagText).isEqualTo(expected);
    }
  }

  private static String tcpdump(List<String> flags, Path file) {
    List<String> command = new ArrayList<>(List.of("env", "TZ=UTC", "tcpdump", "-nn"));
    command.addAll(flags);
    command.addAll(List.of("-r", file.toString()));
    return Cmd.run(command.toArray(String[]::new)).stdout();
  }

  /** Output split where each packet's text starts. */
  private static List<String> packetsPrinted(String output) {
    return output.isEmpty() ? List.of() : List.of(PACKET_START.split(output));
  }

  /** Writes the carried packets alone and inside IPv4/UDP to port 5555; returns how many. */
  private static int writeTunnel(boolean ethernet, Path alone, Path tunnel) throws IOException {
    int packets = 0;
    try (PcapWriter inner = PcapWriter.create(alone); PcapWriter outer = PcapWriter.create(tunnel)) {
      inner.addInterface(ethernet ? LinkType.ETHERNET : LinkType.RAW, null, 0);
      outer.addInterface(LinkType.ETHERNET, null, 0);
      for (Path file : core) {
        try (CaptureReader reader = CaptureReader.open(file)) {
          for (CapturedPacket packet; (packet = reader.next()) != null; ) {
            byte[] frame = packet.data();
            if (!packet.linkType().equals(LinkType.ETHERNET) || frame.length != packet.originalLength()
                || frame.length < 15 || frame.length > 1500) {
              continue;
            }
            int type = (frame[12] & 0xff) << 8 | frame[13] & 0xff;
            if (!ethernet && type != 0x0800 && type != 0x86dd) {
              continue;
            }
            byte[] carried = ethernet ? frame : java.util.Arrays.copyOfRange(frame, 14, frame.length);
            byte[] sent = TestPackets.ethernet(TestPackets.MAC_B, TestPackets.MAC_A, 0x0800, TestPackets.ipv4(17,
                "198.51.100.1", "198.51.100.2", TestPackets.udp(40000, TUNNEL_PORT, carried)));
            Instant time = Instant.EPOCH.plusMillis(packets);
            inner.write(0, time, carried, 0, carried.length, carried.length, null);
            outer.write(0, time, sent, 0, sent.length, sent.length, null);
            packets++;
          }
        }
      }
    }
    return packets;
  }
}
