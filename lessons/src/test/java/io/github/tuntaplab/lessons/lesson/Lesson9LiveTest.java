package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 9 runs end to end, and its checkpoints fail when the device's owner no longer makes their claim true. */
@LiveTest
class Lesson9LiveTest {
  @TempDir
  Path dir;

  @Test
  void passesAndEachCheckpointFailsOnANetworkWhereItsClaimIsFalse() throws Exception {
    Prerequisites.requireTool("setpriv");
    Lesson lesson = LessonLabs.lesson(9);

    LessonLabs.assertPasses(lesson, dir);

    // The device exists, owned by the student, before the student's program first opens it: it attaches.
    Outcome ownedFromTheStart = LessonLabs.run(lesson.withRun(1, Run.of("l9-host",
        "ip tuntap add dev tl-stu0 mode tun user 65534"), true), dir);
    assertFailed(ownedFromTheStart, 1, "exit 1", "exited with 0");
    assertFailed(ownedFromTheStart, 1, "output has needs CAP_NET_ADMIN", "opened tl-stu0");

    // Root gave the device to uid 65533 instead: the student is refused, the other user let in.
    Outcome otherOwner = LessonLabs.run(lesson.withRun(2, Run.of("l9-host", "ip tuntap del dev tl-stu0 mode tun"
        + " && ip tuntap add dev tl-stu0 mode tun user 65533 && ip address add 198.18.9.1/24 dev tl-stu0"
        + " && ip link set tl-stu0 up && ip -d link show tl-stu0"), false), dir);
    assertFailed(otherOwner, 2, "output has persist on user nobody", "user 65533");
    assertFailed(otherOwner, 3, "exit 0", "exited with 1", "it belongs to uid 65533");
    assertFailed(otherOwner, 3, "output has opened tl-stu0", "lacks CAP_NET_ADMIN");
    assertFailed(otherOwner, 3, "output has 198.51.100.2 > 198.18.9.2: ICMP echo request", "it printed");
    assertFailed(otherOwner, 4, "exit 1", "exited with 0");
    assertFailed(otherOwner, 4, "output has it belongs to uid 65534", "opened tl-stu0");
    assertFailed(otherOwner, 4, "output has ip tuntap add dev tl-stu0 mode tun user 65533", "opened tl-stu0");

    assertEveryCheckpointFailedSomewhere(lesson, List.of(ownedFromTheStart, otherOwner));
  }
}
