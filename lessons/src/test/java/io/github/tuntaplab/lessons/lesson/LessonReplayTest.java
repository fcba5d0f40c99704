package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lessons replayed on their recorded runs, without privileges: the steps found where tshark finds them, the verdicts the live run had. */
class LessonReplayTest {
  /** Lesson {@code number}'s recorded run in the repository's sample-captures/. */
  static Path recording(int number) {
    return Path.of("..", "sample-captures", "lesson-" + number + ".pcapng");
  }

  @ParameterizedTest(name = "lesson {0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void everyCheckpointAboutPacketsPassesOnTheRecordedRun(int number) throws Exception {
    Lesson lesson = LessonCatalog.builtIn().lesson(number);
    LessonReplay replay = LessonReplay.read(lesson, recording(number));
    for (int step = 1; step <= lesson.steps().size(); step++) {
      List<CheckResult> results = replay.check(step);
      assertThat(results).as("lesson %d step %d", number, step).allMatch(CheckResult::passed);
      assertThat(results).hasSize((int) lesson.steps().get(step - 1).checks().stream()
          .filter(LessonReplay::judgeable).count());
    }
  }

  @Test
  void stepsStartWhereTsharkFindsTheirCommentsAndTheirPacketsEndThere() throws Exception {
    Prerequisites.requireTool("tshark");
    Lesson lesson = LessonCatalog.builtIn().lesson(3);
    LessonReplay replay = LessonReplay.read(lesson, recording(3));
    for (int step = 2; step <= 3; step++) {
      String frame = Cmd.ok("tshark", "-r", recording(3).toString(), "-Y",
          "frame.comment contains \"Step " + step + ":\"", "-T", "fields", "-e", "frame.number").strip();
      assertThat(replay.firstPacketOf(step) + 1).as("step %d", step).isEqualTo(Integer.parseInt(frame));
    }
    assertThat(replay.endOf(2)).isEqualTo(replay.firstPacketOf(3));
    assertThat(replay.endOf(3)).isEqualTo(replay.size());
  }

  @ParameterizedTest(name = "lesson {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void aLessonReadInChineseFindsItsStepsInTheRecordingMadeInEnglish(int number) throws Exception {
    LessonCatalog chinese = LessonCatalog.builtIn(Language.CHINESE);
    assertThat(chinese.translated(number)).isTrue();
    Lesson read = chinese.lesson(number);
    Lesson english = LessonCatalog.builtIn().lesson(number);
    assertThat(read.steps().get(0).title()).isNotEqualTo(english.steps().get(0).title());
    LessonReplay inChinese = LessonReplay.read(read, recording(number));
    LessonReplay inEnglish = LessonReplay.read(english, recording(number));
    boolean found = false;
    for (int step = 1; step <= english.steps().size(); step++) {
      assertThat(inChinese.firstPacketOf(step)).as("step %d", step).isEqualTo(inEnglish.firstPacketOf(step));
      assertThat(inChinese.check(step)).extracting(CheckResult::passed).as("step %d", step)
          .isEqualTo(inEnglish.check(step).stream().map(CheckResult::passed).toList());
      found |= inChinese.firstPacketOf(step) >= 0;
    }
    assertThat(found).as("a step found in the recording").isTrue();
  }

  @Test
  void aStepsCommentIsReadByItsNumbersInEitherLanguage() {
    LessonWords english = LessonWords.of(Language.ENGLISH);
    LessonWords chinese = LessonWords.of(Language.CHINESE);
    assertThat(english.stepOfComment(3, "Lesson 3, Step 2: the first ping through the TAP")).hasValue(2);
    assertThat(english.stepOfComment(3, "Lesson 3, Step 12 on its own")).hasValue(12);
    assertThat(english.stepOfComment(3, "Lesson 13, Step 2: another lesson's")).isEmpty();
    assertThat(english.stepOfComment(3, "Lesson 3, the end")).isEmpty();
    assertThat(chinese.stepOfComment(3, "第 3 课，第 2 步：第一次 ping")).hasValue(2);
    assertThat(chinese.stepOfComment(3, "Lesson 3, Step 2: the first ping through the TAP")).isEmpty();
  }

  @Test
  void aPacketCheckpointFailsWhenItsPacketsAreNotInTheStepsWindow() throws Exception {
    // Step 3 pings the TUN: its echo request is not among the packets up to the end of step 2.
    Lesson lesson = LessonCatalog.builtIn().lesson(3);
    Lesson shifted = new Lesson(lesson.number(), lesson.source(), lesson.title(), lesson.introduction(),
        lesson.topologyText(), List.of(lesson.steps().get(0), withChecks(lesson.steps().get(1),
            lesson.steps().get(2).checks()), lesson.steps().get(2)));
    List<CheckResult> results = LessonReplay.read(shifted, recording(3)).check(2);
    assertThat(results).filteredOn(r -> r.checkpoint().text().startsWith("seen on tl-tun0")).singleElement()
        .satisfies(r -> assertThat(r.passed()).isFalse());
  }

  /** {@code step} with other checkpoints. */
  static Step withChecks(Step step, List<Checkpoint> checks) {
    return new Step(step.title(), step.text(), step.prediction(), step.runs(), step.shows(), checks,
        step.explanation());
  }
}
