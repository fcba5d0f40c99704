package io.github.tuntaplab.lessons.lesson;

/**
 * One thing a step does, as the lesson panel offers it on a button of its own: a shell command of a
 * {@code run ROLE} block, or a line of a {@code tunlib ROLE} block (comments are not actions).
 */
public record StepAction(String role, String line, boolean tunlib) {
  public StepAction {
    line = line.strip();
  }

  /** Where it runs, in words: {@code in l3-host}, or {@code tunlib in l2-host}. */
  public String where() {
    return (tunlib ? "tunlib in " : "in ") + role;
  }
}
