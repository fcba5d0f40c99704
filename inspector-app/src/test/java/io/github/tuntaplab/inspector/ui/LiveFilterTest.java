package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/**
 * The filter box on a live session: packets that arrive after the filter was applied are judged as
 * they arrive (on the thread that keeps them, as the lab's stream reader does) and show when they
 * pass; the others are counted as hidden. Without a lab: lesson 3's recorded run is fed in as the
 * lab's stream would be, and tcpdump, given the same expression, says what each pane must show.
 */
class LiveFilterTest extends InspectorWindowTest {
  private static final Path SAMPLES = Prerequisites.repositoryRoot().resolve("sample-captures");

  @Start
  void start(Stage stage) {
    show(stage);
  }

  @Test
  void packetsArrivingAfterTheFilterShowWhenTheyPassAndAreCountedAsHiddenOtherwise() throws Exception {
    List<CapturedPacket> packets = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(SAMPLES.resolve("lesson-3.pcapng"))) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        packets.add(packet);
      }
    }
    // Before the filter: up to the first ARP frame; after it: ARP (hidden) and the echoes (shown).
    int split = IntStream.range(0, packets.size()).filter(i -> isArp(packets.get(i))).findFirst().orElseThrow();
    assertThat(split).isPositive();
    CaptureSession live = CaptureSession.live(Path.of("lab.sock"), 1 << 26);
    Inspector.onFx(() -> inspector.model.showLive(live, Phrase.verbatim("Live")));
    CaptureReader stream = Arrivals.of(packets);
    arrive(live, stream, split);
    Inspector.onFx(() -> inspector.model.filter("icmp"));
    inspector.awaitIdle(30);
    assertThat(inspector.lines(PaneKind.TAP)).isEmpty();

    arrive(live, stream, packets.size() - split);
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(tcpdump("lesson-3-tl-tap0.pcap", "icmp")).isNotEmpty();
    assertThat(inspector.lines(PaneKind.TUN)).isEqualTo(tcpdump("lesson-3-tl-tun0.pcap", "icmp")).isNotEmpty();
    long shown = Inspector.onFx(() -> Stream.of(PaneKind.values())
        .mapToLong(kind -> inspector.model.pane(kind).rows().size()).sum());
    assertThat(Inspector.onFx(() -> inspector.model.statusProperty().get()))
        .endsWith("filtered by 'icmp': " + (packets.size() - shown) + " hidden");
    assertThat(Inspector.onFx(() -> inspector.model.countsProperty().get())).contains("TAP "
        + tcpdump("lesson-3-tl-tap0.pcap", "icmp").size() + "/" + tcpdump("lesson-3-tl-tap0.pcap", "").size());

    // Cleared: every packet shows again, and the arrivals go on showing.
    Inspector.onFx(() -> inspector.model.filter(""));
    assertThat(inspector.lines(PaneKind.TAP)).isEqualTo(tcpdump("lesson-3-tl-tap0.pcap", ""));
    arrive(live, Arrivals.of(packets), 1);
    assertThat(Inspector.onFx(() -> Stream.of(PaneKind.values())
        .mapToLong(kind -> inspector.model.pane(kind).rows().size()).sum())).isEqualTo(packets.size() + 1L);
  }

  /**
   * Keeps the next {@code count} packets of {@code stream} on a thread of their own, as the stream
   * reader does, then lets the FX thread show them.
   */
  private void arrive(CaptureSession live, CaptureReader stream, int count) throws Exception {
    Thread reader = new Thread(() -> {
      try {
        for (int i = 0; i < count && stream.advance(); i++) {
          live.append(stream);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, "test stream reader");
    reader.start();
    reader.join();
    Inspector.onFx(() -> inspector.model.showArrived(Phrase.verbatim("Live")));
  }

  private static boolean isArp(CapturedPacket packet) {
    byte[] data = packet.data();
    return "tl-tap0".equals(packet.interfaceName()) && data.length > 14 && data[12] == 0x08 && data[13] == 0x06;
  }

  private static List<String> tcpdump(String file, String expression) {
    Prerequisites.requireTool("tcpdump");
    List<String> command = new ArrayList<>(List.of("tcpdump", "-nn", "-e", "-r", SAMPLES.resolve(file).toString()));
    if (!expression.isEmpty()) {
      command.add(expression);
    }
    return Cmd.ok(command.toArray(String[]::new)).lines().toList();
  }
}
