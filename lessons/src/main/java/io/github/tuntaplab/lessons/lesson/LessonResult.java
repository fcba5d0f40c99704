package io.github.tuntaplab.lessons.lesson;

import java.util.List;
import java.util.Optional;

/** How a lesson run went: every checkpoint's result, in order. */
public record LessonResult(Lesson lesson, List<CheckResult> results) {
  public LessonResult {
    results = List.copyOf(results);
  }

  public boolean passed() {
    return results.stream().allMatch(CheckResult::passed);
  }

  public List<CheckResult> failures() {
    return results.stream().filter(r -> !r.passed()).toList();
  }

  /** The result of the checkpoint written {@code text} in step {@code step}. */
  public Optional<CheckResult> result(int step, String text) {
    return results.stream().filter(r -> r.step() == step && r.checkpoint().text().equals(text)).findFirst();
  }
}
