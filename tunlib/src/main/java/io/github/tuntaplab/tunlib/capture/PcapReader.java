package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The classic libpcap format: a 24-byte file header, then 16-byte record headers and packet bytes. */
final class PcapReader extends CaptureReader {
  static final int FILE_HEADER_LENGTH = 24;
  static final int RECORD_HEADER_LENGTH = 16;
  /** libpcap keeps only the low 16 bits; the upper ones may carry FCS information. */
  private static final int LINK_TYPE_MASK = 0xffff;

  private final ByteOrder order;
  private final boolean nanoseconds;
  private final LinkType linkType;
  private final int snapLength;

  PcapReader(CaptureInput input, ByteOrder order, boolean nanoseconds) throws IOException {
    super(input);
    this.order = order;
    this.nanoseconds = nanoseconds;
    long start = input.position();
    ByteBuffer header = take("the pcap file header", start, FILE_HEADER_LENGTH, order);
    int major = Short.toUnsignedInt(header.getShort(4));
    if (major != 2) {
      throw CaptureFormatException.malformed(start,
          "pcap file header at offset " + start + " has version " + major + "." + header.getShort(6)
              + "; only version 2 exists");
    }
    this.linkType = LinkType.of(header.getInt(20) & LINK_TYPE_MASK);
    this.snapLength = header.getInt(16);
  }

  @Override
  public int snapLength() {
    return snapLength;
  }

  @Override
  public Format format() {
    return Format.PCAP;
  }

  @Override
  public boolean advance() throws IOException {
    long offset = input.position();
    if (input.request(1) == 0) {
      return false;
    }
    require("the pcap record header", offset, RECORD_HEADER_LENGTH);
    byte[] header = input.array();
    int at = input.arrayPosition();
    long seconds = unsignedInt(header, at);
    long fraction = unsignedInt(header, at + 4);
    long capturedLength = unsignedInt(header, at + 8);
    long originalLength = unsignedInt(header, at + 12);
    input.skip(RECORD_HEADER_LENGTH);
    if (capturedLength > MAX_PACKET_LENGTH) {
      throw CaptureFormatException.malformed(offset, "pcap record at offset " + offset + " claims "
          + capturedLength + " captured bytes, more than the " + MAX_PACKET_LENGTH + " any capture holds");
    }
    int length = (int) capturedLength;
    require("the packet data of the pcap record", offset, length);
    packetArray = input.array();
    packetStart = input.arrayPosition();
    input.skip(length);
    packetOffset = offset;
    packetLinkType = linkType;
    packetTime(seconds, nanoseconds ? fraction : fraction * 1000);
    packetCapturedLength = length;
    packetOriginalLength = (int) Math.min(originalLength, Integer.MAX_VALUE);
    return true;
  }

  /**
   * The unsigned 4-byte integer at {@code at}, in the file's byte order: straight from the array,
   * as a ByteBuffer's getInt is a chain of calls under C1 (tunlab print), four per packet.
   */
  private long unsignedInt(byte[] bytes, int at) {
    int value = order == ByteOrder.BIG_ENDIAN
        ? (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff
        : (bytes[at + 3] & 0xff) << 24 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 1] & 0xff) << 8 | bytes[at] & 0xff;
    return Integer.toUnsignedLong(value);
  }

  @Override
  Object state() {
    return linkType;
  }

  @Override
  void restore(Object state) {
    // A pcap file has one link type and one byte order for all its records.
  }
}
