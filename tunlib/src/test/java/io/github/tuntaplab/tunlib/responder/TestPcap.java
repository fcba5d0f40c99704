package io.github.tuntaplab.tunlib.responder;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST-ONLY, minimal classic pcap reading and writing for the responder's tests. The real reader
 * and writer are tunlib's {@code capture} package, written in parallel; switch to it once merged.
 */
public final class TestPcap {
  static final int LINKTYPE_ETHERNET = 1;
  static final int LINKTYPE_RAW = 101;

  private static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
  private static final int MAGIC_NANOSECONDS = 0xa1b23c4d;

  private TestPcap() {}

  /** Reads records one by one, as they arrive from a file or a live {@code tcpdump -U -w -}. */
  static final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private final ByteOrder order;
    private final int linkType;

    Reader(InputStream in) throws IOException {
      this.in = new DataInputStream(in);
      byte[] header = this.in.readNBytes(24);
      if (header.length < 24) {
        throw new EOFException("no pcap file header");
      }
      ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      int magic = buffer.getInt(0);
      if (magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS) {
        order = ByteOrder.LITTLE_ENDIAN;
      } else if (Integer.reverseBytes(magic) == MAGIC_MICROSECONDS || Integer.reverseBytes(magic) == MAGIC_NANOSECONDS) {
        order = ByteOrder.BIG_ENDIAN;
      } else {
        throw new IOException("not a classic pcap file: magic " + Integer.toHexString(magic));
      }
      linkType = buffer.order(order).getInt(20) & 0x0fff_ffff;
    }

    int linkType() {
      return linkType;
    }

    /** The next record's captured bytes, or null at the end of the stream. */
    byte[] next() throws IOException {
      byte[] header = in.readNBytes(16);
      if (header.length < 16) {
        return null;
      }
      int captured = ByteBuffer.wrap(header).order(order).getInt(8);
      byte[] data = in.readNBytes(captured);
      if (data.length < captured) {
        return null;
      }
      return data;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  public static List<byte[]> readAll(Path file) {
    try (Reader reader = new Reader(Files.newInputStream(file))) {
      List<byte[]> frames = new ArrayList<>();
      for (byte[] frame = reader.next(); frame != null; frame = reader.next()) {
        frames.add(frame);
      }
      return frames;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code frames} one millisecond apart, so a reader sees their order. */
  static void write(Path file, int linkType, List<byte[]> frames) {
    int size = 24 + frames.stream().mapToInt(frame -> 16 + frame.length).sum();
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC_MICROSECONDS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
        .putInt(262144).putInt(linkType);
    int millis = 0;
    for (byte[] frame : frames) {
      out.putInt(1_700_000_000).putInt(millis++ * 1000).putInt(frame.length).putInt(frame.length).put(frame);
    }
    try {
      Files.write(file, out.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
