package io.github.tuntaplab.lessons.lesson;

/** Whether a checkpoint held, and in words what it expected and what it saw. */
public record Verdict(boolean passed, String message) {
  static Verdict pass(String message) {
    return new Verdict(true, message);
  }

  static Verdict fail(String message) {
    return new Verdict(false, message);
  }
}
