package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.Message;

/**
 * A checkpoint as the lesson panel lists it: its line, how it came out, and in words why (the
 * verdict's message, in every language, so that the panel says it again at a switch; empty when it
 * has not run or needs the live lab, which the panel says itself).
 */
public record CheckRow(String checkpoint, Status status, Message message) {
  /** A checkpoint that has not been judged: it has nothing to say yet. */
  static CheckRow unjudged(String checkpoint, Status status) {
    return new CheckRow(checkpoint, status, Message.verbatim(""));
  }

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
