package io.github.tuntaplab.lessons.lesson;

import java.util.List;
import java.util.Optional;

/**
 * One step of a lesson: what it is about, the question the student answers first, the commands,
 * what is shown afterwards, the checkpoints and the explanation that follows them.
 *
 * @param shows the {@code show} lines ({@code routes l2-host}, {@code packets -e tl-tap0: not ip6})
 */
public record Step(String title, String text, Optional<String> prediction, List<Run> runs, List<String> shows,
    List<Checkpoint> checks, String explanation) {
  public Step {
    runs = List.copyOf(runs);
    shows = List.copyOf(shows);
    checks = List.copyOf(checks);
  }

  /** The step's actions in the order they run: every line of its runs but the comments. */
  public List<StepAction> actions() {
    return runs.stream().flatMap(run -> run.lines().stream().filter(line -> !Run.isComment(line))
        .map(line -> new StepAction(run.role(), line, run.tunlib()))).toList();
  }
}
