package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads packets one at a time from a pcap or pcapng file or stream, whichever the first four bytes
 * say it is. Streamed: only the packet being read is in memory, so a file of millions of packets
 * reads in constant space. Not thread-safe.
 *
 * <pre>{@code
 * try (CaptureReader reader = CaptureReader.open(path)) {
 *   for (CapturedPacket p; (p = reader.next()) != null; ) { ... }
 * }
 * }</pre>
 *
 * <p>A malformed or truncated file makes {@link #next()} throw {@link CaptureFormatException}
 * after every complete packet before the fault has been delivered.
 *
 * <p>{@link #advance()} reads the same packets without building a {@link CapturedPacket}: its
 * bytes stay in the reader's buffer and its header in the reader, for a caller that handles
 * millions of packets and keeps none ({@code tunlab print}). {@link #next()} is built on it.
 */
public abstract sealed class CaptureReader implements Closeable permits PcapReader, PcapngReader {
  /** The most bytes one packet may claim: libpcap's limit, so we read what tcpdump reads. */
  public static final int MAX_PACKET_LENGTH = 262_144;

  static final int PCAP_MAGIC_MICROS = 0xa1b2c3d4;
  static final int PCAP_MAGIC_NANOS = 0xa1b23c4d;
  static final int PCAPNG_SECTION_HEADER = 0x0a0d0d0a;

  /** The two formats, named as users know them. */
  public enum Format { PCAP, PCAPNG }

  final CaptureInput input;
  Consumer<InterfaceStatistics> statisticsListener = statistics -> { };

  // The packet advance() read, until the next read. Its bytes lie in packetArray, from packetStart.
  long packetOffset;
  int packetInterfaceIndex;
  LinkType packetLinkType;
  String packetInterfaceName;
  String packetInterfaceDescription;
  long packetSecond;
  int packetNanos;
  byte[] packetArray;
  int packetStart;
  int packetCapturedLength;
  int packetOriginalLength;
  String packetComment;
  Direction packetDirection = Direction.UNKNOWN;

  CaptureReader(CaptureInput input) {
    this.input = input;
  }

  /** Opens a file; the format is detected from its first bytes. */
  public static CaptureReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file);
    try {
      return open(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Reads from any channel: a file, or a pipe or socket carrying a live capture (then reads block
   * until the writer sends the next block). The reader closes the channel when it is closed.
   */
  public static CaptureReader open(ReadableByteChannel channel) throws IOException {
    CaptureInput input = CaptureInput.of(channel);
    long start = input.position();
    int available = input.request(4);
    if (available < 4) {
      throw CaptureFormatException.truncated(start, "the file's magic number at offset " + start, 4, available);
    }
    int magic = input.peek(4, ByteOrder.BIG_ENDIAN).getInt();
    if (magic == PCAPNG_SECTION_HEADER) {
      return new PcapngReader(input);
    }
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      int ordered = input.peek(4, order).getInt();
      if (ordered == PCAP_MAGIC_MICROS || ordered == PCAP_MAGIC_NANOS) {
        return new PcapReader(input, order, ordered == PCAP_MAGIC_NANOS);
      }
    }
    throw CaptureFormatException.malformed(start, String.format(
        "not a pcap or pcapng file: it starts with 0x%08x at offset %d (pcap starts with 0xa1b2c3d4 or"
            + " 0xa1b23c4d in either byte order, pcapng with 0x0a0d0d0a)", magic, start));
  }

  public abstract Format format();

  /** The next packet, or null at the end of the file. */
  public final CapturedPacket next() throws IOException {
    if (!advance()) {
      return null;
    }
    return new CapturedPacket(packetInterfaceIndex, packetLinkType, packetInterfaceName, packetInterfaceDescription,
        Instant.ofEpochSecond(packetSecond, packetNanos), packetOriginalLength, packetComment, packetOffset,
        packetDirection, Arrays.copyOfRange(packetArray, packetStart, packetStart + packetCapturedLength));
  }

  /**
   * Reads the next packet, as {@link #next()} does, but keeps it in the reader: its header through
   * the {@code packet...} accessors and its bytes through {@link #copyPacket}, until the next read.
   *
   * @return false at the end of the file
   */
  public abstract boolean advance() throws IOException;

  /** The link type of the packet {@link #advance()} read. */
  public LinkType packetLinkType() {
    return packetLinkType;
  }

  /** Its interface's number in the file, as {@link CapturedPacket#interfaceIndex()}. */
  public int packetInterfaceIndex() {
    return packetInterfaceIndex;
  }

  /** Its interface's name, or null, as {@link CapturedPacket#interfaceName()}. */
  public String packetInterfaceName() {
    return packetInterfaceName;
  }

  /** Its interface's description, or null, as {@link CapturedPacket#interfaceDescription()}. */
  public String packetInterfaceDescription() {
    return packetInterfaceDescription;
  }

  /** Its comment, or null, as {@link CapturedPacket#comment()}. */
  public String packetComment() {
    return packetComment;
  }

  /** The direction its capture recorded, as {@link CapturedPacket#direction()}. */
  public Direction packetDirection() {
    return packetDirection;
  }

  /** Its timestamp's seconds since the epoch, as {@link Instant#getEpochSecond()}. */
  public long packetSecond() {
    return packetSecond;
  }

  /** Its timestamp's nanoseconds within {@link #packetSecond()} (0..999,999,999). */
  public int packetNanos() {
    return packetNanos;
  }

  /** How many of its bytes the file holds. */
  public int packetCapturedLength() {
    return packetCapturedLength;
  }

  /** How long it was on the wire. */
  public int packetOriginalLength() {
    return packetOriginalLength;
  }

  /** Copies its {@link #packetCapturedLength()} bytes into {@code to} from index {@code at}. */
  public void copyPacket(byte[] to, int at) {
    System.arraycopy(packetArray, packetStart, to, at, packetCapturedLength);
  }

  /**
   * Sets the timestamp of the packet being read from seconds and nanoseconds, which a pcap record
   * may give as more than a second (as {@link Instant#ofEpochSecond(long, long)} takes them).
   */
  final void packetTime(long second, long nanos) {
    if (nanos >= 1_000_000_000L) {
      second += nanos / 1_000_000_000L;
      nanos %= 1_000_000_000L;
    }
    packetSecond = second;
    packetNanos = (int) nanos;
  }

  /**
   * The Decryption Secrets Blocks read so far (pcapng only; a file puts them before the packets
   * they open, so ask after reading the first packet, or at the end).
   */
  public List<DecryptionSecrets> decryptionSecrets() {
    return List.of();
  }

  /**
   * Calls {@code listener} on the reading thread with each Interface Statistics Block that
   * {@link #next()} or {@link #advance()} passes (pcapng only): a live capture's writer may send one
   * whenever it has dropped packets for this reader, so the listener hears of them even when no
   * packet follows.
   */
  public void onStatistics(Consumer<InterfaceStatistics> listener) {
    statisticsListener = java.util.Objects.requireNonNull(listener);
  }

  /** The snapshot length the file declares (for pcapng: its first interface's, 0 until described). */
  public abstract int snapLength();

  /** What the reader needs to know to parse a packet at a recorded offset (section, interfaces). */
  abstract Object state();

  /** Reads the packet whose record starts at {@code offset}, in the given {@link #state()}. */
  final CapturedPacket readAt(long offset, Object state) throws IOException {
    input.seek(offset);
    restore(state);
    return next();
  }

  abstract void restore(Object state);

  /**
   * Reads the next {@code length} bytes (bounded by the caller), or says the file ends too early
   * inside {@code what}, the structure that starts at {@code whatOffset}.
   */
  final ByteBuffer take(String what, long whatOffset, int length, ByteOrder order) throws IOException {
    require(what, whatOffset, length);
    return input.take(length, order);
  }

  /** Like {@link #take}, but leaves the bytes to the input's own reads (no view per record). */
  final void require(String what, long whatOffset, int length) throws IOException {
    long position = input.position();
    // A file says up front how much is left: a forged length then costs no buffer at all.
    long available = length > input.remaining() ? input.remaining() : input.request(length);
    if (available < length) {
      throw CaptureFormatException.truncated(whatOffset, what + " at offset " + whatOffset
          + (position == whatOffset ? "" : ", from offset " + position + ","), length, available);
    }
  }

  static byte[] bytes(ByteBuffer from, int length) {
    byte[] data = new byte[length];
    from.get(data);
    return data;
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
