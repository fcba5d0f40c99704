package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every single-link-type capture of {@code sample-captures/} (the lessons' recorded runs, see its
 * README: every single-interface {@code lesson-N-LINK.pcap}, and a lesson's pcapng when tcpdump reads
 * it), printed by us and by {@code TZ=UTC tcpdump -nn}, line for line.
 */
class SampleCapturesConformanceTest {
  @ParameterizedTest(name = "tcpdump -nn {0}")
  @ValueSource(strings = {"", "-e", "-v", "-XX", "-e -v -XX"})
  void everySingleLinkSampleMatchesTcpdump(String flagSet) throws IOException {
    Prerequisites.requireTool("tcpdump");
    String[] flags = flagSet.isEmpty() ? new String[0] : flagSet.split(" ");
    List<String> failures = new ArrayList<>();
    int files = 0;
    int lines = 0;
    List<Path> skipped = new ArrayList<>();
    for (Path file : TcpdumpOracle.sampleCaptures()) {
      if (TcpdumpOracle.linkTypes(file).size() != 1 || TcpdumpOracle.refusesSeveralInterfaces(file)) {
        skipped.add(file);
        continue;
      }
      files++;
      List<String> expected = TcpdumpOracle.tcpdump(file, flags);
      List<String> ours = TcpdumpOracle.ours(file, flags).lines();
      assertThat(expected).as(file + " is printed by tcpdump").isNotEmpty();
      lines += expected.size();
      for (int i = 0; i < Math.max(expected.size(), ours.size()) && failures.size() < 10; i++) {
        String want = i < expected.size() ? expected.get(i) : "<none>";
        String got = i < ours.size() ? ours.get(i) : "<none>";
        if (!want.equals(got)) {
          failures.add(file.getFileName() + " line " + (i + 1) + "\n  tcpdump: " + want + "\n  tunlab:  " + got);
        }
      }
    }
    System.out.printf("sample-captures, tcpdump -nn %-10s %d files, %d lines%n", flagSet, files, lines);
    assertThat(files).as("single-link-type captures in sample-captures/").isGreaterThanOrEqualTo(2);
    assertThat(skipped).as("single-interface captures (.pcap) tcpdump could not be compared on")
        .noneMatch(file -> file.toString().endsWith(".pcap"));
    assertThat(failures).isEmpty();
  }
}
