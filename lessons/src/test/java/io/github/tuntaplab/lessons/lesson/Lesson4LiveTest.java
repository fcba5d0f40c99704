package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 4's checkpoints fail when the packet-information mode or the routes change. */
@LiveTest
class Lesson4LiveTest {
  @TempDir
  Path dir;

  @Test
  void eachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(4);

    // Each TUN opened in the other mode.
    Outcome switched = LessonLabs.run(lesson.withTopology(t -> t
        .replace("tun l4-nopi tl-tun0 responder", "tun l4-nopi tl-tun0 pi responder")
        .replace("tun l4-pi tl-tun0 pi responder", "tun l4-pi tl-tun0 responder")), dir);
    assertFailed(switched, 1, "nibble read from l4-nopi/tl-tun0 is 4: icmp", "byte 0 is 0x00, so the test sees 0");
    assertFailed(switched, 2, "bytes read from l4-pi/tl-tun0 are 00 00 08 00: icmp", "saw 45 00");
    assertFailed(switched, 2, "same on l4-pi/tl-tun0 and read from l4-pi/tl-tun0+4: icmp", "they are 84 and 80 bytes");
    assertFailed(switched, 2, "nibble read from l4-pi/tl-tun0 is 0: icmp", "byte 0 is 0x45, so the test sees 4");
    assertFailed(switched, 3, "bytes read from l4-pi/tl-tun0 are 00 00 86 dd: icmp6 and ip6[40] = 128", "saw 60 ");

    // Without routes into the TUNs nothing is read and no ping is answered.
    Outcome unrouted = LessonLabs.run(lesson
        .withRun(1, Run.of("l4-nopi", "ip route del 198.18.4.0/24 dev tl-tun0"), true)
        .withRun(2, Run.of("l4-pi", "ip route del 198.18.4.0/24 dev tl-tun0"), true)
        .withRun(3, Run.of("l4-pi", "ip -6 route del 2001:db8:4::/64 dev tl-tun0"), true), dir);
    assertFailed(unrouted, 1, "seen on l4-nopi/tl-tun0: icmp[icmptype] = icmp-echo", "expected a packet matching");
    assertFailed(unrouted, 1, "exit 0", "exited with 2");
    assertFailed(unrouted, 2, "exit 0", "exited with 2");
    assertFailed(unrouted, 3, "exit 0", "exited with 2");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(switched, unrouted));
  }
}
