package io.github.tuntaplab.lessons.lesson;

/**
 * What running one action of a lesson step on the lab gave: how the action ended, its output (for
 * a {@code tunlib} line, first {@code = } and its {@code ip} twin), and the step's checkpoints judged
 * just after it. Travels as the body of the lab's {@code action} request (LAB-PROTOCOL.md): a line
 * {@code exit N} or {@code timeout}, as the {@code run} request answers, then a {@link StepReport}'s
 * lines.
 */
public record ActionReport(int exitCode, boolean timedOut, StepReport report) {
  private static final String TIMEOUT = "timeout";
  private static final String EXIT = "exit ";

  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** The request's body; {@code everyLanguage} as for {@link StepReport#body}. */
  public String body(boolean everyLanguage) {
    return (timedOut ? TIMEOUT : EXIT + exitCode) + "\n" + report.body(everyLanguage);
  }

  /** Reads a body {@link #body} wrote. */
  public static ActionReport parse(String body) {
    int newline = body.indexOf('\n');
    String first = newline < 0 ? body : body.substring(0, newline);
    StepReport report = StepReport.parse(newline < 0 ? "" : body.substring(newline + 1));
    if (first.equals(TIMEOUT)) {
      return new ActionReport(-1, true, report);
    }
    if (!first.matches(EXIT + "-?\\d{1,10}")) {
      throw new IllegalArgumentException("not the first line of an action's report: " + first);
    }
    return new ActionReport(Integer.parseInt(first.substring(EXIT.length())), false, report);
  }
}
