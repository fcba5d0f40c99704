package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Zoom with Ctrl +/−, presentation mode with F5, and the status bar's source, counts and byte range. */
class ClassroomTest extends InspectorWindowTest {
  @TempDir
  Path dir;

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void theKeyboardZoomsAndPresents(FxRobot robot) throws Exception {
    Path file = dir.resolve("udp.pcap");
    SyntheticCaptures.udpFrames(file, 25);
    inspector.open(file);
    assertThat(Inspector.onFx(() -> inspector.view.statusBarControl().getText())).isEqualTo(file.toString());
    assertThat(Inspector.onFx(() -> inspector.model.countsProperty().get())).isEqualTo("TAP 25 · TUN 0");

    robot.clickOn(inspector.view.filterField());
    robot.push(KeyCode.CONTROL, KeyCode.EQUALS);
    robot.push(KeyCode.CONTROL, KeyCode.EQUALS);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(Inspector.onFx(() -> inspector.model.fontSizeProperty().get())).isEqualTo(InspectorModel.NORMAL_FONT + 4);
    assertThat(Inspector.onFx(() -> inspector.view.getStyle())).contains("-fx-font-size: 17.0px");
    robot.push(KeyCode.CONTROL, KeyCode.MINUS);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(Inspector.onFx(() -> inspector.model.fontSizeProperty().get())).isEqualTo(InspectorModel.NORMAL_FONT + 2);

    robot.push(KeyCode.F5);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(Inspector.onFx(() -> inspector.model.presentationProperty().get())).isTrue();
    assertThat(Inspector.onFx(() -> inspector.model.fontSizeProperty().get())).isEqualTo(InspectorModel.PRESENTATION_FONT);

    inspector.selectRow(PaneKind.TAP, 3);
    Inspector.onFx(() -> inspector.pane(PaneKind.TAP).hex().hexCell(26).getOnMouseClicked().handle(null));
    assertThat(Inspector.onFx(() -> inspector.view.selectionLabel().getText()))
        .isEqualTo("TAP #4: ip.src, bytes 26–29 (4 bytes)");
  }
}
