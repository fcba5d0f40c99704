package io.github.tuntaplab.tunlib.responder;

import io.github.tuntaplab.tunlib.packet.InternetChecksum;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The user-space "other end of the wire" behind a TUN or a TAP: it answers what a neighbour that
 * owns the given addresses must answer so that {@code ping} from the kernel works with no other host.
 *
 * <ul>
 *   <li>ARP requests for one of its IPv4 addresses (TAP), including probes from 0.0.0.0, which are
 *       answered to 0.0.0.0 as Linux does, so the prober sees the conflict;
 *   <li>ICMP echo requests to one of its IPv4 addresses;
 *   <li>ICMPv6 echo requests to one of its IPv6 addresses, and to all-nodes ff02::1 from its first
 *       link-local address when it has one (as a host on the link would);
 *   <li>neighbour solicitations for one of its IPv6 addresses (TAP), multicast, unicast or duplicate
 *       address detection from :: (answered to ff02::1 without the Solicited flag, so the kernel
 *       marks its tentative address {@code dadfailed}).
 * </ul>
 *
 * It drops what the kernel would drop: bad IPv4 header, ICMP and ICMPv6 checksums, fragments,
 * broadcast echo, multicast or unspecified sources, frames sent to another unicast MAC, neighbour
 * solicitations whose hop limit is not 255 or whose options are malformed. It does not follow IPv6
 * extension headers, and its echo replies carry no IPv4 options (Record Route is not echoed).
 *
 * <p>A reply is a pure function of the request: IPv4 echo replies reuse the request's
 * identification and DF bit (the requester's identifications are unique towards us, so ours are
 * unique back), TTL and hop limit are 64 (255 for NDP), DSCP is kept and ECN cleared. Immutable and
 * thread-safe; {@link #respond} allocates nothing.
 */
public final class Responder {
  private static final int ETHERNET_HEADER = 14;
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_ARP = 0x0806;
  private static final int ETHERTYPE_IPV6 = 0x86dd;

  private static final int ARP_LENGTH = 28;
  private static final int ARP_REQUEST = 1;
  private static final int ARP_REPLY = 2;

  private static final int IPV4_HEADER = 20;
  private static final int PROTOCOL_ICMP = 1;
  private static final int ICMP_ECHO_REPLY = 0;
  private static final int ICMP_ECHO_REQUEST = 8;
  private static final int ECHO_HEADER = 8;
  private static final int IPV4_DONT_FRAGMENT = 0x4000;
  private static final int IPV4_MORE_FRAGMENTS_AND_OFFSET = 0x3fff;

  private static final int IPV6_HEADER = 40;
  private static final int NEXT_HEADER_ICMPV6 = 58;
  private static final int ICMPV6_ECHO_REQUEST = 128;
  private static final int ICMPV6_ECHO_REPLY = 129;
  private static final int NEIGHBOR_SOLICITATION = 135;
  private static final int NEIGHBOR_ADVERTISEMENT = 136;
  private static final int NDP_MESSAGE = 24;
  private static final int OPTION_SOURCE_LINK_LAYER = 1;
  private static final int OPTION_TARGET_LINK_LAYER = 2;
  private static final int ADVERTISEMENT_LENGTH = NDP_MESSAGE + 8;
  private static final int FLAG_SOLICITED = 0x40;
  private static final int FLAG_OVERRIDE = 0x20;
  /** RFC 4861 §7.1: a neighbour discovery message that crossed a router is forged. */
  private static final int NDP_HOP_LIMIT = 255;
  private static final int DEFAULT_HOP_LIMIT = 64;

  private static final long ALL_NODES_HIGH = 0xff02_0000_0000_0000L;
  private static final long ALL_NODES_LOW = 1L;
  private static final long SOLICITED_NODE_LOW = 0x0000_0001_ff00_0000L;

  private final byte[] ownMac;
  private final int[] ownIpv4;
  private final long[] ownIpv6High;
  private final long[] ownIpv6Low;
  /** Index into the IPv6 arrays of the address that answers all-nodes echo, or -1. */
  private final int linkLocalIndex;
  private final List<InetAddress> ownAddresses;

  private final LongAdder arpReplies = new LongAdder();
  private final LongAdder icmpEchoReplies = new LongAdder();
  private final LongAdder icmpv6EchoReplies = new LongAdder();
  private final LongAdder neighborAdvertisements = new LongAdder();

  private Responder(byte[] ownMac, List<InetAddress> ownAddresses) {
    if (ownAddresses.isEmpty()) {
      throw new IllegalArgumentException("a responder needs at least one address to answer for");
    }
    List<Integer> v4 = new ArrayList<>();
    List<byte[]> v6 = new ArrayList<>();
    for (InetAddress address : ownAddresses) {
      if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
        throw new IllegalArgumentException("not a unicast address a host can own: " + address.getHostAddress());
      }
      if (address instanceof Inet4Address) {
        v4.add(ByteBuffer.wrap(address.getAddress()).getInt());
      } else if (address instanceof Inet6Address) {
        v6.add(address.getAddress());
      }
    }
    this.ownMac = ownMac;
    this.ownAddresses = List.copyOf(ownAddresses);
    this.ownIpv4 = v4.stream().mapToInt(Integer::intValue).toArray();
    this.ownIpv6High = new long[v6.size()];
    this.ownIpv6Low = new long[v6.size()];
    int linkLocal = -1;
    for (int i = 0; i < v6.size(); i++) {
      ByteBuffer bytes = ByteBuffer.wrap(v6.get(i));
      ownIpv6High[i] = bytes.getLong();
      ownIpv6Low[i] = bytes.getLong();
      if (linkLocal < 0 && (ownIpv6High[i] >>> 54) == (0xfe80L >>> 6)) {
        linkLocal = i;
      }
    }
    this.linkLocalIndex = linkLocal;
  }

  /**
   * A responder behind a TAP: it reads and writes Ethernet frames from and to {@code ownMac}
   * (6 bytes, unicast; copied).
   */
  public static Responder forTap(byte[] ownMac, List<InetAddress> ownAddresses) {
    if (ownMac.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 bytes, not " + ownMac.length);
    }
    if ((ownMac[0] & 1) != 0) {
      throw new IllegalArgumentException("a host's own MAC address must be unicast: " + formatMac(ownMac));
    }
    return new Responder(ownMac.clone(), ownAddresses);
  }

  /** A responder behind a TUN: it reads and writes bare IP packets (no packet-information header). */
  public static Responder forTun(List<InetAddress> ownAddresses) {
    return new Responder(null, ownAddresses);
  }

  /**
   * Answers one frame (TAP: Ethernet; TUN: an IP packet without PI header) read from
   * {@code request[position, limit)}. If it deserves an answer, writes the complete reply into
   * {@code reply} from its position and returns the reply's length; otherwise returns 0 and writes
   * nothing. Malformed input never throws. Neither buffer's position, limit or byte order changes,
   * and {@code request}'s bytes are not modified; the two must not share memory.
   *
   * @throws BufferOverflowException if a reply is due but {@code reply} has less room than it needs
   *     (an echo reply is as long as its request), before anything is written
   * @throws ReadOnlyBufferException if {@code reply} is read-only
   */
  public int respond(ByteBuffer request, ByteBuffer reply) {
    if (reply.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int at = request.position();
    int length = request.limit() - at;
    int out = reply.position();
    if (ownMac == null) {
      return respondToIp(request, at, length, reply, out, reply.limit() - out);
    }
    return respondToFrame(request, at, length, reply, out);
  }

  /** What it answered so far. */
  public Stats stats() {
    return new Stats(arpReplies.sum(), icmpEchoReplies.sum(), icmpv6EchoReplies.sum(), neighborAdvertisements.sum());
  }

  public boolean isTap() {
    return ownMac != null;
  }

  public List<InetAddress> ownAddresses() {
    return ownAddresses;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(isTap() ? "Responder[tap " + formatMac(ownMac) : "Responder[tun");
    for (InetAddress address : ownAddresses) {
      text.append(' ').append(address.getHostAddress());
    }
    return text.append(']').toString();
  }

  private int respondToFrame(ByteBuffer request, int at, int length, ByteBuffer reply, int out) {
    if (length < ETHERNET_HEADER || !isForUs(request, at) || isGroupMac(request, at + 6)) {
      return 0;
    }
    int etherType = u16(request, at + 12);
    int payload = at + ETHERNET_HEADER;
    int payloadLength = length - ETHERNET_HEADER;
    int replyPayload = out + ETHERNET_HEADER;
    int room = reply.limit() - replyPayload;
    int answered;
    switch (etherType) {
      case ETHERTYPE_ARP:
        answered = answerArp(request, payload, payloadLength, reply, replyPayload, room);
        if (answered > 0) {
          // Like Linux, to the sender hardware address the request names rather than the frame's source.
          reply.put(out, request, payload + 8, 6);
        }
        break;
      case ETHERTYPE_IPV4:
        answered = answerIpv4(request, payload, payloadLength, reply, replyPayload, room);
        if (answered > 0) {
          reply.put(out, request, at + 6, 6);
        }
        break;
      case ETHERTYPE_IPV6:
        answered = answerIpv6(request, payload, payloadLength, reply, replyPayload, room);
        if (answered > 0) {
          writeIpv6Destination(request, at, reply, out, replyPayload);
        }
        break;
      default:
        return 0;
    }
    if (answered == 0) {
      return 0;
    }
    reply.put(out + 6, ownMac);
    put16(reply, out + 12, etherType);
    return ETHERNET_HEADER + answered;
  }

  /** A multicast IPv6 destination maps to 33:33 and its last 32 bits (RFC 2464); unicast goes back to the sender. */
  private static void writeIpv6Destination(ByteBuffer request, int frame, ByteBuffer reply, int out, int ipv6) {
    if ((reply.get(ipv6 + 24) & 0xff) == 0xff) {
      reply.put(out, (byte) 0x33);
      reply.put(out + 1, (byte) 0x33);
      for (int i = 2; i < 6; i++) {
        reply.put(out + i, reply.get(ipv6 + 34 + i)); // the destination's last 4 bytes
      }
    } else {
      reply.put(out, request, frame + 6, 6);
    }
  }

  private int respondToIp(ByteBuffer request, int at, int length, ByteBuffer reply, int out, int room) {
    if (length < 1) {
      return 0;
    }
    switch (u8(request, at) >>> 4) {
      case 4:
        return answerIpv4(request, at, length, reply, out, room);
      case 6:
        return answerIpv6(request, at, length, reply, out, room);
      default:
        return 0;
    }
  }

  private int answerArp(ByteBuffer request, int at, int length, ByteBuffer reply, int out, int room) {
    if (length < ARP_LENGTH
        || u16(request, at) != 1 // Ethernet
        || u16(request, at + 2) != ETHERTYPE_IPV4
        || u8(request, at + 4) != 6
        || u8(request, at + 5) != 4
        || u16(request, at + 6) != ARP_REQUEST
        || isGroupMac(request, at + 8)) {
      return 0;
    }
    int targetIp = s32(request, at + 24);
    if (!ownsIpv4(targetIp)) {
      return 0;
    }
    ensureRoom(ARP_LENGTH, room);
    reply.put(out, request, at, 6); // hardware and protocol type and sizes, as asked
    put16(reply, out + 6, ARP_REPLY);
    reply.put(out + 8, ownMac);
    put32(reply, out + 14, targetIp);
    reply.put(out + 18, request, at + 8, 10); // the requester's hardware and protocol address
    arpReplies.increment();
    return ARP_LENGTH;
  }

  private int answerIpv4(ByteBuffer request, int at, int length, ByteBuffer reply, int out, int room) {
    if (length < IPV4_HEADER || u8(request, at) >>> 4 != 4) {
      return 0;
    }
    int headerLength = (u8(request, at) & 0xf) * 4;
    int totalLength = u16(request, at + 2);
    if (headerLength < IPV4_HEADER
        || totalLength < headerLength + ECHO_HEADER
        || totalLength > length
        || (u16(request, at + 6) & IPV4_MORE_FRAGMENTS_AND_OFFSET) != 0
        || u8(request, at + 9) != PROTOCOL_ICMP) {
      return 0;
    }
    int source = s32(request, at + 12);
    int destination = s32(request, at + 16);
    int icmp = at + headerLength;
    int icmpLength = totalLength - headerLength;
    if (!ownsIpv4(destination)
        || !isUnicastIpv4Source(source)
        || u8(request, icmp) != ICMP_ECHO_REQUEST
        || !InternetChecksum.verifies(InternetChecksum.add(0, request, at, headerLength))
        || !InternetChecksum.verifies(InternetChecksum.add(0, request, icmp, icmpLength))) {
      return 0;
    }
    int replyLength = IPV4_HEADER + icmpLength;
    ensureRoom(replyLength, room);
    reply.put(out, (byte) 0x45);
    reply.put(out + 1, (byte) (u8(request, at + 1) & 0xfc));
    put16(reply, out + 2, replyLength);
    reply.put(out + 4, request, at + 4, 2);
    put16(reply, out + 6, u16(request, at + 6) & IPV4_DONT_FRAGMENT);
    reply.put(out + 8, (byte) DEFAULT_HOP_LIMIT);
    reply.put(out + 9, (byte) PROTOCOL_ICMP);
    put16(reply, out + 10, 0);
    put32(reply, out + 12, destination);
    put32(reply, out + 16, source);
    put16(reply, out + 10, InternetChecksum.finish(InternetChecksum.add(0, reply, out, IPV4_HEADER)));

    int replyIcmp = out + IPV4_HEADER;
    reply.put(replyIcmp, request, icmp, icmpLength);
    reply.put(replyIcmp, (byte) ICMP_ECHO_REPLY);
    put16(reply, replyIcmp + 2, 0);
    put16(reply, replyIcmp + 2, InternetChecksum.finish(InternetChecksum.add(0, reply, replyIcmp, icmpLength)));
    icmpEchoReplies.increment();
    return replyLength;
  }

  private int answerIpv6(ByteBuffer request, int at, int length, ByteBuffer reply, int out, int room) {
    if (length < IPV6_HEADER || u8(request, at) >>> 4 != 6) {
      return 0;
    }
    int icmpLength = u16(request, at + 4);
    int icmp = at + IPV6_HEADER;
    if (icmpLength < ECHO_HEADER
        || icmpLength > length - IPV6_HEADER
        || u8(request, at + 6) != NEXT_HEADER_ICMPV6
        || u8(request, at + 8) == 0xff // a multicast source
        || !InternetChecksum.verifies(icmpv6Sum(request, at, icmpLength))) {
      return 0;
    }
    int type = u8(request, icmp);
    if (type == ICMPV6_ECHO_REQUEST) {
      return answerEcho6(request, at, icmpLength, reply, out, room);
    }
    if (type == NEIGHBOR_SOLICITATION && isTap()) {
      return answerSolicitation(request, at, icmpLength, reply, out, room);
    }
    return 0;
  }

  private int answerEcho6(ByteBuffer request, int at, int icmpLength, ByteBuffer reply, int out, int room) {
    long destinationHigh = s64(request, at + 24);
    long destinationLow = s64(request, at + 32);
    int from = ownIpv6Index(destinationHigh, destinationLow);
    if (from < 0 && destinationHigh == ALL_NODES_HIGH && destinationLow == ALL_NODES_LOW) {
      from = linkLocalIndex;
    }
    if (from < 0 || isUnspecified(request, at + 8)) {
      return 0;
    }
    int replyLength = IPV6_HEADER + icmpLength;
    ensureRoom(replyLength, room);
    writeIpv6Header(reply, out, u8(request, at) << 4 & 0xf0 | u8(request, at + 1) >>> 4, icmpLength,
        DEFAULT_HOP_LIMIT, from);
    reply.put(out + 24, request, at + 8, 16);
    int replyIcmp = out + IPV6_HEADER;
    reply.put(replyIcmp, request, at + IPV6_HEADER, icmpLength);
    reply.put(replyIcmp, (byte) ICMPV6_ECHO_REPLY);
    put16(reply, replyIcmp + 2, 0);
    put16(reply, replyIcmp + 2, InternetChecksum.finish(icmpv6Sum(reply, out, icmpLength)));
    icmpv6EchoReplies.increment();
    return replyLength;
  }

  private int answerSolicitation(ByteBuffer request, int at, int icmpLength, ByteBuffer reply, int out, int room) {
    int icmp = at + IPV6_HEADER;
    if (u8(request, at + 7) != NDP_HOP_LIMIT || u8(request, icmp + 1) != 0 || icmpLength < NDP_MESSAGE) {
      return 0;
    }
    long targetHigh = s64(request, icmp + 8);
    long targetLow = s64(request, icmp + 16);
    int target = ownIpv6Index(targetHigh, targetLow);
    if (target < 0) {
      return 0;
    }
    boolean fromUnspecified = isUnspecified(request, at + 8);
    long destinationHigh = s64(request, at + 24);
    long destinationLow = s64(request, at + 32);
    boolean toSolicitedNode = destinationHigh == ALL_NODES_HIGH
        && destinationLow == (SOLICITED_NODE_LOW | (targetLow & 0xff_ffffL));
    boolean toTarget = destinationHigh == targetHigh && destinationLow == targetLow;
    if (!(toSolicitedNode || (toTarget && !fromUnspecified))
        || !optionsAreValid(request, icmp + NDP_MESSAGE, icmpLength - NDP_MESSAGE, fromUnspecified)) {
      return 0;
    }
    int replyLength = IPV6_HEADER + ADVERTISEMENT_LENGTH;
    ensureRoom(replyLength, room);
    writeIpv6Header(reply, out, 0, ADVERTISEMENT_LENGTH, NDP_HOP_LIMIT, target);
    if (fromUnspecified) {
      // RFC 4861 §7.2.4: a duplicate address detection probe is answered to all nodes.
      put64(reply, out + 24, ALL_NODES_HIGH);
      put64(reply, out + 32, ALL_NODES_LOW);
    } else {
      reply.put(out + 24, request, at + 8, 16);
    }
    int na = out + IPV6_HEADER;
    reply.put(na, (byte) NEIGHBOR_ADVERTISEMENT);
    reply.put(na + 1, (byte) 0);
    put16(reply, na + 2, 0);
    put32(reply, na + 4, (fromUnspecified ? FLAG_OVERRIDE : FLAG_SOLICITED | FLAG_OVERRIDE) << 24);
    put64(reply, na + 8, targetHigh);
    put64(reply, na + 16, targetLow);
    reply.put(na + 24, (byte) OPTION_TARGET_LINK_LAYER);
    reply.put(na + 25, (byte) 1);
    reply.put(na + 26, ownMac);
    put16(reply, na + 2, InternetChecksum.finish(icmpv6Sum(reply, out, ADVERTISEMENT_LENGTH)));
    neighborAdvertisements.increment();
    return replyLength;
  }

  /** RFC 4861 §7.1.1: every option has a non-zero length, and a probe from :: carries no source link-layer address. */
  private static boolean optionsAreValid(ByteBuffer request, int at, int length, boolean fromUnspecified) {
    int end = at + length;
    int option = at;
    while (option < end) {
      if (end - option < 2) {
        return false;
      }
      int optionLength = u8(request, option + 1) * 8;
      if (optionLength == 0 || optionLength > end - option
          || (fromUnspecified && u8(request, option) == OPTION_SOURCE_LINK_LAYER)) {
        return false;
      }
      option += optionLength;
    }
    return true;
  }

  /** Writes an IPv6 header for ICMPv6 from our address number {@code from}; the caller writes the destination. */
  private void writeIpv6Header(ByteBuffer reply, int out, int trafficClass, int payloadLength, int hopLimit, int from) {
    // DSCP kept, ECN cleared, no flow label.
    put32(reply, out, 6 << 28 | (trafficClass & 0xfc) << 20);
    put16(reply, out + 4, payloadLength);
    reply.put(out + 6, (byte) NEXT_HEADER_ICMPV6);
    reply.put(out + 7, (byte) hopLimit);
    put64(reply, out + 8, ownIpv6High[from]);
    put64(reply, out + 16, ownIpv6Low[from]);
  }

  /** The sum over the IPv6 pseudo-header (RFC 8200 §8.1) and the ICMPv6 message after the header at {@code ipv6}. */
  private static long icmpv6Sum(ByteBuffer buffer, int ipv6, int icmpLength) {
    long sum = InternetChecksum.add(0, buffer, ipv6 + 8, 32);
    sum += icmpLength + NEXT_HEADER_ICMPV6;
    return InternetChecksum.add(sum, buffer, ipv6 + IPV6_HEADER, icmpLength);
  }

  private boolean isForUs(ByteBuffer frame, int at) {
    if (isGroupMac(frame, at)) {
      return true; // broadcast or multicast: the protocol decides
    }
    for (int i = 0; i < 6; i++) {
      if (frame.get(at + i) != ownMac[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean ownsIpv4(int address) {
    for (int own : ownIpv4) {
      if (own == address) {
        return true;
      }
    }
    return false;
  }

  private int ownIpv6Index(long high, long low) {
    for (int i = 0; i < ownIpv6High.length; i++) {
      if (ownIpv6High[i] == high && ownIpv6Low[i] == low) {
        return i;
      }
    }
    return -1;
  }

  /** Not 0.0.0.0/8, loopback, multicast, reserved or broadcast: an address a reply can go back to. */
  private static boolean isUnicastIpv4Source(int address) {
    int first = address >>> 24;
    return first != 0 && first != 127 && first < 224;
  }

  private static boolean isUnspecified(ByteBuffer buffer, int at) {
    return s64(buffer, at) == 0 && s64(buffer, at + 8) == 0;
  }

  private static boolean isGroupMac(ByteBuffer buffer, int at) {
    return (buffer.get(at) & 1) != 0;
  }

  private static void ensureRoom(int needed, int room) {
    if (room < needed) {
      throw new BufferOverflowException();
    }
  }

  private static String formatMac(byte[] mac) {
    return HexFormat.ofDelimiter(":").formatHex(mac);
  }

  private static int u8(ByteBuffer buffer, int at) {
    return buffer.get(at) & 0xff;
  }

  private static int u16(ByteBuffer buffer, int at) {
    return (buffer.get(at) & 0xff) << 8 | (buffer.get(at + 1) & 0xff);
  }

  private static int s32(ByteBuffer buffer, int at) {
    return u16(buffer, at) << 16 | u16(buffer, at + 2);
  }

  private static long s64(ByteBuffer buffer, int at) {
    return (long) s32(buffer, at) << 32 | (s32(buffer, at + 4) & 0xffff_ffffL);
  }

  private static void put16(ByteBuffer buffer, int at, int value) {
    buffer.put(at, (byte) (value >>> 8));
    buffer.put(at + 1, (byte) value);
  }

  private static void put32(ByteBuffer buffer, int at, int value) {
    put16(buffer, at, value >>> 16);
    put16(buffer, at + 2, value);
  }

  private static void put64(ByteBuffer buffer, int at, long value) {
    put32(buffer, at, (int) (value >>> 32));
    put32(buffer, at + 4, (int) value);
  }
}
