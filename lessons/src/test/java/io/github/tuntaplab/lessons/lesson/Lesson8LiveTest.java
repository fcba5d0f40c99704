package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 8 runs end to end, and its checkpoints fail when the client's routes no longer make their claim true. */
@LiveTest
class Lesson8LiveTest {
  private static final String TUNNEL_DEFAULT = "route client default via 198.18.0.2 dev tl-tun0 metric 0";
  private static final String PHYSICAL_DEFAULT = "route client default via 198.51.100.1 metric 35\n";
  private static final String SERVER_ROUTE = "route client 203.0.113.89/32 via 198.51.100.1\n";

  @TempDir
  Path dir;

  @Test
  void passesAndEachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(8);

    LessonLabs.assertPasses(lesson, dir);

    // The VPN's default at a higher metric than the router's, and no /32 route: the physical default
    // wins from the start, and once the kill switch is in, nothing leads to the VPN server.
    Outcome tunnelLoses = LessonLabs.run(lesson.withTopology(t -> t.replace(TUNNEL_DEFAULT,
        "route client default via 198.18.0.2 dev tl-tun0 metric 50").replace(SERVER_ROUTE, "")), dir);
    assertFailed(tunnelLoses, 1, "route in client to 203.0.113.8: dev tl-tun0", "it chose: 203.0.113.8 via 198.51.100.1");
    assertFailed(tunnelLoses, 2, "seen on client/tl-tun0: icmp[icmptype] = icmp-echo and dst host 203.0.113.8",
        "expected a packet matching");
    assertFailed(tunnelLoses, 2, "never on client/tl-eth0: icmp and host 203.0.113.8",
        "198.51.100.2 > 203.0.113.8: ICMP echo request");
    assertFailed(tunnelLoses, 5, "route in client to 203.0.113.89: dev tl-eth0", "ip route get 203.0.113.89 fails");

    // No physical default to fall back to: when the VPN exits, the web host is simply unreachable.
    Outcome noFallback = LessonLabs.run(lesson.withTopology(t -> t.replace(PHYSICAL_DEFAULT, "")), dir);
    assertFailed(noFallback, 3, "route in client to 203.0.113.8: dev tl-eth0", "ip route get 203.0.113.8 fails");
    assertFailed(noFallback, 4, "exit 0", "exited with 2");
    assertFailed(noFallback, 4, "seen on client/tl-eth0: icmp[icmptype] = icmp-echo and src host 198.51.100.2 and dst "
        + "host 203.0.113.8", "expected a packet matching");

    // The internet has no way back to the tunnel's addresses; the VPN client comes back without its
    // default route; and the kill switch is taken out again before the VPN exits a second time.
    Outcome brokenAndUnprotected = LessonLabs.run(lesson
        .withTopology(t -> t.replace("route router 198.18.0.0/24 via 203.0.113.89\n", ""))
        .withRun(5, Run.of("client", "ip route del default via 198.18.0.2 dev tl-tun0"), false)
        .withRun(6, Run.of("client", "ip route del unreachable default metric 10"), true), dir);
    assertFailed(brokenAndUnprotected, 2, "exit 0", "exited with 1");
    assertFailed(brokenAndUnprotected, 5, "route in client to 203.0.113.8: dev tl-tun0", "ip route get 203.0.113.8 fails");
    assertFailed(brokenAndUnprotected, 6, "route in client to 203.0.113.8: unreachable",
        "it chose: 203.0.113.8 via 198.51.100.1 dev tl-eth0");
    assertFailed(brokenAndUnprotected, 6, "never on client/tl-eth0: icmp and ip[2:2] = 128",
        "198.51.100.2 > 203.0.113.8: ICMP echo request");
    assertFailed(brokenAndUnprotected, 6, "exit 2", "exited with 0");
    assertFailed(brokenAndUnprotected, 6, "output has No route to host", "1 received");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(tunnelLoses, noFallback, brokenAndUnprotected));
  }
}
