package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
    return new Outcome(result, transcript.toString());
  }

  static Lesson lesson(int number) throws IOException {
    return LessonCatalog.builtIn().lesson(number);
  }
}
