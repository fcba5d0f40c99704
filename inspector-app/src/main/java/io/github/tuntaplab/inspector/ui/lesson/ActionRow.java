package io.github.tuntaplab.inspector.ui.lesson;

import io.github.tuntaplab.lessons.lesson.ActionReport;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.StepAction;

/** An action of the step as the panel lists it, on a button of its own: what it runs, and how its last run ended. */
public record ActionRow(StepAction action, State state, int exitCode, String output) {
  /** Where the action stands. */
  public enum State {
    NOT_RUN,
    RUNNING,
    /** It ran alone (its button): {@link #exitCode()} and {@link #output()} are its own. */
    ENDED,
    TIMED_OUT,
    /** It ran with the whole step ("Run this step"), whose transcript shows its output. */
    RAN_WITH_STEP
  }

  static ActionRow notRun(StepAction action) {
    return new ActionRow(action, State.NOT_RUN, 0, "");
  }

  ActionRow running() {
    return new ActionRow(action, State.RUNNING, 0, "");
  }

  ActionRow ended(ActionReport report) {
    return new ActionRow(action, report.timedOut() ? State.TIMED_OUT : State.ENDED, report.exitCode(),
        String.join("\n", report.report().transcript()));
  }

  static ActionRow ranWithStep(StepAction action) {
    return new ActionRow(action, State.RAN_WITH_STEP, 0, "");
  }

  /** Whether its own run failed: a non-zero exit, or killed for running too long. */
  public boolean failed() {
    return state == State.TIMED_OUT || state == State.ENDED && exitCode != 0;
  }

  /** How it ended, in words and a symbol (not colour alone): {@code ✔ exit 0}, {@code ✘ exit 1}. */
  public String outcome(LessonWords words) {
    return switch (state) {
      case NOT_RUN -> words.format("action.not.run");
      case RUNNING -> words.format("action.running");
      case ENDED -> words.format(exitCode == 0 ? "action.exit.passed" : "action.exit.failed", exitCode);
      case TIMED_OUT -> words.format("action.killed");
      case RAN_WITH_STEP -> words.format("action.with.step");
    };
  }

  /** Where it runs, in words: {@code in l3-host}, or {@code tunlib in l2-host}. */
  public String where(LessonWords words) {
    return words.format(action.tunlib() ? "action.tunlib.in" : "action.in", action.role());
  }
}
