package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 7 runs end to end, and its checkpoints fail when the binding or the routes no longer make their claim true. */
@LiveTest
class Lesson7LiveTest {
  @TempDir
  Path dir;

  @Test
  void passesAndEachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(7);

    LessonLabs.assertPasses(lesson, dir);

    // The second VPN client's socket is not bound: it loops like the first.
    Outcome unbound = LessonLabs.run(lesson.withTopology(t -> t.replace(" 5556 bind tl-eth0", " 5556")), dir);
    assertFailed(unbound, 2, "seen on client/tl-eth0: udp dst port 5556 and udp[17] = 1", "expected a packet matching");
    assertFailed(unbound, 2, "never on client/tl-tun1: udp port 5556", "> 203.0.113.89.5556");
    assertFailed(unbound, 2, "exit 0", "exited with 1");
    assertFailed(unbound, 3, "seen on client/tl-eth0: arp host 203.0.113.89", "expected a packet matching");

    // A /32 route to the VPN server via the router, as in lesson 6: no loop, and no need for the back door.
    Outcome serverRoute = LessonLabs.run(lesson.withTopology(t -> t
        + "route client 203.0.113.89/32 via 198.51.100.1\n"), dir);
    assertFailed(serverRoute, 1, "seen on client/tl-tun0: udp dst port 5555", "expected a packet matching");
    assertFailed(serverRoute, 1, "never on client/tl-eth0: udp dst port 5555 and udp[17] = 1",
        "198.51.100.2");
    assertFailed(serverRoute, 1, "exit 1", "exited with 0");
    assertFailed(serverRoute, 2, "route in client to 203.0.113.89: dev tl-tun1", "dev tl-eth0");
    assertFailed(serverRoute, 3, "route in client to 203.0.113.89: dev tl-tun1", "dev tl-eth0");
    assertFailed(serverRoute, 3, "exit 1", "exited with 0");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(unbound, serverRoute));
  }
}
