package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tunlab lesson …} in a child JVM, as a student runs it. */
@LiveTest
class LessonCommandLiveTest {
  @TempDir
  Path dir;

  @Test
  void listNamesEveryLessonAndItsClaim() {
    Cmd.Result list = new LabChild(dir).tunlab("lesson", "list");
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout().lines()).hasSize(9);
    assertThat(list.stdout()).contains(" 1  TUN and TAP side by side", " 4  The packet-information header",
        "14 bytes of Ethernet header", " 9  Privileges");
  }

  @Test
  void runPassesEveryCheckpointAndWritesTheLessonsCaptureWithItsStepsAsComments() {
    Prerequisites.requireTool("tshark");
    LabChild lab = new LabChild(dir);
    Path capture = dir.resolve("lesson-3.pcapng");
    Cmd.Result run = lab.tunlab("lesson", "run", "3", "--capture", capture.toString());
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(run.stdout()).contains("Predict: ", "PASS never on tl-tun0: arp", "All 9 checkpoints passed.",
        "[" + lab.namespace("l3-host") + "]$ ping -c 1 -W 1 198.19.0.2");
    assertThat(Cmd.ok("ip", "netns", "list")).doesNotContain(lab.prefix);

    // tshark, not our reader, says what the file holds: which interface, which step.
    String frames = Cmd.ok("tshark", "-r", capture.toString(), "-T", "fields", "-e", "frame.interface_name",
        "-e", "_ws.col.Protocol", "-e", "frame.comment");
    assertThat(frames.lines()).anyMatch(l -> l.startsWith("tl-tap0\tARP"))
        .anyMatch(l -> l.startsWith("tl-tun0\tICMP"))
        .noneMatch(l -> l.startsWith("tl-tun0\tARP"))
        .anyMatch(l -> l.endsWith("Lesson 3, Step 2: the first ping through the TAP"));
  }

  @Test
  void runInChinesePassesEveryCheckpointInChineseWordsAndMarksTheStepsInChinese() throws IOException {
    Prerequisites.requireTool("tshark");
    LabChild lab = new LabChild(dir);
    Path capture = dir.resolve("lesson-1-zh.pcapng");
    Cmd.Result run = lab.tunlab("lesson", "run", "1", "--lang", "zh", "-w", capture.toString());
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    Lesson lesson = LessonCatalog.builtIn(Language.CHINESE).lesson(1);
    LessonWords zh = LessonWords.of(Language.CHINESE);
    assertThat(run.stdout()).startsWith(lesson.title() + "\n").contains(
        zh.format("predict", lesson.steps().get(0).prediction().orElseThrow()),
        zh.format("check.pass") + " seen on tl-tun0: icmp[icmptype] = icmp-echo",
        zh.format("result.passed", lesson.checkpoints().size()))
        .doesNotContain("Predict: ", "PASS ");
    // The verdicts too: each check line's message after the dash is Chinese, the packet's line as tcpdump prints it.
    List<String> checks = run.stdout().lines().filter(l -> l.startsWith("  " + zh.format("check.pass") + " ")).toList();
    assertThat(checks).hasSize(lesson.checkpoints().size()).allSatisfy(line -> assertThat(
        line.substring(line.indexOf(" — ") + 3)).matches(Language.CHINESE::writes));
    Words words = Words.of("io.github.tuntaplab.lessons.lesson.LessonWords", Language.CHINESE, LessonWords.class);
    assertThat(checks).filteredOn(l -> l.contains(" seen on tl-tun0: ")).singleElement().satisfies(line -> assertThat(
        line.substring(line.indexOf(" — ") + 3)).matches(words.asRegex("verdict.seen.pass"))
        .contains("ICMP echo request"));
    assertThat(run.stderr()).isEmpty();
    assertThat(Cmd.ok("tshark", "-r", capture.toString(), "-T", "fields", "-e", "frame.comment"))
        .contains(zh.format("step.comment", 1, lesson.steps().get(0).title()));
  }

  @Test
  void stepShowsEachPredictionAndWaitsForEnterBeforeTheCommands() throws Exception {
    LabChild lab = new LabChild(dir);
    Process step = new ProcessBuilder(lab.command(List.of(), "lesson", "step", "1", "-w",
        dir.resolve("step.pcapng").toString())).redirectErrorStream(true).start();
    String firstPrompt;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(step.getInputStream(), StandardCharsets.UTF_8));
        Writer enter = new OutputStreamWriter(step.getOutputStream(), StandardCharsets.UTF_8)) {
      StringBuilder seen = new StringBuilder();
      int c;
      while (!seen.toString().endsWith("Press Enter to see what happens. ") && (c = out.read()) >= 0) {
        seen.append((char) c);
      }
      firstPrompt = seen.toString();
      // Nothing ran before the student pressed Enter.
      assertThat(firstPrompt).contains("Predict: The program behind tl-tun0 reads the echo request.")
          .doesNotContain("]$ printf");
      enter.write("\n\n\n");
      enter.flush();
      String rest = out.lines().reduce("", (a, b) -> a + b + "\n");
      assertThat(step.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(step.exitValue()).as(rest).isZero();
      assertThat(rest).contains("[" + lab.namespace("l1-tun") + "]$ printf", "All 7 checkpoints passed.");
    } finally {
      step.destroyForcibly();
    }
  }

  @Test
  void withoutPrivilegesRunSaysWhatToRunAndOffersTheRecordedReplay() {
    Prerequisites.requireTool("setpriv");
    LabChild lab = new LabChild(dir);
    Cmd.Result run = Cmd.run(60, lab.command(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all"),
        "lesson", "run", "1").toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.stderr()).contains("sudo ", " lesson run 1", " print -e sample-captures/lesson-1.pcapng");
  }

  @Test
  void aTeachersFileRunsTooAndAFailedCheckpointMakesTheExitCodeOne() throws Exception {
    // Lesson 3 as a teacher might copy it, on a network where the TAP's neighbour is static: no ARP.
    String changed = LessonCatalog.builtIn().entries().stream().filter(e -> e.number() == 3).findFirst()
        .map(e -> read("/io/github/tuntaplab/lessons/content/" + e.file())).orElseThrow()
        .replace("```run l3-host\nping -c 1 -W 1 198.19.0.2", "```run l3-host\n"
            + "ip neigh replace 198.19.0.2 lladdr 02:54:4c:03:00:02 dev tl-tap0 nud permanent\nping -c 1 -W 1 198.19.0.2");
    Path file = dir.resolve("lesson.md");
    Files.writeString(file, changed);
    LabChild lab = new LabChild(dir);
    Cmd.Result run = lab.tunlab("lesson", "run", file.toString(), "-w", dir.resolve("l.pcapng").toString());
    assertThat(run.exitCode()).as(run.stdout()).isEqualTo(1);
    assertThat(run.stdout()).contains("FAIL order on tl-tap0: arp[6:2] = 1 then icmp[icmptype] = icmp-echo — "
        + "expected a packet matching 'arp[6:2] = 1' before the first matching 'icmp[icmptype] = icmp-echo' on tl-tap0; "
        + "saw no packet matching 'arp[6:2] = 1'", "3 of 9 checkpoints failed.");
  }

  private static String read(String resource) {
    try (InputStream in = LessonCatalog.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anUnknownLessonFails() {
    Cmd.Result run = new LabChild(dir).tunlab("lesson", "run", "99");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("no lesson 99 (there are [1, 2, 3, 4, 5, 6, 7, 8, 9])");
  }
}
