package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/** The filter box takes tcpdump's expressions and keeps what tcpdump keeps, in every pane. */
@LiveTest
class FilterTest extends InspectorWindowTest {
  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void aTcpdumpExpressionKeepsWhatTcpdumpKeeps(FxRobot robot) throws Exception {
    inspector.open(LabCapture.merged());
    int tapBefore = inspector.lines(PaneKind.TAP).size();
    filter(robot, "icmp[icmptype] == icmp-echo");
    List<String> tunExpected = new ArrayList<>(tcpdump(LabCapture.TUN, "icmp[icmptype] == icmp-echo"));
    tunExpected.addAll(tcpdump(LabCapture.TUNNEL, "icmp[icmptype] == icmp-echo"));
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(tcpdump(LabCapture.TAP, "icmp[icmptype] == icmp-echo"))
        .hasSizeLessThan(tapBefore).isNotEmpty();
    assertThat(inspector.lines(PaneKind.TUN)).containsExactlyInAnyOrderElementsOf(tunExpected);
    assertThat(inspector.lines(PaneKind.UNDERLAY)).isEmpty();

    filter(robot, "udp port 5555");
    assertThat(inspector.lines(PaneKind.UNDERLAY)).isEqualTo(tcpdump(LabCapture.UNDERLAY, "udp port 5555"))
        .isNotEmpty();
    assertThat(inspector.lines(PaneKind.TAP)).isEmpty();
  }

  @Test
  void aBadExpressionSaysWhyAndKeepsTheList(FxRobot robot) throws Exception {
    inspector.open(LabCapture.merged());
    List<String> before = inspector.lines(PaneKind.TAP);
    filter(robot, "icmp and and");
    assertThat(Inspector.onFx(() -> inspector.model.filterErrorProperty().get())).contains("syntax error");
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(before);
    assertThat(Inspector.dialogs(robot)).isEmpty();
  }

  private void filter(FxRobot robot, String expression) throws Exception {
    robot.clickOn(inspector.view.filterField());
    Inspector.onFx(() -> inspector.view.filterField().clear());
    robot.write(expression).type(KeyCode.ENTER);
    inspector.awaitIdle(30);
  }

  private static List<String> tcpdump(String device, String expression) throws Exception {
    Path file = LabCapture.device(device);
    return Cmd.ok("tcpdump", "-nn", "-e", "-r", file.toString(), expression).lines().toList();
  }
}
