package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A lesson's Simplified Chinese version ({@code README.zh.md} beside its {@code README.md}) runs the
 * same lab, steps, commands, observations and checkpoints: only prose and predictions differ.
 */
class TranslatedLessonsTest {
  static Stream<Path> translations() throws IOException {
    try (Stream<Path> folders = Files.list(Path.of("."))) {
      List<Path> found = folders.filter(f -> f.getFileName().toString().matches("\\d\\d-.+"))
          .map(f -> f.resolve("README.zh.md")).filter(Files::exists).sorted().toList();
      return found.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("translations")
  void theChineseLessonRunsWhatTheEnglishOneRuns(Path chinese) throws IOException {
    Path english = chinese.resolveSibling("README.md");
    Lesson en = Lesson.parse(0, english.toString(), Files.readString(english));
    Lesson zh = Lesson.parse(0, chinese.toString(), Files.readString(chinese));
    assertThat(zh.topologyText()).isEqualTo(en.topologyText());
    assertThat(zh.steps()).hasSameSizeAs(en.steps());
    for (int i = 0; i < en.steps().size(); i++) {
      Step a = en.steps().get(i);
      Step b = zh.steps().get(i);
      assertThat(b.runs()).as("step %d's commands", i + 1).isEqualTo(a.runs());
      assertThat(b.shows()).as("step %d's observations", i + 1).isEqualTo(a.shows());
      assertThat(b.checks()).as("step %d's checkpoints", i + 1).extracting(Checkpoint::text)
          .isEqualTo(a.checks().stream().map(Checkpoint::text).toList());
      assertThat(b.prediction().isPresent()).as("step %d has a prediction in both", i + 1)
          .isEqualTo(a.prediction().isPresent());
      assertThat(b.title()).as("step %d's title is translated", i + 1).isNotEqualTo(a.title());
    }
  }
}
