package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/** A damaged or foreign file is explained in a dialog (what and where), never with a stack trace. */
class BadFileTest extends InspectorWindowTest {
  @Start
  void start(Stage stage) {
    show(stage);
  }

  @TempDir
  Path dir;
  @Test
  void aTruncatedFileShowsThePacketsBeforeTheFaultAndSaysWhere(FxRobot robot) throws Exception {
    Path whole = dir.resolve("whole.pcap");
    byte[] frame = new byte[60];
    Arrays.fill(frame, (byte) 0xff);
    frame[12] = 0x08;
    frame[13] = 0x06;
    CaptureFiles.write(whole, LinkType.ETHERNET, List.of(frame, frame, frame));
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.pcap");
    // The pcap header (24), two records (16 + 60 each), then half of the third record's bytes.
    Files.write(cut, Arrays.copyOf(bytes, 24 + 2 * 76 + 16 + 30));
    inspector.open(cut);
    List<DialogPane> dialogs = Inspector.dialogs(robot);
    assertThat(dialogs).hasSize(1);
    String text = Inspector.onFx(() -> dialogs.get(0).getContentText());
    assertThat(text).contains("cut.pcap").contains("at byte " + (24 + 2 * 76)).contains("the 2 packets before the fault")
        .doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(inspector.lines(PaneKind.TAP)).hasSize(2);
  }

  @Test
  void aFileThatIsNoCaptureIsRefusedWithTheReason(FxRobot robot) throws Exception {
    Path text = dir.resolve("notes.pcap");
    Files.writeString(text, "these are notes, not packets\n", StandardCharsets.US_ASCII);
    inspector.open(text);
    List<DialogPane> dialogs = Inspector.dialogs(robot);
    assertThat(dialogs).hasSize(1);
    assertThat(Inspector.onFx(() -> dialogs.get(0).getHeaderText())).isEqualTo("Cannot open notes.pcap");
    assertThat(Inspector.onFx(() -> dialogs.get(0).getContentText())).contains("not a pcap or pcapng file")
        .contains("at byte 0").doesNotContain("Exception");

    inspector.open(dir.resolve("missing.pcap"));
    assertThat(Inspector.onFx(() -> Inspector.dialogs(robot).get(Inspector.dialogs(robot).size() - 1).getContentText()))
        .endsWith("missing.pcap: no such file.");
  }
}
