package io.github.tuntaplab.lessons.lesson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A lesson step's report survives the lab socket's one-line-per-item body, tabs, newlines and backslashes included. */
class StepReportTest {
  @Test
  void aReportReadsBackAsItWasWritten() {
    StepReport report = new StepReport(List.of("[tl-l3-host]$ ping -c 1 198.19.0.2", "\tindented \\ line", ""),
        List.of(new CheckResult(2, Checkpoint.parse("seen on tl-tap0: arp[6:2] = 1 and ether broadcast"),
            new Verdict(true, Message.verbatim("1 matching, the first: 02:54 > ff:ff, ARP"))),
            new CheckResult(2, Checkpoint.parse("exit 0"),
                new Verdict(false, Message.verbatim("expected exit code 0;\n      saw\t1 \\n\r\nPING 198.19.0.2\r")))));
    StepReport read = StepReport.parse(report.body(true));
    assertThat(read.transcript()).isEqualTo(report.transcript());
    assertThat(read.checks()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      CheckResult before = report.checks().get(i);
      CheckResult after = read.checks().get(i);
      assertThat(after.step()).isEqualTo(before.step());
      assertThat(after.checkpoint()).isEqualTo(before.checkpoint());
      assertThat(after.verdict()).isEqualTo(before.verdict());
    }
    // A carriage return (a program's CRLF output in a verdict) is escaped too: a reader splits lines at it.
    assertThat(report.body(true).lines()).hasSize(5).allMatch(line -> line.startsWith("output\t") || line.startsWith("check\t"));
  }

  /**
   * A verdict judged on the lab carries its Chinese words beside the English ones for a client that
   * named a language, and reads back with both; for one that named none (an earlier client, which
   * refuses a check line of more than five fields) the line has the five fields only. A line of a lab
   * that sends English only still reads, English in every language.
   */
  @Test
  void aVerdictsWordsInEveryLanguageReadBack() throws Exception {
    Verdict judged = Checkpoint.parse("exit 0").check(new Evidence(List.of(), List.of()));
    StepReport report = new StepReport(List.of(), List.of(new CheckResult(3, Checkpoint.parse("exit 0"), judged)));
    String line = report.body(true).strip();
    assertThat(line.split("\t", -1)).hasSize(6).startsWith("check", "FAIL", "exit 0", judged.message(), "3");
    assertThat(line).endsWith("\tzh:" + StepReport.escape(judged.said().in(Language.CHINESE)));
    assertThat(report.body(false).strip().split("\t", -1))
        .containsExactly("check", "FAIL", "exit 0", StepReport.escape(judged.message()), "3");
    Verdict read = StepReport.parse(report.body(true)).checks().get(0).verdict();
    assertThat(read).isEqualTo(judged);
    assertThat(read.said().in(Language.CHINESE)).isNotEqualTo(read.message()).matches(Language.CHINESE::writes);

    Verdict older = StepReport.parse("check\tPASS\texit 0\t'ping' exited with 0\t2\n").checks().get(0).verdict();
    assertThat(older.said().in(Language.CHINESE)).isEqualTo(older.message()).isEqualTo("'ping' exited with 0");
    // A later lab's language this version does not know is passed over, the ones it knows read.
    Verdict later = StepReport.parse("check\tPASS\texit 0\tit exited\t2\tfr:il est sorti\tzh:它退出了\n").checks()
        .get(0).verdict();
    assertThat(later.said().texts()).containsOnly(entry(Language.ENGLISH, "it exited"), entry(Language.CHINESE, "它退出了"));
    // A field after STEP without a colon (whatever a later lab may add) is passed over, not refused.
    Verdict extra = StepReport.parse("check\tPASS\texit 0\tit exited\t2\tsomething new\tzh:它退出了\n").checks()
        .get(0).verdict();
    assertThat(extra.said().texts()).containsOnly(entry(Language.ENGLISH, "it exited"), entry(Language.CHINESE, "它退出了"));
  }

  @Test
  void anActionsReportStartsAsTheRunRequestsAnswerAndReadsBack() {
    StepReport judged = new StepReport(List.of("= ip -n tl-l2-host route add 198.18.0.0/24 dev tl-tun0"),
        List.of(new CheckResult(2, Checkpoint.parse("exit 0"), new Verdict(true, Message.verbatim("exit code 0")))));
    for (ActionReport report : List.of(new ActionReport(0, false, judged), new ActionReport(2, false, judged),
        new ActionReport(-1, true, judged))) {
      String body = report.body(true);
      assertThat(report.body(false)).isEqualTo(body.substring(0, body.indexOf('\n') + 1) + judged.body(false));
      assertThat(body.lines().findFirst().orElseThrow()).isEqualTo(report.timedOut() ? "timeout"
          : "exit " + report.exitCode());
      ActionReport read = ActionReport.parse(body);
      assertThat(read.exitCode()).isEqualTo(report.exitCode());
      assertThat(read.timedOut()).isEqualTo(report.timedOut());
      assertThat(read.succeeded()).isEqualTo(report.exitCode() == 0 && !report.timedOut());
      assertThat(read.report().transcript()).isEqualTo(judged.transcript());
      assertThat(read.report().checks()).extracting(c -> c.checkpoint().text()).containsExactly("exit 0");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ActionReport.parse("output\tno status line\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
