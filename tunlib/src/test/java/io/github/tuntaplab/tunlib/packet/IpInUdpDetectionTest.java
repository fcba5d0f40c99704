package io.github.tuntaplab.tunlib.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Dissector#withIpInUdpDetection}: the lessons' plain tunnels in the sample captures are found
 * without a decode-as rule, their encrypted ones are not, and over tcpdump's whole test corpus it
 * fires only on UDP that tcpdump itself does not decode (its line for the packet ends in a bare
 * {@code UDP, length N}).
 */
class IpInUdpDetectionTest {
  private static final Dissector DETECTING = Dissector.standard().withIpInUdpDetection();

  /**
   * Lessons 5 to 8 run plain and aead tunnels (their topologies say on which UDP ports); the
   * recorded runs hold every device, the tunnels' TUNs and the veths under them.
   */
  @ParameterizedTest
  @ValueSource(ints = {5, 6, 7, 8})
  void aPlainTunnelsDatagramsCarryTheTunPacketsAndAnAeadTunnelsDoNot(int lesson) throws Exception {
    Path root = Prerequisites.repositoryRoot();
    Map<Integer, String> formatByPort = tunnelPorts(lesson);
    List<CapturedPacket> packets = CaptureFiles.packets(root.resolve("sample-captures/lesson-" + lesson + ".pcapng"));
    List<byte[]> onTuns = packets.stream().filter(p -> p.linkType().value() != LinkType.ETHERNET.value())
        .map(CapturedPacket::data).toList();
    int plain = 0;
    for (CapturedPacket packet : packets) {
      Dissection standard = dissect(Dissector.standard(), packet);
      Dissection detected = dissect(DETECTING, packet);
      Layer outerUdp = layer(standard, "udp", 0);
      if (outerUdp == null || packet.linkType().value() != LinkType.ETHERNET.value()) {
        continue;
      }
      byte[] data = packet.data();
      String format = formatByPort.getOrDefault(u16(data, outerUdp.offset() + 2),
          formatByPort.get(u16(data, outerUdp.offset())));
      if (!"plain".equals(format)) {
        assertThat(shape(detected)).as("%s (%s)", packet, format).isEqualTo(shape(standard));
        continue;
      }
      Layer inner = detected.layers().stream().filter(l -> l.depth() == 1).findFirst().orElse(null);
      assertThat(inner).as("the IP packet inside UDP of %s", packet).isNotNull();
      byte[] carried = Arrays.copyOfRange(data, inner.offset(), outerUdp.offset() + u16(data, outerUdp.offset() + 4));
      assertThat(onTuns).as("a TUN saw the packet carried by %s", packet).anyMatch(seen -> Arrays.equals(seen, carried));
      plain++;
    }
    assertThat(plain).as("plain tunnel datagrams in lesson %d", lesson).isGreaterThan(0);
  }

  @Test
  void theTwinsUdpDatagramsStayData() {
    // Lesson 1's TUN and TAP send IPv6 router solicitations and MLD reports, and ping over IPv4.
    Path twins = Prerequisites.repositoryRoot().resolve("sample-captures/lesson-1.pcapng");
    int packets = 0;
    for (CapturedPacket packet : CaptureFiles.packets(twins)) {
      Dissection plain = dissect(Dissector.standard(), packet);
      assertThat(shape(dissect(DETECTING, packet))).as("%s", packet).isEqualTo(shape(plain));
      packets++;
    }
    assertThat(packets).isGreaterThan(0);
  }

  /** The UDP ports of a lesson's tunnels and their formats, as its topology declares them. */
  private static Map<Integer, String> tunnelPorts(int lesson) throws Exception {
    Pattern tunnel = Pattern.compile("^tunnel \\S+ \\S+ (plain|aead) (?:peer \\S+|listen) (\\d+)\\b.*");
    Map<Integer, String> ports = new HashMap<>();
    try (Stream<Path> dirs = Files.list(Prerequisites.repositoryRoot().resolve("lessons"))) {
      Path readme = dirs.filter(d -> d.getFileName().toString().startsWith(String.format("%02d-", lesson)))
          .findFirst().orElseThrow().resolve("README.md");
      for (String line : Files.readAllLines(readme)) {
        Matcher matcher = tunnel.matcher(line);
        if (matcher.matches()) {
          ports.put(Integer.parseInt(matcher.group(2)), matcher.group(1));
        }
      }
    }
    assertThat(ports).as("lesson %d's tunnels", lesson).isNotEmpty();
    return ports;
  }

  private static int u16(byte[] data, int at) {
    return (data[at] & 0xff) << 8 | (data[at + 1] & 0xff);
  }

  @Test
  void overTheCorpusItFiresOnlyWhereTcpdumpSeesBareUdp() throws Exception {
    List<Path> files = Prerequisites.corpusCaptures();
    Prerequisites.requireTool("tcpdump");
    Map<Path, List<Integer>> detections = new LinkedHashMap<>();
    int udpPackets = 0;
    for (Path file : files) {
      int frame = 0;
      for (CapturedPacket packet : CaptureFiles.packets(file)) {
        frame++;
        Dissection plain = dissect(Dissector.standard(), packet);
        if (layer(plain, "udp", 0) == null) {
          continue;
        }
        udpPackets++;
        Dissection detected = dissect(DETECTING, packet);
        if (!shape(detected).equals(shape(plain))) {
          detections.computeIfAbsent(file, f -> new ArrayList<>()).add(frame);
        }
      }
    }
    List<String> misfires = new ArrayList<>();
    int count = 0;
    for (Map.Entry<Path, List<Integer>> entry : detections.entrySet()) {
      // -# numbers each packet's first line as tcpdump's frame number.
      List<String> lines = Cmd.run("tcpdump", "-#", "-nn", "-t", "-r", entry.getKey().toString()).stdout().lines()
          .toList();
      for (int frame : entry.getValue()) {
        count++;
        String line = lines.stream().filter(l -> l.matches("\\s*" + frame + "\\s\\s.*")).findFirst().orElse("");
        System.out.printf("IP in UDP: %s frame %d: %s%n", entry.getKey().getFileName(), frame, line.strip());
        if (!line.matches(".*\\bUDP, length \\d+$")) {
          misfires.add(entry.getKey().getFileName() + " frame " + frame + ": " + line.strip());
        }
      }
    }
    System.out.printf("IP in UDP detected in %d of %d UDP packets, in %d of %d files%n", count, udpPackets,
        detections.size(), files.size());
    assertThat(files).hasSizeGreaterThan(800);
    assertThat(misfires).isEmpty();
  }

  private static Dissection dissect(Dissector dissector, CapturedPacket packet) {
    byte[] data = packet.data();
    return dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
  }

  /** The layers' names, depths and offsets. */
  private static List<String> shape(Dissection dissection) {
    return dissection.layers().stream().map(l -> l.name() + "/" + l.depth() + "@" + l.offset()).toList();
  }

  private static Layer layer(Dissection dissection, String name, int depth) {
    return dissection.layers().stream().filter(l -> l.name().equals(name) && l.depth() == depth).findFirst()
        .orElse(null);
  }
}
