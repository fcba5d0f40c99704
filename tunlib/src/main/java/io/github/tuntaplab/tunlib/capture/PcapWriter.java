package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes the classic pcap format, which every tool reads. It has one link type per file, no
 * interface names and no comments: {@link #addInterface} may be called once, names and comments
 * are dropped. Use {@link PcapngWriter} to keep them or to mix TAP and TUN packets.
 */
public final class PcapWriter implements CaptureWriter {
  private static final long MAX_SECONDS = 0xffff_ffffL;

  private final CaptureOutput out;
  private final boolean nanoseconds;
  private LinkType linkType;
  private long snaplen;

  private PcapWriter(CaptureOutput out, boolean nanoseconds) {
    this.out = out;
    this.nanoseconds = nanoseconds;
  }

  /** A little-endian, microsecond file, as tcpdump writes on this machine. */
  public static PcapWriter create(Path file) throws IOException {
    return new PcapWriter(CaptureOutput.file(file, ByteOrder.LITTLE_ENDIAN), false);
  }

  /** Any byte order, micro- or nanosecond timestamps. */
  public static PcapWriter create(Path file, ByteOrder order, boolean nanoseconds) throws IOException {
    return new PcapWriter(CaptureOutput.file(file, order), nanoseconds);
  }

  /** A live stream: with {@code flushEachPacket} every packet is flushed the moment it is written. */
  public static PcapWriter to(OutputStream out, boolean flushEachPacket) {
    return new PcapWriter(CaptureOutput.stream(out, flushEachPacket, ByteOrder.LITTLE_ENDIAN), false);
  }

  public static PcapWriter to(WritableByteChannel out, boolean flushEachPacket) {
    return new PcapWriter(CaptureOutput.channel(out, flushEachPacket, ByteOrder.LITTLE_ENDIAN), false);
  }

  /** Writes the file header; a pcap file has one interface, so a second call fails. */
  @Override
  public int addInterface(LinkType linkType, String name, int snaplen) throws IOException {
    if (this.linkType != null) {
      throw new IllegalStateException("a pcap file has one interface (" + this.linkType
          + " is declared); use PcapngWriter for several");
    }
    if (snaplen < 0) {
      throw new IllegalArgumentException("snaplen " + snaplen);
    }
    this.linkType = linkType;
    this.snaplen = snaplen;
    ByteBuffer header = out.reserve(PcapReader.FILE_HEADER_LENGTH);
    header.putInt(nanoseconds ? CaptureReader.PCAP_MAGIC_NANOS : CaptureReader.PCAP_MAGIC_MICROS)
        .putShort((short) 2).putShort((short) 4)
        .putInt(0).putInt(0)
        .putInt(snaplen == 0 ? CaptureReader.MAX_PACKET_LENGTH : snaplen)
        .putInt(linkType.value());
    out.endBlock();
    return 0;
  }

  /** Writes a record; the comment is dropped, since pcap cannot hold one. */
  @Override
  public void write(int interfaceId, Instant timestamp, byte[] data, int offset, int length, int originalLength,
      String comment) throws IOException {
    if (linkType == null || interfaceId != 0) {
      throw new IllegalArgumentException("interface " + interfaceId + " was not added; a pcap file has only 0");
    }
    CaptureOutput.checkPacket(data, offset, length, originalLength, snaplen);
    long seconds = CaptureOutput.unsignedSeconds(timestamp, MAX_SECONDS);
    int fraction = nanoseconds ? timestamp.getNano() : timestamp.getNano() / 1000;
    out.reserve(PcapReader.RECORD_HEADER_LENGTH + length)
        .putInt((int) seconds).putInt(fraction).putInt(length).putInt(originalLength)
        .put(data, offset, length);
    out.endBlock();
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
