package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lesson.CheckResult;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.StepReport;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tunlab lab up --lesson 3} builds lesson 3's own lab, and its socket runs the lesson's steps
 * ({@code lesson N STEP}, LAB-PROTOCOL.md) as the inspector's lesson panel asks; another lesson's step
 * is refused with the command that starts its lab.
 */
@LiveTest
class LabUpLessonLiveTest {
  @TempDir
  Path dir;

  @Test
  void aLessonsLabRunsItsStepsOverTheSocket() throws Exception {
    LabChild child = new LabChild(dir);
    Path output = Files.createTempFile(dir, "lab-up", ".out");
    Process process = new ProcessBuilder(child.command(LabChild.OWN_SESSION, "lab", "up", "--lesson", "3"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try (LabChild.Running lab = new LabChild.Running(process, output)) {
      String topology = LessonCatalog.builtIn().lesson(3).topology().name();
      lab.awaitLine("tunlab: lab " + topology + " is up", 60);
      LabClient client = new LabClient(child.socket());
      for (String step : List.of("1", "2")) {
        String body = client.ask("lesson", "3", step);
        StepReport report = StepReport.parse(body);
        assertThat(report.checks()).as("step %s: %s", step, report.transcript()).isNotEmpty()
            .allMatch(CheckResult::passed);
        // Asked without a language (as a window of an earlier version asks), a check line has the five
        // fields such a window reads, no more.
        assertThat(body.lines().filter(line -> line.startsWith("check\t")))
            .isNotEmpty().allMatch(line -> line.split("\t", -1).length == 5);
      }
      // Asked in Chinese, the transcript's words and its verdicts are Chinese (the panel asks in its language),
      // and each check line carries its verdict's words in the other languages.
      String chineseBody = client.ask("lesson", "3", "2", "zh");
      assertThat(chineseBody.lines().filter(line -> line.startsWith("check\t")))
          .isNotEmpty().allMatch(line -> line.split("\t", -1).length == 6 && line.contains("\tzh:"));
      StepReport chinese = StepReport.parse(chineseBody);
      LessonWords zh = LessonWords.of(Language.CHINESE);
      assertThat(chinese.transcript()).contains(zh.format("checkpoints")).doesNotContain("Checkpoints:");
      assertThat(chinese.checks()).isNotEmpty().allSatisfy(check -> assertThat(String.join("\n",
          chinese.transcript())).contains("  " + check.line(zh)));
      assertThatThrownBy(() -> client.ask("lesson", "3", "2", "fr")).isInstanceOf(IOException.class)
          .hasMessageContaining("unknown language 'fr'");
      assertThatThrownBy(() -> client.ask("lesson", "2", "1")).isInstanceOf(IOException.class)
          .hasMessageContaining("lab up --lesson 2");
    }
  }
}
