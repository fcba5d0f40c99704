package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import java.util.Arrays;
import java.util.Objects;

/**
 * The packets of a live session, in memory up to a byte bound (never unbounded). One thread adds;
 * others read below a size they were handed through a happens-before edge, as with {@link IntList}.
 */
final class LivePackets {
  /** What a kept packet costs besides its bytes: the object, its array header, its timestamp. */
  static final int OVERHEAD_BYTES = 96;

  private final long maxBytes;
  private volatile CapturedPacket[] packets = new CapturedPacket[1024];
  private volatile int size;
  private long bytes;

  LivePackets(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Keeps {@code packet} and returns its number, or -1 when the bound is reached. */
  int add(CapturedPacket packet) {
    long cost = packet.capturedLength() + OVERHEAD_BYTES;
    if (bytes + cost > maxBytes) {
      return -1;
    }
    bytes += cost;
    int count = size;
    if (count == packets.length) {
      packets = Arrays.copyOf(packets, count + (count >> 1));
    }
    packets[count] = packet;
    size = count + 1;
    return count;
  }

  CapturedPacket get(int number) {
    Objects.checkIndex(number, size);
    return packets[number];
  }

  int size() {
    return size;
  }
}
