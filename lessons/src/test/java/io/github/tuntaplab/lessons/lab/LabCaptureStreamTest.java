package io.github.tuntaplab.lessons.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.InterfaceStatistics;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream's hand-over to a reader that does not read (no devices needed: the capture is fed
 * by hand): the lab neither stalls nor disconnects it, and every packet recorded is either in the
 * stream or counted as dropped in its statistics blocks, per device, as tshark reads the stream.
 */
class LabCaptureStreamTest {
  private static final List<LabDevice> DEVICES = List.of(
      new LabDevice(0, "client", "tl-client", "tl-eth0", "veth", LinkType.ETHERNET),
      new LabDevice(1, "client", "tl-client", "tl-tun0", "tun", LinkType.RAW));

  @TempDir
  Path dir;

  /** Records {@code count} packets, alternating devices, while nobody reads; closes; returns the stream. */
  private Path recordUnread(int count) throws Exception {
    Pipe pipe = Pipe.open();
    Path file = dir.resolve("stream.pcapng");
    try (LabCapture capture = new LabCapture(DEVICES, List.of())) {
      LabCapture.PcapngStream stream = capture.stream(pipe.sink());
      for (int i = 0; i < count; i++) {
        byte[] data = new byte[200];
        data[0] = 0x45;
        capture.record(DEVICES.get(i % 2), Instant.ofEpochSecond(1_795_626_000L, i), data, data.length,
            Direction.UNKNOWN);
      }
      capture.close();
      // Only now does anyone read: the stream holds what it kept and then ends.
      try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (pipe.source().read(buffer.clear()) >= 0) {
          out.write(buffer.flip());
        }
      }
      assertThat(stream.await()).isNull();
    }
    return file;
  }

  @Test
  void aReaderThatFallsBehindLosesPacketsThatAreCountedNotItsConnection() throws Exception {
    int recorded = 30_000;
    Path file = recordUnread(recorded);
    Map<Integer, Integer> delivered = new HashMap<>();
    Map<Integer, InterfaceStatistics> last = new HashMap<>();
    try (CaptureReader reader = CaptureReader.open(file)) {
      reader.onStatistics(statistics -> last.put(statistics.interfaceIndex(), statistics));
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        delivered.merge(packet.interfaceIndex(), 1, Integer::sum);
      }
    }
    for (int device = 0; device < 2; device++) {
      InterfaceStatistics statistics = last.get(device);
      assertThat(statistics).as("device %d's statistics", device).isNotNull();
      assertThat(statistics.received()).isEqualTo(recorded / 2);
      assertThat(statistics.dropped()).isPositive();
      assertThat(delivered.get(device) + statistics.dropped()).isEqualTo(recorded / 2);
    }
    // The hand-over kept 8192 packets (one made room for the end) besides a batch of at most 1024 being
    // written and what the pipe's kernel buffer held.
    assertThat(delivered.values().stream().mapToInt(Integer::intValue).sum()).isBetween(8191, 8192 + 1024 + 1000);
    Prerequisites.requireTool("tshark");
    assertThat(Cmd.ok("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.number").lines().count())
        .isEqualTo(delivered.values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void aReaderThatKeepsUpGetsEveryPacketAndNoStatistics() throws Exception {
    Path file = recordUnread(1000);
    int delivered = 0;
    List<InterfaceStatistics> statistics = new java.util.ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(file)) {
      reader.onStatistics(statistics::add);
      while (reader.next() != null) {
        delivered++;
      }
    }
    assertThat(delivered).isEqualTo(1000);
    assertThat(statistics).isEmpty();
    assertThat(Files.size(file)).isPositive();
  }

}
