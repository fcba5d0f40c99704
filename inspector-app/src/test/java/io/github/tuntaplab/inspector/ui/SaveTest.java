package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** What is shown, or selected, is saved as a capture that tcpdump reads as it read the original. */
@LiveTest
class SaveTest extends InspectorWindowTest {
  @TempDir
  Path dir;

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void theVisiblePacketsAreSavedAsTcpdumpFilteredThem() throws Exception {
    inspector.open(LabCapture.merged());
    Inspector.onFx(() -> inspector.model.filter("udp port 5555"));
    inspector.awaitIdle(30);
    Path saved = dir.resolve("tunnel.pcap");
    Inspector.onFx(() -> inspector.model.save(saved, inspector.model.visiblePackets()));
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Files.exists(saved)
        && Inspector.onFx(() -> inspector.model.statusProperty().get()).startsWith("Saved"));
    assertThat(Cmd.ok("tcpdump", "-nn", "-e", "-r", saved.toString()).lines().toList())
        .isEqualTo(Cmd.ok("tcpdump", "-nn", "-e", "-r", LabCapture.device(LabCapture.UNDERLAY).toString(),
            "udp port 5555").lines().toList())
        .isNotEmpty();

    // The whole file, several interfaces: pcapng, which tshark reads packet for packet.
    Inspector.onFx(() -> inspector.model.filter(""));
    Path all = dir.resolve("all.pcapng");
    Inspector.onFx(() -> inspector.model.save(all, inspector.model.visiblePackets()));
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Files.exists(all)
        && Inspector.onFx(() -> inspector.model.statusProperty().get()).contains(all.toString()));
    assertThat(Cmd.ok("tshark", "-n", "-r", all.toString()).lines().count())
        .isEqualTo(Cmd.ok("tshark", "-n", "-r", LabCapture.merged().toString()).lines().count());
  }
}
