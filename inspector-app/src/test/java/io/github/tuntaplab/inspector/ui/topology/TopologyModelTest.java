package io.github.tuntaplab.inspector.ui.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.WindowLanguage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With no lab, a capture finds its topology by its devices (and its file name when several fit). */
class TopologyModelTest {
  private final TopologyModel model = new TopologyModel(() -> {
    throw new IllegalStateException("no lab in this test");
  }, Runnable::run, new WindowLanguage());

  @Test
  void theLessonsAndTheDefaultLabAreKnown() {
    assertThat(TopologyModel.known()).extracting(t -> t.name())
        .contains("default", "lesson-1", "lesson-2", "lesson-3", "lesson-4");
  }

  @Test
  void aCaptureGetsTheTopologyItsDevicesAndNameFit() {
    model.fromCapture("lesson-3.pcapng", List.of("tl-tun0", "tl-tap0"));
    assertThat(model.graphProperty().get().topology().name()).isEqualTo("lesson-3");
    // Named after no topology: the lab's (it has both devices too) before lesson 1's smaller one.
    model.fromCapture("tun-and-tap.pcapng", List.of("tl-tun0", "tl-tap0"));
    assertThat(model.graphProperty().get().topology().name()).isEqualTo("default");
    model.fromCapture("lesson-1-tl-tap0.pcap", List.of("tl-tap0"));
    assertThat(model.graphProperty().get().topology().name()).isEqualTo("lesson-1");
    model.fromCapture("mine.pcapng", List.of("tl-tun0", "tl-lan", "tl-p-web"));
    assertThat(model.graphProperty().get().topology().name()).isEqualTo("default");
    assertThat(model.sourceProperty().get()).isEqualTo("From the capture's devices (topology default)");
    model.show(null, null);
    model.fromCapture("other.pcap", List.of("eth0"));
    assertThat(model.graphProperty().get()).isNull();
  }
}
