package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every CORE capture of tcpdump's own test corpus, printed by us and by the real tcpdump 4.99.3 with
 * the same flags, compared line by line. Prints the match rate per flag set and how many packets we
 * printed only partially.
 */
class TcpdumpCorpusConformanceTest {
  private static List<Path> core;

  /**
   * Known differences, per flag set, that this version does not reproduce yet: file names with the
   * reason. Each is reported by the test; the lead knows of every one.
   */
  private static final Map<String, Set<String>> KNOWN_GAPS = Map.of();

  @BeforeAll
  static void corpus() throws IOException {
    Prerequisites.requireTool("tcpdump");
    core = TcpdumpOracle.coreCaptures();
  }

  @ParameterizedTest(name = "tcpdump -nn {0}")
  @ValueSource(strings = {"", "-e", "-v", "-XX", "-e -v -XX", "-x", "-X", "-xx", "-t", "-tt", "-q"})
  void everyCoreFileMatchesTcpdump(String flagSet) throws IOException {
    String[] flags = flagSet.isEmpty() ? new String[0] : flagSet.split(" ");
    int lines = 0;
    int matching = 0;
    int partial = 0;
    List<String> failures = new ArrayList<>();
    Set<String> gaps = KNOWN_GAPS.getOrDefault(flagSet, Set.of());
    for (Path file : core) {
      List<String> expected = TcpdumpOracle.tcpdump(file, flags);
      TcpdumpOracle.Printed ours = TcpdumpOracle.ours(file, flags);
      partial += ours.partial();
      lines += expected.size();
      int same = 0;
      String firstDifference = null;
      for (int i = 0; i < Math.max(expected.size(), ours.lines().size()); i++) {
        String want = i < expected.size() ? expected.get(i) : "<none>";
        String got = i < ours.lines().size() ? ours.lines().get(i) : "<none>";
        if (want.equals(got)) {
          same++;
        } else if (firstDifference == null) {
          firstDifference = "line " + (i + 1) + "\n  tcpdump: " + want + "\n  tunlab:  " + got;
        }
      }
      matching += Math.min(same, expected.size());
      if (firstDifference != null && !gaps.contains(file.getFileName().toString())) {
        failures.add(file.getFileName() + " " + firstDifference);
      }
    }
    System.out.printf("tcpdump -nn %-10s CORE: %d/%d lines match (%.1f %%), %d packets printed partially%n",
        flagSet, matching, lines, 100.0 * matching / Math.max(1, lines), partial);
    assertThat(failures).as("files whose text differs from tcpdump's").isEmpty();
  }
}
