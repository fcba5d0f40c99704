package io.github.tuntaplab.lessons.lesson;

import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertEveryCheckpointFailedSomewhere;
import static io.github.tuntaplab.lessons.lesson.LessonLabs.assertFailed;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.lessons.lesson.LessonLabs.Outcome;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoints lessons 1–4 do not use, on a lesson of the test's own: a missing route and a command's words. */
@LiveTest
class UnreachableAndOutputLiveTest {
  private static final String LESSON = """
      # Lesson 0: nowhere to go

      ```topology
      topology lesson-0
      namespace l0-host
      tun l0-host tl-tun0 responder 198.18.0.2
      address l0-host tl-tun0 198.18.0.1/24
      ```

      ## Step 1: a destination no route covers

      ```predict
      Where does a ping to 203.0.113.8 go?
      ```

      ```run l0-host
      ping -c 1 -W 0.5 203.0.113.8
      ```

      ```check
      route in l0-host to 203.0.113.8: unreachable
      output has Network is unreachable
      ```
      """;

  @TempDir
  Path dir;

  @Test
  void unreachableAndOutputHoldWithoutADefaultRouteAndFailWithOne() throws Exception {
    Lesson lesson = Lesson.parse(0, "nowhere.md", LESSON);
    Outcome plain = LessonLabs.run(lesson, dir);
    assertThat(plain.result().failures()).as(plain.transcript()).isEmpty();

    // A default route into the TUN: now every destination has somewhere to go.
    Outcome routed = LessonLabs.run(lesson.withTopology(t -> t + "route l0-host default via 198.18.0.2\n"), dir);
    assertFailed(routed, 1, "route in l0-host to 203.0.113.8: unreachable",
        "expected the kernel in ", "to find no route to 203.0.113.8; it chose: 203.0.113.8 via 198.18.0.2 dev tl-tun0");
    assertFailed(routed, 1, "output has Network is unreachable",
        "expected the output to contain 'Network is unreachable'; it printed: PING 203.0.113.8");
    assertEveryCheckpointFailedSomewhere(lesson, List.of(routed));
  }
}
