package io.github.tuntaplab.tunlib.capture;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a writer's blocks go: a buffer in front of a channel. A file is written in large chunks;
 * a live stream (a pipe to Wireshark, a socket) gets every block the moment it is complete.
 */
final class CaptureOutput implements Closeable, Flushable {
  private static final int CAPACITY = 64 * 1024;

  private final WritableByteChannel channel;
  private final Flushable stream;
  private final boolean flushEachBlock;
  private ByteBuffer buffer;

  private CaptureOutput(WritableByteChannel channel, Flushable stream, boolean flushEachBlock, ByteOrder order) {
    this.channel = channel;
    this.stream = stream;
    this.flushEachBlock = flushEachBlock;
    this.buffer = ByteBuffer.allocate(CAPACITY).order(order);
  }

  static CaptureOutput file(Path file, ByteOrder order) throws IOException {
    return new CaptureOutput(Files.newByteChannel(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), null, false, order);
  }

  static CaptureOutput stream(OutputStream out, boolean flushEachBlock, ByteOrder order) {
    return new CaptureOutput(Channels.newChannel(out), out, flushEachBlock, order);
  }

  static CaptureOutput channel(WritableByteChannel out, boolean flushEachBlock, ByteOrder order) {
    return new CaptureOutput(out, null, flushEachBlock, order);
  }

  /** Refuses a packet that readers would reject: too long, longer than its snap length, or negative. */
  static void checkPacket(byte[] data, int offset, int length, int originalLength, long snaplen) {
    Objects.checkFromIndexSize(offset, length, data.length);
    if (length > CaptureReader.MAX_PACKET_LENGTH || (snaplen != 0 && length > snaplen)) {
      throw new IllegalArgumentException("a packet of " + length + " bytes exceeds the snap length "
          + (snaplen == 0 ? CaptureReader.MAX_PACKET_LENGTH : snaplen));
    }
    if (originalLength < length) {
      throw new IllegalArgumentException("original length " + originalLength + " < captured length " + length);
    }
  }

  /** Seconds since the epoch as an unsigned 32-bit pcap field, or an exception if it does not fit. */
  static long unsignedSeconds(Instant timestamp, long max) {
    long seconds = timestamp.getEpochSecond();
    if (seconds < 0 || seconds > max) {
      throw new IllegalArgumentException(timestamp + " cannot be stored in a capture file");
    }
    return seconds;
  }

  /** A buffer with room for {@code length} more bytes, to put one block into. */
  ByteBuffer reserve(int length) throws IOException {
    if (buffer.remaining() < length) {
      drain();
      if (buffer.capacity() < length) {
        buffer = ByteBuffer.allocate(length).order(buffer.order());
      }
    }
    return buffer;
  }

  /** Marks the end of a block: a live stream sends it now. */
  void endBlock() throws IOException {
    if (flushEachBlock) {
      flush();
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public void flush() throws IOException {
    drain();
    if (stream != null) {
      stream.flush();
    }
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      flush();
    }
  }
}
