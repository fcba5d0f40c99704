package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 2's checkpoints fail when the routing table no longer makes their claim true. */
@LiveTest
class Lesson2LiveTest {
  @TempDir
  Path dir;

  @Test
  void eachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(2);

    // The tunnel's route is there from the start: step 1's ping goes into the TUN and is answered.
    Outcome routedEarly = LessonLabs.run(lesson.withTopology(t -> t + "route l2-host 198.18.0.0/24 dev tl-tun0\n"), dir);
    assertFailed(routedEarly, 1, "route in l2-host to 198.18.0.2: dev tl-eth0", "it chose: 198.18.0.2 dev tl-tun0");
    assertFailed(routedEarly, 1, "never on tl-tun0: icmp", "expected no packet matching 'icmp' on tl-tun0; saw 2");
    assertFailed(routedEarly, 1, "seen on tl-eth0: icmp and dst host 198.18.0.2",
        "expected a packet matching 'icmp and dst host 198.18.0.2' on tl-eth0; ");
    assertFailed(routedEarly, 1, "exit 1", "exited with 0");

    // The route removed right after it was added.
    Outcome removed = LessonLabs.run(lesson.withRun(2, Run.of("l2-host", "ip route del 198.18.0.0/24 dev tl-tun0"),
        false), dir);
    assertFailed(removed, 2, "route in l2-host to 198.18.0.2: dev tl-tun0", "it chose: 198.18.0.2 via 198.51.100.1 dev tl-eth0");
    assertFailed(removed, 3, "seen on tl-tun0: icmp[icmptype] = icmp-echo", "expected a packet matching");
    assertFailed(removed, 3, "seen on tl-tun0: icmp[icmptype] = icmp-echoreply", "expected a packet matching");
    assertFailed(removed, 3, "exit 0", "exited with 1");

    // A VPN that also claims 203.0.113.0/24: the web host's traffic goes into the TUN, where nobody answers it.
    Outcome wider = LessonLabs.run(lesson.withRun(2, Run.of("l2-host", "ip route add 203.0.113.0/24 dev tl-tun0"),
        true), dir);
    assertFailed(wider, 2, "route in l2-host to 203.0.113.8: dev tl-eth0", "it chose: 203.0.113.8 dev tl-tun0");
    assertFailed(wider, 4, "seen on tl-eth0: icmp[icmptype] = icmp-echo and dst host 203.0.113.8",
        "expected a packet matching 'icmp[icmptype] = icmp-echo and dst host 203.0.113.8' on tl-eth0; ");
    assertFailed(wider, 4, "never on tl-tun0: host 203.0.113.8", "saw 1, the first: ip: 198.18.0.1 > 203.0.113.8");
    assertFailed(wider, 4, "exit 0", "exited with 1");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(routedEarly, removed, wider));
  }
}
