package io.github.tuntaplab.inspector.ui.lesson;

/** A checkpoint as the lesson panel lists it: its line, how it came out, and in words why. */
public record CheckRow(String checkpoint, Status status, String message) {
  /** PASS and FAIL differ in symbol and word as well as colour, for colour-blind students. */
  public enum Status {
    NOT_RUN("○", "not run yet"),
    PASS("✔", "PASS"),
    FAIL("✘", "FAIL"),
    NEEDS_LAB("–", "needs the live lab");

    private final String symbol;
    private final String word;

    Status(String symbol, String word) {
      this.symbol = symbol;
      this.word = word;
    }

    public String symbol() {
      return symbol;
    }

    public String word() {
      return word;
    }
  }
}
