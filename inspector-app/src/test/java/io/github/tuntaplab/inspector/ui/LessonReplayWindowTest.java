package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.lesson.CheckRow;
import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.inspector.ui.lesson.LessonModel;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonReplay;
import io.github.tuntaplab.lessons.lesson.LessonWords;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * Without a lab (and without privileges): the bar says how to start one, and lesson 3 replays on its
 * recorded run: the prediction is asked first, the packet checkpoints turn green on the recording,
 * the kernel's need the live lab, and the panes select the step's first packet. Each action has a
 * button of its own, which needs the live lab; a lesson read in Chinese replays on the same recording.
 */
class LessonReplayWindowTest extends LabWindowTest {

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  @Test
  void withoutALabTheBarSaysHowToStartOne() {
    Inspector.onFx(() -> window.features.connectOrElse(() -> { }));
    LiveSource live = window.features.live();
    LabWindow.await("the no-lab state", 10, () -> live.stateProperty().get() == LiveSource.State.NO_LAB);
    String line = Inspector.onFx(() -> window.features.bar().stateText());
    assertThat(line).contains("No lab is running");
    assertThat(Inspector.onFx(() -> live.startCommandProperty().get())).endsWith("lab up").startsWith("sudo ");
    assertThat(Inspector.onFx(() -> window.features.bar().lookup("#live-copy").isVisible())).isTrue();
    // Copy puts the command on the clipboard, ready to paste into a terminal.
    Inspector.onFx(() -> javafx.scene.input.Clipboard.getSystemClipboard().clear());
    Inspector.onFx(() -> ((javafx.scene.control.Button) window.features.bar().lookup("#live-copy")).fire());
    assertThat(Inspector.onFx(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString()))
        .isEqualTo(Inspector.onFx(() -> live.startCommandProperty().get()));
    // So does the lesson panel's, with the command that starts the open lesson's lab.
    LessonModel lessons = window.features.lessons();
    open(lessons, 2);
    Inspector.onFx(() -> ((javafx.scene.control.Button) window.node("#lesson-copy")).fire());
    assertThat(Inspector.onFx(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString()))
        .startsWith("sudo ").endsWith(" lab up --lesson 2");
  }

  @Test
  void lessonThreeReplaysOnItsRecording() throws Exception {
    LessonModel lessons = window.features.lessons();
    open(lessons, 3);
    inspector.awaitIdle(20);
    assertThat(Inspector.onFx(() -> inspector.model.sessionProperty().get().file().getFileName().toString()))
        .isEqualTo("lesson-3.pcapng");

    // Answer first, then run.
    assertThat(Inspector.onFx(() -> lessons.canRunBinding().get())).isFalse();
    Inspector.onFx(() -> lessons.answerProperty().set("The TAP has a MAC; the TUN says NOARP."));
    assertThat(Inspector.onFx(() -> lessons.canRunBinding().get())).isTrue();
    List<CheckRow> step1 = run(lessons);
    assertThat(step1).extracting(CheckRow::status).containsOnly(CheckRow.Status.NEEDS_LAB);

    Inspector.onFx(lessons::next);
    Inspector.onFx(() -> lessons.answerProperty().set("An ARP request to the broadcast address"));
    List<CheckRow> step2 = run(lessons);
    assertThat(step2).filteredOn(r -> !r.checkpoint().startsWith("exit")).extracting(CheckRow::status)
        .containsOnly(CheckRow.Status.PASS);
    assertThat(step2).filteredOn(r -> r.checkpoint().startsWith("exit")).extracting(CheckRow::status)
        .containsOnly(CheckRow.Status.NEEDS_LAB);
    // The step's first packet (where tshark finds its comment: LessonReplayTest) is selected in the TAP pane.
    int first = LessonReplay.read(LessonCatalog.builtIn().lesson(3), LabWindow.SAMPLES.resolve("lesson-3.pcapng"))
        .firstPacketOf(2);
    assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected().number())).isEqualTo(first);

    // Back keeps what step 1 showed.
    Inspector.onFx(lessons::back);
    assertThat(Inspector.onFx(() -> List.copyOf(lessons.checks()))).isEqualTo(step1);
    assertThat(Inspector.onFx(() -> lessons.answerProperty().get())).startsWith("The TAP has a MAC");
  }

  @Test
  void theLanguageChoiceShowsTheChineseLesson() throws Exception {
    LessonModel lessons = window.features.lessons();
    open(lessons, 3);
    Inspector.onFx(() -> lessons.languageProperty().set(LessonLanguage.CHINESE));
    String chinese = LessonCatalog.builtIn(Language.CHINESE).lesson(3).title();
    LabWindow.await("the Chinese title", 20, () -> lessons.titleProperty().get().equals(chinese));
    assertThat(Inspector.onFx(() -> lessons.messageProperty().get())).isEmpty();
    assertThat(Inspector.onFx(() -> lessons.stepProperty().get())).isEqualTo(1);
  }

  @Test
  void eachActionHasAButtonLabelledWithItsCommandWhichNeedsTheLiveLab() throws Exception {
    LessonModel lessons = window.features.lessons();
    open(lessons, 2);
    Inspector.onFx(lessons::next);
    // Step 2's action is a tunlib line, step 3's a shell command: each is a button with its command.
    javafx.scene.control.Button route = Inspector.onFx(() ->
        (javafx.scene.control.Button) window.node("#lesson-action-1"));
    assertThat(Inspector.onFx(route::getText)).isEqualTo("route add 198.18.0.0/24 dev tl-tun0");
    assertThat(Inspector.onFx(() -> lessons.actions())).extracting(a -> a.where(lessons.words()))
        .containsExactly("tunlib in l2-host");
    Inspector.onFx(lessons::next);
    javafx.scene.control.Button ping = Inspector.onFx(() ->
        (javafx.scene.control.Button) window.node("#lesson-action-1"));
    assertThat(Inspector.onFx(ping::getText)).isEqualTo("ping -c 1 -W 1 198.18.0.2");
    assertThat(Inspector.onFx(() -> ((javafx.scene.control.Label) window.node("#lesson-action-outcome-1"))
        .getText())).isEqualTo("○ not run yet");
    // Answered or not, an action alone needs the live lab; the whole step replays on the recording.
    assertThat(Inspector.onFx(ping::isDisabled)).isTrue();
    Inspector.onFx(() -> lessons.answerProperty().set("On the TUN; the responder answers."));
    assertThat(Inspector.onFx(ping::isDisabled)).isTrue();
    assertThat(Inspector.onFx(() -> window.node("#lesson-run").isDisabled())).isFalse();
  }

  @Test
  void aLessonReadInChineseReplaysOnTheRecordingMadeInEnglish() throws Exception {
    LessonModel lessons = window.features.lessons();
    Inspector.onFx(() -> lessons.languageProperty().set(LessonLanguage.CHINESE));
    open(lessons, 3);
    assertThat(Inspector.onFx(() -> lessons.titleProperty().get()))
        .isEqualTo(LessonCatalog.builtIn(Language.CHINESE).lesson(3).title())
        .isNotEqualTo(LessonCatalog.builtIn().lesson(3).title());
    Inspector.onFx(lessons::next);
    Inspector.onFx(() -> lessons.answerProperty().set("先是 ARP 广播请求"));
    List<CheckRow> step2 = run(lessons);
    assertThat(step2).filteredOn(r -> !r.checkpoint().startsWith("exit")).isNotEmpty().extracting(CheckRow::status)
        .containsOnly(CheckRow.Status.PASS);
    int first = LessonReplay.read(LessonCatalog.builtIn().lesson(3), LabWindow.SAMPLES.resolve("lesson-3.pcapng"))
        .firstPacketOf(2);
    assertThat(first).isNotNegative();
    assertThat(Inspector.onFx(() -> lessons.transcriptProperty().get())).contains("#" + (first + 1) + " ");
    assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.TAP).selected().number())).isEqualTo(first);
  }

  /**
   * The student opened another capture after the lesson (or the lab stopped, leaving its packets in
   * the panes): a replayed step's packet numbers are the recording's, so the panes show the recording
   * again and select the step's first packet there, not the packet of that number in the other file.
   */
  @Test
  void aReplayedStepShowsItsRecordingWhenThePanesShowSomethingElse() throws Exception {
    LessonModel lessons = window.features.lessons();
    open(lessons, 3);
    inspector.awaitIdle(20);
    inspector.open(LabWindow.SAMPLES.resolve("lesson-1.pcapng"));
    Inspector.onFx(lessons::next);
    Inspector.onFx(() -> lessons.answerProperty().set("An ARP request to the broadcast address"));
    run(lessons);
    int first = LessonReplay.read(LessonCatalog.builtIn().lesson(3), LabWindow.SAMPLES.resolve("lesson-3.pcapng"))
        .firstPacketOf(2);
    LabWindow.await("the recording shown, the step's first packet selected", 20, () -> {
      CaptureSession shown = inspector.model.sessionProperty().get();
      return shown != null && shown.file().getFileName().toString().equals("lesson-3.pcapng")
          && !inspector.model.loadingProperty().get() && inspector.model.pane(PaneKind.TAP).selected() != null
          && inspector.model.pane(PaneKind.TAP).selected().number() == first;
    });
  }

  /**
   * The student picks 中文 in the panel's language box: the lesson and the panel's own words (buttons,
   * the prediction, the mode, checkpoint states, action outcomes, the replay's transcript, the lesson
   * list, the checkpoints' verdicts) are Chinese; the checkpoints' own lines stay as the lesson writes
   * them. Back to English, every word is English again, the verdicts too.
   */
  @Test
  void thePanelSpeaksTheLanguageChosen() throws Exception {
    LessonModel lessons = window.features.lessons();
    open(lessons, 3);
    inspector.awaitIdle(20);
    assertThat(text("#lesson-run")).isEqualTo("▶ Run this step");
    @SuppressWarnings("unchecked")
    javafx.scene.control.ComboBox<LessonLanguage> choice = Inspector.onFx(() ->
        (javafx.scene.control.ComboBox<LessonLanguage>) window.node("#lesson-language"));
    Inspector.onFx(() -> choice.setValue(LessonLanguage.CHINESE));
    String chineseTitle = LessonCatalog.builtIn(Language.CHINESE).lesson(3).title();
    LabWindow.await("the Chinese lesson", 20, () -> lessons.titleProperty().get().equals(chineseTitle)
        && !lessons.busyProperty().get());

    assertThat(text("#lesson-run")).isEqualTo("▶ 运行这一步");
    assertThat(Inspector.onFx(() -> ((javafx.scene.control.TabPane) window.node(".side-panels")).getTabs().get(0)
        .getText())).isEqualTo("课程");
    assertThat(text("#lesson-back")).isEqualTo("◀ 上一步");
    assertThat(text("#lesson-next")).isEqualTo("下一步 ▶");
    assertThat(text("#lesson-copy")).isEqualTo("复制");
    assertThat(Inspector.onFx(() -> ((javafx.scene.control.TitledPane) window.node("#lesson-output")).getText()))
        .isEqualTo("这一步做了什么");
    assertThat(text("#lesson-prediction")).startsWith("预测：");
    assertThat(Inspector.onFx(() -> ((javafx.scene.control.TextArea) window.node("#lesson-answer")).getPromptText()))
        .isEqualTo("先写下你的答案：写好之后才能运行这一步");
    assertThat(text("#lesson-mode")).startsWith("回放录制的运行（没有实验环境）");
    @SuppressWarnings("unchecked")
    javafx.scene.control.ComboBox<LessonCatalog.Entry> chosen = Inspector.onFx(() ->
        (javafx.scene.control.ComboBox<LessonCatalog.Entry>) window.node("#lesson-choice"));
    assertThat(Inspector.onFx(() -> chosen.getValue())).isEqualTo(LessonCatalog.builtIn(Language.CHINESE).entry(3));

    // Step 1's checkpoints ask the kernel: they need the live lab, said in Chinese with the command.
    Inspector.onFx(() -> lessons.answerProperty().set("TAP 有 MAC 地址；TUN 是 NOARP"));
    run(lessons);
    assertThat(checkLines()).isNotEmpty().allMatch(l -> l.startsWith("– 需要运行中的实验环境  ")
        && l.contains("此检查点要查询内核状态或这一步命令的结果：请在运行中的实验环境里运行（sudo ") && l.contains("lab up --lesson 3）"));
    // Step 2 replays: its packet checkpoints pass, and its action waits for the live lab.
    Inspector.onFx(lessons::next);
    assertThat(text("#lesson-action-outcome-1")).isEqualTo("○ 尚未运行");
    assertThat(text("#lesson-action-where-1")).isEqualTo("在 l3-host 中");
    Inspector.onFx(() -> lessons.answerProperty().set("先是 ARP 广播请求"));
    run(lessons);
    assertThat(checkLines()).anyMatch(l -> l.startsWith("✔ 通过  "));
    // Each verdict in Chinese below its checkpoint, said again in English at the switch back.
    List<CheckRow> judged = Inspector.onFx(() -> List.copyOf(lessons.checks()));
    List<CheckRow> replayed = judged.stream().filter(r -> r.status() == CheckRow.Status.PASS).toList();
    assertThat(replayed).isNotEmpty().allSatisfy(r -> assertThat(r.message().in(Language.CHINESE))
        .matches(Language.CHINESE::writes).isNotEqualTo(r.message().in(Language.ENGLISH)));
    assertThat(checkLines()).containsAll(replayed.stream().map(r -> "✔ 通过  " + r.checkpoint() + "\n    "
        + r.message().in(Language.CHINESE)).toList());
    assertThat(Inspector.onFx(() -> lessons.transcriptProperty().get())).startsWith("录制的运行：这一步的数据包是 #");

    // And back: the same step, the panel's words English again, what ran kept.
    Inspector.onFx(() -> choice.setValue(LessonLanguage.ENGLISH));
    String englishTitle = LessonCatalog.builtIn().lesson(3).title();
    LabWindow.await("the English lesson", 20, () -> lessons.titleProperty().get().equals(englishTitle)
        && !lessons.busyProperty().get());
    assertThat(Inspector.onFx(() -> lessons.stepProperty().get())).isEqualTo(2);
    assertThat(text("#lesson-run")).isEqualTo("▶ Run this step");
    assertThat(text("#lesson-prediction")).startsWith("Predict: ");
    assertThat(text("#lesson-action-where-1")).isEqualTo("in l3-host");
    assertThat(checkLines()).anyMatch(l -> l.startsWith("✔ PASS  ")).containsAll(replayed.stream()
        .map(r -> "✔ PASS  " + r.checkpoint() + "\n    " + r.message().in(Language.ENGLISH)).toList());
    assertThat(Inspector.onFx(() -> lessons.transcriptProperty().get()))
        .startsWith("The recorded run: this step's packets are #");
  }

  /** The text of the labelled node (a label or a button) {@code selector} finds. */
  private String text(String selector) {
    return Inspector.onFx(() -> ((javafx.scene.control.Labeled) window.node(selector)).getText());
  }

  /** The checkpoint list's lines as its cells show them. */
  private List<String> checkLines() {
    return Inspector.onFx(() -> {
      javafx.scene.Node list = window.node("#lesson-checks");
      return list.lookupAll(".list-cell").stream().map(n -> ((javafx.scene.control.ListCell<?>) n).getText())
          .filter(t -> t != null && !t.isEmpty()).toList();
    });
  }

  @Test
  void aLessonWithTunnelsReplaysOnItsRecordingToo() throws Exception {
    LessonModel lessons = window.features.lessons();
    open(lessons, 5);
    inspector.awaitIdle(20);
    assertThat(Inspector.onFx(() -> lessons.messageProperty().get())).isEmpty();
    assertThat(Inspector.onFx(() -> lessons.modeProperty().get())).startsWith("Replay of the recorded run");
    assertThat(Inspector.onFx(() -> inspector.model.sessionProperty().get().file().getFileName().toString()))
        .isEqualTo("lesson-5.pcapng");
  }

  /** Opens lesson {@code number} and waits for its first step. */
  /**
   * A lab of an earlier version takes no language in a lesson request and refuses it with its usage
   * line: the Chinese panel asks once more without, shows that lab's English verdict, and says in one
   * Chinese line why it is English and how to start a lab of this version.
   */
  @Test
  void aLabOfAnEarlierVersionIsAskedAgainWithoutTheLanguage() throws Exception {
    Duration wait = Duration.ofSeconds(20);
    try (ServerSocketChannel lab = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      lab.bind(UnixDomainSocketAddress.of(window.settings.socket()));
      Inspector.onFx(() -> window.features.connectOrElse(() -> { }));
      try (SocketChannel capture = StandInLab.accept(lab, wait)) {
        StandInLab.capture(capture, wait, LinkType.ETHERNET, "tl-tap0", "tap in namespace tl-l3-host");
        LiveSource live = window.features.live();
        LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
        List<String> asked = new CopyOnWriteArrayList<>();
        StandInLab.serve(lab, request -> {
          asked.add(request);
          if (!request.startsWith("lesson\t")) {
            return "error the stand-in serves lesson steps only\n";
          }
          return request.split("\t").length != 3 ? "error usage: lesson<TAB>NUMBER<TAB>STEP\n"
              : "ok\noutput\tCheckpoints:\ncheck\tPASS\texit 0\t'ip' exited with 0\t1\n";
        });
        LessonModel lessons = window.features.lessons();
        Inspector.onFx(() -> lessons.languageProperty().set(LessonLanguage.CHINESE));
        open(lessons, 3);
        Inspector.onFx(() -> lessons.answerProperty().set("TAP 有 MAC 地址"));
        List<CheckRow> rows = run(lessons);
        assertThat(asked).filteredOn(request -> request.startsWith("lesson\t"))
            .containsExactly("lesson\t3\t1\tzh", "lesson\t3\t1");
        assertThat(rows).extracting(CheckRow::checkpoint).containsExactly("exit 0");
        assertThat(rows.get(0).message().in(Language.CHINESE)).isEqualTo("'ip' exited with 0");
        String command = Inspector.onFx(() -> lessons.labCommandProperty().get());
        assertThat(command).endsWith(" lab up --lesson 3");
        assertThat(Inspector.onFx(() -> lessons.messageProperty().get()))
            .isEqualTo(LessonWords.of(Language.CHINESE).format("panel.lab.earlier", command));
      }
    }
  }

  static void open(LessonModel lessons, int number) {
    Inspector.onFx(() -> lessons.open(number));
    LabWindow.await("lesson " + number + " open", 20, () -> lessons.stepProperty().get() == 1);
  }

  static List<CheckRow> run(LessonModel lessons) {
    int step = Inspector.onFx(() -> lessons.stepProperty().get());
    Inspector.onFx(lessons::run);
    LabWindow.await("step " + step + " judged", 60, () -> !lessons.busyProperty().get() && lessons.ranProperty().get());
    return Inspector.onFx(() -> List.copyOf(lessons.checks()));
  }
}
