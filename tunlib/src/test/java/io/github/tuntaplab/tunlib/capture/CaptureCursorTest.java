package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CaptureReader#advance()} and its accessors give, packet for packet, what {@link
 * CaptureReader#next()} gives, over tcpdump's 830 captures (pcap and pcapng, several interfaces
 * and link types, odd timestamps, broken files): including where and how a broken file fails.
 */
class CaptureCursorTest {
  @Test
  void advancingReadsWhatNextReads() throws IOException {
    List<String> problems = new ArrayList<>();
    long packets = 0;
    for (Path file : Prerequisites.corpusCaptures()) {
      try (CaptureReader byNext = CaptureReader.open(file); CaptureReader byAdvance = CaptureReader.open(file)) {
        while (true) {
          String expected = describe(byNext::next);
          String actual = describe(() -> byAdvance.advance() ? describeCurrent(byAdvance) : null);
          if (!expected.equals(actual)) {
            problems.add(file.getFileName() + " packet " + packets + ": next() " + expected + ", advance() " + actual);
            break;
          }
          if (expected.equals("end") || expected.startsWith("fails")) {
            break;
          }
          packets++;
        }
      } catch (CaptureFormatException e) {
        // Refused at the file header: both readers open alike.
      }
    }
    assertThat(problems).isEmpty();
    assertThat(packets).isGreaterThan(10_000);
  }

  private interface Read {
    Object read() throws IOException;
  }

  private static String describe(Read read) {
    try {
      Object packet = read.read();
      if (packet == null) {
        return "end";
      }
      return packet instanceof CapturedPacket p ? describe(p) : (String) packet;
    } catch (IOException e) {
      return "fails: " + e.getMessage();
    }
  }

  private static String describe(CapturedPacket p) {
    return p.interfaceIndex() + " " + p.linkType() + " " + p.interfaceName() + " " + p.interfaceDescription() + " "
        + p.comment() + " " + p.direction() + " " + p.timestamp().getEpochSecond() + "." + p.timestamp().getNano() + " "
        + p.originalLength() + " " + Arrays.toString(p.data());
  }

  private static String describeCurrent(CaptureReader reader) {
    byte[] data = new byte[reader.packetCapturedLength() + 2];
    reader.copyPacket(data, 1);
    return reader.packetInterfaceIndex() + " " + reader.packetLinkType() + " " + reader.packetInterfaceName() + " "
        + reader.packetInterfaceDescription() + " " + reader.packetComment() + " " + reader.packetDirection() + " "
        + reader.packetSecond() + "." + reader.packetNanos() + " " + reader.packetOriginalLength() + " "
        + Arrays.toString(Arrays.copyOfRange(data, 1, data.length - 1));
  }
}
