package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lesson 6's checkpoints fail when the network no longer makes their claim true; step 1's
 * checkpoints assert the failure (the routing loop), so they fail on a network without it.
 */
@LiveTest
class Lesson6LiveTest {
  @TempDir
  Path dir;

  @Test
  void eachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(6);

    // The /32 route to the VPN server is there from the start: no loop, the first ping goes through.
    Outcome excepted = LessonLabs.run(lesson.withTopology(t -> t + "route l6-client 203.0.113.89/32 via 198.51.100.1\n"),
        dir);
    assertFailed(excepted, 1, "route in l6-client to 203.0.113.89: dev tl-tun0",
        "it chose: 203.0.113.89 via 198.51.100.1 dev tl-eth0");
    assertFailed(excepted, 1, "seen read from l6-client/tl-tun0: udp dst port 5555 and dst host 203.0.113.89",
        "expected a packet matching", "ICMP echo request");
    assertFailed(excepted, 1, "never on l6-client/tl-eth0: udp port 5555", "saw 2",
        "198.51.100.2.", "> 203.0.113.89.5555: UDP, length 84");
    assertFailed(excepted, 1, "exit 1", "exited with 0");

    // In step 1 the web host is reached through the physical link, never the TUN; in step 2 both the
    // VPN server and the web host are blackholed: the /32 cannot be added and the ping goes nowhere.
    Outcome blackholed = LessonLabs.run(lesson
        .withRun(1, Run.of("l6-client", "ip route add 203.0.113.8/32 via 198.51.100.1"), true)
        .withRun(2, new Run("l6-client", List.of("ip route add blackhole 203.0.113.89/32",
            "ip route replace blackhole 203.0.113.8/32"), false), true), dir);
    assertFailed(blackholed, 1, "seen read from l6-client/tl-tun0: icmp[icmptype] = icmp-echo and dst host 203.0.113.8",
        "expected a packet matching");
    assertFailed(blackholed, 2, "route in l6-client to 203.0.113.89: dev tl-eth0", "203.0.113.89");
    assertFailed(blackholed, 2, "route in l6-client to 203.0.113.8: dev tl-tun0", "203.0.113.8");
    assertFailed(blackholed, 2, "seen on l6-client/tl-eth0: udp dst port 5555 and dst host 203.0.113.89",
        "expected a packet matching");
    assertFailed(blackholed, 2, "seen on l6-web/tl-eth0: icmp[icmptype] = icmp-echo and src host 198.18.0.1",
        "expected a packet matching");
    assertFailed(blackholed, 2, "exit 0", "exited with");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(excepted, blackholed));
  }
}
