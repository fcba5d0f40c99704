package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 5's checkpoints fail when the network no longer makes their claim true. */
@LiveTest
class Lesson5LiveTest {
  private static final String ECHO = "icmp[icmptype] = icmp-echo";

  @TempDir
  Path dir;

  @Test
  void eachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Lesson lesson = LessonLabs.lesson(5);

    // The two tunnels' formats swapped (tl-tun0 aead, tl-tun1 plain), and in step 4 the TUN's MTU
    // already raised, so the 1473-byte packet reaches the tunnel.
    Outcome swapped = LessonLabs.run(lesson.withTopology(t -> t
            .replace("tl-tun0 plain", "tl-tun0 aead").replace("tl-tun1 aead", "tl-tun1 plain"))
        .withRun(4, Run.of("l5-client", "ip link set tl-tun0 mtu 1500"), true), dir);
    assertFailed(swapped, 1, "mtu of l5-client/tl-tun0: 1472", "it has mtu 1432");
    assertFailed(swapped, 1, "mtu of l5-client/tl-tun1: 1432", "it has mtu 1472");
    assertFailed(swapped, 2, "carried read from l5-client/tl-tun0 in on l5-client/tl-eth0+42: " + ECHO,
        "none of the", "contains its 84 bytes from byte 42");
    assertFailed(swapped, 3, "seen read from l5-client/tl-tun0: " + ECHO + " and ip[2:2] = 1472",
        "expected a packet matching");
    assertFailed(swapped, 3, "seen on l5-client/tl-eth0: udp dst port 5555 and ip[2:2] = 1500",
        "expected a packet matching");
    assertFailed(swapped, 3, "exit 0", "exited with 1");
    assertFailed(swapped, 4, "output has message too long, mtu=1472", "Frag needed and DF set (mtu = 1432)");
    assertFailed(swapped, 4, "never read from l5-client/tl-tun0: greater 1473", "saw 1", "length 1453");
    // The kernel remembers step 4's answer: the path to 198.18.0.2 takes 1432 bytes.
    assertFailed(swapped, 5, "output has Frag needed and DF set (mtu = 1472)", "mtu=1432");
    assertFailed(swapped, 6, "bytes on l5-client/tl-eth0+42 are 02 00 00 00: udp dst port 5556", "saw 45 00");
    assertFailed(swapped, 6, "hidden read from l5-client/tl-tun1 in on l5-client/tl-eth0: " + ECHO,
        "nowhere on l5-client/tl-eth0", "carries it from byte 42, after 14 bytes eth, 20 bytes ip, 8 bytes udp");
    assertFailed(swapped, 6, "carried read from l5-client/tl-tun1 in decrypted on l5-client/tl-eth0+66: " + ECHO,
        "none of the", "from byte 66");

    // The far ends of both tunnels routed through the physical link: nothing enters the tunnels.
    Outcome bypassed = LessonLabs.run(lesson
        .withRun(2, Run.of("l5-client", "ip route replace 198.18.0.2 via 198.51.100.1"), true)
        .withRun(6, Run.of("l5-client", "ip route replace 198.18.2.2 via 198.51.100.1"), true), dir);
    assertFailed(bypassed, 2, "carried read from l5-client/tl-tun0 in on l5-client/tl-eth0+42: " + ECHO,
        "nothing was captured read from l5-client/tl-tun0");
    assertFailed(bypassed, 2, "never on l5-client/tl-eth0: icmp", "198.51.100.2 > 198.18.0.2: ICMP echo request");
    assertFailed(bypassed, 2, "same read from l5-client/tl-tun0 and on l5-vpn/tl-tun0: " + ECHO,
        "expected a packet matching");
    assertFailed(bypassed, 2, "exit 0", "exited with 1");
    assertFailed(bypassed, 3, "seen read from l5-client/tl-tun0: " + ECHO + " and ip[2:2] = 1472",
        "expected a packet matching");
    assertFailed(bypassed, 3, "seen on l5-client/tl-eth0: udp dst port 5555 and ip[2:2] = 1500",
        "expected a packet matching");
    assertFailed(bypassed, 3, "exit 0", "exited with 1");
    assertFailed(bypassed, 4, "output has message too long, mtu=1472", "expected the output to contain");
    assertFailed(bypassed, 5, "seen read from l5-client/tl-tun0: " + ECHO + " and ip[2:2] = 1500",
        "expected a packet matching");
    assertFailed(bypassed, 5, "seen on l5-client/tl-tun0: icmp[icmptype] = icmp-unreach and icmp[icmpcode] = 4",
        "expected a packet matching");
    assertFailed(bypassed, 5, "output has Frag needed and DF set (mtu = 1472)", "expected the output to contain");
    assertFailed(bypassed, 6, "seen on l5-client/tl-eth0: udp dst port 5556", "expected a packet matching");
    assertFailed(bypassed, 6, "carried read from l5-client/tl-tun1 in decrypted on l5-client/tl-eth0+66: " + ECHO,
        "nothing was captured read from l5-client/tl-tun1");
    assertFailed(bypassed, 6, "same read from l5-client/tl-tun1 and on l5-vpn/tl-tun1: " + ECHO,
        "expected a packet matching");
    assertFailed(bypassed, 6, "exit 0", "exited with 1");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(swapped, bypassed));
  }
}
