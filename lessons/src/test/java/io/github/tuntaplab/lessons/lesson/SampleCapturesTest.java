package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code sample-captures/} holds what {@code tunlab lesson record} writes for every lesson of the
 * catalog: the lesson's pcapng with its steps marked, one pcap per device that carried packets, and
 * an index listing exactly the files there. tshark says what each lesson's pcapng holds (one run per
 * file: its start-up is most of the time); tcpdump reads the pcap files in SampleCapturesConformanceTest.
 */
class SampleCapturesTest {
  private static final Path DIR = Prerequisites.repositoryRoot().resolve("sample-captures");
  private static final Pattern LISTED = Pattern.compile("^\\| `([^`]+\\.pcapn?g?)` \\|", Pattern.MULTILINE);
  private static final Map<Integer, List<Frame>> FRAMES = new HashMap<>();

  /** A packet of a lesson's pcapng as tshark reads it; {@code packet} is the time to the microsecond and the length. */
  private record Frame(int interfaceId, String interfaceName, String comment, String packet) {}

  @Test
  void everyLessonHasARecordedRunWithItsStepsMarked() throws Exception {
    LessonCatalog catalog = LessonCatalog.builtIn();
    for (LessonCatalog.Entry entry : catalog.entries()) {
      Path capture = DIR.resolve("lesson-" + entry.number() + ".pcapng");
      assertThat(capture).as("the recorded run of lesson " + entry.number()).exists();
      String comments = String.join("\n", frames(entry.number()).stream().map(Frame::comment).toList());
      for (Step step : catalog.lesson(entry.number()).steps()) {
        // A step whose only actions are tunlib changes may send nothing, and a comment needs a packet to sit on.
        if (step.runs().stream().anyMatch(run -> !run.tunlib())) {
          assertThat(comments).contains("Lesson " + entry.number() + ", " + step.title());
        }
      }
      assertThat(Files.size(capture)).isLessThan(65_536);
    }
  }

  @Test
  void theIndexListsExactlyTheFilesThereUnderTheirLessons() throws IOException {
    String index = Files.readString(DIR.resolve(SampleRecorder.INDEX));
    List<String> listed = new ArrayList<>();
    Matcher row = LISTED.matcher(index);
    while (row.find()) {
      listed.add(row.group(1));
    }
    try (Stream<Path> files = Files.list(DIR)) {
      assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".pcap") || name.endsWith(".pcapng")).toList());
    }
    for (LessonCatalog.Entry entry : LessonCatalog.builtIn().entries()) {
      assertThat(index).contains("## Lesson " + entry.number() + ": " + entry.title(),
          "| `lesson-" + entry.number() + ".pcapng` |");
    }
  }

  @Test
  void eachSingleInterfaceFileHoldsOneDeviceOfItsLessonsCaptureWhole() throws IOException {
    for (LessonCatalog.Entry entry : LessonCatalog.builtIn().entries()) {
      String prefix = "lesson-" + entry.number();
      Map<Integer, List<String>> byInterface = new TreeMap<>();
      Map<Integer, String> names = new TreeMap<>();
      for (Frame frame : frames(entry.number())) {
        names.put(frame.interfaceId(), frame.interfaceName());
        byInterface.computeIfAbsent(frame.interfaceId(), i -> new ArrayList<>()).add(frame.packet());
      }
      List<Path> singles;
      try (Stream<Path> files = Files.list(DIR)) {
        singles = files.filter(f -> f.getFileName().toString().startsWith(prefix + "-")
            && f.toString().endsWith(".pcap")).sorted(Comparator.naturalOrder()).toList();
      }
      assertThat(singles).as(prefix + "'s single-interface files").hasSameSizeAs(byInterface.keySet());
      TreeSet<Integer> unmatched = new TreeSet<>(byInterface.keySet());
      for (Path single : singles) {
        List<String> packets = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(single)) {
          for (CapturedPacket packet; (packet = reader.next()) != null; ) {
            Instant time = packet.timestamp();
            packets.add(String.format("%d.%06d\t%d", time.getEpochSecond(), time.getNano() / 1000,
                packet.originalLength()));
          }
        }
        Integer match = unmatched.stream().filter(id -> byInterface.get(id).equals(packets)
            && single.getFileName().toString().endsWith("-" + names.get(id) + ".pcap")).findFirst().orElse(null);
        assertThat(match).as(single + " holds the packets of one interface of " + prefix + ".pcapng, named after it")
            .isNotNull();
        unmatched.remove(match);
      }
    }
  }

  /** Lesson {@code number}'s pcapng as tshark reads it, read once for all the tests. */
  private static synchronized List<Frame> frames(int number) {
    return FRAMES.computeIfAbsent(number, n -> {
      Prerequisites.requireTool("tshark");
      List<Frame> frames = new ArrayList<>();
      String out = Cmd.ok("tshark", "-r", DIR.resolve("lesson-" + n + ".pcapng").toString(), "-T", "fields",
          "-E", "separator=/t", "-e", "frame.interface_id", "-e", "frame.interface_name", "-e", "frame.time_epoch",
          "-e", "frame.len", "-e", "frame.comment");
      for (String line : out.lines().toList()) {
        String[] cells = line.split("\t", -1);
        String microseconds = cells[2].substring(0, cells[2].indexOf('.') + 7);
        frames.add(new Frame(Integer.parseInt(cells[0]), cells[1], cells[4], microseconds + "\t" + cells[3]));
      }
      return frames;
    });
  }
}
