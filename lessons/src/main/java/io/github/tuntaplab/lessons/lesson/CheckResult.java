package io.github.tuntaplab.lessons.lesson;

/** A checkpoint of step {@code step} (1-based) and how it came out. */
public record CheckResult(int step, Checkpoint checkpoint, Verdict verdict) {
  public boolean passed() {
    return verdict.passed();
  }

  @Override
  public String toString() {
    return line(LessonWords.of(Language.ENGLISH));
  }

  /** The result as the runner prints it, in {@code words}' language. */
  public String line(LessonWords words) {
    return words.format(passed() ? "check.pass" : "check.fail") + " " + checkpoint.text() + " — "
        + verdict.said().in(words.language());
  }
}
