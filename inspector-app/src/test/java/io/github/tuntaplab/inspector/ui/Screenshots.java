package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.inspector.ui.lesson.LessonLanguage;
import io.github.tuntaplab.inspector.ui.live.LabFeatures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import java.util.stream.IntStream;
import javafx.application.Platform;
import javafx.scene.control.TreeItem;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Regenerates {@code screenshots/*.png}: the real window, rendered headless (Monocle, software),
 * on the bundled captures of {@code sample-captures/} (real traffic on real devices).
 *
 * <pre>
 * mvn -B -ntp -q install -DskipTests
 * mvn -B -ntp -q -pl inspector-app exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.tuntaplab.inspector.ui.Screenshots [-Dexec.args=DIRECTORY]
 * </pre>
 */
public final class Screenshots {
  static final int WIDTH = 1800;
  static final int HEIGHT = 1050;

  private Screenshots() {}

  public static void main(String[] args) {
    runHeadless(() -> render(target(args)));
  }

  /** The directory a screenshot program renders into, made if need be: its argument, {@code screenshots/} by default. */
  static Path target(String[] args) throws java.io.IOException {
    return Files.createDirectories(Path.of(args.length > 0 ? args[0] : "screenshots").toAbsolutePath());
  }

  /** A program that needs JavaFX started. */
  interface Headless {
    void run() throws Exception;
  }

  /**
   * Starts JavaFX headless (Monocle, software rendering), runs {@code program} and exits: 0 when it
   * succeeded, 1 with the stack trace when not.
   */
  static void runHeadless(Headless program) {
    try {
      useHeadlessPlatform();
      CountDownLatch started = new CountDownLatch(1);
      Platform.startup(started::countDown);
      started.await();
      program.run();
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** JavaFX without a display (Monocle, software rendering): set before the toolkit starts. */
  static void useHeadlessPlatform() {
    System.setProperty("glass.platform", "Monocle");
    System.setProperty("monocle.platform", "Headless");
    System.setProperty("prism.order", "sw");
    System.setProperty("headless.geometry", "1920x1200-32");
  }

  private static void render(Path target) throws Exception {
    Path samples = io.github.tuntaplab.tunlib.testsupport.Prerequisites.repositoryRoot().resolve("sample-captures");
    // Lesson 1: a TUN and a TAP with the same addresses, pinged alike; lesson 5: IP-in-UDP tunnels.
    Path twins = samples.resolve("lesson-1.pcapng");
    Path tunnels = samples.resolve("lesson-5.pcapng");
    var background = Executors.newSingleThreadExecutor();
    InspectorModel model = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-screenshots"));
    MainView view = onFx(() -> {
      MainView main = new MainView(model, List.of());
      Stage stage = new Stage();
      stage.setScene(InspectorApp.scene(main));
      stage.setWidth(WIDTH);
      stage.setHeight(HEIGHT);
      stage.show();
      return main;
    });
    onFx(() -> model.open(twins));
    awaitLoaded(model);

    // 1. TAP and TUN side by side: the same echo request, the 14-byte Ethernet header highlighted.
    select(view, PaneKind.TAP, "ICMP echo request, id 19505, seq 1");
    onFx(() -> selectTreeRow(view.pane(PaneKind.TAP), "Ethernet"));
    onFx(() -> selectTreeField(view.pane(PaneKind.TUN), "ip.src"));
    shoot(view, target.resolve("tap-tun-side-by-side.png"));

    // 2. An ARP frame: on the TAP only.
    select(view, PaneKind.TAP, "ARP (0x0806), length 42: Request");
    onFx(() -> selectTreeField(view.pane(PaneKind.TAP), "arp.dst.proto_ipv4"));
    shoot(view, target.resolve("arp.png"));

    // 5. Presentation mode: large type for a projector.
    onFx(() -> model.presentationProperty().set(true));
    select(view, PaneKind.TAP, "ICMP echo request, id 19505, seq 1");
    onFx(() -> selectTreeField(view.pane(PaneKind.TAP), "eth.type"));
    shoot(view, target.resolve("presentation-mode.png"));
    onFx(() -> model.presentationProperty().set(false));

    onFx(() -> model.open(tunnels));
    awaitLoaded(model);

    // 3. Encapsulation: the plain tunnel's UDP datagram on the underlay, outer and inner headers.
    select(view, PaneKind.UNDERLAY, " > 203.0.113.89.5555: UDP, length 84");
    onFx(() -> selectTreeField(view.pane(PaneKind.UNDERLAY), "ip.src", 1));
    shoot(view, target.resolve("encapsulation-ip-in-udp.png"));

    // 4. The tunnel's TUN packet and the UDP packet carrying it, in tcpdump's words.
    onFx(() -> model.textViewProperty().set(true));
    select(view, PaneKind.TUN, "198.18.0.1 > 198.18.0.2: ICMP echo request");
    shoot(view, target.resolve("tcpdump-view.png"));
    onFx(() -> model.textViewProperty().set(false));
    background.shutdownNow();

    renderChineseLesson(samples, target);
    Platform.exit();
    System.out.println("screenshots written to " + target);
  }

  /**
   * 6. The lesson panel in Chinese, no lab: lesson 3's second step replayed on its recording, the
   * ARP request selected in the TAP pane, the checkpoints judged.
   */
  private static void renderChineseLesson(Path samples, Path target) throws Exception {
    var background = Executors.newSingleThreadExecutor();
    InspectorModel model = new InspectorModel(background, Preferences.userRoot().node("tuntaplab-screenshots"));
    MainView view = onFx(() -> new MainView(model, List.of()));
    // No lab runs in a directory that does not exist.
    LabFeatures features = ReplayWithoutPrivileges.lessonThreeStepTwo(view, model, samples, target.resolve("no-lab"),
        LessonLanguage.CHINESE, "先是一个 ARP 广播请求，问 198.19.0.2 在哪里");
    onFx(() -> selectTreeField(view.pane(PaneKind.TAP), "arp.dst.proto_ipv4"));
    shoot(view, target.resolve("lesson-zh.png"));
    onFx(features::close);
    background.shutdownNow();
  }

  /** Waits up to 30 s for {@code condition}, judged on the FX thread; fails after that, saying what it waited for. */
  static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (onFx(condition)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("not within 30 s: " + what);
  }

  private static void awaitLoaded(InspectorModel model) throws Exception {
    for (int i = 0; i < 600; i++) {
      Thread.sleep(50);
      if (!onFx(() -> model.loadingProperty().get())) {
        Thread.sleep(300);
        return;
      }
    }
    throw new IllegalStateException("the capture did not load");
  }

  private static void select(MainView view, PaneKind kind, String text) throws Exception {
    onFx(() -> {
      PacketPaneModel pane = view.pane(kind).model();
      int row = IntStream.range(0, pane.rows().size()).filter(r -> pane.line(r).contains(text)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + kind + " packet with " + text));
      view.pane(kind).selectPacket(pane.rows().get(row));
      return null;
    });
  }

  private static Void selectTreeRow(PaneView pane, String prefix) {
    for (TreeItem<PacketTree.Entry> layer : pane.tree().getRoot().getChildren()) {
      if (layer.getValue().text().startsWith(prefix)) {
        pane.tree().getSelectionModel().select(layer);
      }
    }
    return null;
  }

  private static Void selectTreeField(PaneView pane, String name) {
    return selectTreeField(pane, name, 0);
  }

  /** Selects the {@code nth} field of that name (1: the one inside a tunnel). */
  private static Void selectTreeField(PaneView pane, String name, int nth) {
    List<TreeItem<PacketTree.Entry>> matching = pane.tree().fieldItems().stream()
        .filter(item -> item.getValue().field().name().equals(name)).toList();
    if (matching.size() > nth) {
      pane.tree().getSelectionModel().select(matching.get(nth));
    }
    return null;
  }

  static void shoot(MainView view, Path file) throws Exception {
    Thread.sleep(400);
    WritableImage image = onFx(() -> view.getScene().snapshot(null));
    PixelReader pixels = image.getPixelReader();
    int width = (int) image.getWidth();
    int height = (int) image.getHeight();
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out.setRGB(x, y, pixels.getArgb(x, y));
      }
    }
    ImageIO.write(out, "png", file.toFile());
    System.out.println("wrote " + file);
  }

  static <T> T onFx(java.util.concurrent.Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Platform.runLater(() -> {
      try {
        result.complete(action.call());
      } catch (Exception | Error e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(30, TimeUnit.SECONDS);
  }

  static void onFx(Runnable action) throws Exception {
    onFx(() -> {
      action.run();
      return null;
    });
  }
}
