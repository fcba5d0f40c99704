package io.github.tuntaplab.tunlib.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Random access to the packets of a capture file: one streaming pass records where each packet
 * starts (8 bytes a packet, not the packet), then {@link #packet(int)} seeks there and reads just
 * that one. A file that is corrupt or truncated part-way is indexed up to the fault, which
 * {@link #problem()} keeps for the user to see. Thread-safe.
 */
public final class CaptureIndex implements Closeable {
  private final CaptureReader reader;
  private final long[] offsets;
  /** The reader's state (its section, for pcapng) from packet {@code stateStarts[i]} on. */
  private final List<Object> states;
  private final int[] stateStarts;
  private final CaptureFormatException problem;

  private CaptureIndex(CaptureReader reader) throws IOException {
    this.reader = reader;
    Scan scan = new Scan();
    CaptureFormatException fault = null;
    try {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        scan.record(packet.fileOffset(), reader.state());
      }
    } catch (CaptureFormatException e) {
      fault = e;
    }
    // Final fields, so that the index may be handed to other threads as it is.
    this.offsets = Arrays.copyOf(scan.offsets, scan.count);
    this.states = List.copyOf(scan.states);
    this.stateStarts = Arrays.copyOf(scan.stateStarts, scan.states.size());
    this.problem = fault;
  }

  /** Indexes {@code file}; fails only if the file cannot be opened or is no capture at all. */
  public static CaptureIndex open(Path file) throws IOException {
    CaptureReader reader = CaptureReader.open(file);
    try {
      return new CaptureIndex(reader);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** The offsets and states as the streaming pass finds them. */
  private static final class Scan {
    long[] offsets = new long[1024];
    int count;
    final List<Object> states = new ArrayList<>();
    int[] stateStarts = new int[4];

    void record(long offset, Object state) {
      if (states.isEmpty() || states.get(states.size() - 1) != state) {
        if (states.size() == stateStarts.length) {
          stateStarts = Arrays.copyOf(stateStarts, stateStarts.length * 2);
        }
        stateStarts[states.size()] = count;
        states.add(state);
      }
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length + (offsets.length >> 1));
      }
      offsets[count++] = offset;
    }
  }

  /** How many packets could be read. */
  public int size() {
    return offsets.length;
  }

  /** Why reading stopped before the end of the file, if it did. */
  public Optional<CaptureFormatException> problem() {
    return Optional.ofNullable(problem);
  }

  public CaptureReader.Format format() {
    return reader.format();
  }

  /** The packet at {@code index}, counted from 0 (Wireshark's frame number minus one). */
  public synchronized CapturedPacket packet(int index) throws IOException {
    Objects.checkIndex(index, offsets.length);
    int stateIndex = Arrays.binarySearch(stateStarts, index);
    if (stateIndex < 0) {
      stateIndex = -stateIndex - 2;
    }
    return reader.readAt(offsets[index], states.get(stateIndex));
  }

  @Override
  public synchronized void close() throws IOException {
    reader.close();
  }
}
