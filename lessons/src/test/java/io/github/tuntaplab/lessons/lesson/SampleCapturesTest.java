package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recorded runs {@code tunlab lesson run} offers without root ({@code sample-captures/lessons/lesson-N.pcapng},
 * written by {@code sudo ./tunlab lesson run N -w sample-captures/lessons/lesson-N.pcapng}) exist for every
 * lesson, and tshark finds each step that ran commands in their comments.
 */
class SampleCapturesTest {
  @ParameterizedTest(name = "lesson {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void everyLessonHasARecordedRunWithItsStepsMarked(int number) throws Exception {
    Prerequisites.requireTool("tshark");
    Path capture = Path.of("..", "sample-captures", "lessons", "lesson-" + number + ".pcapng");
    assertThat(capture).exists();
    Lesson lesson = LessonCatalog.builtIn().lesson(number);
    String comments = Cmd.ok("tshark", "-r", capture.toString(), "-T", "fields", "-e", "frame.comment");
    for (Step step : lesson.steps()) {
      if (!step.runs().isEmpty()) {
        assertThat(comments).contains("Lesson " + number + ", " + step.title());
      }
    }
    // Small enough to ship with the sources; lesson 5's full-size packets (1500 bytes, each seen on
    // four devices) make it the largest.
    assertThat(Files.size(capture)).isLessThan(32_768);
  }
}
