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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link Dissector#withIpInUdpDetection}: the socat tunnel of the sample captures is found without
 * a decode-as rule, and over tcpdump's whole test corpus it fires only on UDP that tcpdump itself
 * does not decode (its line for the packet ends in a bare {@code UDP, length N}).
 */
class IpInUdpDetectionTest {
  private static final Dissector DETECTING = Dissector.standard().withIpInUdpDetection();

  @Test
  void theSampleTunnelsInnerPacketsAreTheTunPackets() {
    Path samples = Prerequisites.repositoryRoot().resolve("sample-captures");
    List<CapturedPacket> tun = CaptureFiles.packets(samples.resolve("tunnel-tun.pcap"));
    List<byte[]> tunPackets = tun.stream().map(CapturedPacket::data).toList();
    int found = 0;
    int matched = 0;
    int udp = 0;
    for (CapturedPacket packet : CaptureFiles.packets(samples.resolve("tunnels-underlay.pcap"))) {
      Dissection plain = dissect(Dissector.standard(), packet);
      Dissection detected = dissect(DETECTING, packet);
      Layer outerUdp = layer(plain, "udp", 0);
      if (outerUdp == null || layer(plain, "vxlan", 0) != null) {
        // Not UDP, or VXLAN (port 4789): both dissectors agree.
        assertThat(shape(detected)).isEqualTo(shape(plain));
        continue;
      }
      udp++;
      Layer inner = detected.layers().stream().filter(l -> l.depth() == 1).findFirst().orElse(null);
      assertThat(inner).as("the IP packet inside UDP of %s", packet).isNotNull();
      assertThat(inner.name()).isIn("ip", "ipv6");
      byte[] data = packet.data();
      int udpLength = (data[outerUdp.offset() + 4] & 0xff) << 8 | (data[outerUdp.offset() + 5] & 0xff);
      byte[] carried = Arrays.copyOfRange(data, inner.offset(), outerUdp.offset() + udpLength);
      found++;
      // The tunnel's first packets (router solicitations) went out before tcpdump on the TUN started.
      if (!packet.timestamp().isBefore(tun.get(0).timestamp())) {
        assertThat(tunPackets).as("the TUN saw the packet carried by %s", packet)
            .anyMatch(seen -> Arrays.equals(seen, carried));
        matched++;
      }
    }
    assertThat(udp).isGreaterThan(0);
    assertThat(found).isEqualTo(udp);
    assertThat(matched).isEqualTo(tun.size());
  }

  @Test
  void theTwinsUdpDatagramsStayData() {
    Path twins = Prerequisites.repositoryRoot().resolve("sample-captures/tun-and-tap.pcapng");
    int udp = 0;
    for (CapturedPacket packet : CaptureFiles.packets(twins)) {
      Dissection plain = dissect(Dissector.standard(), packet);
      udp += layer(plain, "udp", 0) == null ? 0 : 1;
      assertThat(shape(dissect(DETECTING, packet))).as("%s", packet).isEqualTo(shape(plain));
    }
    assertThat(udp).as("UDP datagrams in the twins' capture").isGreaterThan(0);
  }

  @Test
  void overTheCorpusItFiresOnlyWhereTcpdumpSeesBareUdp() throws Exception {
    Path corpus = Prerequisites.requireShared("corpus/tcpdump-tests");
    Prerequisites.requireTool("tcpdump");
    List<Path> files;
    try (Stream<Path> list = Files.list(corpus)) {
      files = list.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
    }
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
