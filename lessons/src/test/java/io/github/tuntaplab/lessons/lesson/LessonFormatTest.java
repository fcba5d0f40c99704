package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lesson files read as the format says, and a wrong one is refused with its line. */
class LessonFormatTest {
  private static final String MINIMAL = """
      # Lesson 9: minimal

      Why it matters.

      ```topology
      topology lesson-9
      namespace host
      tun host tl-tun0 responder 198.18.9.2
      address host tl-tun0 198.18.9.1/24
      ```

      ## Step 1: ping

      Text.

      ```predict
      Will it answer?
      ```

      ```run host
      # a comment
      ping -c 1 198.18.9.2
      ```

      ```check
      seen on tl-tun0: icmp
      exit 0
      ```

      It did.

      ```sh
      echo this block is prose
      ```
      """;

  @Test
  void aLessonHasItsTitleIntroductionTopologyAndSteps() throws Exception {
    Lesson lesson = Lesson.parse(9, "minimal.md", MINIMAL);
    assertThat(lesson.title()).isEqualTo("Lesson 9: minimal");
    assertThat(lesson.introduction()).isEqualTo("Why it matters.");
    assertThat(lesson.topology().devices()).hasSize(1);
    Step step = lesson.steps().get(0);
    assertThat(step.title()).isEqualTo("Step 1: ping");
    assertThat(step.text()).isEqualTo("Text.");
    assertThat(step.prediction()).contains("Will it answer?");
    assertThat(step.runs()).containsExactly(new Run("host", List.of("# a comment", "ping -c 1 198.18.9.2"), false));
    assertThat(step.checks()).extracting(Checkpoint::text).containsExactly("seen on tl-tun0: icmp", "exit 0");
    assertThat(step.explanation()).startsWith("It did.").contains("```sh", "echo this block is prose");
  }

  @Test
  void mistakesAreNamedWithTheirLine() {
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("exit 0", "exits 0")))
        .hasMessage("m.md:27: unknown checkpoint 'exits' (known: seen, never, order, same, carried, hidden, "
            + "bytes, nibble, route, flags, mtu, exit, output)");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("```run host", "```run")))
        .hasMessage("m.md:20: a run block names the namespace's role: ```run ROLE");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("```run host\n# a comment\nping -c 1 198.18.9.2",
        "```tunlib host\nroute add 198.18.7.0/24 dev tl-tun0\nroute add 198.18.8.0/24 gw 198.18.9.2")))
        .hasMessage("m.md:22: 'route add 198.18.8.0/24 gw 198.18.9.2': a tunlib line is 'route add|del "
            + "[blackhole|unreachable] PREFIX [via GATEWAY] [dev LINK] [metric N]', 'neigh add|del ADDRESS lladdr MAC "
            + "dev LINK', 'tunnel stop|start LINK' or 'open tun|tap LINK as UID [read SECONDS]'");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("```run host\n# a comment\nping -c 1 198.18.9.2",
        "```tunlib host\nroute add unreachable default metric 10\nroute add default via 198.18.9.2 metric ten")))
        .hasMessageStartingWith("m.md:22: 'route add default via 198.18.9.2 metric ten': a tunlib line is");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("```run host\n# a comment\nping -c 1 198.18.9.2",
        "```tunlib host\nopen tun tl-tun9 as 65534 read 3\nopen tun tl-tun9 as nobody")))
        .hasMessage("m.md:22: 'open tun tl-tun9 as nobody': open tun|tap LINK as UID [read SECONDS] (SECONDS 1 to 9)");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("```run host\n# a comment\nping -c 1 198.18.9.2",
        "```tunlib host\ntunnel stop tl-tun0")))
        .hasMessageContaining("stops or starts the tunnel tl-tun0 in host, which the topology does not declare");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("seen on tl-tun0: icmp", "seen tl-tun0: icmp")))
        .hasMessageContaining("m.md:26: 'tl-tun0' is not a packet source: 'on LINK', 'read from LINK' or 'decrypted on LINK'");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.substring(0, MINIMAL.indexOf("It did."))
        .replace("exit 0\n```", "exit 0\n")))
        .hasMessage("m.md:25: this block is never closed with ```");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", "# Lesson 9\n\n## Step\n"))
        .hasMessageContaining("no topology block");
  }

  @Test
  void checkpointsReadTheirSourcesOffsetsFiltersAndValues() {
    assertThat(Checkpoint.parse("same on tl-tun0 and on tl-tap0+14: icmp[icmptype] = icmp-echo"))
        .isEqualTo(new Checkpoint.Same("same on tl-tun0 and on tl-tap0+14: icmp[icmptype] = icmp-echo",
            PacketSource.parse("on tl-tun0"), new PacketSource(LinkRef.parse("tl-tap0"), false, 14),
            "icmp[icmptype] = icmp-echo"));
    assertThat(Checkpoint.parse("order on tl-tap0: arp then ip")).isEqualTo(
        new Checkpoint.Order("order on tl-tap0: arp then ip", PacketSource.parse("on tl-tap0"), "arp", "ip"));
    assertThat(Checkpoint.parse("nibble read from l4-pi/tl-tun0+4 is 6: ip6"))
        .isEqualTo(new Checkpoint.Nibble("nibble read from l4-pi/tl-tun0+4 is 6: ip6",
            new PacketSource(LinkRef.parse("l4-pi/tl-tun0"), true, 4), 6, "ip6"));
    assertThat(((Checkpoint.Bytes) Checkpoint.parse("bytes read from tl-tun0 are 00 00 86 dd: ip6")).expected())
        .containsExactly(0, 0, 0x86, 0xdd);
    assertThat(Checkpoint.parse("route in host to 198.18.0.2: unreachable"))
        .isEqualTo(new Checkpoint.RouteTo("route in host to 198.18.0.2: unreachable", "host", "198.18.0.2",
            java.util.Optional.empty()));
    assertThat(Checkpoint.parse("flags of tl-tun0: POINTOPOINT NOARP"))
        .isEqualTo(new Checkpoint.Flags("flags of tl-tun0: POINTOPOINT NOARP", LinkRef.parse("tl-tun0"),
            List.of("POINTOPOINT", "NOARP")));
    assertThat(Checkpoint.parse("output has Network is unreachable"))
        .isEqualTo(new Checkpoint.OutputHas("output has Network is unreachable", "Network is unreachable"));
    assertThatThrownBy(() -> Checkpoint.parse("order on tl-tap0: arp, ip"))
        .hasMessageContaining("order SOURCE: FILTER then FILTER");
    assertThatThrownBy(() -> Checkpoint.parse("seen on eth0: arp")).hasMessageContaining("'eth0' is not a link");
  }

  @Test
  void aStepMayNameOnlyTheTopologysNamespacesAndDevices() {
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("seen on tl-tun0", "seen on tl-tap0")))
        .hasMessage("m.md: step 'Step 1: ping' names the device tl-tap0, which the topology does not declare "
            + "(it has [tl-tun0])");
    assertThatThrownBy(() -> Lesson.parse(9, "m.md", MINIMAL.replace("```run host", "```run client")))
        .hasMessage("m.md: step 'Step 1: ping' names the namespace client, which the topology does not declare "
            + "(it has [host])");
  }

  @ParameterizedTest(name = "lesson {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
  void everyBuiltInLessonReadsWithAPredictionBeforeEveryStep(int number) throws Exception {
    Lesson lesson = LessonCatalog.builtIn().lesson(number);
    assertThat(lesson.title()).startsWith("Lesson " + number + ": ");
    assertThat(lesson.checkpoints()).isNotEmpty();
    assertThat(lesson.steps()).allSatisfy(step -> assertThat(step.prediction()).as(step.title()).isPresent());
  }
}
