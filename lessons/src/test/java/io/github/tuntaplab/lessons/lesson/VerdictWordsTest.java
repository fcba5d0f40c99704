package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.testsupport.EnglishWords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint's verdict is said in Chinese as well as in English: replayed on lessons 1 to 3's
 * recorded runs (and lesson 4's, whose TUN has the packet-information header, and 5's, whose
 * packets travel in others), passing and failing (a step's checkpoints judged on another step's packets), every
 * Chinese verdict is written in Chinese and has no English word left, by the rule the window's
 * Chinese is held to ({@link EnglishWords}): values (filters, tcpdump's lines, the dissector's field
 * texts, links' names) stay as they are, and the packets' layers and the filters' words are names.
 */
class VerdictWordsTest {
  /** How a recorded run notes the header a program read in front of a TUN's packet. */
  private static final Pattern PI_HEADER = Pattern.compile("packet-information header ((?:[0-9a-f]{2} ?){4})");
  /** A filter's words that are English too (pcap-filter's operators): never a name in a Chinese text. */
  private static final Set<String> OPERATORS = Set.of("and", "not");

  /** What a Chinese verdict may say as it is: values ({@code kept}) and names ({@code allowed}). */
  private record Quoted(Set<String> kept, Set<String> allowed) {}

  @ParameterizedTest(name = "lesson {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void everyVerdictOfALessonPassingOrFailingIsSaidInChinese(int number) throws Exception {
    Lesson lesson = LessonCatalog.builtIn().lesson(number);
    Quoted quoted = quoted(lesson, LessonReplayTest.recording(number));
    List<CheckResult> results = new ArrayList<>();
    for (int step = 1; step <= lesson.steps().size(); step++) {
      for (int judgedOn = 1; judgedOn <= lesson.steps().size(); judgedOn++) {
        results.addAll(LessonReplay.read(withChecksOf(lesson, step, judgedOn), LessonReplayTest.recording(number))
            .check(judgedOn));
      }
    }
    assertThat(results).anyMatch(CheckResult::passed).anyMatch(r -> !r.passed());
    for (CheckResult result : results) {
      assertSaidInChinese(result.verdict(), quoted);
    }
  }

  /** Kinds that a recorded run cannot judge say so, or that the step ran no command, in Chinese too. */
  @Test
  void aCheckpointWithoutItsEvidenceSaysWhyInChinese() throws Exception {
    Lesson lesson = LessonCatalog.builtIn().lesson(3);
    Quoted quoted = quoted(lesson, LessonReplayTest.recording(3));
    quoted.kept().add("No route to host"); // what the command was to print
    Evidence none = new Evidence(List.of(), List.of());
    for (String line : List.of("exit 0", "output has No route to host")) {
      Verdict verdict = Checkpoint.parse(line).check(none);
      assertThat(verdict.passed()).isFalse();
      assertThat(verdict.message()).endsWith("; the step ran none");
      assertSaidInChinese(verdict, quoted);
    }
    IllegalArgumentException noKernel = new IllegalArgumentException("a recorded run has no kernel to ask");
    Verdict cannot = Verdict.cannotJudge(noKernel);
    assertThat(cannot.message()).isEqualTo("the checkpoint cannot be judged: a recorded run has no kernel to ask");
    quoted.kept().add(noKernel.getMessage());
    assertSaidInChinese(cannot, quoted);
  }

  /** The English words are the ones the lessons' tests and transcripts have always read. */
  @Test
  void englishVerdictsReadAsBefore() throws Exception {
    Lesson lesson = LessonCatalog.builtIn().lesson(3);
    LessonReplay replay = LessonReplay.read(lesson, LessonReplayTest.recording(3));
    CheckResult never = replay.check(3).stream().filter(r -> r.checkpoint().text().equals("never on tl-tun0: arp"))
        .findFirst().orElseThrow();
    assertThat(never.verdict().message()).matches(
        "none of the \\d+ packets on tl-tun0 matches \\(libpcap: 'arp' rejects all packets on a link of type .+\\)");
    assertThat(never.line(LessonWords.of(Language.ENGLISH))).startsWith("PASS never on tl-tun0: arp — none of the ");
    assertThat(never.line(LessonWords.of(Language.CHINESE))).startsWith("通过 never on tl-tun0: arp — ")
        .endsWith(never.verdict().said().in(Language.CHINESE));
    assertThat(never.verdict().said().in(Language.CHINESE)).contains("拒绝所有数据包").doesNotContain("rejects");
  }

  private static void assertSaidInChinese(Verdict verdict, Quoted quoted) {
    String chinese = verdict.said().in(Language.CHINESE);
    assertThat(chinese).as(verdict.message()).matches(Language.CHINESE::writes).isNotEqualTo(verdict.message());
    assertThat(EnglishWords.in(chinese, quoted.kept(), quoted.allowed())).as("English words in '%s'", chinese).isEmpty();
  }

  /**
   * Lesson {@code lesson} with step {@code judgedOn} checking step {@code step}'s checkpoints, but for
   * those about decrypted packets: the lab's key opens them, and a recorded run has no lab.
   */
  private static Lesson withChecksOf(Lesson lesson, int step, int judgedOn) {
    List<Step> steps = new ArrayList<>(lesson.steps());
    List<Checkpoint> checks = lesson.steps().get(step - 1).checks().stream()
        .filter(c -> !c.text().contains("decrypted on ")).toList();
    steps.set(judgedOn - 1, LessonReplayTest.withChecks(steps.get(judgedOn - 1), checks));
    return new Lesson(lesson.number(), lesson.source(), lesson.title(), lesson.introduction(), lesson.topologyText(),
        steps);
  }

  /**
   * What a verdict on this recording may quote as it is: the checkpoints' filters, every packet's
   * tcpdump line and the dissector's field texts, and the link types' names; and the names it says:
   * the filters' words but pcap-filter's operators, the layers' names (libpcap's reason for a filter
   * that cannot match is a key of its own, said in Chinese too).
   */
  private static Quoted quoted(Lesson lesson, Path recording) throws IOException {
    Set<String> kept = new HashSet<>();
    Set<String> allowed = new HashSet<>(EnglishWords.NAMES);
    for (Step step : lesson.steps()) {
      for (Checkpoint checkpoint : step.checks()) {
        int colon = checkpoint.text().indexOf(": ");
        if (colon < 0) {
          continue; // exit 0, output has TEXT: no filter
        }
        String filter = checkpoint.text().substring(colon + 2);
        kept.add(filter);
        kept.addAll(List.of(filter.split(" then ")));
        Matcher words = Pattern.compile("[A-Za-z]+[0-9]*").matcher(filter);
        while (words.find()) {
          allowed.add(words.group());
        }
      }
    }
    allowed.removeAll(OPERATORS);
    Dissector dissector = Dissector.standard();
    try (CaptureReader reader = CaptureReader.open(recording)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        byte[] data = packet.data();
        kept.add(packet.linkType().toString());
        kept.add(PacketLine.of(packet.linkType(), data, 0, data.length, packet.originalLength(), true));
        List<Layer> layers = new ArrayList<>(dissector.dissect(packet.linkType(), data, 0, data.length, data.length)
            .layers());
        // A TUN's read with its packet-information header, which the recording keeps in the comment.
        Matcher header = packet.comment() == null ? null : PI_HEADER.matcher(packet.comment());
        if (header != null && header.find()) {
          byte[] read = HexFormat.of().parseHex(header.group(1).replace(" ", "") + HexFormat.of().formatHex(data));
          layers.addAll(dissector.dissectTunPacketInfo(read, 0, read.length, read.length).layers());
        }
        for (Layer layer : layers) {
          allowed.add(layer.name());
          layer.fields().stream().map(Field::text).forEach(kept::add);
        }
      }
    }
    return new Quoted(kept, allowed);
  }
}
