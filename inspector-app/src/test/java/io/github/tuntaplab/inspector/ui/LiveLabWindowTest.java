package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.cli.TunlabCommand;
import io.github.tuntaplab.inspector.ui.lesson.CheckRow;
import io.github.tuntaplab.inspector.ui.lesson.LessonModel;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lab.LinkCounters;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonRequest;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * The window on a real lab (as root; each test's lab is its own and comes down even when the test
 * fails): frames arrive live in the panes by device, the links' counters come from the lab, the
 * drop counter is what the window did not show, lesson 3 steps on its own lab with its checkpoints
 * turning green, and a lab that stops (asked, or killed) shows as stopped.
 */
@LiveTest
class LiveLabWindowTest extends LabWindowTest {

  @Start
  void start(Stage stage) {
    showWithLab(stage);
  }

  private LabHost host(Topology topology) throws Exception {
    return LabHost.start(topology, window.settings, OptionalInt.empty(), OptionalInt.empty(), () -> { },
        LessonRequest.extensions());
  }

  private void connect(LiveSource live) {
    Inspector.onFx(() -> live.connect(window.settings.socket()));
    LabWindow.await("connected", 20, () -> live.stateProperty().get() == LiveSource.State.LIVE);
  }

  @Test
  void aPingThroughTheLabShowsArpAndIcmpOnTheTapAndOnlyIcmpOnTheTun() throws Exception {
    LiveSource live = window.features.live();
    try (LabHost lab = host(Topology.load("default"))) {
      connect(live);
      LabClient client = new LabClient(window.settings);
      for (String responder : List.of("198.19.0.2", "198.18.0.2")) {
        ActionResult ping = client.run("client", Duration.ofSeconds(5), List.of("ping", "-c1", "-W2", responder));
        assertThat(ping.exitCode()).as(ping.output()).isZero();
      }
      LabWindow.await("ARP and the echo on the TAP, the echo on the TUN", 20, () ->
          lines(PaneKind.TAP).stream().anyMatch(l -> l.contains("ethertype ARP (0x0806), length 42: Request who-has 198.19.0.2 tell 198.19.0.1"))
          && lines(PaneKind.TAP).stream().anyMatch(l -> l.contains("198.19.0.1 > 198.19.0.2: ICMP echo request"))
          && lines(PaneKind.TUN).stream().anyMatch(l -> l.contains("198.18.0.1 > 198.18.0.2: ICMP echo request")));
      // A TUN has no link layer: no ARP, only the echo exchange (and IPv6's ICMP6 chatter of a fresh device).
      assertThat(inspector.lines(PaneKind.TUN)).isNotEmpty().allMatch(l -> l.contains("ICMP"))
          .noneMatch(l -> l.contains("ARP"));

      // The links' counters come from the lab and agree with the kernel's (read just after, so never fewer).
      LabWindow.await("the TUN's counters", 10, () -> live.counters().stream()
          .anyMatch(c -> c.role().equals("client") && c.link().equals("tl-tun0") && c.txPackets() >= 1));
      LinkCounters tun = Inspector.onFx(() -> live.counters().stream()
          .filter(c -> c.role().equals("client") && c.link().equals("tl-tun0")).findFirst().orElseThrow());
      String kernel = Cmd.ok("ip", "-n", window.settings.namespace("client"), "-s", "-j", "link", "show", "tl-tun0");
      long kernelTx = Long.parseLong(kernel.replaceAll("(?s).*\"tx\":\\{\"bytes\":\\d+,\"packets\":(\\d+).*", "$1"));
      assertThat(tun.txPackets()).isBetween(1L, kernelTx);
    }
    // The lab is down: the window says so, and keeps what it showed.
    LabWindow.await("the stopped state", 10, () -> live.stateProperty().get() == LiveSource.State.STOPPED);
    assertThat(Inspector.onFx(() -> window.features.bar().stateText())).contains("LAB STOPPED", "Lab stopped at");
    assertThat(inspector.lines(PaneKind.TAP)).isNotEmpty();
  }

  private List<String> lines(PaneKind kind) {
    PacketPaneModel pane = inspector.model.pane(kind);
    return java.util.stream.IntStream.range(0, pane.rows().size()).mapToObj(pane::line).toList();
  }

  @Test
  void theDropCounterIsWhatTheWindowDidNotShow() throws Exception {
    ExecutorService requests = Executors.newSingleThreadExecutor();
    LiveSource live = Inspector.onFx(() -> new LiveSource(inspector.model, requests, 500));
    try (LabHost lab = host(Topology.load("default"))) {
      connect(live);
      // The FX thread is busy while a flood of pings crosses the TUN: the window falls 500 packets behind and
      // reads no further, the lab's hand-over to it (8,192 packets) fills, and the lab drops and counts the rest.
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch flooded = new CountDownLatch(1);
      Platform.runLater(() -> {
        busy.countDown();
        try {
          flooded.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      busy.await();
      ActionResult flood;
      try {
        flood = new LabClient(window.settings).run("client", Duration.ofSeconds(25),
            List.of("ping", "-f", "-c", "20000", "198.18.0.2"));
      } finally {
        flooded.countDown();
      }
      assertThat(flood.exitCode()).as(flood.output()).isZero();
      long[] last = {-1};
      LabWindow.await("the stream to settle", 40, () -> {
        long now = live.offeredProperty().get();
        boolean settled = now == last[0] && now >= 600 && !live.catchingUpProperty().get();
        last[0] = now;
        Thread.sleep(200);
        return settled;
      });
      // One look from the FX thread, so that no packet of the lab's IPv6 chatter comes between the figures.
      long[] figures = Inspector.onFx(() -> new long[] {live.offeredProperty().get(), live.shownProperty().get(),
          live.droppedProperty().get(), inspector.model.pane(PaneKind.TAP).rows().size()
          + inspector.model.pane(PaneKind.TUN).rows().size() + inspector.model.pane(PaneKind.UNDERLAY).rows().size()});
      long offered = figures[0];
      long shown = figures[1];
      long dropped = figures[2];
      long rows = figures[3];
      assertThat(dropped).isPositive();
      assertThat(shown).isEqualTo(rows);
      assertThat(dropped).isEqualTo(offered - shown);
      Inspector.onFx(live::disconnect);
    } finally {
      requests.shutdownNow();
    }
  }

  @Test
  void lessonThreeStepsOnItsOwnLabAndItsCheckpointsTurnGreen() throws Exception {
    LiveSource live = window.features.live();
    LessonModel lessons = window.features.lessons();
    try (LabHost lab = host(LessonCatalog.builtIn().lesson(3).topology())) {
      connect(live);
      Inspector.onFx(() -> lessons.open(3));
      LabWindow.await("lesson 3 open", 20, () -> lessons.stepProperty().get() == 1);
      for (int step = 1; step <= 3; step++) {
        Inspector.onFx(() -> lessons.answerProperty().set("my prediction"));
        List<CheckRow> rows = LessonReplayWindowTest.run(lessons);
        assertThat(rows).as("step %d: %s", step, rows).isNotEmpty().extracting(CheckRow::status)
            .containsOnly(CheckRow.Status.PASS);
        Inspector.onFx(lessons::next);
      }
      // The step's packets streamed into the panes meanwhile: the TAP's ARP, the TUN's echo.
      assertThat(inspector.lines(PaneKind.TAP)).anyMatch(l -> l.contains("ethertype ARP (0x0806), length 42: Request who-has 198.19.0.2"));
      assertThat(inspector.lines(PaneKind.TUN)).anyMatch(l -> l.contains("ICMP echo request"));
    }
    // The lab is down: the panel says so, and a step now replays on the recording, which the panes show again.
    LabWindow.await("the panel's stopped mode", 10, () -> lessons.modeProperty().get().startsWith("The lab stopped"));
    Inspector.onFx(lessons::run);
    LabWindow.await("the recording in the panes", 30, () -> {
      CaptureSession shown = inspector.model.sessionProperty().get();
      return !lessons.busyProperty().get() && !inspector.model.loadingProperty().get() && shown != null
          && !shown.isLive() && shown.file().getFileName().toString().equals("lesson-3.pcapng");
    });
    assertThat(Inspector.onFx(() -> lessons.transcriptProperty().get())).startsWith("The recorded run:");
  }

  @Test
  void aKilledLabShowsAsStoppedNotAHang() throws Exception {
    LiveSource live = window.features.live();
    Path output = Files.createTempFile("tl-lab-up", ".out");
    // In a session of its own, as sudo starts it: killed, it cannot put its session group's nice value back.
    Process lab = new ProcessBuilder("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dtuntaplab.lab.prefix=" + window.settings.prefix(),
        "-Dtuntaplab.lab.dir=" + window.settings.directory(), TunlabCommand.class.getName(), "lab", "up")
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      LabWindow.await("the lab process up", 60, () -> Files.readString(output).contains("tunlab: lab default is up"));
      connect(live);
      lab.destroyForcibly(); // SIGKILL: no teardown, the socket simply goes away
      assertThat(lab.waitFor(10, TimeUnit.SECONDS)).isTrue();
      LabWindow.await("the stopped state", 10, () -> live.stateProperty().get() == LiveSource.State.STOPPED);
      assertThat(Inspector.onFx(() -> window.features.bar().stateText())).contains("LAB STOPPED");
      // With the command that starts a lab again, and its Copy button.
      assertThat(Inspector.onFx(() -> window.features.bar().lookup("#live-copy").isVisible())).isTrue();
      assertThat(Inspector.onFx(() -> ((javafx.scene.control.TextField) window.features.bar().lookup("#live-command"))
          .getText())).startsWith("sudo ").endsWith("lab up");
    } finally {
      lab.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      // A killed lab leaves its namespaces: remove this test's (tunlab cleanup does the same for a real lab).
      for (Topology.Namespace ns : Topology.load("default").namespaces()) {
        Cmd.run(10, "ip", "netns", "del", window.settings.namespace(ns.role()));
      }
    }
  }
}
