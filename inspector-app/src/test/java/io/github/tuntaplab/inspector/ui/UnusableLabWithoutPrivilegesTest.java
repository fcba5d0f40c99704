package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab socket that is there but cannot be used, met by the window as {@code tunlab} starts it for
 * a user without privileges (nobody, {@link AsNobody}): a crashed lab's leftover socket file (bound,
 * then closed without unlinking: nobody listens) and a running lab's socket that is root's, mode
 * 0600. The window does not stay on an error: it replays lesson 1 as when no socket is there, and
 * the live bar says in one line why the lab could not be used and how to fix it.
 */
class UnusableLabWithoutPrivilegesTest {
  private static final Words ENGLISH = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);

  @TempDir
  static Path dir;

  private static AsNobody nobody;
  private static Path samples;

  @BeforeAll
  static void copyForNobody() throws Exception {
    samples = StartedWindow.samples(dir, "lesson-1.pcapng");
    nobody = AsNobody.prepare(dir);
  }

  @Test
  void aCrashedLabsLeftoverSocketFile() throws Exception {
    Path lab = labDirectory("crashed");
    Path socket = lab.resolve("lab.sock");
    try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      crashed.bind(UnixDomainSocketAddress.of(socket));
    }
    // As sudo tunlab lab up leaves it for the user who ran sudo.
    Cmd.ok("chown", AsNobody.UID + ":" + AsNobody.UID, socket.toString());
    Cmd.ok("chmod", "0600", socket.toString());
    assertThat(socket).exists();

    assertLessonOneReplayedSaying(lab, ENGLISH.format("live.stale", socket));
  }

  @Test
  void aLabSocketOfRootsWithMode0600() throws Exception {
    Path lab = labDirectory("roots");
    Path socket = lab.resolve("lab.sock");
    try (ServerSocketChannel roots = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      roots.bind(UnixDomainSocketAddress.of(socket));
      Cmd.ok("chmod", "0600", socket.toString());
      assertThat(Cmd.ok("stat", "-c", "%U %a", socket.toString()).strip()).isEqualTo("root 600");

      assertLessonOneReplayedSaying(lab, ENGLISH.format("live.not.yours", socket, "root"));
    }
  }

  /** A lab directory nobody can look into. */
  private static Path labDirectory(String name) throws Exception {
    Path lab = Files.createDirectory(dir.resolve(name));
    Cmd.ok("chmod", "0755", lab.toString());
    return lab;
  }

  /**
   * The window, started as tunlab starts it, as nobody, with its lab's socket in {@code lab}, replays
   * lesson 1, its live bar saying {@code why} no lab.
   */
  private static void assertLessonOneReplayedSaying(Path lab, String why) {
    assertThat(StartedWindow.runAs(nobody, samples, lab, "en").stdout().lines()).contains(
        "title: lesson-1.pcapng — TunTap Lab inspector", "lesson chosen: 1",
        "live: " + ENGLISH.format("live.state.no_lab") + " " + why);
  }
}
