package io.github.tuntaplab.tunlib.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * Buffered reads from a file or a stream with the current byte offset always known, so every error
 * can name it. The buffer grows only as far as a caller asks, and callers bound what they ask by
 * {@link #remaining()} and their own maximum before asking: a forged length never allocates.
 */
final class CaptureInput implements Closeable {
  private static final int INITIAL_CAPACITY = 64 * 1024;
  /** After a seek (random access), read little; sequential reading doubles it back to the capacity. */
  private static final int MIN_READ_AHEAD = 4 * 1024;

  private final ReadableByteChannel channel;
  private final long size;
  /** Unread bytes lie between position and limit; {@code bufferEnd} is the file offset of the limit. */
  private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_CAPACITY).flip();
  private long bufferEnd;
  private int readAhead = INITIAL_CAPACITY;

  /** {@code size} is the whole length when known (a file), or -1 for a stream. */
  CaptureInput(ReadableByteChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  static CaptureInput of(ReadableByteChannel channel) throws IOException {
    long size = channel instanceof SeekableByteChannel ? ((SeekableByteChannel) channel).size() : -1;
    CaptureInput input = new CaptureInput(channel, size);
    if (channel instanceof SeekableByteChannel) {
      input.bufferEnd = ((SeekableByteChannel) channel).position();
    }
    return input;
  }

  long position() {
    return bufferEnd - buffer.remaining();
  }

  /** Bytes left in a file; for a stream, whose end is unknown, {@link Long#MAX_VALUE}. */
  long remaining() {
    return size < 0 ? Long.MAX_VALUE : size - position();
  }

  boolean isSeekable() {
    return channel instanceof SeekableByteChannel;
  }

  /**
   * Makes up to {@code count} bytes readable without consuming them and returns how many are
   * (fewer only at the end of the input). The caller must have bounded {@code count}.
   */
  int request(int count) throws IOException {
    if (buffer.remaining() >= count) {
      return count;
    }
    if (buffer.capacity() < count) {
      ByteBuffer larger = ByteBuffer.allocate(Math.max(count, buffer.capacity() * 2));
      larger.put(buffer);
      buffer = larger;
    } else {
      buffer.compact();
    }
    buffer.limit(Math.min(buffer.capacity(), Math.max(count, readAhead)));
    readAhead = Math.min(readAhead * 2, INITIAL_CAPACITY);
    while (buffer.position() < count) {
      int read = channel.read(buffer);
      if (read < 0) {
        break;
      }
      bufferEnd += read;
    }
    buffer.flip();
    return Math.min(count, buffer.remaining());
  }

  /** A view of the next {@code count} bytes, which {@link #request} must have made readable. */
  ByteBuffer peek(int count, ByteOrder order) {
    return buffer.slice().limit(count).order(order);
  }

  /** Like {@link #peek}, and consumes the bytes. */
  ByteBuffer take(int count, ByteOrder order) {
    ByteBuffer view = peek(count, order);
    buffer.position(buffer.position() + count);
    return view;
  }

  /**
   * The array the unread bytes lie in, from {@link #arrayPosition()}: valid until the next
   * {@link #request}, which may move them. For reading a packet in place, without a view or a copy.
   */
  byte[] array() {
    return buffer.array();
  }

  int arrayPosition() {
    return buffer.arrayOffset() + buffer.position();
  }

  /** Skips {@code count} bytes; returns how many were skipped (fewer only at the end). */
  long skip(long count) throws IOException {
    if (count <= buffer.remaining()) {
      buffer.position(buffer.position() + (int) count);
      return count;
    }
    if (isSeekable()) {
      long target = Math.min(position() + count, size);
      long skipped = target - position();
      seek(target);
      return skipped;
    }
    long skipped = buffer.remaining();
    buffer.position(buffer.limit());
    while (skipped < count) {
      int chunk = request((int) Math.min(count - skipped, INITIAL_CAPACITY));
      if (chunk == 0) {
        break;
      }
      buffer.position(buffer.position() + chunk);
      skipped += chunk;
    }
    return skipped;
  }

  void seek(long offset) throws IOException {
    ((SeekableByteChannel) channel).position(offset);
    buffer.clear().flip();
    bufferEnd = offset;
    readAhead = MIN_READ_AHEAD;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
