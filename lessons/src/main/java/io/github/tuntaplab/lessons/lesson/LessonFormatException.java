package io.github.tuntaplab.lessons.lesson;

import java.io.IOException;

/** A lesson file that does not follow the format ({@code lessons/README.md}): where ({@code file:line}) and why. */
public final class LessonFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public LessonFormatException(String source, int line, String message) {
    super(source + (line > 0 ? ":" + line : "") + ": " + message);
  }
}
