package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corners of pcapng that tools other than ours write, each checked against tshark. */
class PcapngFeaturesTest {
  private static final long OFFSET_SECONDS = 1_700_000_000L;

  @TempDir
  Path dir;

  /**
   * Two sections in opposite byte orders; a 2^-20 s clock, a millisecond clock with an offset and
   * the default microsecond one; interfaces of different link types; simple and obsolete packet
   * blocks; two comments on one packet; name-resolution, statistics, decryption-secrets and custom
   * blocks in between, to be skipped.
   */
  private Path everything() throws IOException {
    PcapngBlocks blocks = new PcapngBlocks().section(ByteOrder.LITTLE_ENDIAN);
    blocks.interfaceBlock(1, 262_144, blocks.options(2, "tl-tap0", 3, "tap in namespace tl-router", 9,
        new byte[] {(byte) 0x94}))
        .block(4, ByteBuffer.allocate(16).order(blocks.order()).putShort((short) 1).putShort((short) 7)
            .put(new byte[] {(byte) 198, 19, 0, 2, 'h', '1', 0}))
        .enhanced(0, (1_795_626_000L << 20) + (1 << 19), SamplePackets.arpRequest(), 42, blocks.options())
        .block(5, ByteBuffer.allocate(12))
        .block(0x0a, ByteBuffer.allocate(12).order(blocks.order()).putInt(0x544c534b).putInt(4).put("abcd".getBytes()))
        .block(0x0bad, ByteBuffer.allocate(8))
        .enhanced(0, (1_795_626_001L << 20) + 3, SamplePackets.arpRequest(), 60,
            blocks.options(1, "first", 1, "second"));
    blocks.section(ByteOrder.BIG_ENDIAN);
    blocks.interfaceBlock(101, 65_535, blocks.options(2, "tl-tun0", 9, new byte[] {3}, 14,
            blocks.longValue(OFFSET_SECONDS)))
        .interfaceBlock(1, 0, blocks.options())
        .enhanced(0, 1_234, SamplePackets.pingIpv4(), 36, blocks.options(1, "ping"))
        .simple(SamplePackets.pingIpv6(), 56)
        .obsolete(1, 1_795_626_002_000_007L, SamplePackets.inEthernet(SamplePackets.pingIpv4()), blocks.options());
    Path file = dir.resolve("everything.pcapng");
    Files.write(file, blocks.bytes());
    return file;
  }

  @Test
  void sectionsClocksAndBlockKindsReadAsTsharkReadsThem() throws IOException {
    Path file = everything();
    List<CapturedPacket> read = CaptureRoundTripTest.readAll(file);

    assertThat(read).extracting(CapturedPacket::interfaceIndex).containsExactly(0, 0, 1, 1, 2);
    assertThat(read).extracting(CapturedPacket::linkType)
        .containsExactly(LinkType.ETHERNET, LinkType.ETHERNET, LinkType.RAW, LinkType.RAW, LinkType.ETHERNET);
    assertThat(read.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1_795_626_000L, 500_000_000));
    assertThat(read.get(2).timestamp()).isEqualTo(Instant.ofEpochSecond(OFFSET_SECONDS + 1, 234_000_000));
    assertThat(read.get(1).comment()).isEqualTo("first\nsecond");

    assertThat(read).extracting(CapturedPacket::interfaceName)
        .containsExactly("tl-tap0", "tl-tap0", "tl-tun0", "tl-tun0", null);
    assertThat(read).extracting(CapturedPacket::interfaceDescription)
        .containsExactly("tap in namespace tl-router", "tap in namespace tl-router", null, null, null);

    // tshark shows the decryption secrets as a frame of its own, without an interface: leave it out.
    List<List<String>> frames = Oracles.tshark(file, "frame.interface_id", "frame.interface_name", "frame.len",
        "frame.cap_len", "frame.time_epoch", "frame.comment", "frame.protocols", "frame.interface_description")
        .stream().filter(frame -> !frame.get(0).isEmpty()).toList();
    assertThat(frames).hasSameSizeAs(read);
    for (int i = 0; i < read.size(); i++) {
      CapturedPacket packet = read.get(i);
      List<String> frame = frames.get(i);
      // tshark 4.0 numbers a later section's interfaces from 0 again and names them after the
      // first section's, so only the first section's ids and names can be compared with it.
      if (i < 2) {
        assertThat(frame.subList(0, 2)).containsExactly(String.valueOf(packet.interfaceIndex()), packet.interfaceName());
        assertThat(frame.get(7)).isEqualTo(packet.interfaceDescription());
      }
      assertThat(frame.subList(2, 4)).as("frame %d", i + 1)
          .containsExactly(String.valueOf(packet.originalLength()), String.valueOf(packet.capturedLength()));
      if (i != 3) { // a simple packet block has no timestamp
        assertThat(frame.get(4)).as("frame %d time", i + 1).isEqualTo(Oracles.epoch(packet.timestamp()));
      }
      assertThat(frame.get(5)).isEqualTo(packet.comment() == null ? "" : packet.comment().replace("\n", "|"));
      assertThat(frame.get(6)).startsWith(packet.linkType().equals(LinkType.RAW) ? "raw:ip" : "eth:ethertype:");
    }
  }

  @Test
  void theIndexReadsAnyPacketInAnySectionDirectly() throws IOException {
    Path file = everything();
    List<CapturedPacket> sequential = CaptureRoundTripTest.readAll(file);
    try (CaptureIndex index = CaptureIndex.open(file)) {
      assertThat(index.size()).isEqualTo(sequential.size());
      assertThat(index.problem()).isEmpty();
      for (int i = sequential.size() - 1; i >= 0; i--) {
        assertThat(index.packet(i)).isEqualTo(sequential.get(i));
      }
      assertThat(index.packet(1)).isEqualTo(sequential.get(1));
    }
  }

  /**
   * Statistics blocks as a live stream sends them when it dropped packets for its reader: read
   * back in order with the interface, time and counts written, and counted per interface by
   * capinfos (Wireshark's reader) as its "stat entries", between packets tshark still reads.
   */
  @Test
  void interfaceStatisticsReadBackAsWrittenAndCapinfosCountsThem() throws IOException {
    Prerequisites.requireTool("capinfos");
    Path file = dir.resolve("statistics.pcapng");
    Instant time = Instant.ofEpochSecond(1_795_626_000L, 123_456_789);
    List<InterfaceStatistics> written = List.of(new InterfaceStatistics(1, time, 10, 3),
        new InterfaceStatistics(0, time.plusMillis(1), -1, 7), new InterfaceStatistics(1, time.plusMillis(2), 12, -1));
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      writer.addInterface(LinkType.ETHERNET, "tl-tap0", 0);
      writer.addInterface(LinkType.RAW, "tl-tun0", 0);
      byte[] ping = SamplePackets.pingIpv4();
      writer.write(1, time, ping, 0, ping.length, ping.length, null);
      for (InterfaceStatistics statistics : written) {
        writer.writeStatistics(statistics);
      }
      writer.write(1, time.plusMillis(3), ping, 0, ping.length, ping.length, null);
    }
    List<InterfaceStatistics> read = new java.util.ArrayList<>();
    int packets = 0;
    try (CaptureReader reader = CaptureReader.open(file)) {
      reader.onStatistics(read::add);
      while (reader.next() != null) {
        packets++;
      }
    }
    assertThat(read).isEqualTo(written);
    assertThat(packets).isEqualTo(2);
    assertThat(Oracles.tshark(file, "frame.number")).hasSize(2);
    String capinfos = Cmd.ok("capinfos", file.toString());
    assertThat(capinfos.replaceAll("(?s).*Interface #0 info:(.*?)Interface #1 info:.*", "$1"))
        .containsPattern("Number of stat entries = 1\\b");
    assertThat(capinfos.replaceAll("(?s).*Interface #1 info:", "")).containsPattern("Number of stat entries = 2\\b");
  }
}
