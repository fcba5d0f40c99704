package io.github.tuntaplab.tunlib.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Random access to the packets of a capture file: one streaming pass records where each packet
 * starts (8 bytes a packet, not the packet), then {@link #packet(int)} seeks there and reads just
 * that one. A file that is corrupt or truncated part-way is indexed up to the fault, which
 * {@link #problem()} keeps for the user to see. Thread-safe.
 *
 * <p>{@link #open(Path)} returns once the pass is done. A viewer that must show the first packets
 * of a large file at once uses {@link #start(Path)} and runs {@link #scan(Listener)} on a thread of
 * its own: meanwhile {@link #size()} grows and every packet below it can be read.
 */
public final class CaptureIndex implements Closeable {
  /** Told of every packet the pass indexes; answers whether to go on. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param index the packet's number, counted from 0; {@link #packet(int)} can read it already
     * @param packet the packet as the pass read it (its bytes too, for a caller that looks at them)
     * @return false to stop the pass here (the index then ends with this packet)
     */
    boolean indexed(int index, CapturedPacket packet);
  }

  private static final Listener ALL = (index, packet) -> true;

  /** The pass's own reader; {@link #random} serves {@link #packet(int)} meanwhile. */
  private final CaptureReader scanner;
  private final CaptureReader random;
  /*
   * Published by the volatile write of size: the pass writes an array slot (copying into a larger
   * array first when full) and then size; a reader reads size first, so every slot below it is
   * there in whichever array it then sees.
   */
  private volatile long[] offsets = new long[1024];
  /** The reader's state (its section, for pcapng) from packet {@code stateStarts[i]} on. */
  private volatile Object[] states = new Object[4];
  private volatile int[] stateStarts = new int[4];
  private volatile int stateCount;
  private volatile int size;
  private volatile boolean complete;
  private volatile CaptureFormatException problem;

  private CaptureIndex(CaptureReader scanner, CaptureReader random) {
    this.scanner = scanner;
    this.random = random;
  }

  /** Indexes {@code file}; fails only if the file cannot be opened or is no capture at all. */
  public static CaptureIndex open(Path file) throws IOException {
    CaptureIndex index = start(file);
    try {
      index.scan(ALL);
      return index;
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  /**
   * Opens {@code file} for an index that {@link #scan(Listener)} fills; fails only if the file
   * cannot be opened or is no capture at all.
   */
  public static CaptureIndex start(Path file) throws IOException {
    CaptureReader scanner = CaptureReader.open(file);
    try {
      return new CaptureIndex(scanner, CaptureReader.open(file));
    } catch (IOException | RuntimeException e) {
      scanner.close();
      throw e;
    }
  }

  /**
   * The streaming pass, on the calling thread: indexes every packet up to the end of the file, the
   * first fault ({@link #problem()}) or the packet the listener stops at. Runs once.
   */
  public void scan(Listener listener) throws IOException {
    if (size > 0 || complete) {
      throw new IllegalStateException("the index is scanned once");
    }
    try {
      for (CapturedPacket packet; (packet = scanner.next()) != null; ) {
        int index = record(packet.fileOffset(), scanner.state());
        if (!listener.indexed(index, packet)) {
          break;
        }
      }
    } catch (CaptureFormatException e) {
      problem = e;
    } finally {
      complete = true;
      scanner.close();
    }
  }

  private int record(long offset, Object state) {
    int count = size;
    int known = stateCount;
    if (known == 0 || states[known - 1] != state) {
      if (known == states.length) {
        states = Arrays.copyOf(states, known * 2);
        stateStarts = Arrays.copyOf(stateStarts, known * 2);
      }
      states[known] = state;
      stateStarts[known] = count;
      stateCount = known + 1;
    }
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count + (count >> 1));
    }
    offsets[count] = offset;
    size = count + 1;
    return count;
  }

  /** How many packets could be read (so far, while {@link #scan} runs). */
  public int size() {
    return size;
  }

  /** Whether the pass has ended: at the end of the file, at a fault, or where it was stopped. */
  public boolean isComplete() {
    return complete;
  }

  /** Why reading stopped before the end of the file, if it did. */
  public Optional<CaptureFormatException> problem() {
    return Optional.ofNullable(problem);
  }

  public CaptureReader.Format format() {
    return random.format();
  }

  /** The packet at {@code index}, counted from 0 (Wireshark's frame number minus one). */
  public synchronized CapturedPacket packet(int index) throws IOException {
    Objects.checkIndex(index, size);
    long offset = offsets[index];
    int known = stateCount;
    int stateIndex = Arrays.binarySearch(stateStarts, 0, known, index);
    if (stateIndex < 0) {
      stateIndex = -stateIndex - 2;
    }
    return random.readAt(offset, states[stateIndex]);
  }

  /**
   * Stops reading packets; a running {@link #scan} ends with an {@link IOException} soon after
   * (stop it through its listener to end it quietly).
   */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      random.close();
    }
    scanner.close();
  }
}
