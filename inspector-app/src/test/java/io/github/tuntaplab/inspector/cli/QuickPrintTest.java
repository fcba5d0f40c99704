package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quick path reads what picocli reads, and prints the same bytes, exit code and messages; what
 * it does not take on (help, --decode-as, a repeated -e, -x with -X, @files) it leaves to picocli.
 */
class QuickPrintTest {
  private final String tap = Prerequisites.repositoryRoot().resolve("sample-captures/lesson-1-tl-tap0.pcap").toString();
  /** The veth under lesson 5's tunnels (the router's LAN side). */
  private final String tunnel = Prerequisites.repositoryRoot().resolve("sample-captures/lesson-5-tl-lan.pcap")
      .toString();

  @Test
  void usualCommandLinesPrintWhatPicocliPrints() {
    List<List<String>> lines = List.of(
        List.of("print", tap), List.of("print", "-e", tap), List.of("print", "-eXX", tap),
        List.of("print", "-e", "-v", "-XX", tunnel), List.of("print", "-vv", "-tt", tunnel),
        List.of("print", "-c", "3", "-q", "-x", tunnel), List.of("print", "-t", "-xx", tap, "arp"),
        List.of("print", "-e", tunnel, "udp", "port", "5555"), List.of("print", "-X", tunnel, "icmp or arp"),
        List.of("print", tap, "no such ((expression"), List.of("print", "-e", tap + ".missing"));
    for (List<String> line : lines) {
      String[] args = line.toArray(String[]::new);
      List<String> quick = new ArrayList<>();
      Integer exit = run(args, quick);
      assertThat(exit).as("%s takes the quick path", line).isNotNull();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int picocliExit = TunlabCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
          .execute(args);
      assertThat(quick).as("%s", line).containsExactly(out.toString(), err.toString());
      assertThat(exit).as("%s", line).isEqualTo(picocliExit);
    }
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    for (List<String> line : List.of(List.of("print"), List.of("print", "--help"), List.of("print", "-h", tap),
        List.of("print", "--decode-as", "udp.port=5555:ip", tunnel), List.of("print", "-e", "-e", tap),
        List.of("print", "-x", "-X", tap), List.of("print", "@args"), List.of("print", tap, "-e"),
        List.of("print", "-c", "-1", tap), List.of("print", "-n", tap), List.of("print", "-", tap))) {
      assertThat(run(line.toArray(String[]::new), new ArrayList<>())).as("%s", line).isNull();
    }
  }

  private static Integer run(String[] args, List<String> printed) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    Integer exit = QuickPrint.run(args, outWriter, errWriter);
    outWriter.flush();
    errWriter.flush();
    printed.add(out.toString());
    printed.add(err.toString());
    return exit;
  }
}
