package io.github.tuntaplab.tunlib.testsupport;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Whole capture files as lists of frames, for tests that build or judge a handful of packets. */
public final class CaptureFiles {
  private CaptureFiles() {}

  /** Every packet of the file, in order; a corrupt file fails the test. */
  public static List<CapturedPacket> packets(Path file) {
    List<CapturedPacket> packets = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet = reader.next(); packet != null; packet = reader.next()) {
        packets.add(packet);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return packets;
  }

  /** A capture file to {@link #merge}, and the pcapng interface its packets become. */
  public record Interface(Path file, String name, String description) {}

  /**
   * mergecap's job: the packets of every file in one pcapng file, one interface each (in the order
   * given), in time order. A file without packets is refused: it would be an empty interface.
   */
  public static void merge(Path target, List<Interface> sources) {
    record Entry(int id, CapturedPacket packet) {}
    try (PcapngWriter writer = PcapngWriter.create(target)) {
      List<Entry> all = new ArrayList<>();
      for (Interface source : sources) {
        List<CapturedPacket> packets = packets(source.file());
        if (packets.isEmpty()) {
          throw new IllegalStateException(source.file() + " holds no packets");
        }
        int id = writer.addInterface(packets.get(0).linkType(), source.name(), source.description(), 262_144);
        packets.forEach(packet -> all.add(new Entry(id, packet)));
      }
      all.sort(Comparator.comparing(entry -> entry.packet().timestamp()));
      for (Entry entry : all) {
        writer.write(entry.id(), entry.packet());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Every packet's captured bytes, in file order. */
  public static List<byte[]> frames(Path file) {
    return packets(file).stream().map(CapturedPacket::data).toList();
  }

  /** A packet to write: captured bytes, and the length it had on the wire. */
  public static CapturedPacket packet(LinkType linkType, byte[] captured, int originalLength) {
    return new CapturedPacket(0, linkType, null, Instant.EPOCH, captured, originalLength, null, -1);
  }

  /** Writes {@code frames} as a pcap file, one second apart, each complete (original = captured length). */
  public static void write(Path file, LinkType linkType, List<byte[]> frames) {
    write(file, frames.stream().map(frame -> packet(linkType, frame, frame.length)).toList());
  }

  /** Writes {@code packets}, all of the first one's link type, one second apart, as a pcap file. */
  public static void write(Path file, List<CapturedPacket> packets) {
    try (PcapWriter writer = PcapWriter.create(file)) {
      int id = writer.addInterface(packets.isEmpty() ? LinkType.ETHERNET : packets.get(0).linkType(), null, 262_144);
      for (int i = 0; i < packets.size(); i++) {
        byte[] data = packets.get(i).data();
        writer.write(id, Instant.ofEpochSecond(1_700_000_000L + i), data, 0, data.length,
            packets.get(i).originalLength(), null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
