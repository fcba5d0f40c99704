package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabDevice;
import io.github.tuntaplab.lessons.lab.LabPacket;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A lesson replayed on its recorded run ({@code sample-captures/lesson-N.pcapng}, written by
 * {@code tunlab lesson record}): no lab, no privileges. Each step starts at the packet carrying
 * its comment; the checkpoints about packets are judged on what was recorded up to the step's end,
 * as the live run judged them. Checkpoints that ask the kernel or the step's command (route, flags,
 * exit, output) need the live lab.
 */
public final class LessonReplay {
  /** How the recording keeps the packet-information header beside a TUN's packet (LessonRunner's comment). */
  private static final Pattern HEADER = Pattern.compile("packet-information header ((?:[0-9a-f]{2} ?){4})");

  private final Lesson lesson;
  private final List<LabDevice> devices;
  private final List<LabPacket> packets;

  private LessonReplay(Lesson lesson, List<LabDevice> devices, List<LabPacket> packets) {
    this.lesson = lesson;
    this.devices = devices;
    this.packets = packets;
  }

  /** Reads the recorded run of {@code lesson}; its interfaces must be the devices of the lesson's lab. */
  public static LessonReplay read(Lesson lesson, Path recording) throws IOException {
    List<LabDevice> devices = devices(lesson.topology());
    List<LabPacket> packets = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(recording)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        int id = packet.interfaceIndex();
        if (id >= devices.size() || !devices.get(id).link().equals(packet.interfaceName())) {
          throw new IOException(recording + " is not a recording of " + lesson.source() + ": its interface " + id
              + " is " + packet.interfaceName() + ", the lesson's lab captures " + devices.stream()
              .map(LabDevice::link).toList());
        }
        packets.add(new LabPacket(devices.get(id), packet.timestamp(), packet.data(), packet.originalLength(),
            packet.direction(), packet.comment(), header(packet.comment())));
      }
    }
    return new LessonReplay(lesson, devices, packets);
  }

  /**
   * The devices a lab of {@code topology} captures, in its stream's interface order: veth ends, then
   * TUN and TAP, then the tunnels' TUNs.
   */
  private static List<LabDevice> devices(Topology topology) {
    LabSettings names = new LabSettings(LabSettings.DEFAULT_PREFIX, LabSettings.DEFAULT_DIRECTORY);
    List<LabDevice> devices = new ArrayList<>();
    for (Topology.Veth veth : topology.veths()) {
      for (Topology.End end : List.of(veth.a(), veth.b())) {
        devices.add(new LabDevice(devices.size(), end.namespace(), names.namespace(end.namespace()), end.link(), "veth",
            LinkType.ETHERNET));
      }
    }
    for (Topology.Device device : topology.devices()) {
      boolean tap = device.kind() == Topology.DeviceKind.TAP;
      devices.add(new LabDevice(devices.size(), device.namespace(), names.namespace(device.namespace()), device.link(),
          tap ? "tap" : "tun", tap ? LinkType.ETHERNET : LinkType.RAW));
    }
    for (Topology.TunnelEndpoint tunnel : topology.tunnels()) {
      devices.add(new LabDevice(devices.size(), tunnel.namespace(), names.namespace(tunnel.namespace()), tunnel.link(),
          "tun", LinkType.RAW));
    }
    return devices;
  }

  private static Optional<PacketInformation> header(String comment) {
    Matcher m = comment == null ? null : HEADER.matcher(comment);
    if (m == null || !m.find()) {
      return Optional.empty();
    }
    return Optional.of(PacketInformation.readFrom(ByteBuffer.wrap(HexFormat.of().parseHex(m.group(1).replace(" ", "")))));
  }

  public Lesson lesson() {
    return lesson;
  }

  /** How many packets were recorded. */
  public int size() {
    return packets.size();
  }

  /**
   * The packet (from 0) where step {@code number} (from 1) began, or -1 if it captured nothing. The
   * step is found by its numbers in the comment, in any language the runner writes, so a lesson read
   * in Chinese finds its steps in a recording made in English (and the other way round).
   */
  public int firstPacketOf(int number) {
    List<LessonWords> languages = Stream.of(Language.values()).map(LessonWords::of).toList();
    for (int i = 0; i < packets.size(); i++) {
      String c = packets.get(i).comment();
      if (c != null && c.lines().anyMatch(line -> languages.stream()
          .anyMatch(words -> words.stepOfComment(lesson.number(), line).equals(OptionalInt.of(number))))) {
        return i;
      }
    }
    return -1;
  }

  /** Where step {@code number}'s packets end: the first packet of a later step, or the end. */
  public int endOf(int number) {
    for (int later = number + 1; later <= lesson.steps().size(); later++) {
      int first = firstPacketOf(later);
      if (first >= 0) {
        return first;
      }
    }
    return packets.size();
  }

  /** Whether a recorded run can judge {@code checkpoint}: it is about packets, not the kernel or a command. */
  public static boolean judgeable(Checkpoint checkpoint) {
    return checkpoint instanceof Checkpoint.OnPackets || checkpoint instanceof Checkpoint.Same;
  }

  /** The verdicts of step {@code number}'s checkpoints about packets, on the packets recorded up to its end. */
  public List<CheckResult> check(int number) {
    Evidence evidence = new Evidence(devices, packets.subList(0, endOf(number)));
    List<CheckResult> results = new ArrayList<>();
    for (Checkpoint checkpoint : lesson.steps().get(number - 1).checks()) {
      if (!judgeable(checkpoint)) {
        continue;
      }
      Verdict verdict;
      try {
        verdict = checkpoint.check(evidence);
      } catch (IOException | IllegalArgumentException e) {
        verdict = Verdict.cannotJudge(e);
      }
      results.add(new CheckResult(number, checkpoint, verdict));
    }
    return results;
  }
}
