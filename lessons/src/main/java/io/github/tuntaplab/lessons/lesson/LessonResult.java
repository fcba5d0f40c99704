package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabDevice;
import java.util.List;
import java.util.Optional;

/**
 * How a lesson run went: every checkpoint's result, in order.
 *
 * @param devices the lab's devices, in the order of the capture's interfaces
 */
public record LessonResult(Lesson lesson, List<CheckResult> results, List<LabDevice> devices) {
  public LessonResult {
    results = List.copyOf(results);
    devices = List.copyOf(devices);
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
