package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lab.TopologyException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One lesson as its Markdown file describes it (format: {@code lessons/README.md}): a title, an
 * introduction, the lab it runs in and its steps. Immutable; {@link #withTopology} and
 * {@link #withRun} derive a lesson run on a changed network (what the lessons' tests do to show that
 * each checkpoint can fail).
 *
 * @param number its number in the lessons' table
 * @param source where it was read from, for messages ({@code 01-tun-and-tap/README.md})
 * @param topologyText the {@code topology} block, in the lab's topology format
 */
public record Lesson(int number, String source, String title, String introduction, String topologyText,
    List<Step> steps) {

  public Lesson {
    steps = List.copyOf(steps);
  }

  /** Reads a lesson from its Markdown text; every mistake is named with its line. */
  public static Lesson parse(int number, String source, String markdown) throws LessonFormatException {
    return new LessonParser(number, source).parse(markdown);
  }

  /** The lab this lesson runs in. */
  public Topology topology() throws TopologyException {
    return Topology.parse(source + " (topology)", topologyText);
  }

  /** The same lesson in a lab whose topology text {@code change} rewrote. */
  public Lesson withTopology(UnaryOperator<String> change) {
    return new Lesson(number, source, title, introduction, change.apply(topologyText), steps);
  }

  /**
   * The same lesson with {@code run} added to step {@code stepNumber} (1-based), before its other
   * commands or after them.
   */
  public Lesson withRun(int stepNumber, Run run, boolean first) {
    List<Step> changed = new ArrayList<>(steps);
    Step step = changed.get(stepNumber - 1);
    List<Run> runs = new ArrayList<>(step.runs());
    runs.add(first ? 0 : runs.size(), run);
    changed.set(stepNumber - 1, new Step(step.title(), step.text(), step.prediction(), runs, step.shows(),
        step.checks(), step.explanation()));
    return new Lesson(number, source, title, introduction, topologyText, changed);
  }

  /** Every checkpoint of every step, in order. */
  public List<Checkpoint> checkpoints() {
    return steps.stream().flatMap(step -> step.checks().stream()).toList();
  }
}
