package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.lesson.CheckRow;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Lesson;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonReplay;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay mode as a student without privileges meets it: the window runs as the user nobody, in a
 * JVM of its own ({@link AsNobody}), on a copy of the lessons' recordings, no lab running. As
 * {@code tunlab} starts it, it opens lesson 1 replayed in the language asked for, its recording in
 * the panes; and lesson 3's second step replays: the bar says no lab runs, the lab is not offered
 * to be built here, the step's packet checkpoints pass on the recording, the one about the
 * command's exit status needs the live lab, and its first packet is selected.
 */
class ReplayWithoutPrivilegesTest {
  @TempDir
  static Path dir;

  private static AsNobody nobody;
  private static Path samples;

  @BeforeAll
  static void copyForNobody() throws Exception {
    samples = StartedWindow.samples(dir, "lesson-1.pcapng", "lesson-3.pcapng");
    nobody = AsNobody.prepare(dir);
  }

  @Test
  void withoutALabTunlabOpensLessonOneReplayedInTheLanguageAskedFor() throws Exception {
    Prerequisites.requireTool("tshark");
    Cmd.Result run = StartedWindow.runAs(nobody, samples, dir.resolve("no-lab"), "zh");

    Lesson lesson = LessonCatalog.builtIn(Language.CHINESE).lesson(1);
    Words window = Words.of(WindowLanguage.TABLE, Language.CHINESE, WindowLanguage.class);
    assertThat(run.stdout().lines()).as(run.stderr()).contains(
        "title: " + window.format("window.title.file", "lesson-1.pcapng"),
        "lesson chosen: 1",
        "language: " + LessonLanguage.CHINESE,
        "lesson title: " + lesson.title(),
        "mode: " + LessonWords.of(Language.CHINESE).format("mode.replay"),
        "step: 1 / " + lesson.steps().size() + " · " + lesson.steps().get(0).title());
    // The whole window in Chinese, the live bar too.
    assertThat(run.stdout()).contains("live: " + window.format("live.state.no_lab") + " " + window.format("live.no.lab"));
    // The panes hold the whole recording, each device's packets in its pane (tshark counts them).
    Map<String, Long> perDevice = Cmd.ok("tshark", "-r", samples.resolve("lesson-1.pcapng").toString(), "-T",
        "fields", "-e", "frame.interface_name").lines().collect(Collectors.groupingBy(Function.identity(),
        Collectors.counting()));
    assertThat(run.stdout().lines()).contains("rows TAP: " + perDevice.get("tl-tap0"),
        "rows TUN: " + perDevice.get("tl-tun0"), "rows UNDERLAY: 0");
  }

  @Test
  void lessonThreeReplaysForAUserWithoutPrivileges() throws Exception {
    Cmd.Result run = nobody.run(ReplayWithoutPrivileges.class, List.of(), samples.toString(),
        dir.resolve("no-lab").toString());

    int first = LessonReplay.read(LessonCatalog.builtIn().lesson(3), samples.resolve("lesson-3.pcapng")).firstPacketOf(2);
    assertThat(run.stdout().lines()).contains("can build a lab: false", "build it here offered: false",
        "panes: lesson-3.pcapng", "selected on the TAP: " + first);
    assertThat(run.stdout()).contains("bar: No lab No lab is running", "mode: Replay of the recorded run (no lab)");
    List<String> checks = run.stdout().lines().filter(l -> l.startsWith("check ")).toList();
    assertThat(checks).isNotEmpty().allMatch(l -> l.startsWith("check " + CheckRow.Status.PASS + " ")
        || l.equals("check " + CheckRow.Status.NEEDS_LAB + " exit 0"));
    assertThat(checks).anyMatch(l -> l.startsWith("check PASS "));
  }
}
