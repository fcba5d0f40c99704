package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One packet as a capture file holds it: the captured bytes (possibly fewer than were on the wire),
 * when and on which interface it was seen, and an optional comment. Immutable: the bytes are copied
 * in and only handed out as copies or read-only views.
 */
public final class CapturedPacket {
  private final int interfaceIndex;
  private final LinkType linkType;
  private final String interfaceName;
  private final String interfaceDescription;
  private final Instant timestamp;
  private final byte[] data;
  private final int originalLength;
  private final String comment;
  private final long fileOffset;
  private final Direction direction;

  /**
   * @param interfaceIndex the interface's number in the file, counted over all pcapng sections
   *     (always 0 in a pcap file)
   * @param interfaceName the pcapng {@code if_name}, or null when the file gives none
   * @param comment the pcapng {@code opt_comment} (several are joined by newlines), or null
   * @param fileOffset where the packet's record or block starts in the file, or -1 if not from a file
   */
  public CapturedPacket(int interfaceIndex, LinkType linkType, String interfaceName, Instant timestamp,
      byte[] data, int originalLength, String comment, long fileOffset) {
    this(interfaceIndex, linkType, interfaceName, null, timestamp, originalLength, comment, fileOffset,
        Direction.UNKNOWN, data.clone());
  }

  /** As above, with the direction the capture records (pcapng's {@code epb_flags}). */
  public CapturedPacket(int interfaceIndex, LinkType linkType, String interfaceName, Instant timestamp,
      byte[] data, int originalLength, String comment, long fileOffset, Direction direction) {
    this(interfaceIndex, linkType, interfaceName, null, timestamp, originalLength, comment, fileOffset, direction,
        data.clone());
  }

  /** Takes {@code ownedData} without copying: for readers that have just filled a fresh array. */
  CapturedPacket(int interfaceIndex, LinkType linkType, String interfaceName, String interfaceDescription,
      Instant timestamp, int originalLength, String comment, long fileOffset, Direction direction, byte[] ownedData) {
    this.interfaceIndex = interfaceIndex;
    this.linkType = Objects.requireNonNull(linkType, "linkType");
    this.interfaceName = interfaceName;
    this.interfaceDescription = interfaceDescription;
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.data = ownedData;
    this.originalLength = originalLength;
    this.comment = comment;
    this.fileOffset = fileOffset;
    this.direction = Objects.requireNonNull(direction, "direction");
  }

  public int interfaceIndex() {
    return interfaceIndex;
  }

  public LinkType linkType() {
    return linkType;
  }

  /** The interface's name, or null when the file does not name it (always null in a pcap file). */
  public String interfaceName() {
    return interfaceName;
  }

  /**
   * The interface's description (pcapng {@code if_description}), e.g. the lab's {@code veth in
   * namespace tl-router}; null when the file gives none.
   */
  public String interfaceDescription() {
    return interfaceDescription;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** A copy of the captured bytes. */
  public byte[] data() {
    // Not clone(): C1, which tunlab print runs on, makes that a call into the VM.
    return Arrays.copyOf(data, data.length);
  }

  /** The captured bytes as a read-only view, without copying. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** How many bytes the file holds; can be less than {@link #originalLength()} (snap length). */
  public int capturedLength() {
    return data.length;
  }

  /** How long the packet was on the wire. */
  public int originalLength() {
    return originalLength;
  }

  /** The packet's comment, or null. */
  public String comment() {
    return comment;
  }

  /**
   * Which way the packet crossed its interface, from pcapng's {@code epb_flags}; for a TUN or TAP,
   * {@link Direction#OUTBOUND} is what the program behind it read. {@link Direction#UNKNOWN} when
   * the file does not say (always in a pcap file).
   */
  public Direction direction() {
    return direction;
  }

  /** Where the packet's record starts in its file, or -1. */
  public long fileOffset() {
    return fileOffset;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof CapturedPacket)) {
      return false;
    }
    CapturedPacket that = (CapturedPacket) other;
    return interfaceIndex == that.interfaceIndex && linkType.equals(that.linkType)
        && Objects.equals(interfaceName, that.interfaceName)
        && Objects.equals(interfaceDescription, that.interfaceDescription) && timestamp.equals(that.timestamp)
        && Arrays.equals(data, that.data) && originalLength == that.originalLength
        && Objects.equals(comment, that.comment) && fileOffset == that.fileOffset && direction == that.direction;
  }

  @Override
  public int hashCode() {
    return Objects.hash(interfaceIndex, linkType, timestamp, originalLength, fileOffset) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "CapturedPacket[if " + interfaceIndex + (interfaceName == null ? "" : " " + interfaceName) + ", " + linkType
        + ", " + timestamp + ", " + data.length + "/" + originalLength + " bytes"
        + (comment == null ? "" : ", comment " + comment) + ", offset " + fileOffset + "]";
  }
}
