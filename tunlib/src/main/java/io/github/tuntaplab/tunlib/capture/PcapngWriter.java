package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes pcapng: one section, any number of interfaces with their own link types and names
 * (a TAP as Ethernet, a TUN as raw IP, the underlay as Ethernet), nanosecond timestamps and
 * per-packet comments. Wireshark and tshark read such a file whole, also live from a pipe when
 * every block is flushed as it is written ({@link #to(OutputStream, boolean)}); tcpdump reads it
 * when all interfaces share one link type.
 */
public final class PcapngWriter implements CaptureWriter {
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
  private static final int SHB_USERAPPL = 4;
  private static final int EPB_FLAGS = 2;
  private static final byte NANOSECOND_RESOLUTION = 9;
  private static final long MAX_SECONDS = Long.divideUnsigned(-1L, 1_000_000_000L) - 1;

  private final CaptureOutput out;
  private final List<Long> snaplens = new ArrayList<>();

  private PcapngWriter(CaptureOutput out) throws IOException {
    this.out = out;
    byte[] application = "TunTap Lab".getBytes(StandardCharsets.UTF_8);
    int length = PcapngReader.BLOCK_OVERHEAD + 16 + optionLength(application) + 4;
    ByteBuffer block = out.reserve(length)
        .putInt(CaptureReader.PCAPNG_SECTION_HEADER).putInt(length)
        .putInt(PcapngReader.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0)
        .putLong(-1); // section length unknown: the stream goes on
    putOption(block, SHB_USERAPPL, application);
    block.putInt(0).putInt(length);
    out.endBlock();
  }

  /** A file, written in large chunks and complete after {@link #close()}. */
  public static PcapngWriter create(Path file) throws IOException {
    return new PcapngWriter(CaptureOutput.file(file, ORDER));
  }

  /**
   * A stream (a pipe to {@code wireshark -k -i -}, a socket): with {@code flushEachBlock} every
   * block is flushed the moment it is written, so the reader sees each packet at once.
   */
  public static PcapngWriter to(OutputStream out, boolean flushEachBlock) throws IOException {
    return new PcapngWriter(CaptureOutput.stream(out, flushEachBlock, ORDER));
  }

  public static PcapngWriter to(WritableByteChannel out, boolean flushEachBlock) throws IOException {
    return new PcapngWriter(CaptureOutput.channel(out, flushEachBlock, ORDER));
  }

  @Override
  public int addInterface(LinkType linkType, String name, int snaplen) throws IOException {
    if (snaplen < 0) {
      throw new IllegalArgumentException("snaplen " + snaplen);
    }
    byte[] nameBytes = name == null ? null : name.getBytes(StandardCharsets.UTF_8);
    byte[] resolution = {NANOSECOND_RESOLUTION};
    int length = PcapngReader.BLOCK_OVERHEAD + 8 + optionLength(nameBytes) + optionLength(resolution) + 4;
    ByteBuffer block = out.reserve(length)
        .putInt(PcapngReader.INTERFACE_DESCRIPTION).putInt(length)
        .putShort((short) linkType.value()).putShort((short) 0).putInt(snaplen);
    putOption(block, PcapngReader.IF_NAME, nameBytes);
    putOption(block, PcapngReader.IF_TSRESOL, resolution);
    block.putInt(0).putInt(length);
    out.endBlock();
    snaplens.add((long) snaplen);
    return snaplens.size() - 1;
  }

  @Override
  public void write(int interfaceId, Instant timestamp, byte[] data, int offset, int length, int originalLength,
      String comment) throws IOException {
    write(interfaceId, timestamp, data, offset, length, originalLength, comment, Direction.UNKNOWN);
  }

  /** Which way a packet crossed its interface: pcapng's {@code epb_flags} bits 0–1, shown by Wireshark. */
  public enum Direction {
    /** Not recorded (no flags option is written). */
    UNKNOWN,
    /** Received by the interface: for a TUN or TAP, written into the device by its program. */
    INBOUND,
    /** Sent by the interface: for a TUN or TAP, what the kernel hands to the program reading it. */
    OUTBOUND
  }

  /** Like {@link #write(int, Instant, byte[], int, int, int, String)}, recording the packet's direction. */
  public void write(int interfaceId, Instant timestamp, byte[] data, int offset, int length, int originalLength,
      String comment, Direction direction) throws IOException {
    if (interfaceId < 0 || interfaceId >= snaplens.size()) {
      throw new IllegalArgumentException("interface " + interfaceId + " was not added; there are " + snaplens.size());
    }
    CaptureOutput.checkPacket(data, offset, length, originalLength, snaplens.get(interfaceId));
    long ticks = CaptureOutput.unsignedSeconds(timestamp, MAX_SECONDS) * 1_000_000_000L + timestamp.getNano();
    byte[] commentBytes = comment == null ? null : comment.getBytes(StandardCharsets.UTF_8);
    boolean flags = direction != Direction.UNKNOWN;
    int optionsLength = commentBytes == null && !flags ? 0 : optionLength(commentBytes) + (flags ? 8 : 0) + 4;
    int blockLength = PcapngReader.BLOCK_OVERHEAD + 20 + PcapngReader.padded(length) + optionsLength;
    ByteBuffer block = out.reserve(blockLength)
        .putInt(PcapngReader.ENHANCED_PACKET).putInt(blockLength)
        .putInt(interfaceId).putInt((int) (ticks >>> 32)).putInt((int) ticks)
        .putInt(length).putInt(originalLength)
        .put(data, offset, length);
    pad(block, length);
    if (commentBytes != null || flags) {
      putOption(block, PcapngReader.OPT_COMMENT, commentBytes);
      if (flags) {
        block.putShort((short) EPB_FLAGS).putShort((short) 4).putInt(direction.ordinal());
      }
      block.putInt(0);
    }
    block.putInt(blockLength);
    out.endBlock();
  }

  /** The bytes an option takes: code, length, value padded to 4; none for a null value. */
  private static int optionLength(byte[] value) {
    if (value != null && value.length > 0xffff) {
      throw new IllegalArgumentException("an option holds at most 65535 bytes, not " + value.length);
    }
    return value == null ? 0 : 4 + PcapngReader.padded(value.length);
  }

  private static void putOption(ByteBuffer block, int code, byte[] value) {
    if (value == null) {
      return;
    }
    block.putShort((short) code).putShort((short) value.length).put(value);
    pad(block, value.length);
  }

  private static void pad(ByteBuffer block, int length) {
    for (int i = length; i < PcapngReader.padded(length); i++) {
      block.put((byte) 0);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
