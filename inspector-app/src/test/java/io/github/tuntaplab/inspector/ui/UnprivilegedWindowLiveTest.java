package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.cli.LabChild;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privilege split of DESIGN §1 end to end: the teacher's {@code sudo tunlab lab up} (a child
 * JVM as root, SUDO_UID the user nobody) and the student's window (as {@code tunlab} starts it,
 * run as nobody): the window finds the lab, connects to its socket (nobody's, mode 0600), asks it
 * for a ping and shows the frames arriving live, the lesson panel left for the student to choose.
 */
@LiveTest
class UnprivilegedWindowLiveTest {
  @TempDir
  Path dir;

  @Test
  void aWindowRunAsNobodyConnectsToTheLabRootStartedForItAndShowsItsPacketsLive() throws Exception {
    LabChild lab = new LabChild(dir);
    AsNobody nobody = AsNobody.prepare(dir);
    try (LabChild.Running running = lab.up(AsNobody.UID)) {
      assertThat(Files.getAttribute(lab.socket(), "unix:uid")).isEqualTo(AsNobody.UID);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lab.socket()))).isEqualTo("rw-------");

      Cmd.Result window = nobody.run(StartedWindow.class, List.of(LabSettings.PREFIX_PROPERTY + "=" + lab.prefix,
          LabSettings.DIRECTORY_PROPERTY + "=" + lab.directory), "en", "ping", "client", "198.19.0.2");

      assertThat(window.stdout().lines()).as(window.stderr()).anyMatch(l -> l.startsWith("live: ● LIVE"))
          .contains("ping exit: 0", "lesson chosen: none");
      List<String> tap = window.stdout().lines().filter(l -> l.startsWith("line TAP ")).toList();
      assertThat(tap).anyMatch(l -> l.contains("ARP (0x0806), length 42: Request who-has 198.19.0.2 tell 198.19.0.1"))
          .anyMatch(l -> l.contains("198.19.0.1 > 198.19.0.2: ICMP echo request"))
          .anyMatch(l -> l.contains("198.19.0.2 > 198.19.0.1: ICMP echo reply"));
    } finally {
      lab.removeLeftovers();
    }
  }
}
