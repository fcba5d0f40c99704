package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.inspector.ui.craft.CraftModel;
import io.github.tuntaplab.inspector.ui.tools.LabTools;
import io.github.tuntaplab.inspector.ui.lesson.LessonModel;
import io.github.tuntaplab.inspector.ui.live.LabFeatures;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.lessons.lab.LabClient;
import io.github.tuntaplab.lessons.lab.LabHost;
import io.github.tuntaplab.lessons.lab.LabSettings;
import io.github.tuntaplab.lessons.lab.Topology;
import io.github.tuntaplab.lessons.lesson.LessonCatalog;
import io.github.tuntaplab.lessons.lesson.LessonRequest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.prefs.Preferences;
import javafx.stage.Stage;

/**
 * Regenerates the lab tools' screenshots ({@code screenshots/lab-*.png}) from the real window and
 * a real lab of the default topology (and lesson 2's, for the lesson panel), built in namespaces of
 * its own (so: as root), as
 * {@link Screenshots} does for the panes:
 *
 * <pre>
 * mvn -B -ntp -q install -DskipTests     # as root
 * mvn -B -ntp -q -pl inspector-app exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.tuntaplab.inspector.ui.LabToolsScreenshots [-Dexec.args=DIRECTORY]
 * </pre>
 */
public final class LabToolsScreenshots {
  private LabToolsScreenshots() {}

  public static void main(String[] args) {
    Screenshots.runHeadless(() -> render(Screenshots.target(args)));
  }

  private static void render(Path target) throws Exception {
    Path directory = Files.createTempDirectory("tl-screenshots-lab");
    LabSettings settings = new LabSettings("tl-s" + ProcessHandle.current().pid() + "-1-", directory);
    try (LabHost host = LabHost.start(Topology.load("default"), settings, OptionalInt.empty(), OptionalInt.empty(),
        () -> {})) {
      String client = settings.namespace("client");
      // The source notes' client: the VPN's default route wins by metric, the /32 to the VPN server stays outside.
      Cmd.ok("ip", "-n", client, "route", "del", "default", "via", "198.51.100.1", "dev", "tl-eth0");
      Cmd.ok("ip", "-n", client, "route", "add", "default", "dev", "tl-tun0", "metric", "0");
      Cmd.ok("ip", "-n", client, "route", "add", "default", "via", "198.51.100.1", "dev", "tl-eth0", "metric", "35");
      Cmd.ok("ip", "-n", client, "route", "add", "203.0.113.89/32", "via", "198.51.100.1", "dev", "tl-eth0");
      ExecutorService background = Executors.newSingleThreadExecutor();
      ExecutorService labRequests = Executors.newSingleThreadExecutor();
      InspectorModel model = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-screenshots"));
      LabTools tools = Screenshots.onFx(() -> new LabTools(model, () -> new LabClient(settings.socket()), labRequests));
      MainView view = Screenshots.onFx(() -> window(model, tools));
      Screenshots.onFx(tools::connect);
      for (int i = 0; i < 100 && Screenshots.onFx(() -> tools.routingPanel().model().routesProperty().get()) == null; i++) {
        Thread.sleep(100);
      }

      // 1. Routing: which route does a packet to the VPN server take, and why; the kernel agrees.
      Screenshots.onFx(() -> {
        tools.routingPanel().destinationField().setText("203.0.113.89");
        tools.routingPanel().destinationField().fireEvent(new javafx.event.ActionEvent());
      });
      Thread.sleep(1500);
      Screenshots.shoot(view, target.resolve("lab-routing.png"));

      // 2. Craft: an echo request from the TUN's responder, sent; the kernel's answer is in the capture.
      Path capture = directory.resolve("crafted.pcapng");
      Thread recorder = new Thread(() -> {
        try (var out = Files.newOutputStream(capture)) {
          new LabClient(settings.socket()).capture(out);
        } catch (java.io.IOException e) {
          // The lab went down: the file holds what came before.
        }
      });
      recorder.setDaemon(true);
      recorder.start();
      Thread.sleep(500);
      Screenshots.onFx(() -> {
        tools.tabs().getSelectionModel().select(2);
        tools.craftPanel().model().start(CraftModel.Template.ICMP_ECHO_V4);
        tools.craftPanel().model().edit(tools.craftPanel().model().dissectionProperty().get().field("icmp.seq")
            .orElseThrow(), "4242");
        tools.craftPanel().model().send();
      });
      Thread.sleep(1500);
      Screenshots.shoot(view, target.resolve("lab-craft.png"));

      // 3. The topology, with the echo reply's way from the client's stack through the TUN to its program.
      host.lab().run("client", Duration.ofSeconds(5), "ping", "-c1", "-W1", "203.0.113.8");
      Thread.sleep(500);
      Path copy = directory.resolve("shown.pcapng");
      Files.copy(capture, copy);
      Screenshots.onFx(() -> model.open(copy));
      Thread.sleep(2000);
      Screenshots.onFx(() -> {
        tools.tabs().getSelectionModel().select(1);
        PacketPaneModel tun = model.pane(PaneKind.TUN);
        for (int row = 0; row < tun.rows().size(); row++) {
          if (tun.line(row).contains("echo reply, id 29812")) {
            view.pane(PaneKind.TUN).selectPacket(tun.rows().get(row));
          }
        }
      });
      Screenshots.shoot(view, target.resolve("lab-topology.png"));
      background.shutdownNow();
      labRequests.shutdownNow();
    }
    renderTunnel(target);
    renderLesson(target);
  }

  /** The window with the lab tools under the panes, shown; on the FX thread. */
  private static MainView window(InspectorModel model, LabTools tools) {
    MainView main = new MainView(model, List.of());
    main.installLabTools(tools);
    ((javafx.scene.control.SplitPane) main.getCenter()).setDividerPositions(0.42);
    show(main);
    return main;
  }

  private static void show(MainView view) {
    Stage stage = new Stage();
    stage.setScene(InspectorApp.scene(view));
    stage.setWidth(1800);
    stage.setHeight(1050);
    stage.show();
  }

  /** 4. A packet through lesson 5's plain tunnel (its recorded run, no lab): TUN, endpoint, underlay, peer. */
  private static void renderTunnel(Path target) throws Exception {
    ExecutorService background = Executors.newSingleThreadExecutor();
    InspectorModel model = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-screenshots"));
    LabTools tools = Screenshots.onFx(() -> new LabTools(model, () -> new LabClient(Path.of("/nonexistent/lab.sock")),
        Runnable::run));
    MainView view = Screenshots.onFx(() -> window(model, tools));
    Screenshots.onFx(() -> model.open(Prerequisites.repositoryRoot().resolve("sample-captures").resolve("lesson-5.pcapng")));
    Thread.sleep(2000);
    Screenshots.onFx(() -> {
      tools.tabs().getSelectionModel().select(1);
      PacketPaneModel tun = model.pane(PaneKind.TUN);
      for (int row = tun.rows().size() - 1; row >= 0; row--) {
        if (tun.line(row).contains("198.18.0.1 > 198.18.0.2: ICMP echo request")) {
          view.pane(PaneKind.TUN).table().getSelectionModel().clearAndSelect(row);
        }
      }
    });
    Screenshots.shoot(view, target.resolve("lab-topology-tunnel.png"));
    background.shutdownNow();
  }

  /** 5. The lesson panel on lesson 2's own lab: the route added, the ping run from their buttons, checkpoints green. */
  private static void renderLesson(Path target) throws Exception {
    LabSettings settings = new LabSettings("tl-s" + ProcessHandle.current().pid() + "-2-",
        Files.createTempDirectory("tl-screenshots-lesson"));
    try (LabHost host = LabHost.start(LessonCatalog.builtIn().lesson(2).topology(), settings, OptionalInt.empty(),
        OptionalInt.empty(), () -> {}, LessonRequest.extensions())) {
      ExecutorService background = Executors.newSingleThreadExecutor();
      ExecutorService labRequests = Executors.newSingleThreadExecutor();
      InspectorModel model = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-screenshots"));
      MainView view = Screenshots.onFx(() -> new MainView(model, List.of()));
      LabFeatures features = Screenshots.onFx(() -> LabFeatures.install(view, model, labRequests,
          Prerequisites.repositoryRoot().resolve("sample-captures"), settings));
      Screenshots.onFx(() -> {
        show(view);
        features.live().connect(settings.socket());
        features.lessons().open(2);
      });
      LessonModel lessons = features.lessons();
      for (int i = 0; i < 100 && Screenshots.onFx(() -> lessons.stepProperty().get() < 1
          || features.live().stateProperty().get() != LiveSource.State.LIVE); i++) {
        Thread.sleep(100);
      }
      for (int step = 1; step <= 3; step++) {
        Screenshots.onFx(() -> {
          lessons.answerProperty().set("Out of tl-eth0 first; through tl-tun0 once the route is there");
          lessons.runAction(1);
        });
        for (int i = 0; i < 150 && Screenshots.onFx(() -> lessons.busyProperty().get()); i++) {
          Thread.sleep(100);
        }
        if (step < 3) {
          Screenshots.onFx(lessons::next);
        }
      }
      Thread.sleep(1000);
      Screenshots.shoot(view, target.resolve("lab-lesson.png"));
      Screenshots.onFx(features::close);
      background.shutdownNow();
      labRequests.shutdownNow();
    }
  }
}
