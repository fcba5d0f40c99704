package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 1's checkpoints fail when the network no longer makes their claim true. */
@LiveTest
class Lesson1LiveTest {
  private static final String ECHO = "icmp[icmptype] = icmp-echo";

  @TempDir
  Path dir;

  @Test
  void eachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(1);

    // The TUN opened in packet-information mode, and a TUN where the TAP was.
    Outcome switched = LessonLabs.run(lesson.withTopology(t -> t
        .replace("tun l1-tun tl-tun0 responder", "tun l1-tun tl-tun0 pi responder")
        .replace("tap l1-tap tl-tap0 02:54:4c:01:00:01 responder 02:54:4c:01:00:02", "tun l1-tap tl-tap0 responder")),
        dir);
    assertFailed(switched, 1, "nibble read from tl-tun0 is 4: " + ECHO, "byte 0 is 0x00, so the test sees 0");
    assertFailed(switched, 2, "nibble read from tl-tap0 is 0: " + ECHO, "byte 0 is 0x45, so the test sees 4");
    assertFailed(switched, 2, "nibble read from tl-tap0+14 is 4: " + ECHO, "byte 14 is 0x01");
    assertFailed(switched, 3, "same on tl-tun0 and on tl-tap0+14: " + ECHO, "they are 36 and 22 bytes long");
    assertFailed(switched, 3, "bytes on tl-tap0+12 are 08 00: " + ECHO, "expected 08 00 at byte 12", "saw c6 12");

    // Without their on-link routes the kernel sends the echo request nowhere.
    Outcome unrouted = LessonLabs.run(lesson
        .withRun(1, Run.of("l1-tun", "ip route del 198.18.1.0/24 dev tl-tun0"), true)
        .withRun(2, Run.of("l1-tap", "ip route del 198.18.1.0/24 dev tl-tap0"), true), dir);
    assertFailed(unrouted, 1, "seen on tl-tun0: " + ECHO, "expected a packet matching '" + ECHO + "' on tl-tun0");
    assertFailed(unrouted, 2, "seen on tl-tap0: " + ECHO, "expected a packet matching '" + ECHO + "' on tl-tap0");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(switched, unrouted));
  }
}
