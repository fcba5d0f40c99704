package io.github.tuntaplab.lessons.lesson;

/** A checkpoint of step {@code step} (1-based) and how it came out. */
public record CheckResult(int step, Checkpoint checkpoint, Verdict verdict) {
  public boolean passed() {
    return verdict.passed();
  }

  @Override
  public String toString() {
    return (passed() ? "PASS " : "FAIL ") + checkpoint.text() + " — " + verdict.message();
  }
}
