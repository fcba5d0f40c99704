package io.github.tuntaplab.tunlib.testsupport;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Whole capture files as lists of frames, for tests that build or judge a handful of packets. */
public final class CaptureFiles {
  private CaptureFiles() {}

  /** Every packet's captured bytes, in file order. */
  public static List<byte[]> frames(Path file) {
    List<byte[]> frames = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet = reader.next(); packet != null; packet = reader.next()) {
        frames.add(packet.data());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return frames;
  }

  /** Writes {@code frames} as a pcap file, one second apart, each complete (original = captured length). */
  public static void write(Path file, LinkType linkType, List<byte[]> frames) {
    try (PcapWriter writer = PcapWriter.create(file)) {
      int id = writer.addInterface(linkType, null, 262_144);
      for (int i = 0; i < frames.size(); i++) {
        byte[] frame = frames.get(i);
        writer.write(id, Instant.ofEpochSecond(1_700_000_000L + i), frame, 0, frame.length, frame.length, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
