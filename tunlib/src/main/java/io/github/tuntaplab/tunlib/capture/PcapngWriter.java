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
    return addInterface(linkType, name, null, snaplen);
  }

  /**
   * As {@link #addInterface(LinkType, String, int)}, with a description ({@code if_description})
   * that Wireshark shows beside the name, e.g. the namespace the device lives in; null for none.
   */
  public int addInterface(LinkType linkType, String name, String description, int snaplen) throws IOException {
    if (snaplen < 0) {
      throw new IllegalArgumentException("snaplen " + snaplen);
    }
    byte[] nameBytes = utf8(name);
    byte[] descriptionBytes = utf8(description);
    byte[] resolution = {NANOSECOND_RESOLUTION};
    int length = PcapngReader.BLOCK_OVERHEAD + 8 + optionLength(nameBytes) + optionLength(descriptionBytes)
        + optionLength(resolution) + 4;
    ByteBuffer block = out.reserve(length)
        .putInt(PcapngReader.INTERFACE_DESCRIPTION).putInt(length)
        .putShort((short) linkType.value()).putShort((short) 0).putInt(snaplen);
    putOption(block, PcapngReader.IF_NAME, nameBytes);
    putOption(block, PcapngReader.IF_DESCRIPTION, descriptionBytes);
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

  /**
   * As {@link #write(int, Instant, byte[], int, int, int, String)}, with the packet's direction in
   * the block's {@code epb_flags} (tshark's {@code frame.packet_flags_direction}).
   */
  public void write(int interfaceId, Instant timestamp, byte[] data, int offset, int length, int originalLength,
      String comment, Direction direction) throws IOException {
    if (interfaceId < 0 || interfaceId >= snaplens.size()) {
      throw new IllegalArgumentException("interface " + interfaceId + " was not added; there are " + snaplens.size());
    }
    CaptureOutput.checkPacket(data, offset, length, originalLength, snaplens.get(interfaceId));
    long ticks = CaptureOutput.unsignedSeconds(timestamp, MAX_SECONDS) * 1_000_000_000L + timestamp.getNano();
    byte[] commentBytes = utf8(comment);
    byte[] flags = direction == Direction.UNKNOWN ? null
        : ByteBuffer.allocate(4).order(ORDER).putInt(direction.epbFlags()).array();
    int optionsLength = optionLength(commentBytes) + optionLength(flags);
    optionsLength += optionsLength == 0 ? 0 : 4;
    int blockLength = PcapngReader.BLOCK_OVERHEAD + 20 + PcapngReader.padded(length) + optionsLength;
    ByteBuffer block = out.reserve(blockLength)
        .putInt(PcapngReader.ENHANCED_PACKET).putInt(blockLength)
        .putInt(interfaceId).putInt((int) (ticks >>> 32)).putInt((int) ticks)
        .putInt(length).putInt(originalLength)
        .put(data, offset, length);
    pad(block, length);
    putOption(block, PcapngReader.OPT_COMMENT, commentBytes);
    putOption(block, PcapngReader.EPB_FLAGS, flags);
    if (optionsLength > 0) {
      block.putInt(0);
    }
    block.putInt(blockLength);
    out.endBlock();
  }

  /**
   * Writes a Decryption Secrets Block: readers use it for the packets that follow, so write it
   * before them. The file then holds the keys: keep it as private as they are.
   */
  public void writeDecryptionSecrets(DecryptionSecrets secrets) throws IOException {
    byte[] data = secrets.data();
    int length = PcapngReader.BLOCK_OVERHEAD + 8 + PcapngReader.padded(data.length);
    ByteBuffer block = out.reserve(length)
        .putInt(PcapngReader.DECRYPTION_SECRETS).putInt(length)
        .putInt(secrets.type()).putInt(data.length).put(data);
    pad(block, data.length);
    block.putInt(length);
    out.endBlock();
  }

  /**
   * Writes an Interface Statistics Block: the counts it knows (negative ones are left out), as
   * {@code isb_ifrecv} and {@code isb_ifdrop}, for the interface added as {@code statistics.interfaceIndex()}.
   */
  public void writeStatistics(InterfaceStatistics statistics) throws IOException {
    int interfaceId = statistics.interfaceIndex();
    if (interfaceId < 0 || interfaceId >= snaplens.size()) {
      throw new IllegalArgumentException("interface " + interfaceId + " was not added; there are " + snaplens.size());
    }
    Instant timestamp = statistics.timestamp();
    long ticks = CaptureOutput.unsignedSeconds(timestamp, MAX_SECONDS) * 1_000_000_000L + timestamp.getNano();
    int counts = (statistics.received() >= 0 ? 1 : 0) + (statistics.dropped() >= 0 ? 1 : 0);
    int length = PcapngReader.BLOCK_OVERHEAD + 12 + (counts == 0 ? 0 : counts * 12 + 4);
    ByteBuffer block = out.reserve(length)
        .putInt(PcapngReader.INTERFACE_STATISTICS).putInt(length)
        .putInt(interfaceId).putInt((int) (ticks >>> 32)).putInt((int) ticks);
    putCount(block, PcapngReader.ISB_IFRECV, statistics.received());
    putCount(block, PcapngReader.ISB_IFDROP, statistics.dropped());
    if (counts > 0) {
      block.putInt(0);
    }
    block.putInt(length);
    out.endBlock();
  }

  private static void putCount(ByteBuffer block, int code, long count) {
    if (count >= 0) {
      block.putShort((short) code).putShort((short) 8).putLong(count);
    }
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
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
