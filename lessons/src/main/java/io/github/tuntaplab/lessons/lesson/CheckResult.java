package io.github.tuntaplab.lessons.lesson;

/** A checkpoint of step {@code step} (1-based) and how it came out. */
public record CheckResult(int step, Checkpoint checkpoint, Verdict verdict) {
  public boolean passed() {
    return verdict.passed();
  }

  @Override
  public String toString() {
    return line("PASS", "FAIL");
  }

  /** The result as the runner prints it, the verdict in the words given. */
  public String line(String passWord, String failWord) {
    return (passed() ? passWord : failWord) + " " + checkpoint.text() + " — " + verdict.message();
  }
}
