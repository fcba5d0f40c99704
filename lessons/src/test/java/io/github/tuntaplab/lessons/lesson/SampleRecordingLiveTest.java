package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording the sample captures again (what {@code tunlab lesson record} does) reproduces the
 * committed ones: on every interface the same packets in the same order, in the same directions,
 * with the same addresses, MAC addresses, lengths and protocols, the same steps marked (compared
 * through our dissector, in-process: tshark's start-up, twice per lesson, would cost more than the
 * recording). What may
 * differ is what each run chooses anew, which the comparison leaves out: timestamps, ICMP identifiers
 * and sequence numbers, ephemeral ports, TCP sequence numbers, ciphertext; and the IPv6 chatter the
 * kernel sends on its own random timers (router solicitations and MLD reports, whose number depends
 * on how long a lesson runs, from a TUN's random link-local address). Each device is captured on its
 * own thread, and independent conversations cross one link at their own pace, so the order is compared
 * per interface and per pair of hosts: how two links' packets interleave (an ARP exchange on one link
 * and on the next, nanoseconds apart), or a late tunnel message and a ping, is not something a run can
 * repeat. ARP is
 * left out, and a packet repeated back to back counts once: the kernel re-asks for a neighbour on its
 * own randomised timers (an entry goes stale after 15–45 s; an unresolved address is asked for once a
 * second), and a retransmission's count depends on how long a step took. The lessons' claims about
 * ARP are their own checkpoints' to check, on every run.
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
      assertThat(differences(before.packets(), again.packets())).as("lesson %d recorded again", number).isEmpty();
      // A step whose only actions are tunlib changes may send nothing: its comment then has no packet to sit on.
      Lesson lesson = catalog.lesson(number);
      Set<String> marked = new TreeSet<>();
      for (int step = 1; step <= lesson.steps().size(); step++) {
        if (lesson.steps().get(step - 1).runs().stream().anyMatch(run -> !run.tunlib())) {
          marked.add(LessonRunner.stepComment(lesson, step));
        }
      }
      assertThat(again.comments()).as("lesson %d's step comments", number).containsAll(marked);
      assertThat(before.comments()).as("lesson %d's committed step comments", number).containsAll(marked);
    }
  }

  /** The conversations whose packets differ, each with what was committed and what was recorded again. */
  private static Map<String, String> differences(Map<String, List<String>> before, Map<String, List<String>> again) {
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(again.keySet());
    Map<String, String> differences = new TreeMap<>();
    for (String key : keys) {
      List<String> committed = before.getOrDefault(key, List.of());
      List<String> recorded = again.getOrDefault(key, List.of());
      if (!committed.equals(recorded)) {
        differences.put(key, "\n  committed:\n    " + String.join("\n    ", committed)
            + "\n  recorded again:\n    " + String.join("\n    ", recorded) + "\n");
      }
    }
    return differences;
  }

  /** A recording's packets per interface (by its index), each as a line of what identifies it, and the comments naming its steps. */
  private record Recording(Map<String, List<String>> packets, Set<String> comments) {
    static Recording of(Path file) throws IOException {
      Map<String, List<String>> packets = new TreeMap<>();
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
              .orElse(false) || carriesChatter(packet.linkType(), data)) {
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
          if (dissection.field("arp.opcode").isPresent()) {
            continue;
          }
          List<String> conversation = packets.computeIfAbsent(packet.interfaceIndex() + " " + conversation(dissection),
              key -> new ArrayList<>());
          if (conversation.isEmpty() || !conversation.get(conversation.size() - 1).equals(line.toString())) {
            conversation.add(line.toString());
          }
        }
      }
      return new Recording(packets, comments);
    }

    /** The two hosts of the packet's outermost IP header, either way round; or its EtherType. */
    private static String conversation(Dissection dissection) {
      List<Field> sources = dissection.fields("ip.src");
      List<Field> destinations = dissection.fields("ip.dst");
      if (sources.isEmpty() || destinations.isEmpty()) {
        return dissection.field("eth.type").map(f -> String.valueOf(f.value())).orElse("other");
      }
      String a = String.valueOf(sources.get(0).value());
      String b = String.valueOf(destinations.get(0).value());
      return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    /**
     * Whether an Ethernet frame is a plain tunnel's UDP message carrying the far TUN's IPv6 chatter,
     * or the ICMP error a closed tunnel's host answers such a message with.
     */
    private static boolean carriesChatter(LinkType linkType, byte[] frame) {
      return linkType.equals(LinkType.ETHERNET) && frame.length > 14 && frame[12] == 0x08 && frame[13] == 0x00
          && carriesChatter(frame, 14);
    }

    private static boolean carriesChatter(byte[] frame, int ip) {
      // No more than an IPv4, a UDP and an IPv6 header and one byte: a router solicitation from a TUN,
      // which has no link-layer address to add as an option, is only 8 bytes of ICMPv6.
      if (frame.length < ip + 20 + 8 + 40 + 1 || (frame[ip] & 0xf0) != 0x40) {
        return false;
      }
      int transport = ip + (frame[ip] & 0x0f) * 4;
      if (frame[ip + 9] == 1 && frame[transport] == 3) { // destination unreachable, quoting the message
        return carriesChatter(frame, transport + 8);
      }
      int inner = transport + 8;
      if (frame[ip + 9] != 17 || (frame[inner] & 0xf0) != 0x60) {
        return false;
      }
      int next = frame[inner + 6] & 0xff;
      int icmp = inner + 40;
      if (next == 0) { // a hop-by-hop options header first, as MLD reports have
        if (icmp + 1 >= frame.length) {
          return false;
        }
        next = frame[icmp] & 0xff;
        icmp += 8 * ((frame[icmp + 1] & 0xff) + 1);
      }
      return next == 58 && icmp < frame.length && CHATTER.contains(frame[icmp] & 0xff);
    }
  }
}
