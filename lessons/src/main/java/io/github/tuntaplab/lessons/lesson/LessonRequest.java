package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.Lab;
import io.github.tuntaplab.lessons.lab.LabRequest;
import io.github.tuntaplab.lessons.lab.PacketWatch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * The lab's {@code lesson N STEP} request (LAB-PROTOCOL.md): runs step STEP of built-in lesson N on
 * the running lab, which must have been built with that lesson's topology
 * ({@code tunlab lab up --lesson N}), exactly as {@code tunlab lesson step} runs it (commands and
 * tunlib changes in their namespaces, then the checkpoints on the packets and the kernel), and
 * answers with a {@link StepReport}, its transcript in the language the request may name last
 * ({@code en} when it names none); only then do its check lines carry the other languages' words,
 * which a client of an earlier version (that names none) would refuse. The checkpoints see every
 * packet captured since step 1 was last run (or since the first request of this lesson). The same
 * object serves {@code action N STEP ACTION}: one action of the step alone (the lesson panel's
 * buttons), answered with an {@link ActionReport}; step 1's first action starts the packets over as
 * step 1 does.
 */
public final class LessonRequest implements LabRequest {
  public static final String NAME = "lesson";
  /** The request that runs one action of a step. */
  public static final String ACTION = "action";

  private PacketWatch packets;
  private int watchedLesson;

  /** The requests a lab that serves lessons adds to its socket. */
  public static Map<String, LabRequest> extensions() {
    LessonRequest lessons = new LessonRequest();
    return Map.of(NAME, lessons, ACTION, lessons);
  }

  @Override
  public synchronized String answer(Lab lab, List<String> fields) throws IOException {
    boolean oneAction = fields.get(0).equals(ACTION);
    int required = oneAction ? 4 : 3;
    if (fields.size() != required && fields.size() != required + 1) {
      throw new IllegalArgumentException(oneAction ? "usage: action<TAB>NUMBER<TAB>STEP<TAB>ACTION[<TAB>LANGUAGE]"
          : "usage: lesson<TAB>NUMBER<TAB>STEP[<TAB>LANGUAGE]");
    }
    boolean named = fields.size() > required;
    Language language = named ? Language.of(fields.get(required)) : Language.ENGLISH;
    int number = number(fields.get(1), "lesson");
    int step = number(fields.get(2), "step");
    Lesson lesson = LessonCatalog.builtIn().lesson(number);
    String needed = lesson.topology().name();
    if (!lab.topology().name().equals(needed)) {
      throw new IllegalArgumentException("this lab runs topology " + lab.topology().name() + "; lesson " + number
          + " runs in its own, " + needed + ": stop this lab and start 'sudo tunlab lab up --lesson " + number + "'");
    }
    if (step < 1 || step > lesson.steps().size()) {
      throw new IllegalArgumentException("lesson " + number + " has steps 1 to " + lesson.steps().size());
    }
    int action = oneAction ? number(fields.get(3), "action") : 0;
    int actions = lesson.steps().get(step - 1).actions().size();
    if (oneAction && (action < 1 || action > actions)) {
      throw new IllegalArgumentException("step " + step + " of lesson " + number + " has " + (actions == 0
          ? "no actions" : "actions 1 to " + actions));
    }
    if (packets == null || (step == 1 && action <= 1) || watchedLesson != number) {
      closeWatch();
      packets = lab.watch(packet -> true);
      watchedLesson = number;
    }
    StringWriter transcript = new StringWriter();
    try (PrintWriter out = new PrintWriter(transcript)) {
      LessonRunner runner = new LessonRunner(out, LessonRunner.Pacer.none(), lab.settings(), LessonWords.of(language));
      if (oneAction) {
        return runner.runAction(lab, lesson, step, action, packets).body(named);
      }
      List<CheckResult> results = runner.runStep(lab, lesson, step, packets);
      out.flush();
      return new StepReport(transcript.toString().lines().toList(), results).body(named);
    }
  }

  private static int number(String text, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the " + what + " is a number, not '" + text + "'");
    }
  }

  private void closeWatch() {
    if (packets != null) {
      try {
        packets.close();
      } catch (Exception e) {
        // Only a subscription to remove; the lab may be closing.
      }
    }
  }
}
