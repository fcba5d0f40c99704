package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pcapng format: blocks of type, length, body and the length again. Understood: section
 * headers (each section may have its own byte order), interface descriptions (link type, snap
 * length, {@code if_name}, {@code if_tsresol}, {@code if_tsoffset}), enhanced, simple and obsolete
 * packet blocks with {@code opt_comment}, decryption secrets, interface statistics ({@code isb_ifrecv},
 * {@code isb_ifdrop}, handed to {@link #onStatistics}; a statistics block we cannot make sense of is
 * skipped, as libpcap skips them all). Every other block (name resolution, custom) is skipped unread.
 */
final class PcapngReader extends CaptureReader {
  static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
  static final int INTERFACE_DESCRIPTION = 1;
  static final int OBSOLETE_PACKET = 2;
  static final int SIMPLE_PACKET = 3;
  static final int INTERFACE_STATISTICS = 5;
  static final int ENHANCED_PACKET = 6;
  static final int DECRYPTION_SECRETS = 10;
  static final int OPT_END = 0;
  static final int OPT_COMMENT = 1;
  static final int EPB_FLAGS = 2;
  static final int IF_NAME = 2;
  static final int IF_DESCRIPTION = 3;
  static final int IF_TSRESOL = 9;
  static final int IF_TSOFFSET = 14;
  static final int ISB_IFRECV = 4;
  static final int ISB_IFDROP = 5;
  /** Type and length before the body, length again after it. */
  static final int BLOCK_OVERHEAD = 12;
  /** Room for the largest packet and generous options; a longer block that we must parse is refused. */
  static final int MAX_PARSED_BLOCK = MAX_PACKET_LENGTH + 64 * 1024;
  /** Interface id, timestamp (2), captured and original length: the fixed part of a packet block. */
  private static final int PACKET_FIXED_LENGTH = 20;

  private int firstSnapLength;
  private final List<DecryptionSecrets> secrets = new ArrayList<>();

  private record Interface(int index, LinkType linkType, String name, String description, long snaplen,
      TimestampResolution clock) {}

  /** A section's byte order and interfaces; its interfaces are numbered on from the previous sections'. */
  private static final class Section {
    final ByteOrder order;
    final int firstIndex;
    final List<Interface> interfaces = new ArrayList<>();

    Section(ByteOrder order, int firstIndex) {
      this.order = order;
      this.firstIndex = firstIndex;
    }
  }

  private Section section;

  PcapngReader(CaptureInput input) {
    super(input);
  }

  /** The first interface's snapshot length (pcapng describes interfaces as it goes: ask after the first packet). */
  @Override
  public int snapLength() {
    return firstSnapLength;
  }

  @Override
  public Format format() {
    return Format.PCAPNG;
  }

  @Override
  public boolean advance() throws IOException {
    while (true) {
      long offset = input.position();
      int available = input.request(8);
      if (available == 0) {
        return false;
      }
      if (available < 8) {
        throw CaptureFormatException.truncated(offset, "the pcapng block header at offset " + offset, 8, available);
      }
      ByteOrder order = section == null ? ByteOrder.BIG_ENDIAN : section.order;
      ByteBuffer header = input.peek(8, order);
      int type = header.getInt(0);
      if (type == PCAPNG_SECTION_HEADER) {
        readSectionHeader(offset);
        continue;
      }
      if (section == null) {
        throw CaptureFormatException.malformed(offset, String.format(
            "pcapng block at offset %d has type 0x%08x, but a file must start with a section header block", offset, type));
      }
      long length = checkedLength(offset, Integer.toUnsignedLong(header.getInt(4)));
      switch (type) {
        case INTERFACE_DESCRIPTION:
          readInterface(offset, body(offset, "interface description block", length, order));
          break;
        case ENHANCED_PACKET:
          return readPacket(offset, "enhanced packet block", body(offset, "enhanced packet block", length, order), false);
        case OBSOLETE_PACKET:
          return readPacket(offset, "packet block", body(offset, "packet block", length, order), true);
        case SIMPLE_PACKET:
          return readSimplePacket(offset, body(offset, "simple packet block", length, order));
        case DECRYPTION_SECRETS:
          readSecrets(offset, body(offset, "decryption secrets block", length, order));
          break;
        case INTERFACE_STATISTICS:
          readStatistics(offset, body(offset, "interface statistics block", length, order));
          break;
        default:
          long skipped = input.skip(length);
          if (skipped < length) {
            throw CaptureFormatException.truncated(offset, String.format("the pcapng block of type 0x%08x at offset %d",
                type, offset), length, skipped);
          }
      }
    }
  }

  @Override
  public List<DecryptionSecrets> decryptionSecrets() {
    return List.copyOf(secrets);
  }

  private void readSecrets(long offset, ByteBuffer body) throws CaptureFormatException {
    long declared = body.remaining() < 8 ? -1 : Integer.toUnsignedLong(body.getInt(4));
    if (declared < 0 || declared > body.remaining() - 8) {
      throw CaptureFormatException.malformed(offset, "decryption secrets block at offset " + offset
          + " claims " + declared + " bytes of secrets but holds only " + Math.max(0, body.remaining() - 8));
    }
    secrets.add(new DecryptionSecrets(body.getInt(0), bytes(body.position(8), (int) declared)));
  }

  /** Hands a statistics block to the listener; one that names no known interface is ignored. */
  private void readStatistics(long offset, ByteBuffer body) {
    if (body.remaining() < 12 || Integer.toUnsignedLong(body.getInt(0)) >= section.interfaces.size()) {
      return;
    }
    Interface described = section.interfaces.get(body.getInt(0));
    Instant timestamp = described.clock().toInstant(
        (Integer.toUnsignedLong(body.getInt(4)) << 32) | Integer.toUnsignedLong(body.getInt(8)));
    long[] counts = {-1, -1};
    try {
      forEachOption(offset, "interface statistics block", body.position(12), (code, value) -> {
        if ((code == ISB_IFRECV || code == ISB_IFDROP) && value.remaining() == 8 && value.getLong(0) >= 0) {
          counts[code - ISB_IFRECV] = value.getLong(0);
        }
      });
    } catch (CaptureFormatException e) {
      return;
    }
    if (timestamp != null) {
      statisticsListener.accept(new InterfaceStatistics(described.index(), timestamp, counts[0], counts[1]));
    }
  }

  private void readSectionHeader(long offset) throws IOException {
    int available = input.request(12);
    if (available < 12) {
      throw CaptureFormatException.truncated(offset, "the section header block at offset " + offset, 12, available);
    }
    int magic = input.peek(12, ByteOrder.BIG_ENDIAN).getInt(8);
    ByteOrder order;
    if (magic == BYTE_ORDER_MAGIC) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      throw CaptureFormatException.malformed(offset + 8, String.format(
          "section header block at offset %d has byte-order magic 0x%08x at offset %d; expected 0x1a2b3c4d in"
              + " either byte order", offset, magic, offset + 8));
    }
    long length = checkedLength(offset, Integer.toUnsignedLong(input.peek(8, order).getInt(4)));
    ByteBuffer body = body(offset, "section header block", length, order);
    if (body.remaining() < 16) {
      throw CaptureFormatException.malformed(offset,
          "section header block at offset " + offset + " is " + length + " bytes long, too short for its 28-byte header");
    }
    int major = Short.toUnsignedInt(body.getShort(4));
    if (major != 1) {
      throw CaptureFormatException.malformed(offset, "section header block at offset " + offset + " has version "
          + major + "." + Short.toUnsignedInt(body.getShort(6)) + "; only version 1 exists");
    }
    int firstIndex = section == null ? 0 : section.firstIndex + section.interfaces.size();
    section = new Section(order, firstIndex);
  }

  /** Checks a block's claimed length against the format's rules and what is left in the file. */
  private long checkedLength(long offset, long length) throws CaptureFormatException {
    if (length < BLOCK_OVERHEAD || length % 4 != 0) {
      throw CaptureFormatException.malformed(offset, "pcapng block at offset " + offset + " claims length " + length
          + (length < BLOCK_OVERHEAD ? ", less than the 12 bytes of its own type and lengths" : ", not a multiple of 4"));
    }
    long remaining = input.remaining();
    if (length > remaining) {
      throw new CaptureFormatException(offset,
          "truncated file: pcapng block at offset " + offset + " claims length " + length + " but " + remaining
              + " bytes remain", true);
    }
    return length;
  }

  /** Reads a whole block that we must parse and returns its body, between the lengths. */
  private ByteBuffer body(long offset, String name, long length, ByteOrder order) throws IOException {
    if (length > MAX_PARSED_BLOCK) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " claims length " + length
          + ", more than the " + MAX_PARSED_BLOCK + " bytes a packet and its options can need");
    }
    ByteBuffer block = take("the " + name, offset, (int) length, order);
    long trailer = Integer.toUnsignedLong(block.getInt((int) length - 4));
    if (trailer != length) {
      throw CaptureFormatException.malformed(offset + length - 4, name + " at offset " + offset + " has length "
          + length + " in its header but " + trailer + " in its trailer at offset " + (offset + length - 4));
    }
    return block.position(8).limit((int) length - 4).slice().order(order);
  }

  private void readInterface(long offset, ByteBuffer body) throws CaptureFormatException {
    if (body.remaining() < 8) {
      throw CaptureFormatException.malformed(offset,
          "interface description block at offset " + offset + " is too short for its link type and snap length");
    }
    LinkType linkType = LinkType.of(Short.toUnsignedInt(body.getShort(0)));
    long snaplen = Integer.toUnsignedLong(body.getInt(4));
    String[] name = {null};
    String[] description = {null};
    long[] ticksPerSecond = {TimestampResolution.MICROSECONDS.ticksPerSecond()};
    long[] offsetSeconds = {0};
    forEachOption(offset, "interface description block", body.position(8), (code, value) -> {
      if (code == IF_NAME) {
        name[0] = text(value);
      } else if (code == IF_DESCRIPTION) {
        description[0] = text(value);
      } else if (code == IF_TSRESOL && value.remaining() >= 1) {
        int tsresol = Byte.toUnsignedInt(value.get(0));
        Long ticks = TimestampResolution.ticksPerSecond(tsresol);
        if (ticks == null) {
          throw CaptureFormatException.malformed(offset, String.format(
              "interface description block at offset %d has if_tsresol 0x%02x, finer than any clock", offset, tsresol));
        }
        ticksPerSecond[0] = ticks;
      } else if (code == IF_TSOFFSET && value.remaining() >= 8) {
        offsetSeconds[0] = value.getLong(0);
      }
    });
    Interface described = new Interface(section.firstIndex + section.interfaces.size(), linkType, name[0], description[0],
        snaplen, new TimestampResolution(ticksPerSecond[0], offsetSeconds[0]));
    section.interfaces.add(described);
    if (described.index() == 0) {
      firstSnapLength = (int) Math.min(snaplen, Integer.MAX_VALUE);
    }
  }

  private boolean readPacket(long offset, String name, ByteBuffer body, boolean obsolete)
      throws CaptureFormatException {
    if (body.remaining() < PACKET_FIXED_LENGTH) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " is too short for its "
          + PACKET_FIXED_LENGTH + "-byte packet header");
    }
    long interfaceId = obsolete ? Short.toUnsignedInt(body.getShort(0)) : Integer.toUnsignedLong(body.getInt(0));
    Interface described = describedInterface(offset, name, interfaceId);
    long ticks = (Integer.toUnsignedLong(body.getInt(4)) << 32) | Integer.toUnsignedLong(body.getInt(8));
    long capturedLength = Integer.toUnsignedLong(body.getInt(12));
    long originalLength = Integer.toUnsignedLong(body.getInt(16));
    int room = body.remaining() - PACKET_FIXED_LENGTH;
    if (capturedLength > room) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " claims " + capturedLength
          + " captured bytes but holds only " + room);
    }
    if (capturedLength > MAX_PACKET_LENGTH) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " claims " + capturedLength
          + " captured bytes, more than the " + MAX_PACKET_LENGTH + " any capture holds");
    }
    int length = (int) capturedLength;
    StringBuilder comments = new StringBuilder();
    Direction[] direction = {Direction.UNKNOWN};
    int optionsStart = PACKET_FIXED_LENGTH + padded(length);
    if (optionsStart < body.limit()) {
      forEachOption(offset, name, body.position(optionsStart), (code, value) -> {
        if (code == OPT_COMMENT) {
          comments.append(comments.length() == 0 ? "" : "\n").append(text(value));
        } else if (code == EPB_FLAGS && value.remaining() == 4) {
          direction[0] = Direction.ofEpbFlags(value.getInt(0));
        }
      });
    }
    return packet(offset, name, described, ticks, body, PACKET_FIXED_LENGTH, length, originalLength,
        comments.length() == 0 ? null : comments.toString(), direction[0]);
  }

  /** A simple packet block has no timestamp and belongs to the section's first interface. */
  private boolean readSimplePacket(long offset, ByteBuffer body) throws CaptureFormatException {
    String name = "simple packet block";
    if (body.remaining() < 4) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " is too short for its original length");
    }
    Interface described = describedInterface(offset, name, 0);
    long originalLength = Integer.toUnsignedLong(body.getInt(0));
    long capturedLength = Math.min(originalLength, body.remaining() - 4);
    if (described.snaplen() != 0) {
      capturedLength = Math.min(capturedLength, described.snaplen());
    }
    capturedLength = Math.min(capturedLength, MAX_PACKET_LENGTH);
    return packet(offset, name, described, 0, body, 4, (int) capturedLength, originalLength, null, Direction.UNKNOWN);
  }

  private Interface describedInterface(long offset, String name, long interfaceId) throws CaptureFormatException {
    if (interfaceId >= section.interfaces.size()) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " names interface " + interfaceId
          + ", but its section describes only " + section.interfaces.size());
    }
    return section.interfaces.get((int) interfaceId);
  }

  /** Makes the packet whose {@code length} bytes lie in {@code body} from {@code dataStart} the one read. */
  private boolean packet(long offset, String name, Interface described, long ticks, ByteBuffer body, int dataStart,
      int length, long originalLength, String comment, Direction direction) throws CaptureFormatException {
    Instant timestamp = described.clock().toInstant(ticks);
    if (timestamp == null) {
      throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " has timestamp "
          + Long.toUnsignedString(ticks) + " ticks, beyond any representable date");
    }
    packetOffset = offset;
    packetInterfaceIndex = described.index();
    packetLinkType = described.linkType();
    packetInterfaceName = described.name();
    packetInterfaceDescription = described.description();
    packetTime(timestamp.getEpochSecond(), timestamp.getNano());
    packetArray = body.array();
    packetStart = body.arrayOffset() + dataStart;
    packetCapturedLength = length;
    packetOriginalLength = (int) Math.min(originalLength, Integer.MAX_VALUE);
    packetComment = comment;
    packetDirection = direction;
    return true;
  }

  @FunctionalInterface
  private interface OptionVisitor {
    void visit(int code, ByteBuffer value) throws CaptureFormatException;
  }

  /** Walks the options from {@code options}' position: code, length, value padded to 4 bytes. */
  private static void forEachOption(long offset, String name, ByteBuffer options, OptionVisitor visitor)
      throws CaptureFormatException {
    while (options.remaining() >= 4) {
      int code = Short.toUnsignedInt(options.getShort());
      int length = Short.toUnsignedInt(options.getShort());
      if (code == OPT_END) {
        return;
      }
      if (length > options.remaining()) {
        throw CaptureFormatException.malformed(offset, name + " at offset " + offset + " has option " + code
            + " of length " + length + " but only " + options.remaining() + " bytes remain in the block");
      }
      visitor.visit(code, options.slice().limit(length).order(options.order()));
      options.position(options.position() + Math.min(padded(length), options.remaining()));
    }
  }

  static int padded(int length) {
    return (length + 3) & ~3;
  }

  /** A UTF-8 option value; writers may pad it with NULs. */
  private static String text(ByteBuffer value) {
    byte[] bytes = bytes(value, value.remaining());
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  Object state() {
    return section;
  }

  @Override
  void restore(Object state) {
    section = (Section) state;
  }
}
