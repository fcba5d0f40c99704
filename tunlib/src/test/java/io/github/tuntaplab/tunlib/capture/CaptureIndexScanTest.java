package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An index being scanned on one thread serves the packets indexed so far to others, and can be stopped. */
class CaptureIndexScanTest {
  private static final int PACKETS = 20_000;

  @TempDir
  Path dir;

  private Path capture() {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < PACKETS; i++) {
      byte[] frame = new byte[60 + i % 7];
      frame[0] = (byte) (i >> 8);
      frame[1] = (byte) i;
      frames.add(frame);
    }
    Path file = dir.resolve("growing.pcap");
    CaptureFiles.write(file, LinkType.ETHERNET, frames);
    return file;
  }

  @Test
  void packetsAreReadableWhileTheScanRunsOnAnotherThread() throws Exception {
    Path file = capture();
    List<CapturedPacket> sequential = CaptureFiles.packets(file);
    try (CaptureIndex index = CaptureIndex.start(file)) {
      assertThat(index.size()).isZero();
      assertThat(index.isComplete()).isFalse();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread scanner = new Thread(() -> {
        try {
          index.scan((number, packet) -> true);
        } catch (IOException | RuntimeException e) {
          failure.set(e);
        }
      });
      scanner.start();
      int checked = 0;
      while (!index.isComplete() || checked < index.size()) {
        int size = index.size();
        if (size > 0) {
          int number = (checked * 7919) % size;
          assertThat(index.packet(number)).isEqualTo(sequential.get(number));
          checked++;
        }
      }
      scanner.join();
      assertThat(failure.get()).isNull();
      assertThat(index.size()).isEqualTo(PACKETS);
      assertThat(index.problem()).isEmpty();
      assertThat(index.packet(PACKETS - 1)).isEqualTo(sequential.get(PACKETS - 1));
    }
  }

  @Test
  void theListenerSeesEveryPacketAndCanStopTheScan() throws IOException {
    Path file = capture();
    List<CapturedPacket> sequential = CaptureFiles.packets(file);
    try (CaptureIndex index = CaptureIndex.start(file)) {
      List<Integer> seen = new ArrayList<>();
      index.scan((number, packet) -> {
        assertThat(packet).isEqualTo(sequential.get(number));
        seen.add(number);
        return number < 1234;
      });
      assertThat(seen).hasSize(1235).endsWith(1234);
      assertThat(index.size()).isEqualTo(1235);
      assertThat(index.isComplete()).isTrue();
      assertThat(index.problem()).isEmpty();
      assertThat(index.packet(1234)).isEqualTo(sequential.get(1234));
    }
  }
}
