package io.github.tuntaplab.lessons.lesson;

/**
 * One thing a step does, as the lesson panel offers it on a button of its own: a shell command of a
 * {@code run ROLE} block, or a line of a {@code tunlib ROLE} block (comments are not actions).
 */
public record StepAction(String role, String line, boolean tunlib) {
  public StepAction {
    line = line.strip();
  }
}
