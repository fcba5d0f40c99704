package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.cli.TunlabCommand;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Each pane lists what tcpdump prints for its device, line for line, and so does {@code tunlab print}. */
@LiveTest
class PacketListTest extends InspectorWindowTest {
  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void aSingleDeviceFileOpensInThePaneOfItsLinkTypeAndListsTcpdumpsLines() throws Exception {
    Path tap = LabCapture.device(LabCapture.TAP);
    inspector.open(tap);
    List<String> expected = tcpdump(tap);
    assertThat(expected).hasSizeGreaterThan(6);
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(expected).isEqualTo(tunlabPrint(tap));
    assertThat(inspector.lines(PaneKind.TUN)).isEmpty();
    assertThat(String.join("\n", expected)).contains("ethertype ARP (0x0806), length 42: Request who-has 198.18.1.2 tell 198.18.1.1");

    Path tun = LabCapture.device(LabCapture.TUN);
    inspector.open(tun);
    assertThat(inspector.lines(PaneKind.TUN)).isEqualTo(tcpdump(tun));
    assertThat(inspector.lines(PaneKind.TAP)).isEmpty();
  }

  @Test
  void aMergedCaptureFillsThePanesByInterface() throws Exception {
    Path merged = LabCapture.merged();
    inspector.open(merged);
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(tcpdump(LabCapture.device(LabCapture.TAP)));
    List<String> tunLines = inspector.lines(PaneKind.TUN);
    assertThat(tunLines).containsAll(tcpdump(LabCapture.device(LabCapture.TUN)))
        .containsAll(tcpdump(LabCapture.device(LabCapture.TUNNEL)));
    assertThat(inspector.lines(PaneKind.UNDERLAY)).isEqualTo(tcpdump(LabCapture.device(LabCapture.UNDERLAY)));
    assertThat(Inspector.onFx(() -> inspector.view.pane(PaneKind.UNDERLAY).getScene() != null)).isTrue();
    String counts = Inspector.onFx(() -> "TAP " + inspector.model.pane(PaneKind.TAP).rows().size() + " · TUN "
        + inspector.model.pane(PaneKind.TUN).rows().size() + " · Underlay "
        + inspector.model.pane(PaneKind.UNDERLAY).rows().size());
    assertThat(Inspector.onFx(() -> inspector.model.countsProperty().get())).isEqualTo(counts);
    assertThat(inspector.model.pane(PaneKind.TAP).rows()).hasSize(tcpdump(LabCapture.device(LabCapture.TAP)).size());
    // The TUN pane holds two TUN interfaces; tcpdump takes one -i, so the pane offers one command each.
    List<String> tunInterfaces = Inspector.onFx(() -> inspector.model.sessionProperty().get().interfaces().stream()
        .filter(i -> i.pane() == PaneKind.TUN).map(CaptureSession.InterfaceInfo::name).toList());
    assertThat(tunInterfaces).hasSizeGreaterThan(1);
    assertThat(Inspector.onFx(() -> inspector.model.pane(PaneKind.TUN).liveCommandProperty().get()).lines())
        .containsExactlyElementsOf(tunInterfaces.stream().map(name -> "sudo tcpdump -nn -e -XX -i " + name).toList());
  }

  @Test
  void theColumnsAreReadFromTheFrame() throws Exception {
    Path tap = LabCapture.device(LabCapture.TAP);
    inspector.open(tap);
    List<String> tshark = tshark(tap);
    List<PacketSummary> rows = Inspector.onFx(() -> {
      PacketPaneModel pane = inspector.model.pane(PaneKind.TAP);
      return IntStream.range(0, pane.rows().size()).mapToObj(pane::summary).toList();
    });
    assertThat(rows).hasSameSizeAs(tshark);
    for (int i = 0; i < rows.size(); i++) {
      PacketSummary row = rows.get(i);
      assertThat(row.number() + "\t" + row.source() + "\t" + row.destination() + "\t" + row.length())
          .isEqualTo(tshark.get(i));
    }
    // The table's cells in view show them (cut with an ellipsis where a column is too narrow).
    WaitForAsyncUtils.waitForFxEvents();
    List<String[]> shown = Inspector.onFx(() -> inspector.pane(PaneKind.TAP).table().lookupAll(".table-cell").stream()
        .filter(PacketCell.class::isInstance).map(PacketCell.class::cast)
        .filter(cell -> cell.isVisible() && !cell.isEmpty() && "tap-source".equals(cell.getTableColumn().getId()))
        .map(cell -> new String[] {Integer.toString(cell.getIndex()), cell.shownText(),
            Double.toString(cell.shownWidth()), Double.toString(cell.getWidth() - cell.snappedLeftInset()
            - cell.snappedRightInset())}).toList());
    assertThat(shown).hasSizeGreaterThan(3);
    for (String[] cell : shown) {
      String source = rows.get(Integer.parseInt(cell[0])).source();
      assertThat(cell[1].endsWith("…") ? source.startsWith(cell[1].substring(0, cell[1].length() - 1))
          && cell[1].length() > 1 : cell[1].equals(source)).as(cell[1] + " for " + source).isTrue();
      // Cut by counting characters: what shows fits in the cell.
      assertThat(Double.parseDouble(cell[2])).as(cell[1] + " fits").isLessThanOrEqualTo(Double.parseDouble(cell[3]));
    }
  }

  @Test
  void theDirectionColumnShowsWhatTheFileRecords() throws Exception {
    Prerequisites.requireTool("tshark");
    Path twins = Prerequisites.repositoryRoot().resolve("sample-captures/lesson-1.pcapng");
    inspector.open(twins);
    Map<Integer, String> recorded = new HashMap<>();
    for (String frame : Cmd.ok("tshark", "-n", "-r", twins.toString(), "-T", "fields", "-E", "separator=/t",
        "-e", "frame.number", "-e", "frame.packet_flags_direction").lines().toList()) {
      String[] cells = frame.split("\t");
      recorded.put(Integer.parseInt(cells[0]), switch (cells[1]) {
        case "0x00000001" -> "in";
        case "0x00000002" -> "out";
        default -> throw new AssertionError("frame " + frame + " has no direction");
      });
    }
    List<PacketSummary> rows = Inspector.onFx(() -> Stream.of(PaneKind.TAP, PaneKind.TUN)
        .map(inspector.model::pane)
        .flatMap(pane -> IntStream.range(0, pane.rows().size()).mapToObj(pane::summary))
        .toList());
    assertThat(rows).hasSize(recorded.size());
    assertThat(rows).extracting(PacketSummary::direction).contains("in", "out");
    for (PacketSummary row : rows) {
      assertThat(row.direction()).as("frame " + row.number()).isEqualTo(recorded.get(row.number()));
    }
  }

  /** tcpdump -nn -e's lines (continuation lines of tunnels included). */
  static List<String> tcpdump(Path file) {
    Prerequisites.requireTool("tcpdump");
    return Cmd.ok("tcpdump", "-nn", "-e", "-r", file.toString()).lines().toList();
  }

  static List<String> tunlabPrint(Path file) {
    StringWriter out = new StringWriter();
    int exit = TunlabCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
        .execute("print", "-e", file.toString());
    assertThat(exit).isZero();
    return out.toString().lines().toList();
  }

  /** Wireshark's number, source, destination (IP, else MAC addresses) and frame length. */
  private static List<String> tshark(Path file) {
    Prerequisites.requireTool("tshark");
    return Cmd.ok("tshark", "-n", "-r", file.toString(), "-T", "fields", "-E", "separator=/t", "-e", "frame.number",
        "-e", "_ws.col.Source", "-e", "_ws.col.Destination", "-e", "frame.len").lines().toList();
  }
}
