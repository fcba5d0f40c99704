package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every lesson, end to end on a live lab, passes every checkpoint. */
@LiveTest
class LessonsLiveTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "lesson {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void everyCheckpointPasses(int number) throws Exception {
    LessonLabs.Outcome outcome = LessonLabs.run(LessonLabs.lesson(number), dir);
    System.out.println(outcome.transcript());
    assertThat(outcome.result().failures()).as(outcome.transcript()).isEmpty();
    assertThat(outcome.result().results()).hasSize(LessonLabs.lesson(number).checkpoints().size());
  }
}
