package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.time.Instant;

/**
 * Writes packets to a pcap or pcapng file or live stream. Not thread-safe: one writer per thread,
 * or the caller synchronizes.
 *
 * <h2>TUN packets with the packet-information header</h2>
 * A TUN device opened without {@code IFF_NO_PI} prefixes every packet with 4 bytes: flags (2) and
 * the EtherType (2). No link type holds exactly that, and the one that comes close (NULL/LOOP, a
 * 4-byte address family) would make tshark and tcpdump misread the bytes. So
 * {@link #writeWithPacketInformation} strips the header and stores the IP packet as
 * {@link LinkType#RAW} (101) — the same link type libpcap gives a TUN device — on an interface the
 * caller added as RAW. Nothing is lost that a reader could use: the IP version already says what
 * the EtherType says, and the rare cases where the header carries more (non-zero flags such as
 * {@code TUN_PKT_STRIP}, or an EtherType that disagrees with the IP version) are kept in the
 * packet's comment, which Wireshark shows. The original length shrinks by the 4 bytes stripped.
 */
public sealed interface CaptureWriter extends Closeable, Flushable permits PcapWriter, PcapngWriter {
  /** The length of a TUN device's packet-information header (flags, EtherType). */
  int PACKET_INFORMATION_LENGTH = 4;

  /**
   * Declares an interface and returns its id for {@link #write}. Ids count from 0 in the order of
   * the calls; a pcap file has exactly one.
   *
   * @param name the interface's name, or null (pcap files cannot hold it)
   * @param snaplen the most bytes a packet may have, 0 for no limit
   */
  int addInterface(LinkType linkType, String name, int snaplen) throws IOException;

  /**
   * Writes one packet of {@code length} bytes from {@code data[offset]}.
   *
   * @param originalLength the length on the wire, at least {@code length}
   * @param comment a comment shown with the packet, or null (pcap files cannot hold it)
   */
  void write(int interfaceId, Instant timestamp, byte[] data, int offset, int length, int originalLength,
      String comment) throws IOException;

  /** Writes a packet read from another file, keeping its time, lengths and comment. */
  default void write(int interfaceId, CapturedPacket packet) throws IOException {
    write(interfaceId, packet.timestamp(), packet.data(), 0, packet.capturedLength(), packet.originalLength(),
        packet.comment());
  }

  /**
   * Writes a TUN packet read in packet-information mode (see the class comment): the 4-byte
   * header is stripped, and kept in the comment only where it says something the IP header does not.
   */
  default void writeWithPacketInformation(int interfaceId, Instant timestamp, byte[] data, int offset, int length,
      String comment) throws IOException {
    if (length < PACKET_INFORMATION_LENGTH) {
      throw new IllegalArgumentException(length + " bytes cannot hold a 4-byte packet-information header");
    }
    int flags = ((data[offset] & 0xff) << 8) | (data[offset + 1] & 0xff);
    int etherType = ((data[offset + 2] & 0xff) << 8) | (data[offset + 3] & 0xff);
    int ipLength = length - PACKET_INFORMATION_LENGTH;
    int version = ipLength > 0 ? (data[offset + PACKET_INFORMATION_LENGTH] & 0xff) >> 4 : 0;
    boolean etherTypeSaysVersion = (version == 4 && etherType == 0x0800) || (version == 6 && etherType == 0x86dd);
    String information = flags == 0 && etherTypeSaysVersion ? null
        : String.format("TUN packet information: flags 0x%04x, protocol 0x%04x", flags, etherType);
    String joined = information == null ? comment : comment == null ? information : comment + "\n" + information;
    write(interfaceId, timestamp, data, offset + PACKET_INFORMATION_LENGTH, ipLength, ipLength, joined);
  }
}
