package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabDevice;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Records the sample captures (what the inspector opens without privileges) by running lessons on
 * live labs: for each lesson its whole capture, {@code lesson-N.pcapng} (every device of its lab, each
 * step's title as the comment of its first packet), and, for each device that carried packets, a single-interface
 * {@code lesson-N-LINK.pcap} that tcpdump reads; then the index, {@code README.md}, saying what each file
 * shows and which command reads it. A lesson whose checkpoints fail is not recorded: a sample shows the
 * lesson's claim holding.
 */
public final class SampleRecorder {
  /** The index of the recorded files, written beside them. */
  public static final String INDEX = "README.md";

  private final PrintWriter log;
  private final LabSettings settings;

  /** A file written, and what the index says about it. */
  public record Recorded(Path file, String shows, String readWith) {}

  /** One lesson's files: the pcapng first, then a pcap per device that carried packets. */
  public record RecordedLesson(LessonCatalog.Entry entry, List<Recorded> files) {}

  public SampleRecorder(PrintWriter log, LabSettings settings) {
    this.log = log;
    this.settings = settings;
  }

  /**
   * Runs lessons {@code numbers} of {@code catalog}, writes their files into {@code directory} and
   * an index of them; throws when a lesson's checkpoints fail, with the lesson's transcript.
   */
  public List<RecordedLesson> record(LessonCatalog catalog, List<Integer> numbers, Path directory) throws IOException {
    Files.createDirectories(directory);
    List<RecordedLesson> recorded = new ArrayList<>();
    for (int number : numbers) {
      recorded.add(record(catalog.entry(number), catalog.lesson(number), directory));
    }
    Files.writeString(directory.resolve(INDEX), index(recorded));
    log.println("index: " + directory.resolve(INDEX));
    log.flush();
    return recorded;
  }

  private RecordedLesson record(LessonCatalog.Entry entry, Lesson lesson, Path directory) throws IOException {
    long start = System.nanoTime();
    Path capture = directory.resolve("lesson-" + lesson.number() + ".pcapng");
    StringWriter transcript = new StringWriter();
    LessonResult result = new LessonRunner(new PrintWriter(transcript), LessonRunner.Pacer.none(), settings)
        .run(lesson, Optional.of(capture));
    if (!result.passed()) {
      Files.deleteIfExists(capture);
      throw new IOException("lesson " + lesson.number() + " failed, so it was not recorded:\n" + transcript);
    }
    deleteSingleInterfaceFiles(directory, lesson.number());
    List<CapturedPacket> packets = new ArrayList<>();
    boolean secrets;
    try (CaptureReader reader = CaptureReader.open(capture)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        packets.add(packet);
      }
      secrets = !reader.decryptionSecrets().isEmpty();
    }
    List<Recorded> files = new ArrayList<>();
    String name = capture.getFileName().toString();
    files.add(new Recorded(capture, "every device of the lab, " + packets.size() + " packets (" + protocols(packets)
        + "); the first packet of each step has the step's title as its comment" + (secrets
        ? "; the tunnel's AEAD key in a Decryption Secrets Block, which `tunlab fields` uses to decrypt" : ""),
        "`tunlab print -e " + name + "`; `tshark -r " + name + " -T fields -e frame.interface_name -e frame.comment"
        + " -e _ws.col.Info`; Wireshark" + (tcpdumpReads(result.devices()) ? "; `tcpdump -nn -e -r " + name
        + "` (without the interface names)" : " (tcpdump refuses its interfaces: the files below are for tcpdump)")));
    for (LabDevice device : result.devices()) {
      List<CapturedPacket> own = packets.stream().filter(p -> p.interfaceIndex() == device.interfaceId()).toList();
      if (!own.isEmpty()) {
        files.add(writeSingleInterface(directory, lesson.number(), device, own, result.devices()));
      }
    }
    log.printf("lesson %d: %d checkpoints passed in %.1f s; %s%n", lesson.number(), result.results().size(),
        (System.nanoTime() - start) / 1e9, String.join(", ", files.stream().map(f -> f.file().getFileName().toString())
            .toList()));
    log.flush();
    return new RecordedLesson(entry, files);
  }

  /**
   * Whether libpcap 1.10 reads a pcapng file of these devices: all of one link type, and not raw IP
   * (it compares a second raw-IP interface's LINKTYPE_RAW with the first's DLT_RAW and calls them different).
   */
  private static boolean tcpdumpReads(List<LabDevice> devices) {
    return devices.stream().map(LabDevice::linkType).distinct().count() == 1
        && !devices.get(0).linkType().equals(LinkType.RAW);
  }

  /** Removes the lesson's pcap files of an earlier recording, whose devices may have had other names. */
  private static void deleteSingleInterfaceFiles(Path directory, int number) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("lesson-" + number + "-.*\\.pcap"))
          .toList()) {
        Files.delete(file);
      }
    }
  }

  private static Recorded writeSingleInterface(Path directory, int number, LabDevice device,
      List<CapturedPacket> packets, List<LabDevice> devices) throws IOException {
    boolean nameShared = devices.stream().filter(d -> d.link().equals(device.link())).count() > 1;
    String name = "lesson-" + number + "-" + (nameShared ? device.role() + "-" : "") + device.link() + ".pcap";
    Path file = directory.resolve(name);
    try (PcapWriter writer = PcapWriter.create(file)) {
      writer.addInterface(device.linkType(), device.link(), 0);
      for (CapturedPacket packet : packets) {
        writer.write(0, packet);
      }
    }
    boolean ethernet = device.linkType().equals(LinkType.ETHERNET);
    String kind = device.kind().equals("veth") ? "veth" : device.kind().toUpperCase(Locale.ROOT);
    String shows = "`" + device.link() + "`, the " + kind + " in the lab's `" + device.role() + "` namespace (" + (ethernet ? "Ethernet frames" : "bare IP packets")
        + "): " + packets.size() + " packets (" + protocols(packets) + ")";
    return new Recorded(file, shows, "`tcpdump -nn " + (ethernet ? "-e " : "") + "-r " + name + "`; `tshark -r "
        + name + "`; `tunlab print" + (ethernet ? " -e " : " ") + name + "`");
  }

  /** The protocols the packets carry above the link layer, in order of first appearance (ip, icmp, arp…). */
  private static String protocols(List<CapturedPacket> packets) {
    Set<String> names = new LinkedHashSet<>();
    for (CapturedPacket packet : packets) {
      byte[] data = packet.data();
      Dissector.standard().dissect(packet.linkType(), data, 0, data.length, packet.originalLength()).layers().stream()
          .map(Layer::name).filter(n -> !n.equals("eth") && !n.equals("raw") && !n.equals("data")).forEach(names::add);
    }
    return String.join(", ", names);
  }

  /** The index: for each lesson its claim and files, what each shows and which command reads it. */
  static String index(List<RecordedLesson> lessons) {
    StringBuilder text = new StringBuilder("""
        # Sample captures

        Real traffic of the lessons (`lessons/`), recorded on their live labs by one command, as root:

        ```sh
        sudo scripts/regenerate-sample-captures      # = ./tunlab lesson record sample-captures
        ```

        It runs every lesson of `lessons/README.md` (each checkpoint must pass) and writes, for lesson N,
        `lesson-N.pcapng` with every device of the lesson's lab (one pcapng interface each; the first packet
        of each step has the step's title as its comment; each packet its direction) and `lesson-N-LINK.pcap`,
        the packets of one device alone, which tcpdump reads (libpcap 1.10 refuses a pcapng file whose
        interfaces differ in link type, or that has two raw-IP interfaces). This index is written by the same command. The inspector (`./tunlab`, no root
        needed) opens these files; `tunlab lesson run N` points to `lesson-N.pcapng` when it cannot
        build the lab. A second recording differs only in timestamps and in what each run chooses anew
        (ICMP identifiers, ports, TCP sequence numbers, ciphertext, the kernel's IPv6 link-local
        chatter); the MAC addresses are the lessons' own.
        """);
    for (RecordedLesson lesson : lessons) {
      LessonCatalog.Entry entry = lesson.entry();
      text.append("\n## Lesson ").append(entry.number()).append(": ").append(entry.title()).append("\n\n")
          .append("[The lesson](../lessons/").append(entry.file()).append(") claims: ").append(entry.claim())
          .append(".\n\n| file | what it shows | read it with |\n|---|---|---|\n");
      for (Recorded file : lesson.files()) {
        text.append("| `").append(file.file().getFileName()).append("` | ").append(file.shows()).append(" | ")
            .append(file.readWith()).append(" |\n");
      }
    }
    return text.toString();
  }
}
