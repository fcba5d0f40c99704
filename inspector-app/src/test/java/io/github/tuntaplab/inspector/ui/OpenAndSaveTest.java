package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.event.Event;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Pair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The ways into and out of the window: File › Open (Ctrl+O) and the save commands (Ctrl+S,
 * Ctrl+Shift+S) through the file picker behind their dialogs, a file dropped on the window, and
 * the recent files, which a later window (a new model on the same preferences) still offers.
 */
class OpenAndSaveTest extends InspectorWindowTest {
  /** Answers the dialogs from a queue, as the user would have; nothing queued is a cancel. */
  private final Deque<Path> answers = new ArrayDeque<>();
  private final Path samples = Prerequisites.repositoryRoot().resolve("sample-captures");

  @TempDir
  Path dir;

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @BeforeEach
  void answerDialogs() {
    Inspector.onFx(() -> inspector.view.setFilePicker(new FilePicker() {
      @Override
      public Optional<Path> toOpen(Window owner) {
        return Optional.ofNullable(answers.poll());
      }

      @Override
      public Optional<Path> toSave(Window owner, String title, String suggestedName) {
        return Optional.ofNullable(answers.poll());
      }
    }));
  }

  @Test
  void ctrlOOpensThePickedFileAndCancellingKeepsTheOpenOne(FxRobot robot) throws Exception {
    Path tun = samples.resolve("lesson-1-tl-tun0.pcap");
    answers.add(tun);
    robot.clickOn(inspector.view.filterField());
    robot.push(KeyCode.CONTROL, KeyCode.O);
    inspector.awaitIdle(30);
    assertThat(inspector.lines(PaneKind.TUN)).isEqualTo(PacketListTest.tcpdump(tun));

    robot.push(KeyCode.CONTROL, KeyCode.O);
    inspector.awaitIdle(30);
    assertThat(Inspector.onFx(() -> inspector.model.sessionProperty().get().file())).isEqualTo(tun);
  }

  @Test
  void theSaveCommandsWriteWhatTcpdumpReadsAsTheOriginal(FxRobot robot) throws Exception {
    Path tap = samples.resolve("lesson-1-tl-tap0.pcap");
    inspector.open(tap);
    Path visible = dir.resolve("visible.pcap");
    answers.add(visible);
    robot.clickOn(inspector.view.filterField());
    robot.push(KeyCode.CONTROL, KeyCode.S);
    awaitSaved(visible);
    assertThat(Cmd.ok("tcpdump", "-nn", "-e", "-r", visible.toString()))
        .isEqualTo(Cmd.ok("tcpdump", "-nn", "-e", "-r", tap.toString()));

    inspector.selectRow(PaneKind.TAP, 3);
    Path selected = dir.resolve("selected.pcapng");
    answers.add(selected);
    robot.clickOn(inspector.view.filterField());
    robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.S);
    awaitSaved(selected);
    List<String> original = Cmd.ok("tcpdump", "-nn", "-e", "-r", tap.toString()).lines().toList();
    assertThat(Cmd.ok("tcpdump", "-nn", "-e", "-r", selected.toString()).lines().toList())
        .containsExactly(original.get(3));

    // Cancelled: nothing is written.
    robot.push(KeyCode.CONTROL, KeyCode.S);
    WaitForAsyncUtils.waitForFxEvents();
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("visible.pcap",
          "selected.pcapng");
    }
  }

  private void awaitSaved(Path file) throws Exception {
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Files.exists(file)
        && Inspector.onFx(() -> inspector.model.statusProperty().get())
            .matches("Saved \\d+ packets to " + java.util.regex.Pattern.quote(file.toString())));
  }

  @Test
  void aFileDroppedOnTheWindowOpens() throws Exception {
    Path tap = samples.resolve("lesson-1-tl-tap0.pcap");
    Boolean accepted = Inspector.onFx(() -> {
      Dragboard dragboard = DragboardHelper.createDragboard(new DraggedFrom());
      dragboard.setContent(Map.of(DataFormat.FILES, List.of(tap.toFile())));
      DragEvent over = new DragEvent(DragEvent.DRAG_OVER, dragboard, 100, 100, 100, 100, TransferMode.COPY, null,
          null, null);
      Event.fireEvent(inspector.view, over);
      DragEvent drop = new DragEvent(DragEvent.DRAG_DROPPED, dragboard, 100, 100, 100, 100, TransferMode.COPY, null,
          null, null);
      Event.fireEvent(inspector.view, drop);
      return drop.isDropCompleted() || drop.isAccepted();
    });
    inspector.awaitIdle(30);
    assertThat(accepted).isTrue();
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(PacketListTest.tcpdump(tap));
  }

  @Test
  void recentFilesOutliveTheWindowAndOpenFromTheMenu() throws Exception {
    Path tun = samples.resolve("lesson-1-tl-tun0.pcap");
    Path tap = samples.resolve("lesson-1-tl-tap0.pcap");
    inspector.open(tun);
    inspector.open(tap);
    assertThat(Inspector.onFx(() -> List.copyOf(inspector.model.recentFiles()))).startsWith(tap, tun);

    // The next start: a new model on the same preferences lists them, newest first.
    var background = Executors.newSingleThreadExecutor();
    try {
      InspectorModel later = Inspector.onFx(() -> new InspectorModel(background,
          Preferences.userRoot().node(Inspector.PREFERENCES)));
      assertThat(later.recentFiles()).startsWith(tap, tun);
    } finally {
      background.shutdownNow();
    }

    MenuItem openTun = Inspector.onFx(() -> {
      MenuBar bar = (MenuBar) inspector.view.lookup(".menu-bar");
      Menu recent = (Menu) bar.getMenus().get(0).getItems().stream().filter(i -> "Open _Recent".equals(i.getText()))
          .findFirst().orElseThrow();
      return recent.getItems().stream().filter(i -> i.getText().equals(tun.toString())).findFirst().orElseThrow();
    });
    Inspector.onFx(openTun::fire);
    inspector.awaitIdle(30);
    assertThat(Inspector.onFx(() -> inspector.model.sessionProperty().get().file())).isEqualTo(tun);
    assertThat(inspector.lines(PaneKind.TUN)).isEqualTo(PacketListTest.tcpdump(tun));
  }

  /** The toolkit's side of a drag that another application (a file manager) started: it offers a copy. */
  private static final class DraggedFrom implements TKClipboard {
    private final Map<DataFormat, Object> content = new HashMap<>();

    @Override
    @SuppressWarnings("removal") // the toolkit's interface still names it
    public void setSecurityContext(java.security.AccessControlContext context) {}

    @Override
    public Set<DataFormat> getContentTypes() {
      return content.keySet();
    }

    @Override
    @SafeVarargs
    public final boolean putContent(Pair<DataFormat, Object>... pairs) {
      for (Pair<DataFormat, Object> pair : pairs) {
        content.put(pair.getKey(), pair.getValue());
      }
      return true;
    }

    @Override
    public Object getContent(DataFormat format) {
      return content.get(format);
    }

    @Override
    public boolean hasContent(DataFormat format) {
      return content.containsKey(format);
    }

    @Override
    public Set<TransferMode> getTransferModes() {
      return Set.of(TransferMode.COPY);
    }

    @Override
    public void setDragView(Image image) {}

    @Override
    public void setDragViewOffsetX(double offset) {}

    @Override
    public void setDragViewOffsetY(double offset) {}

    @Override
    public Image getDragView() {
      return null;
    }

    @Override
    public double getDragViewOffsetX() {
      return 0;
    }

    @Override
    public double getDragViewOffsetY() {
      return 0;
    }
  }
}
