package io.github.tuntaplab.lessons.lesson;

import java.util.List;

/**
 * Actions in the namespace playing {@code role}, one a line: shell commands, each run as
 * {@code ip netns exec tl-ROLE bash -c 'LINE'}, or with {@code tunlib} set, changes made through
 * tunlib ({@code route add …}, shown as their {@code ip} twins). Lines starting with {@code #} are
 * comments shown to the student.
 */
public record Run(String role, List<String> lines, boolean tunlib) {
  public Run {
    lines = List.copyOf(lines);
  }

  /** A run of one shell command. */
  public static Run of(String role, String command) {
    return new Run(role, List.of(command), false);
  }

  public static boolean isComment(String line) {
    return line.strip().startsWith("#");
  }
}
