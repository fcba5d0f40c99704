package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packets as a lab's stream brings them to the window: written as pcapng (an interface block for each
 * interface, by number, then the packets) and read back one at a time, as the stream's reader reads them.
 */
final class Arrivals {
  private Arrivals() {}

  /** A reader of {@code packets}, whose interface numbers must run from 0 without gaps. */
  static CaptureReader of(List<CapturedPacket> packets) throws IOException {
    Map<Integer, CapturedPacket> firstOfEach = new TreeMap<>();
    packets.forEach(packet -> firstOfEach.putIfAbsent(packet.interfaceIndex(), packet));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    try (PcapngWriter writer = PcapngWriter.to(Channels.newChannel(stream), false)) {
      for (CapturedPacket first : firstOfEach.values()) {
        writer.addInterface(first.linkType(), first.interfaceName(), first.interfaceDescription(), 0);
      }
      for (CapturedPacket packet : packets) {
        byte[] data = packet.data();
        writer.write(packet.interfaceIndex(), packet.timestamp(), data, 0, data.length, packet.originalLength(),
            packet.comment(), packet.direction());
      }
    }
    return CaptureReader.open(Channels.newChannel(new ByteArrayInputStream(stream.toByteArray())));
  }
}
