package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.lesson.CheckRow;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonReplay;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay mode as a student without privileges meets it: the window runs as the user nobody
 * (setpriv, so the test itself needs root), in a JVM of its own on a copy of the class path and of
 * lesson 3's recording that nobody can read. The bar says no lab runs, the lab is not offered to be
 * built here, and lesson 3's second step replays: its packet checkpoints pass on the recording, the
 * one about the command's exit status needs the live lab, and its first packet is selected.
 */
class ReplayWithoutPrivilegesTest {
  private static final String NOBODY = "65534";

  @TempDir
  Path dir;

  @Test
  void lessonThreeReplaysForAUserWithoutPrivileges() throws Exception {
    Prerequisites.require(Cmd.ok("id", "-u").strip().equals("0"), "needs root to run the window as the user nobody");
    Prerequisites.requireTool("setpriv");
    List<String> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path copy = dir.resolve("classpath").resolve(classpath.size() + "-" + Path.of(entry).getFileName());
      Files.createDirectories(copy.getParent());
      Cmd.ok("cp", "-r", entry, copy.toString());
      classpath.add(copy.toString());
    }
    Path samples = Files.createDirectories(dir.resolve("samples"));
    Files.copy(LabWindow.SAMPLES.resolve("lesson-3.pcapng"), samples.resolve("lesson-3.pcapng"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Cmd.ok("chmod", "-R", "a+rX", dir.toString());
    Cmd.ok("chmod", "a+w", home.toString());

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Cmd.Result run = Cmd.run(120, "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
        "env", "HOME=" + home, java, "-Duser.home=" + home, "-cp", String.join(File.pathSeparator, classpath),
        ReplayWithoutPrivileges.class.getName(), samples.toString());
    assertThat(run.exitCode()).as(run.stderr()).isZero();

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
