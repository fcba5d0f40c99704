package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 * an index listing exactly the files there. tshark, not our reader, says what the files hold.
 */
class SampleCapturesTest {
  private static final Path DIR = Prerequisites.repositoryRoot().resolve("sample-captures");
  private static final Pattern LISTED = Pattern.compile("^\\| `([^`]+\\.pcapn?g?)` \\|", Pattern.MULTILINE);

  @Test
  void everyLessonHasARecordedRunWithItsStepsMarked() throws Exception {
    Prerequisites.requireTool("tshark");
    LessonCatalog catalog = LessonCatalog.builtIn();
    for (LessonCatalog.Entry entry : catalog.entries()) {
      Path capture = DIR.resolve("lesson-" + entry.number() + ".pcapng");
      assertThat(capture).as("the recorded run of lesson " + entry.number()).exists();
      String comments = Cmd.ok("tshark", "-r", capture.toString(), "-T", "fields", "-e", "frame.comment");
      for (Step step : catalog.lesson(entry.number()).steps()) {
        if (!step.runs().isEmpty()) {
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
    Prerequisites.requireTool("tshark");
    for (LessonCatalog.Entry entry : LessonCatalog.builtIn().entries()) {
      String prefix = "lesson-" + entry.number();
      // The pcapng's packets by interface: "name" -> time (µs) length protocols, a line each.
      Map<Integer, List<String>> byInterface = new TreeMap<>();
      Map<Integer, String> names = new TreeMap<>();
      for (String line : tshark(DIR.resolve(prefix + ".pcapng"), "frame.interface_id", "frame.interface_name")) {
        String[] cells = line.split("\t", 3);
        int id = Integer.parseInt(cells[0]);
        names.put(id, cells[1]);
        byInterface.computeIfAbsent(id, i -> new ArrayList<>()).add(cells[2]);
      }
      List<Path> singles;
      try (Stream<Path> files = Files.list(DIR)) {
        singles = files.filter(f -> f.getFileName().toString().startsWith(prefix + "-")
            && f.toString().endsWith(".pcap")).sorted(Comparator.naturalOrder()).toList();
      }
      assertThat(singles).as(prefix + "'s single-interface files").hasSameSizeAs(byInterface.keySet());
      TreeSet<Integer> unmatched = new TreeSet<>(byInterface.keySet());
      for (Path single : singles) {
        List<String> packets = tshark(single);
        Integer match = unmatched.stream().filter(id -> byInterface.get(id).equals(packets)
            && single.getFileName().toString().endsWith("-" + names.get(id) + ".pcap")).findFirst().orElse(null);
        assertThat(match).as(single + " holds the packets of one interface of " + prefix + ".pcapng, named after it")
            .isNotNull();
        unmatched.remove(match);
      }
    }
  }

  /** Per packet: the leading fields given, then the time to the microsecond, the length and the protocols. */
  private static List<String> tshark(Path file, String... leading) {
    List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-T", "fields",
        "-E", "separator=/t"));
    for (String field : leading) {
      command.addAll(List.of("-e", field));
    }
    command.addAll(List.of("-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.protocols"));
    List<String> lines = new ArrayList<>();
    for (String line : Cmd.ok(command.toArray(String[]::new)).lines().toList()) {
      String[] cells = line.split("\t");
      int time = leading.length;
      String microseconds = cells[time].substring(0, cells[time].indexOf('.') + 7);
      List<String> kept = new ArrayList<>(List.of(cells).subList(0, time));
      kept.add(microseconds);
      kept.addAll(List.of(cells).subList(time + 1, cells.length));
      lines.add(String.join("\t", kept));
    }
    return lines;
  }
}
