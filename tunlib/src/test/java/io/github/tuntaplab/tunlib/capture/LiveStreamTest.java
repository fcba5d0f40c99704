package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A pcapng stream flushed block by block is read packet by packet while it is still open. */
class LiveStreamTest {
  private static final Instant TIME = Instant.parse("2026-11-25T17:00:00Z");

  @Test
  void tcpdumpPrintsEachPacketBeforeTheStreamCloses() throws Exception {
    Prerequisites.requireTool("tcpdump");
    Process tcpdump = Cmd.start("tcpdump", "-l", "-nn", "-r", "-");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("read failed: " + e);
      }
    });
    drain.start();
    try (PcapngWriter writer = PcapngWriter.to(tcpdump.getOutputStream(), true)) {
      int tap = writer.addInterface(LinkType.ETHERNET, "tl-tap0", 0);
      writer.write(tap, TIME, SamplePackets.arpRequest(), 0, 42, 42, null);
      assertThat(lines.poll(10, TimeUnit.SECONDS)).contains("ARP, Request who-has 198.19.0.2 tell 198.19.0.1");
      byte[] ping = SamplePackets.inEthernet(SamplePackets.pingIpv4());
      writer.write(tap, TIME.plusSeconds(1), ping, 0, ping.length, ping.length, null);
      assertThat(lines.poll(10, TimeUnit.SECONDS)).contains("198.18.0.1 > 198.18.0.2: ICMP echo request");
      assertThat(tcpdump.isAlive()).isTrue();
    } finally {
      assertThat(tcpdump.waitFor(10, TimeUnit.SECONDS)).isTrue();
      drain.join(10_000);
    }
    assertThat(tcpdump.exitValue()).isZero();
  }

  @Test
  void ourReaderDeliversEachPacketOfAPipeBeforeTheWriterCloses() throws Exception {
    Pipe pipe = Pipe.open();
    BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    Thread reading = new Thread(() -> {
      try (CaptureReader reader = CaptureReader.open(pipe.source())) {
        for (CapturedPacket packet; (packet = reader.next()) != null; ) {
          received.add(packet);
        }
        received.add("end");
      } catch (IOException e) {
        received.add(e);
      }
    });
    reading.start();
    try (PcapngWriter writer = PcapngWriter.to(pipe.sink(), true)) {
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", 0);
      for (int i = 0; i < 3; i++) {
        writer.write(tun, TIME.plusSeconds(i), SamplePackets.pingIpv6(), 0, 56, 56, "packet " + i);
        Object next = received.poll(10, TimeUnit.SECONDS);
        assertThat(next).isInstanceOfSatisfying(CapturedPacket.class, packet -> {
          assertThat(packet.interfaceName()).isEqualTo("tl-tun0");
          assertThat(packet.comment()).isEqualTo("packet " + packet.timestamp().minusSeconds(TIME.getEpochSecond())
              .getEpochSecond());
        });
      }
    }
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("end");
    reading.join(10_000);
  }
}
