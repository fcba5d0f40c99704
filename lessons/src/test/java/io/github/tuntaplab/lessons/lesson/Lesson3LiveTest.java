package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 3's checkpoints fail when the network no longer makes their claim true. */
@LiveTest
class Lesson3LiveTest {
  private static final String ECHO = "icmp[icmptype] = icmp-echo";

  @TempDir
  Path dir;

  @Test
  void eachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(3);

    // The responder's MAC known from a static neighbour entry: the kernel has nothing to ask.
    Outcome staticNeighbour = LessonLabs.run(lesson.withRun(2, Run.of("l3-host",
        "ip neigh replace 198.19.0.2 lladdr 02:54:4c:03:00:02 dev tl-tap0 nud permanent"), true), dir);
    assertFailed(staticNeighbour, 2, "order on tl-tap0: arp[6:2] = 1 then " + ECHO,
        "saw no packet matching 'arp[6:2] = 1'", "but the other came");
    assertFailed(staticNeighbour, 2, "seen on tl-tap0: arp[6:2] = 1 and ether broadcast",
        "expected a packet matching 'arp[6:2] = 1 and ether broadcast' on tl-tap0; ");
    assertFailed(staticNeighbour, 2, "seen on tl-tap0: arp[6:2] = 2",
        "expected a packet matching 'arp[6:2] = 2' on tl-tap0; ");

    // The two devices' kinds swapped: a TAP named tl-tun0, a TUN named tl-tap0.
    Outcome swapped = LessonLabs.run(lesson.withTopology(t -> t
        .replace("tap l3-host tl-tap0 02:54:4c:03:00:01 responder 02:54:4c:03:00:02", "tun l3-host tl-tap0 responder")
        .replace("tun l3-host tl-tun0 responder", "tap l3-host tl-tun0 02:54:4c:03:01:01 responder 02:54:4c:03:01:02")),
        dir);
    assertFailed(swapped, 1, "flags of tl-tun0: POINTOPOINT NOARP", "expected tl-tun0 to have the flags", "BROADCAST");
    assertFailed(swapped, 1, "flags of tl-tap0: BROADCAST", "expected tl-tap0 to have the flags", "POINTOPOINT");
    assertFailed(swapped, 3, "never on tl-tun0: arp", "expected no packet matching 'arp' on tl-tun0; saw",
        "Request who-has 198.18.0.2 tell 198.18.0.1");

    // Without their routes the pings never leave.
    Outcome unrouted = LessonLabs.run(lesson
        .withRun(2, Run.of("l3-host", "ip route del 198.19.0.0/24 dev tl-tap0"), true)
        .withRun(3, Run.of("l3-host", "ip route del 198.18.0.0/24 dev tl-tun0"), true), dir);
    assertFailed(unrouted, 2, "exit 0", "exited with 2", "Network is unreachable");
    assertFailed(unrouted, 3, "seen on tl-tun0: " + ECHO, "expected a packet matching");
    assertFailed(unrouted, 3, "exit 0", "exited with 2");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(staticNeighbour, swapped, unrouted));
  }
}
