package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.lesson.ActionRow;
import io.github.tuntaplab.inspector.ui.lesson.CheckRow;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.inspector.ui.lesson.LessonModel;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonRequest;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.util.List;
import java.util.OptionalInt;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * Lesson 2 on its own lab, one action at a time from the lesson panel's buttons: each button is
 * disabled until the prediction is answered, sends its action alone to the lab, shows the action's
 * exit status and output beside it, and the checkpoints are judged again after it.
 */
@LiveTest
class LessonActionsLiveTest extends LabWindowTest {

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  void eachActionRunsAloneFromItsButtonAndTheCheckpointsFollow() throws Exception {
    LiveSource live = window.features.live();
    LessonModel lessons = window.features.lessons();
    try (LabHost lab = lessonTwoLab(live)) {
      Inspector.onFx(() -> lessons.open(2));
      LabWindow.await("lesson 2 open", 20, () -> lessons.stepProperty().get() == 1);

      // Step 1: no route into the TUN, so the ping fails (exit 1), as the checkpoints expect.
      Button ping = button(1);
      assertThat(Inspector.onFx(ping::getText)).isEqualTo("ping -c 1 -W 0.5 198.18.0.2");
      assertThat(Inspector.onFx(ping::isDisabled)).as("disabled until the prediction is answered").isTrue();
      Inspector.onFx(() -> lessons.answerProperty().set("Out of tl-eth0, the default route"));
      assertThat(Inspector.onFx(ping::isDisabled)).isFalse();
      assertThat(Inspector.onFx(() -> List.copyOf(lessons.checks()))).extracting(CheckRow::status)
          .containsOnly(CheckRow.Status.NOT_RUN);
      ActionRow failed = click(lessons, 1);
      assertThat(failed.state()).isEqualTo(ActionRow.State.ENDED);
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.output()).contains("1 packets transmitted, 0 received");
      assertThat(Inspector.onFx(() -> ((Label) window.node("#lesson-action-outcome-1")).getText())).isEqualTo("✘ exit 1");
      assertThat(Inspector.onFx(() -> List.copyOf(lessons.checks()))).hasSize(4).extracting(CheckRow::status)
          .containsOnly(CheckRow.Status.PASS);

      // Step 2: the tunlib line adds the route; its ip twin is its output.
      Inspector.onFx(lessons::next);
      Inspector.onFx(() -> lessons.answerProperty().set("tl-tun0 for 198.18.0.2, tl-eth0 for 203.0.113.8"));
      ActionRow route = click(lessons, 1);
      assertThat(route.exitCode()).isZero();
      assertThat(route.output()).isEqualTo("= ip -n " + window.settings.namespace("l2-host")
          + " route add 198.18.0.0/24 dev tl-tun0");
      assertThat(Cmd.ok("ip", "-n", window.settings.namespace("l2-host"), "route", "show", "198.18.0.0/24"))
          .contains("dev tl-tun0");
      assertThat(Inspector.onFx(() -> List.copyOf(lessons.checks()))).hasSize(2).extracting(CheckRow::status)
          .containsOnly(CheckRow.Status.PASS);
      assertThat(Inspector.onFx(() -> lessons.ranProperty().get())).as("the explanation shows").isTrue();

      // Step 3: now the ping goes through the TUN and is answered.
      Inspector.onFx(lessons::next);
      Inspector.onFx(() -> lessons.answerProperty().set("On the TUN; the responder answers"));
      ActionRow answered = click(lessons, 1);
      assertThat(answered.exitCode()).isZero();
      assertThat(answered.output()).contains("1 packets transmitted, 1 received");
      assertThat(Inspector.onFx(() -> ((Label) window.node("#lesson-action-outcome-1")).getText())).isEqualTo("✔ exit 0");
      assertThat(Inspector.onFx(() -> List.copyOf(lessons.checks()))).hasSize(3).extracting(CheckRow::status)
          .containsOnly(CheckRow.Status.PASS);

      // The Dir column on the live TUN pane: the request was read by the program behind the TUN (out of
      // the kernel), the reply written by it (into the kernel), as the lab's stream records them.
      LabWindow.await("the echo in the TUN pane", 10, () -> directions().containsKey("ICMP echo reply"));
      assertThat(Inspector.onFx(this::directions)).containsEntry("ICMP echo request", "out")
          .containsEntry("ICMP echo reply", "in");
      Inspector.onFx(live::disconnect);
    }
  }

  @Test
  void buildItHereHostsTheLessonsLabInTheWindowAndItsStepsRunThere() throws Exception {
    LiveSource live = window.features.live();
    LessonModel lessons = window.features.lessons();
    Inspector.onFx(() -> lessons.open(3));
    LabWindow.await("lesson 3 open", 20, () -> lessons.stepProperty().get() == 1);
    Button host = Inspector.onFx(() -> (Button) window.node("#lesson-host-lab"));
    assertThat(host).as("offered: the window runs as root").isNotNull();
    Inspector.onFx(host::fire);
    LabWindow.await("connected to the lab built in the window", 60,
        () -> live.stateProperty().get() == LiveSource.State.LIVE);
    assertThat(Cmd.ok("ip", "netns", "list")).contains(window.settings.namespace("l3-host"));
    Inspector.onFx(() -> lessons.answerProperty().set("The TAP has a MAC; the TUN says NOARP"));
    List<CheckRow> rows = LessonReplayWindowTest.run(lessons);
    assertThat(rows).isNotEmpty().extracting(CheckRow::status).containsOnly(CheckRow.Status.PASS);
    assertThat(Inspector.onFx(() -> lessons.modeProperty().get())).startsWith("Live lab");
    // The window takes its lab down when it closes (here: the test's end, window.close()).
  }

  /**
   * In Chinese, on lesson 2's own lab, the student skips step 2 (the route into the TUN) and pings
   * from step 3: the ping fails, its outcome says so in Chinese, and the checkpoints turn red
   * (✘ 失败) with what they expected and saw (in English: built from packets).
   */
  @Test
  void aSkippedStepTurnsTheCheckpointsRedAndThePanelSaysSoInChinese() throws Exception {
    LiveSource live = window.features.live();
    LessonModel lessons = window.features.lessons();
    try (LabHost lab = lessonTwoLab(live)) {
      Inspector.onFx(() -> lessons.languageProperty().set(LessonLanguage.CHINESE));
      Inspector.onFx(() -> lessons.open(2));
      LabWindow.await("lesson 2 open in Chinese", 20, () -> lessons.stepProperty().get() == 1
          && lessons.titleProperty().get().startsWith("第 2 课"));
      assertThat(Inspector.onFx(() -> ((Label) window.node("#lesson-mode")).getText()))
          .isEqualTo("运行中的实验环境：步骤在实验环境中运行（套接字 " + window.settings.socket() + "）");
      Inspector.onFx(lessons::next);
      Inspector.onFx(lessons::next);
      Inspector.onFx(() -> lessons.answerProperty().set("在 TUN 上；responder 会回答"));
      ActionRow ping = click(lessons, 1);
      assertThat(ping.exitCode()).isEqualTo(1);
      assertThat(Inspector.onFx(() -> ((Label) window.node("#lesson-action-outcome-1")).getText()))
          .isEqualTo("✘ 退出码 1");
      List<CheckRow> checks = Inspector.onFx(() -> List.copyOf(lessons.checks()));
      assertThat(checks).hasSize(3).extracting(CheckRow::status).containsOnly(CheckRow.Status.FAIL);
      String why = checks.get(0).message().in(Language.CHINESE);
      assertThat(why).matches(Language.CHINESE::writes).isNotEqualTo(checks.get(0).message().in(Language.ENGLISH));
      // Each cell: red (its "fail" pseudo-class), the Chinese word beside the symbol, the message below.
      List<javafx.scene.control.ListCell<?>> cells = Inspector.onFx(() -> window.node("#lesson-checks")
          .lookupAll(".list-cell").stream().<javafx.scene.control.ListCell<?>>map(n -> (javafx.scene.control.ListCell<?>) n)
          .filter(c -> c.getText() != null).toList());
      assertThat(cells).hasSize(3).allSatisfy(cell -> {
        assertThat(cell.getText()).startsWith("✘ 失败  ");
        assertThat(cell.getPseudoClassStates()).extracting(Object::toString).contains("fail");
      });
      assertThat(Inspector.onFx(() -> cells.get(0).getText())).contains(checks.get(0).checkpoint(), why);
      Inspector.onFx(live::disconnect);
    }
  }

  /** Lesson 2's own lab, the window's live source connected to it. */
  private LabHost lessonTwoLab(LiveSource live) throws Exception {
    LabHost lab = LabHost.start(LessonCatalog.builtIn().lesson(2).topology(), window.settings,
        OptionalInt.empty(), OptionalInt.empty(), () -> { }, LessonRequest.extensions());
    try {
      Inspector.onFx(() -> live.connect(window.settings.socket()));
      LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
      return lab;
    } catch (Exception | Error e) {
      try {
        lab.close(); // its namespaces must not outlive a failed test
      } catch (java.io.IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** The TUN pane's ICMP rows: their kind ("ICMP echo request") and what the Dir column says. */
  private java.util.Map<String, String> directions() {
    PacketPaneModel pane = inspector.model.pane(PaneKind.TUN);
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    for (int row = 0; row < pane.rows().size(); row++) {
      PacketSummary summary = pane.summary(row);
      java.util.regex.Matcher kind = java.util.regex.Pattern.compile("ICMP echo (request|reply)").matcher(summary.line());
      if (kind.find()) {
        seen.put(kind.group(), summary.direction());
      }
    }
    return seen;
  }

  private Button button(int index) {
    return Inspector.onFx(() -> (Button) window.node("#lesson-action-" + index));
  }

  /** Clicks action {@code index}'s button and waits for its outcome. */
  private ActionRow click(LessonModel lessons, int index) {
    Button button = button(index);
    Inspector.onFx(button::fire);
    LabWindow.await("action " + index + " ended", 60, () -> !lessons.busyProperty().get()
        && lessons.actions().get(index - 1).state() == ActionRow.State.ENDED);
    return Inspector.onFx(() -> lessons.actions().get(index - 1));
  }

}
