package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording the sample captures again (what {@code tunlab lesson record} does) reproduces the
 * committed ones: the same packets in the same order, on the same interfaces in the same directions,
 * with the same addresses, MAC addresses, lengths and protocols, the same steps marked (compared
 * through our dissector, in-process: tshark's start-up, twice per lesson, would cost more than the
 * recording). What may
 * differ is what each run chooses anew, which the comparison leaves out: timestamps, ICMP identifiers
 * and sequence numbers, ephemeral ports, TCP sequence numbers, ciphertext; and the IPv6 chatter the
 * kernel sends on its own random timers (router solicitations and MLD reports, whose number depends
 * on how long a lesson runs, from a TUN's random link-local address).
 */
@LiveTest
class SampleRecordingLiveTest {
  /** What identifies a packet beyond its interface, direction, length and layers (no ids, sequence numbers, checksums, payload). */
  private static final List<String> FIELDS = List.of("eth.src", "eth.dst", "eth.type", "arp.opcode",
      "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "ip.src", "ip.dst", "ip.proto", "ip.ttl", "ipv6.src",
      "ipv6.dst", "ipv6.nxt", "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code", "udp.srcport", "udp.dstport",
      "tcp.srcport", "tcp.dstport", "tcp.flags");
  private static final Set<String> PORTS = Set.of("udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport");
  /** The kernel's unsolicited IPv6 messages: router solicitation, MLDv1 and MLDv2 reports. */
  private static final Set<Integer> CHATTER = Set.of(133, 131, 143);
  /** Linux picks ephemeral ports from 32768 up (net.ipv4.ip_local_port_range). */
  private static final int FIRST_EPHEMERAL_PORT = 32768;

  @TempDir
  Path dir;

  @Test
  void aSecondRecordingHasTheSamePacketsInTheSameOrder() throws Exception {
    LessonCatalog catalog = LessonCatalog.builtIn();
    List<Integer> lessons = catalog.entries().stream().map(LessonCatalog.Entry::number).toList();
    StringWriter log = new StringWriter();
    LabSettings settings = new LabSettings("tl-r" + ProcessHandle.current().pid() + "-", dir.resolve("run"));
    new SampleRecorder(new PrintWriter(log), settings).record(catalog, lessons, dir.resolve("again"));
    System.out.print(log);
    Path committed = Prerequisites.repositoryRoot().resolve("sample-captures");
    for (int number : lessons) {
      String file = "lesson-" + number + ".pcapng";
      Recording again = Recording.of(dir.resolve("again").resolve(file));
      Recording before = Recording.of(committed.resolve(file));
      assertThat(again.packets()).as("lesson %d recorded again", number).isEqualTo(before.packets());
      assertThat(again.comments()).as("lesson %d's step comments", number).isEqualTo(before.comments());
    }
  }

  /** A recording's packets, each as a line of what identifies it, and the comments naming its steps. */
  private record Recording(List<String> packets, Set<String> comments) {
    static Recording of(Path file) throws IOException {
      List<String> packets = new ArrayList<>();
      Set<String> comments = new TreeSet<>();
      try (CaptureReader reader = CaptureReader.open(file)) {
        for (CapturedPacket packet; (packet = reader.next()) != null; ) {
          byte[] data = packet.data();
          Dissection dissection = Dissector.standard().dissect(packet.linkType(), data, 0, data.length,
              packet.originalLength());
          if (packet.comment() != null) {
            packet.comment().lines().filter(line -> line.startsWith("Lesson ")).forEach(comments::add);
          }
          if (dissection.field("icmpv6.type").map(f -> CHATTER.contains(((Number) f.value()).intValue()))
              .orElse(false)) {
            continue;
          }
          StringBuilder line = new StringBuilder(packet.interfaceName()).append(' ').append(packet.direction())
              .append(' ').append(packet.originalLength()).append(' ')
              .append(dissection.layers().stream().map(Layer::name).toList());
          for (String name : FIELDS) {
            for (Field field : dissection.fields(name)) {
              String value = String.valueOf(field.value());
              line.append(' ').append(name).append('=').append(PORTS.contains(name)
                  && ((Number) field.value()).intValue() >= FIRST_EPHEMERAL_PORT ? "ephemeral" : value);
            }
          }
          packets.add(line.toString());
        }
      }
      return new Recording(packets, comments);
    }
  }
}
