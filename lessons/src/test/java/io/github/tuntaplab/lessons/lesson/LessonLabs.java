package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs lessons as the tests need them: in labs named {@code tl-l<pid>-<n>-…} (the pattern other test
 * JVMs' root namespace guards leave alone), with the transcript kept for failure messages.
 */
final class LessonLabs {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private LessonLabs() {}

  /** A lesson run and what it printed. */
  record Outcome(LessonResult result, String transcript) {}

  static Outcome run(Lesson lesson, Path directory) throws IOException {
    StringWriter transcript = new StringWriter();
    LabSettings settings = new LabSettings("tl-l" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet()
        + "-", directory);
    LessonResult result = new LessonRunner(new PrintWriter(transcript), LessonRunner.Pacer.none(), settings)
        .run(lesson, Optional.empty());
    // Every verdict, passed or failed, of every kind (those asking the kernel and the step's command too),
    // is said in Chinese as well; VerdictWordsTest holds the recorded lessons' to the Latin-word rule.
    assertThat(result.results()).as(transcript.toString()).allSatisfy(r -> assertThat(r.verdict().said()
        .in(Language.CHINESE)).as(r.verdict().message()).matches(Language.CHINESE::writes));
    return new Outcome(result, transcript.toString());
  }

  /** Runs the lesson as written and asserts that every checkpoint passed. */
  static Outcome assertPasses(Lesson lesson, Path directory) throws IOException {
    Outcome outcome = run(lesson, directory);
    assertThat(outcome.result().failures()).as(outcome.transcript()).isEmpty();
    return outcome;
  }

  static Lesson lesson(int number) throws IOException {
    return LessonCatalog.builtIn().lesson(number);
  }

  /** Asserts that checkpoint {@code check} of step {@code step} failed, its message containing {@code words}. */
  static void assertFailed(Outcome outcome, int step, String check, String... words) {
    CheckResult result = outcome.result().result(step, check).orElseThrow(
        () -> new AssertionError("no checkpoint '" + check + "' in step " + step));
    assertThat(result.passed()).as("%s should fail on the changed network%n%s", check, outcome.transcript()).isFalse();
    assertThat(result.verdict().message()).as(check).contains(words);
  }

  /** Asserts that each of the lesson's checkpoints failed in at least one of the changed networks. */
  static void assertEveryCheckpointFailedSomewhere(Lesson lesson, List<Outcome> changed) {
    for (int step = 1; step <= lesson.steps().size(); step++) {
      for (Checkpoint checkpoint : lesson.steps().get(step - 1).checks()) {
        int number = step;
        assertThat(changed).as("a changed network on which step %d's '%s' fails", step, checkpoint.text())
            .anyMatch(o -> o.result().result(number, checkpoint.text()).map(r -> !r.passed()).orElse(false));
      }
    }
  }
}
