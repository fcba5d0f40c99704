package io.github.tuntaplab.lessons.lesson;

/** Whether a checkpoint held, and in words (in every language) what it expected and what it saw. */
public record Verdict(boolean passed, Message said) {
  /** The verdict's words in English. */
  public String message() {
    return said.in(Language.ENGLISH);
  }

  static Verdict pass(String key, Object... arguments) {
    return new Verdict(true, Message.of(key, arguments));
  }

  static Verdict fail(String key, Object... arguments) {
    return new Verdict(false, Message.of(key, arguments));
  }

  /** A checkpoint that threw instead of judging: the reason is the exception's, as it is. */
  static Verdict cannotJudge(Exception e) {
    return fail("verdict.cannot.judge", e.getMessage());
  }
}
