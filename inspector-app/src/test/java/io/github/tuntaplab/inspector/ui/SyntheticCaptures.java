package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** Large captures for load tests and benchmarks, written by tunlib's own PcapWriter in seconds. */
public final class SyntheticCaptures {
  private SyntheticCaptures() {}

  /**
   * {@code count} UDP datagrams 198.18.0.1:1024+ → 198.18.0.2:7 ("tuntap lab big fil", 18 bytes) in
   * 60-byte Ethernet frames, 1 µs apart, each with its own IP identification and source port.
   */
  public static void udpFrames(Path file, int count) throws IOException {
    byte[] frame = {
        2, 0, 0x5e, 0, 0, 2, 2, 0, 0x5e, 0, 0, 1, 8, 0,
        0x45, 0, 0, 46, 0, 0, 0x40, 0, 64, 17, 0, 0, (byte) 198, 18, 0, 1, (byte) 198, 18, 0, 2,
        0, 0, 0, 7, 0, 26, 0, 0, 't', 'u', 'n', 't', 'a', 'p', ' ', 'l', 'a', 'b', ' ', 'b', 'i', 'g', ' ', 'f', 'i', 'l'};
    try (PcapWriter writer = PcapWriter.create(file)) {
      int id = writer.addInterface(LinkType.ETHERNET, null, 262_144);
      Instant start = Instant.ofEpochSecond(1_700_000_000L);
      for (int i = 0; i < count; i++) {
        frame[34] = (byte) (4 + (i >> 8 & 0xf));
        frame[35] = (byte) i;
        frame[18] = (byte) (i >> 8);
        frame[19] = (byte) i;
        writer.write(id, start.plusNanos(i * 1000L), frame, 0, frame.length, frame.length, null);
      }
    }
  }
}
