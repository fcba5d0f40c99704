package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directions (epb_flags) and interface descriptions as tshark reads them, and as our reader does. */
class PcapngDirectionTest {
  @TempDir
  Path dir;

  @Test
  void tsharkReadsEachPacketsDirectionAndTheInterfacesDescription() throws IOException {
    Path file = dir.resolve("directions.pcapng");
    byte[] ping = SamplePackets.pingIpv4();
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", "namespace tl-client", 0);
      Instant now = Instant.ofEpochSecond(1_795_626_000L, 7);
      writer.write(tun, now, ping, 0, ping.length, ping.length, null, Direction.OUTBOUND);
      writer.write(tun, now, ping, 0, ping.length, ping.length, "reply", Direction.INBOUND);
      writer.write(tun, now, ping, 0, ping.length, ping.length, null, Direction.UNKNOWN);
      writer.write(tun, now, ping, 0, ping.length, ping.length, "plain");
    }
    List<List<String>> frames = Oracles.tshark(file, "frame.packet_flags_direction", "frame.comment",
        "frame.interface_description", "frame.len");
    assertThat(frames).containsExactly(
        List.of("0x00000002", "", "namespace tl-client", "" + ping.length),
        List.of("0x00000001", "reply", "namespace tl-client", "" + ping.length),
        List.of("", "", "namespace tl-client", "" + ping.length),
        List.of("", "plain", "namespace tl-client", "" + ping.length));
    assertThat(CaptureRoundTripTest.readAll(file)).extracting(CapturedPacket::comment)
        .containsExactly(null, "reply", null, "plain");
    assertThat(CaptureRoundTripTest.readAll(file)).extracting(CapturedPacket::direction)
        .containsExactly(Direction.OUTBOUND, Direction.INBOUND, Direction.UNKNOWN, Direction.UNKNOWN);
  }
}
