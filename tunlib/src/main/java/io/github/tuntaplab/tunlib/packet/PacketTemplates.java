package io.github.tuntaplab.tunlib.packet;

import io.github.tuntaplab.tunlib.net.MacAddress;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Packets to start crafting from, with every length and checksum right: an ARP request (an
 * Ethernet frame, for a TAP), an ICMP or ICMPv6 echo request and a UDP datagram (IPv4 or IPv6 by
 * the addresses given; bare IP packets, for a TUN; {@link #ethernet} wraps one for a TAP).
 */
public final class PacketTemplates {
  private static final int TTL = 64;
  private static final int PROTOCOL_ICMP = 1;
  private static final int PROTOCOL_UDP = 17;
  private static final int PROTOCOL_ICMPV6 = 58;

  private PacketTemplates() {}

  /** "Who has {@code target}? Tell {@code senderIp}", broadcast, as the kernel sends it (42 bytes, unpadded). */
  public static byte[] arpRequest(MacAddress sender, InetAddress senderIp, InetAddress target) {
    ByteBuffer arp = ByteBuffer.allocate(28);
    arp.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
    arp.put(sender.toByteArray()).put(senderIp.getAddress()).put(new byte[6]).put(target.getAddress());
    return ethernet(MacAddress.BROADCAST, sender, 0x0806, arp.array());
  }

  /** An echo request (ICMP type 8, or ICMPv6 type 128) from {@code source} to {@code destination}. */
  public static byte[] icmpEcho(InetAddress source, InetAddress destination, int identifier, int sequence,
      byte[] payload) {
    boolean v6 = destination instanceof Inet6Address;
    ByteBuffer echo = ByteBuffer.allocate(8 + payload.length);
    echo.put((byte) (v6 ? 128 : 8)).put((byte) 0).putShort((short) 0).putShort((short) identifier)
        .putShort((short) sequence).put(payload);
    return ip(source, destination, v6 ? PROTOCOL_ICMPV6 : PROTOCOL_ICMP, echo.array());
  }

  /** A UDP datagram from {@code source}:{@code sourcePort} to {@code destination}:{@code destinationPort}. */
  public static byte[] udp(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
      byte[] payload) {
    ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
    udp.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
        .putShort((short) 0).put(payload);
    byte[] packet = ip(source, destination, PROTOCOL_UDP, udp.array());
    // A non-zero placeholder, so that the IPv4 datagram gets a checksum rather than "none".
    int checksumAt = (destination instanceof Inet6Address ? 40 : 20) + 6;
    packet[checksumAt] = (byte) 0xff;
    return PacketEditor.fixChecksums(LinkType.RAW, packet, Set.of());
  }

  /** {@code payload} in an Ethernet frame; an IP packet's EtherType follows from its version. */
  public static byte[] ethernet(MacAddress destination, MacAddress source, byte[] ipPacket) {
    int version = ipPacket.length == 0 ? 0 : (ipPacket[0] & 0xff) >>> 4;
    return ethernet(destination, source, version == 6 ? 0x86dd : 0x0800, ipPacket);
  }

  private static byte[] ethernet(MacAddress destination, MacAddress source, int etherType, byte[] payload) {
    return ByteBuffer.allocate(14 + payload.length).put(destination.toByteArray()).put(source.toByteArray())
        .putShort((short) etherType).put(payload).array();
  }

  /** An IPv4 header (no options, DF, TTL 64) or an IPv6 header (hop limit 64) before {@code payload}, checksums done. */
  private static byte[] ip(InetAddress source, InetAddress destination, int protocol, byte[] payload) {
    if (source.getAddress().length != destination.getAddress().length) {
      throw new IllegalArgumentException("source and destination are of different families: " + source + ", "
          + destination);
    }
    ByteBuffer packet;
    if (destination instanceof Inet6Address) {
      packet = ByteBuffer.allocate(40 + payload.length);
      packet.putInt(0x60000000).putShort((short) payload.length).put((byte) protocol).put((byte) TTL);
    } else {
      packet = ByteBuffer.allocate(20 + payload.length);
      packet.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 0)
          .putShort((short) 0x4000).put((byte) TTL).put((byte) protocol).putShort((short) 0);
    }
    packet.put(source.getAddress()).put(destination.getAddress()).put(payload);
    return PacketEditor.fixChecksums(LinkType.RAW, packet.array(), Set.of());
  }
}
