package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.lessons.lesson.LessonWords;

/**
 * A checkpoint as the lesson panel lists it: its line, how it came out, and in words why (the
 * checkpoint's own message, built from packets, in English; empty when it has not run or needs the
 * live lab, which the panel says in the student's language).
 */
public record CheckRow(String checkpoint, Status status, String message) {
  /** PASS and FAIL differ in symbol and word as well as colour, for colour-blind students. */
  public enum Status {
    NOT_RUN("○", "check.not.run"),
    PASS("✔", "check.pass"),
    FAIL("✘", "check.fail"),
    NEEDS_LAB("–", "check.needs.lab");

    private final String symbol;
    private final String word;

    Status(String symbol, String word) {
      this.symbol = symbol;
      this.word = word;
    }

    public String symbol() {
      return symbol;
    }

    /** The status in words: {@code PASS}, {@code 通过}. */
    public String word(LessonWords words) {
      return words.format(word);
    }
  }
}
