package io.github.tuntaplab.lessons.lesson;

import java.util.List;

/**
 * Shell commands run in the namespace playing {@code role}, one a line, each as
 * {@code ip netns exec tl-ROLE bash -c 'LINE'}; lines starting with {@code #} are comments shown to the
 * student.
 */
public record Run(String role, List<String> lines) {
  public Run {
    lines = List.copyOf(lines);
  }

  /** A run of one command. */
  public static Run of(String role, String command) {
    return new Run(role, List.of(command));
  }

  public static boolean isComment(String line) {
    return line.strip().startsWith("#");
  }
}
