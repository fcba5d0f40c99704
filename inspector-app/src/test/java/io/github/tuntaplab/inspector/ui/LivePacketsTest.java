package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A live session's packets read back as they came, from the batch being gathered or from the spool file. */
class LivePacketsTest {
  private final Random random = new Random(11);

  private CapturedPacket packet(int length, int device) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    return new CapturedPacket(device, device == 0 ? LinkType.ETHERNET : LinkType.RAW, "tl-dev" + device,
        Instant.ofEpochSecond(1_700_000_000L, random.nextInt(1_000_000_000)), data, length + 4, null, 0,
        device == 0 ? Direction.INBOUND : Direction.OUTBOUND);
  }

  @Test
  void packetsAcrossSeveralBatchesAndTheLargestACaptureHoldsReadBackWhole() throws Exception {
    List<CapturedPacket> kept = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      kept.add(i == 2500 ? packet(CaptureSession.SNAP_LENGTH, 0) : packet(60 + random.nextInt(1440), i % 2));
    }
    CaptureReader arriving = Arrivals.of(kept);
    try (LivePackets packets = new LivePackets(64L << 20)) {
      for (int i = 0; i < 5000; i++) {
        CapturedPacket next = kept.get(i);
        assertThat(arriving.advance()).isTrue();
        assertThat(packets.add(arriving)).isEqualTo(i);
        if (i % 700 == 0) { // the newest, still in the batch, reads back too
          assertThat(packets.get(i).data()).isEqualTo(next.data());
        }
      }
      for (int i = 0; i < kept.size(); i++) {
        CapturedPacket back = packets.get(i);
        CapturedPacket sent = kept.get(i);
        assertThat(back.data()).as("packet %d", i).isEqualTo(sent.data());
        assertThat(back.timestamp()).isEqualTo(sent.timestamp());
        assertThat(back.originalLength()).isEqualTo(sent.originalLength());
        assertThat(back.direction()).isEqualTo(sent.direction());
        assertThat(back.linkType()).isEqualTo(sent.linkType());
      }
    }
  }

  @Test
  void beyondItsBytesNoPacketIsKept() throws Exception {
    CaptureReader arriving = Arrivals.of(List.of(packet(1400, 0), packet(1400, 0), packet(1400, 0), packet(100, 0)));
    try (LivePackets packets = new LivePackets(3000)) {
      arriving.advance();
      assertThat(packets.add(arriving)).isZero();
      arriving.advance();
      assertThat(packets.add(arriving)).isOne();
      arriving.advance();
      assertThat(packets.add(arriving)).isEqualTo(-1);
      arriving.advance();
      assertThat(packets.add(arriving)).isEqualTo(2);
      assertThat(packets.size()).isEqualTo(3);
    }
  }
}
