package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The packets of a live session. Their bytes go to a temporary spool file (so the collector never
 * copies them around); the heap keeps 27 bytes of each (where, when, how long, which interface and
 * direction). Bounded: at most {@code maxBytes} in the file and {@link #MAX_PACKETS} packets.
 * The bytes gather in a {@link #BATCH} that is written to the file when full: one write a packet
 * (tens of thousands a second at full rate) took the cores the FX thread needs. A batch is never
 * reused, so a reader that found a packet in it reads it there even after it was written out.
 * One thread adds; others read below a size they were handed through a happens-before edge, as
 * with {@link IntList}.
 */
final class LivePackets implements AutoCloseable {
  /** The directory of the spool files (a system property; {@code java.io.tmpdir} when unset). */
  static final String DIRECTORY_PROPERTY = "tuntaplab.spool.dir";
  /** Packets at most: 54 MiB of heap for their columns. */
  static final int MAX_PACKETS = 2_000_000;
  /** The bytes gathered before one write to the spool file. */
  static final int BATCH = 1 << 20;
  /**
   * How long after a write the full disk refused the next one is tried: every packet arriving meanwhile
   * is dropped without a system call, where retrying the whole batch for each kept the reader busy.
   */
  static final Duration SPOOL_RETRY = Duration.ofSeconds(1);

  private final long maxBytes;
  private final Path file;
  private final FileChannel spool;
  private final Map<Integer, String> comments = new ConcurrentHashMap<>();
  /** Per interface number, its link type and name, as the first packet of each told them. */
  private final List<Device> devices = new CopyOnWriteArrayList<>();
  private volatile Columns columns = new Columns(1024);
  private volatile int size;
  private long bytes;
  /** The bytes not written to the file yet, from file offset {@code start}; replaced, never reused, once written. */
  private volatile Batch batch = new Batch(0, new byte[BATCH]);
  /** Why the spool takes no more now: its disk is full; null while it takes packets. */
  private volatile SpoolFull full;
  /** While {@link #full}: when ({@link System#nanoTime}) the held batch is written again at the earliest. */
  private long nextRetryNanos;

  /**
   * The spool's disk refused a batch: packets are dropped until it takes one again.
   *
   * @param directory the spool file's directory (the file, deleted on close, has no name)
   * @param diskBytes the size of the file system it is on (0 when it cannot be told)
   * @param error the system's words, e.g. "No space left on device"
   */
  record SpoolFull(Path directory, long diskBytes, String error) {}

  /** An interface's link type and name, as its first packet told them. */
  private record Device(LinkType linkType, String name) {}

  private record Batch(long start, byte[] bytes) {
    boolean holds(long offset) {
      return offset >= start;
    }
  }

  /** The per-packet columns, replaced whole (copied larger) when full. */
  private record Columns(long[] offset, long[] nanos, int[] originalLength, int[] length, short[] interfaceIndex,
      byte[] direction) {
    Columns(int capacity) {
      this(new long[capacity], new long[capacity], new int[capacity], new int[capacity], new short[capacity],
          new byte[capacity]);
    }

    Columns grow(int capacity) {
      return new Columns(Arrays.copyOf(offset, capacity), Arrays.copyOf(nanos, capacity),
          Arrays.copyOf(originalLength, capacity), Arrays.copyOf(length, capacity),
          Arrays.copyOf(interfaceIndex, capacity), Arrays.copyOf(direction, capacity));
    }
  }

  /** @throws CaptureSession.SpoolUnavailable when no spool file can be made in its directory */
  LivePackets(long maxBytes) {
    this.maxBytes = maxBytes;
    Path directory = Path.of(System.getProperty(DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")));
    try {
      file = Files.createTempFile(directory, "tl-live-", ".spool");
      spool = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
          StandardOpenOption.DELETE_ON_CLOSE);
    } catch (IOException e) {
      throw new CaptureSession.SpoolUnavailable(directory, e);
    }
  }

  /**
   * Keeps the packet {@code arriving} has just read (its bytes copied straight into the batch: no
   * array per packet) and returns its number, or -1 when a bound is reached.
   */
  int add(CaptureReader arriving) {
    int count = size;
    int length = arriving.packetCapturedLength();
    int device = arriving.packetInterfaceIndex();
    if (count >= MAX_PACKETS || bytes + length > maxBytes || device > Short.MAX_VALUE || !spool(arriving, length)) {
      return -1;
    }
    while (devices.size() <= device) {
      devices.add(null);
    }
    if (devices.get(device) == null) {
      devices.set(device, new Device(arriving.packetLinkType(), arriving.packetInterfaceName()));
    }
    if (arriving.packetComment() != null) {
      comments.put(count, arriving.packetComment());
    }
    Columns c = columns;
    if (count == c.offset().length) {
      c = c.grow(count + (count >> 1));
      columns = c;
    }
    c.offset()[count] = bytes;
    c.nanos()[count] = arriving.packetSecond() * 1_000_000_000L + arriving.packetNanos();
    c.originalLength()[count] = arriving.packetOriginalLength();
    c.length()[count] = length;
    c.interfaceIndex()[count] = (short) device;
    c.direction()[count] = (byte) arriving.packetDirection().ordinal();
    bytes += length;
    size = count + 1;
    return count;
  }

  /**
   * Puts the packet's bytes in the batch, after writing out a batch too full for them; false when
   * that write fails, the disk full (the packet is dropped, as when memory is spent). The batch then
   * stays in memory, readable, and is written again for the first packet it has no room for once
   * {@link #SPOOL_RETRY} has passed: a disk with room again takes the session on; a smaller packet that
   * still fits is kept meanwhile.
   */
  private boolean spool(CaptureReader arriving, int length) {
    Batch current = batch;
    int used = (int) (bytes - current.start());
    if (used + length > current.bytes().length) {
      if (full != null && System.nanoTime() - nextRetryNanos < 0) {
        return false;
      }
      try {
        write(ByteBuffer.wrap(current.bytes(), 0, used), current.start());
        full = null;
      } catch (IOException e) {
        nextRetryNanos = System.nanoTime() + SPOOL_RETRY.toNanos();
        if (full == null) {
          Path directory = file.getParent();
          full = new SpoolFull(directory, directory.toFile().getTotalSpace(), String.valueOf(e.getMessage()));
        }
        return false;
      }
      current = new Batch(bytes, new byte[Math.max(BATCH, length)]);
      batch = current;
      used = 0;
    }
    arriving.copyPacket(current.bytes(), used);
    return true;
  }

  /** Why no more packets are kept now (the spool's disk is full), or null while they are. */
  SpoolFull spoolFull() {
    return full;
  }

  private void write(ByteBuffer data, long at) throws IOException {
    while (data.hasRemaining()) {
      at += spool.write(data, at);
    }
  }

  /** Reads packet {@code number} back from the batch, or from the spool file. */
  CapturedPacket get(int number) {
    Objects.checkIndex(number, size);
    Columns c = columns;
    long offset = c.offset()[number];
    int length = c.length()[number];
    Batch gathered = batch;
    byte[] data;
    if (gathered.holds(offset)) {
      data = Arrays.copyOfRange(gathered.bytes(), (int) (offset - gathered.start()),
          (int) (offset - gathered.start()) + length);
    } else {
      ByteBuffer read = ByteBuffer.allocate(length);
      try {
        while (read.hasRemaining()) {
          if (spool.read(read, offset + read.position()) < 0) {
            throw new IOException("the spool file ends early");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read live packet " + (number + 1) + " back from " + file, e);
      }
      data = read.array();
    }
    Device device = devices.get(c.interfaceIndex()[number]);
    long nanos = c.nanos()[number];
    return new CapturedPacket(c.interfaceIndex()[number], device.linkType(), device.name(),
        Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)),
        data, c.originalLength()[number], comments.get(number), c.offset()[number],
        Direction.values()[c.direction()[number]]);
  }

  int size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    spool.close();
  }
}
