package io.github.tuntaplab.tunlib.packet;

import static io.github.tuntaplab.tunlib.packet.FieldSpec.*;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The zero-copy parser behind {@link Dissector}: one per thread, reused packet after packet. It
 * reads the caller's bytes in place and records each field as one {@code long} (offset, length,
 * spec id, tree level) and each layer as six ints; {@link Dissection} turns those into objects only
 * when asked. Every read is bounded by {@link #end}, the captured end of the current protocol, so
 * bad input ends a layer early instead of throwing.
 */
final class Parser {
  static final int L_NAME = 0;
  static final int L_OFFSET = 1;
  static final int L_LENGTH = 2;
  static final int L_DEPTH = 3;
  static final int L_FIRST = 4;
  static final int L_END = 5;
  static final int L_INTS = 6;
  /** Frames are limited to what the packed field encoding holds (24 bits of offset and length). */
  static final int MAX_FRAME = (1 << 24) - 1;
  /** Tunnels in tunnels, quotes in quotes: deeper than this is shown as data, not recursed into. */
  private static final int MAX_DEPTH = 8;
  private static final int MAX_VLAN_TAGS = 8;
  private static final int MAX_IPV6_EXTENSIONS = 16;
  private static final String[] WIREGUARD_MESSAGES = {"WireGuard handshake initiation",
      "WireGuard handshake response", "WireGuard cookie reply", "WireGuard transport data message"};
  /**
   * Per WireGuard message type 1–4: its minimum size, then (field, offset, length) triples. The
   * smallest data message is a keepalive: a 16-byte header and the 16-byte tag of an empty packet.
   */
  private static final int[][] WIREGUARD_LAYOUTS = {
      {148, WG_SENDER, 4, 4, WG_EPHEMERAL, 8, 32, WG_ENCRYPTED_STATIC, 40, 48, WG_ENCRYPTED_TIMESTAMP, 88, 28,
          WG_MAC1, 116, 16, WG_MAC2, 132, 16},
      {92, WG_SENDER, 4, 4, WG_RECEIVER, 8, 4, WG_EPHEMERAL, 12, 32, WG_ENCRYPTED_EMPTY, 44, 16,
          WG_MAC1, 60, 16, WG_MAC2, 76, 16},
      {64, WG_RECEIVER, 4, 4, WG_NONCE, 8, 24, WG_ENCRYPTED_COOKIE, 32, 32},
      {32, WG_RECEIVER, 4, 4, WG_COUNTER, 8, 8, WG_ENCRYPTED_PACKET, 16, 0}};

  private long[] fields = new long[256];
  private int fieldCount;
  private int[] layers = new int[L_INTS * 16];
  private int layerCount;
  /** Two per layer: why it is malformed, why it is truncated; null entries when fine. */
  private String[] problems = new String[32];
  private boolean anyProblem;

  private byte[] d;
  /** Whether {@link #d} is our copy of the caller's bytes (made once a message is decrypted in place). */
  private boolean copied;
  private int base;
  private Dissector config;
  /** The captured end of the current protocol's bytes: no field or read goes past it. */
  private int end;
  /** Where the current protocol's bytes end according to the packet (and the original length). */
  private int rep;
  private int level;
  private int depth;
  private int vlanTags;
  /**
   * Inside a part of a packet (what an ICMP error quotes, a first fragment): cut-off headers and
   * lengths beyond the bytes are expected there, not malformations.
   */
  private boolean partial;
  /** {@link Dissector#layersOnly()}: record only the fields in {@link #KEPT_WITH_LAYERS}. */
  private boolean layersOnly;
  private static final boolean[] KEPT_WITH_LAYERS = new boolean[1 << 10]; // spec ids have 10 bits

  static {
    for (int spec : new int[] {IPV6_HOPOPTS, IPV6_DSTOPTS, IPV6_ROUTING, IPV6_FRAGHDR}) {
      KEPT_WITH_LAYERS[spec] = true;
    }
  }

  Dissection dissect(Dissector config, LinkType linkType, boolean packetInfo, byte[] data, int offset,
      int capturedLength, int originalLength) {
    this.d = data;
    this.copied = false;
    this.base = offset;
    this.config = config;
    this.layersOnly = config.isLayersOnly();
    fieldCount = 0;
    layerCount = 0;
    anyProblem = false;
    level = 0;
    depth = 0;
    vlanTags = 0;
    partial = false;
    int cap = Math.max(0, Math.min(Math.min(capturedLength, MAX_FRAME), data.length - offset));
    int orig = Math.max(cap, originalLength);
    if (packetInfo) {
      tunPacketInfo(0, cap, orig);
    } else {
      switch (linkType.value()) {
        case 1: ethernet(0, cap, orig); break;
        case 101: rawIp(0, cap, orig); break;
        // As tshark: IPv4's type still follows an IPv6 nibble, IPv6's type does not follow an IPv4 one.
        case 228: ipByEtherType(0x0800, 0, cap, orig); break;
        case 229: ipByEtherType(0x86dd, 0, cap, orig); break;
        case 113: linuxCooked(0, cap, orig); break;
        case 276: linuxCooked2(0, cap, orig); break;
        default: data(0, cap);
      }
    }
    if (layerCount > 0) {
      layers[(layerCount - 1) * L_INTS + L_END] = fieldCount;
    }
    Dissection dissection = new Dissection(linkType, d, offset, cap, originalLength,
        Arrays.copyOf(fields, fieldCount), Arrays.copyOf(layers, layerCount * L_INTS),
        anyProblem ? copy(problems, layerCount * 2) : null);
    this.d = null;
    return dissection;
  }

  /**
   * {@code Arrays.copyOf} for a String[]: the generic one makes its array by reflection, which only
   * C2 compiles away, and {@code tunlab print} runs on C1 alone.
   */
  private static String[] copy(String[] from, int length) {
    String[] to = new String[length];
    System.arraycopy(from, 0, to, 0, Math.min(from.length, length));
    return to;
  }

  // ---- recording ----

  private int open(int name, int offset, int lim, int reported) {
    if (layerCount > 0) {
      layers[(layerCount - 1) * L_INTS + L_END] = fieldCount;
    }
    if ((layerCount + 1) * L_INTS > layers.length) {
      layers = Arrays.copyOf(layers, layers.length * 2);
    }
    if ((layerCount + 1) * 2 > problems.length) {
      problems = copy(problems, problems.length * 2);
    }
    int at = layerCount * L_INTS;
    layers[at + L_NAME] = name;
    layers[at + L_OFFSET] = offset;
    layers[at + L_LENGTH] = 0;
    layers[at + L_DEPTH] = depth;
    layers[at + L_FIRST] = fieldCount;
    layers[at + L_END] = fieldCount;
    problems[layerCount * 2] = null;
    problems[layerCount * 2 + 1] = null;
    level = 0;
    end = lim;
    rep = reported;
    return layerCount++;
  }

  /** Sets the layer's length to {@code length}, cut to the captured bytes. */
  private void length(int layer, int length) {
    int offset = layers[layer * L_INTS + L_OFFSET];
    layers[layer * L_INTS + L_LENGTH] = Math.max(0, Math.min(length, end - offset));
  }

  /** Records a field when it lies wholly inside the captured bytes of the current protocol. */
  private boolean f(int spec, int offset, int length) {
    if (length <= 0 || offset < 0 || offset + length > end) {
      return false;
    }
    if (layersOnly && !KEPT_WITH_LAYERS[spec]) {
      return true;
    }
    if (fieldCount == fields.length) {
      fields = Arrays.copyOf(fields, fields.length * 2);
    }
    fields[fieldCount++] = offset | (long) length << 24 | (long) spec << 48 | (long) level << 58;
    return true;
  }

  /** Records a field that has sub-fields, cut to the captured bytes; callers then {@link #in()}. */
  private void group(int spec, int offset, int length) {
    f(spec, offset, Math.min(length, end - offset));
  }

  private void in() {
    level++;
  }

  private void out() {
    level--;
  }

  private void malformed(int layer, String reason) {
    if (problems[layer * 2] == null) {
      problems[layer * 2] = reason;
      anyProblem = true;
    }
  }

  private void truncated(int layer, String reason) {
    if (problems[layer * 2 + 1] == null && problems[layer * 2] == null) {
      problems[layer * 2 + 1] = reason;
      anyProblem = true;
    }
  }

  /**
   * Whether {@code n} bytes of {@code what} from {@code p} were captured. If not, the layer is
   * truncated when the capture stopped early (snapshot length) and malformed when the packet itself
   * is too short, as tshark distinguishes them; a partial packet is short by design and stays silent.
   */
  private boolean need(int layer, int p, int n, String what) {
    if (p + n <= end) {
      return true;
    }
    if (!partial) {
      if (p + n > rep) {
        malformed(layer, what + " needs " + n + " bytes, the packet has only " + Math.max(0, rep - p));
      } else {
        truncated(layer, "the capture kept " + Math.max(0, end - p) + " of the " + n + " bytes of the " + what
            + " (snapshot length)");
      }
    }
    return false;
  }

  private int u8(int p) {
    return d[base + p] & 0xff;
  }

  private int u16(int p) {
    return (d[base + p] & 0xff) << 8 | (d[base + p + 1] & 0xff);
  }

  /** The rest of a protocol's captured bytes, shown as they are. */
  private void data(int p, int lim) {
    if (p < lim) {
      int layer = open(DATA, p, lim, Math.max(lim, rep));
      f(DATA_DATA, p, lim - p);
      length(layer, lim - p);
    }
  }

  /** One encapsulation level deeper, or data when tunnels nest beyond reason. */
  private boolean deeper(int p, int lim) {
    if (depth >= MAX_DEPTH) {
      data(p, lim);
      return false;
    }
    depth++;
    return true;
  }

  // ---- link layers ----

  private void ethernet(int p, int lim, int reported) {
    int layer = open(ETH, p, lim, reported);
    boolean whole = need(layer, p, 14, "Ethernet header");
    f(ETH_DST, p, 6);
    f(ETH_SRC, p + 6, 6);
    // Up to 1500 the field is an IEEE 802.3 length, and an LLC header follows (shown as data).
    f(p + 14 <= end && u16(p + 12) <= 1500 ? ETH_LEN : ETH_TYPE, p + 12, 2);
    length(layer, 14);
    if (whole) {
      int type = u16(p + 12);
      if (type <= 1500) {
        // An 802.3 length: the LLC payload (shown as data) ends there, padding follows.
        data(p + 14, Math.min(lim, p + 14 + type));
      } else {
        etherPayload(layer, type, p + 14, lim, reported);
      }
      padding(layer, p, lim);
    }
  }

  /**
   * The bytes after the payload of an Ethernet frame: padding up to the 60-byte minimum frame,
   * then any trailer, in a layer of their own so that every byte belongs somewhere.
   */
  private void padding(int ethernetLayer, int frameStart, int lim) {
    int covered = frameStart + 14;
    for (int i = ethernetLayer + 1; i < layerCount; i++) {
      covered = Math.max(covered, layers[i * L_INTS + L_OFFSET] + layers[i * L_INTS + L_LENGTH]);
    }
    if (covered >= lim) {
      return;
    }
    int layer = open(PADDING, covered, lim, Math.max(lim, rep));
    int paddingEnd = Math.max(covered, Math.min(lim, frameStart + 60));
    f(ETH_PADDING, covered, paddingEnd - covered);
    f(ETH_TRAILER, paddingEnd, lim - paddingEnd);
    length(layer, lim - covered);
  }

  private void etherPayload(int layer, int type, int p, int lim, int reported) {
    switch (type) {
      case 0x0800:
      case 0x86dd:
        ipByEtherType(type, p, lim, reported);
        break;
      case 0x0806: arp(p, lim, reported); break;
      case 0x8100:
      case 0x88a8:
      case 0x9100:
        vlan(type, p, lim, reported);
        break;
      default: data(p, lim);
    }
  }

  /**
   * An IP packet by its EtherType. Under the IPv4 EtherType, an IPv6 version nibble wins, as in
   * tshark (and both tools report the contradiction); the IPv6 parser itself rejects version 4.
   */
  private void ipByEtherType(int type, int p, int lim, int reported) {
    if (type == 0x86dd) {
      ipv6(p, lim, reported);
    } else if (p < lim && u8(p) >>> 4 == 6) {
      int layer = layerCount;
      ipv6(p, lim, reported);
      malformed(layer, "EtherType 0x0800 says IPv4, the header says version 6");
    } else {
      ipv4(p, lim, reported);
    }
  }

  /** UDP-Lite (RFC 3828): UDP with a checksum coverage where UDP has its length. */
  private void udpLite(int p, int lim, int reported) {
    int layer = open(UDPLITE, p, lim, reported);
    boolean whole = need(layer, p, 8, "UDP-Lite header");
    f(UDP_SRCPORT, p, 2);
    f(UDP_DSTPORT, p + 2, 2);
    f(UDP_CHECKSUM_COVERAGE, p + 4, 2);
    f(UDP_CHECKSUM, p + 6, 2);
    length(layer, 8);
    if (whole) {
      udpPayload(u16(p), u16(p + 2), p + 8, lim, reported);
    }
  }

  private void vlan(int type, int p, int lim, int reported) {
    if (++vlanTags > MAX_VLAN_TAGS) {
      data(p, lim);
      return;
    }
    boolean provider = type == 0x88a8;
    int layer = open(provider ? QINQ : VLAN, p, lim, reported);
    boolean whole = need(layer, p, 4, "802.1Q tag");
    f(provider ? QINQ_PRIORITY : VLAN_PRIORITY, p, 2);
    f(provider ? QINQ_DEI : VLAN_DEI, p, 2);
    f(provider ? QINQ_ID : VLAN_ID, p, 2);
    f(provider ? QINQ_ETYPE : VLAN_ETYPE, p + 2, 2);
    length(layer, 4);
    if (whole) {
      etherPayload(layer, u16(p + 2), p + 4, lim, reported);
    }
  }

  private void linuxCooked(int p, int lim, int reported) {
    int layer = open(SLL, p, lim, reported);
    boolean whole = need(layer, p, 16, "Linux cooked header");
    f(SLL_PKTTYPE, p, 2);
    f(SLL_HATYPE, p + 2, 2);
    f(SLL_HALEN, p + 4, 2);
    cookedAddress(p + 6, p + 4, 2);
    length(layer, 16);
    if (whole) {
      int protocol = u16(p + 14);
      f(protocol >= 0x0600 ? SLL_ETYPE : SLL_LTYPE, p + 14, 2);
      etherPayload(layer, protocol, p + 16, lim, reported);
    }
  }

  private void linuxCooked2(int p, int lim, int reported) {
    int layer = open(SLL, p, lim, reported);
    boolean whole = need(layer, p, 20, "Linux cooked v2 header");
    f(SLL_ETYPE, p, 2);
    f(SLL_RESERVED, p + 2, 2);
    f(SLL_IFINDEX, p + 4, 4);
    f(SLL_HATYPE, p + 8, 2);
    f(SLL_PKTTYPE, p + 10, 1);
    f(SLL_HALEN, p + 11, 1);
    cookedAddress(p + 12, p + 11, 1);
    length(layer, 20);
    if (whole) {
      etherPayload(layer, u16(p), p + 20, lim, reported);
    }
  }

  /** The 8-byte address slot of a cooked header: a MAC when 6 bytes long, else raw bytes. */
  private void cookedAddress(int p, int lengthAt, int lengthSize) {
    if (lengthAt + lengthSize > end) {
      return;
    }
    int length = lengthSize == 2 ? u16(lengthAt) : u8(lengthAt);
    if (length == 6) {
      f(SLL_SRC_ETH, p, 6);
      f(SLL_UNUSED, p + 6, 2);
    } else {
      f(SLL_SRC_OTHER, p, Math.min(length, 8));
    }
  }

  private void tunPacketInfo(int p, int lim, int reported) {
    int layer = open(TUN, p, lim, reported);
    boolean whole = need(layer, p, 4, "TUN packet information header");
    f(TUN_FLAGS, p, 2);
    f(TUN_PROTO, p + 2, 2);
    length(layer, 4);
    if (whole) {
      etherPayload(layer, u16(p + 2), p + 4, lim, reported);
    }
  }

  /** A packet that starts with its IP header; the version nibble says which. */
  private void rawIp(int p, int lim, int reported) {
    if (p >= lim) {
      return;
    }
    // Anything but version 4 goes to IPv6, which names a wrong version (tshark does the same).
    if (u8(p) >>> 4 == 4) {
      ipv4(p, lim, reported);
    } else {
      ipv6(p, lim, reported);
    }
  }

  private void arp(int p, int lim, int reported) {
    int layer = open(ARP, p, lim, reported);
    boolean fixed = need(layer, p, 8, "ARP header");
    f(ARP_HW_TYPE, p, 2);
    f(ARP_PROTO_TYPE, p + 2, 2);
    f(ARP_HW_SIZE, p + 4, 1);
    f(ARP_PROTO_SIZE, p + 5, 1);
    f(ARP_OPCODE, p + 6, 2);
    if (!fixed) {
      length(layer, 8);
      return;
    }
    int hw = u8(p + 4);
    int proto = u8(p + 5);
    int size = 8 + 2 * (hw + proto);
    need(layer, p, size, "ARP message");
    length(layer, size);
    // Wireshark's tests: Ethernet (or IEEE 802) hardware of 6 bytes, IPv4 (or ARP) protocol of 4.
    int hardwareType = u16(p);
    int protocolType = u16(p + 2);
    boolean mac = hw == 6 && (hardwareType == 1 || hardwareType == 6);
    boolean ipv4 = proto == 4 && (protocolType == 0x0800 || protocolType == 0x0806);
    int q = p + 8;
    f(mac ? ARP_SRC_HW_MAC : ARP_SRC_HW, q, hw);
    f(ipv4 ? ARP_SRC_PROTO_IPV4 : ARP_SRC_PROTO, q + hw, proto);
    f(mac ? ARP_DST_HW_MAC : ARP_DST_HW, q + hw + proto, hw);
    f(ipv4 ? ARP_DST_PROTO_IPV4 : ARP_DST_PROTO, q + 2 * hw + proto, proto);
  }

  // ---- IP ----

  private void ipv4(int p, int lim, int reported) {
    int layer = open(IP, p, lim, reported);
    boolean fixed = need(layer, p, 20, "IPv4 header");
    f(IP_VERSION, p, 1);
    f(IP_HDR_LEN, p, 1);
    if (f(IP_DSFIELD, p + 1, 1)) {
      in();
      f(IP_DSCP, p + 1, 1);
      f(IP_ECN, p + 1, 1);
      out();
    }
    f(IP_LEN, p + 2, 2);
    f(IP_ID, p + 4, 2);
    if (f(IP_FLAGS, p + 6, 1)) {
      in();
      f(IP_FLAGS_RB, p + 6, 1);
      f(IP_FLAGS_DF, p + 6, 1);
      f(IP_FLAGS_MF, p + 6, 1);
      out();
    }
    f(IP_FRAG_OFFSET, p + 6, 2);
    f(IP_TTL, p + 8, 1);
    f(IP_PROTO, p + 9, 1);
    f(IP_CHECKSUM, p + 10, 2);
    f(IP_SRC, p + 12, 4);
    f(IP_DST, p + 16, 4);
    length(layer, 20);
    if (!fixed) {
      return;
    }
    int version = u8(p) >>> 4;
    int headerLength = (u8(p) & 0x0f) * 4;
    int total = u16(p + 2);
    if (version != 4) {
      malformed(layer, "an IPv4 header must say version 4, this one says " + version);
    } else if (headerLength < 20) {
      malformed(layer, "IPv4 header length " + headerLength + " is less than the minimum 20");
    } else if (total != 0 && total < headerLength) {
      malformed(layer, "IPv4 total length " + total + " is less than the header length " + headerLength);
    }
    if (problems[layer * 2] != null) {
      data(p + 20, lim);
      return;
    }
    if (headerLength > 20) {
      length(layer, headerLength);
      boolean options = need(layer, p, headerLength, "IPv4 header with options");
      ipv4Options(layer, p + 20, p + headerLength);
      if (!options) {
        return;
      }
    }
    // A total length of 0 comes from TCP segmentation offload: the NIC fills it in later.
    int packetEnd = total == 0 ? reported : p + total;
    if (packetEnd > reported) {
      if (!partial) {
        malformed(layer, "IPv4 total length " + total + " > " + (reported - p) + " bytes in the frame");
      }
      packetEnd = reported;
    }
    int payloadLim = Math.min(lim, packetEnd);
    int fragment = u16(p + 6);
    if ((fragment & 0x1fff) != 0) {
      data(p + headerLength, payloadLim);
      return;
    }
    partialPayload((fragment & 0x2000) != 0, u8(p + 9), p + headerLength, payloadLim, packetEnd);
  }

  private void ipv4Options(int layer, int p, int optionsEnd) {
    group(IP_OPTIONS, p, optionsEnd - p);
    in();
    int o = p;
    while (o < optionsEnd && o < end) {
      int type = u8(o);
      if (type == 0 || type == 1) {
        group(IP_OPTION, o, 1);
        in();
        f(IP_OPT_TYPE, o, 1);
        out();
        o++;
        if (type == 0) {
          break;
        }
        continue;
      }
      if (o + 1 >= end) {
        break;
      }
      int length = u8(o + 1);
      if (length < 2 || o + length > optionsEnd) {
        malformed(layer, "IPv4 option " + type + " has length " + length + ", which does not fit the "
            + (optionsEnd - o) + " bytes of options left");
        break;
      }
      group(IP_OPTION, o, length);
      in();
      f(IP_OPT_TYPE, o, 1);
      f(IP_OPT_LEN, o + 1, 1);
      f(IP_OPT_DATA, o + 2, length - 2);
      out();
      o += length;
    }
    out();
  }

  /** The payload of a first fragment is the start of something longer than the packet. */
  private void partialPayload(boolean firstFragment, int protocol, int p, int lim, int reported) {
    boolean outer = partial;
    partial |= firstFragment;
    ipPayload(protocol, p, lim, reported);
    partial = outer;
  }

  private void ipPayload(int protocol, int p, int lim, int reported) {
    switch (protocol) {
      case 1: icmp(p, lim, reported); break;
      case 6: tcp(p, lim, reported); break;
      case 17: udp(p, lim, reported); break;
      case 58: icmpv6(p, lim, reported); break;
      case 136: udpLite(p, lim, reported); break;
      case 4:
      case 41:
        if (deeper(p, lim)) {
          if (protocol == 4) {
            ipv4(p, lim, reported);
          } else {
            ipv6(p, lim, reported);
          }
          depth--;
        }
        break;
      default: data(p, lim);
    }
  }

  private void ipv6(int p, int lim, int reported) {
    int layer = open(IPV6, p, lim, reported);
    boolean fixed = need(layer, p, 40, "IPv6 header");
    f(IPV6_VERSION, p, 1);
    if (f(IPV6_TCLASS, p, 4)) {
      in();
      f(IPV6_DSCP, p, 4);
      f(IPV6_ECN, p, 4);
      out();
    }
    f(IPV6_FLOW, p + 1, 3);
    f(IPV6_PLEN, p + 4, 2);
    f(IPV6_NXT, p + 6, 1);
    f(IPV6_HLIM, p + 7, 1);
    f(IPV6_SRC, p + 8, 16);
    f(IPV6_DST, p + 24, 16);
    length(layer, 40);
    if (!fixed) {
      return;
    }
    int version = u8(p) >>> 4;
    if (version != 6) {
      malformed(layer, "an IPv6 header must say version 6, this one says " + version);
      data(p + 40, lim);
      return;
    }
    int payloadLength = u16(p + 4);
    // A payload length of 0 means a jumbogram or segmentation offload: the frame says how long.
    int packetEnd = payloadLength == 0 ? reported : p + 40 + payloadLength;
    if (packetEnd > reported) {
      if (!partial) {
        malformed(layer, "IPv6 payload length " + payloadLength + " > " + Math.max(0, reported - p - 40)
            + " bytes after the header in the frame");
      }
      packetEnd = reported;
    }
    end = Math.min(lim, packetEnd);
    rep = packetEnd;
    int next = u8(p + 6);
    int q = p + 40;
    boolean firstFragment = false;
    for (int count = 0; count < MAX_IPV6_EXTENSIONS; count++) {
      int header;
      switch (next) {
        case 0: header = ipv6Options(layer, q, IPV6_HOPOPTS, IPV6_HOPOPTS_NXT, IPV6_HOPOPTS_LEN, "hop-by-hop options header"); break;
        case 60: header = ipv6Options(layer, q, IPV6_DSTOPTS, IPV6_DSTOPTS_NXT, IPV6_DSTOPTS_LEN, "destination options header"); break;
        case 43: header = ipv6Routing(layer, q); break;
        case 44: header = ipv6Fragment(layer, q); break;
        default: header = 0;
      }
      if (header == 0) {
        break;
      }
      if (header < 0) {
        length(layer, q - p + (-1 - header));
        return;
      }
      length(layer, q + header - p);
      if (next == 44) {
        firstFragment = (u16(q + 2) & 0x0001) != 0;
        if ((u16(q + 2) & 0xfff8) != 0) {
          data(q + header, Math.min(lim, packetEnd));
          return;
        }
      }
      next = u8(q);
      q += header;
    }
    partialPayload(firstFragment, next, q, Math.min(lim, packetEnd), packetEnd);
  }

  /**
   * Starts an extension header whose second byte counts the 8-byte units after the first:
   * records it with its next-header and length fields and leaves the tree one level in.
   */
  private int extensionHeader(int q, int spec, int nextSpec, int lengthSpec) {
    int size = q + 2 <= end ? (u8(q + 1) + 1) * 8 : 8;
    group(spec, q, size);
    in();
    f(nextSpec, q, 1);
    f(lengthSpec, q + 1, 1);
    return size;
  }

  /** Ends an extension header: its size, or {@code -1 - capturedBytes} when it was cut off. */
  private int extensionEnd(int layer, int q, int size, String what) {
    out();
    if (q + size <= end) {
      return size; // as need() would say, without first composing the name it would complain with
    }
    need(layer, q, size, "IPv6 " + what);
    return -1 - Math.min(size, Math.max(0, end - q));
  }

  /** A hop-by-hop or destination options header at {@code q}; see {@link #extensionEnd}. */
  private int ipv6Options(int layer, int q, int spec, int nextSpec, int lengthSpec, String what) {
    int size = extensionHeader(q, spec, nextSpec, lengthSpec);
    int o = q + 2;
    int optionsEnd = Math.min(q + size, end);
    while (o < optionsEnd) {
      int type = u8(o);
      if (type == 0) {
        f(IPV6_OPT_PAD1, o, 1);
        o++;
        continue;
      }
      if (o + 2 > optionsEnd) {
        break;
      }
      int length = 2 + u8(o + 1);
      if (o + length > q + size) {
        malformed(layer, "IPv6 option " + type + " of " + length + " bytes runs past its " + what);
        break;
      }
      group(IPV6_OPT, o, length);
      in();
      f(IPV6_OPT_TYPE, o, 1);
      f(IPV6_OPT_LENGTH, o + 1, 1);
      out();
      o += length;
    }
    return extensionEnd(layer, q, size, what);
  }

  private int ipv6Routing(int layer, int q) {
    int size = extensionHeader(q, IPV6_ROUTING, IPV6_ROUTING_NXT, IPV6_ROUTING_LEN);
    f(IPV6_ROUTING_TYPE, q + 2, 1);
    f(IPV6_ROUTING_SEGLEFT, q + 3, 1);
    return extensionEnd(layer, q, size, "routing header");
  }

  private int ipv6Fragment(int layer, int q) {
    group(IPV6_FRAGHDR, q, 8);
    in();
    f(IPV6_FRAGHDR_NXT, q, 1);
    f(IPV6_FRAGHDR_RESERVED, q + 1, 1);
    f(IPV6_FRAGHDR_OFFSET, q + 2, 2);
    f(IPV6_FRAGHDR_MORE, q + 2, 2);
    f(IPV6_FRAGHDR_IDENT, q + 4, 4);
    return extensionEnd(layer, q, 8, "fragment header");
  }

  // ---- ICMP ----

  private void icmp(int p, int lim, int reported) {
    int layer = open(ICMP, p, lim, reported);
    boolean whole = need(layer, p, 8, "ICMP header");
    f(ICMP_TYPE, p, 1);
    f(ICMP_CODE, p + 1, 1);
    f(ICMP_CHECKSUM, p + 2, 2);
    length(layer, lim - p);
    if (p + 1 > end) {
      return;
    }
    int type = u8(p);
    if (IcmpType.of(type).quotesPacket()) {
      length(layer, 8);
      switch (type) {
        case 5: f(ICMP_REDIR_GW, p + 4, 4); break;
        case 12:
          f(ICMP_POINTER, p + 4, 1);
          f(ICMP_UNUSED, p + 5, 3);
          break;
        default:
          if (p + 2 <= end && type == 3 && u8(p + 1) == 4) {
            f(ICMP_UNUSED, p + 4, 2);
            f(ICMP_MTU, p + 6, 2);
          } else {
            f(ICMP_UNUSED, p + 4, 4);
          }
      }
      if (whole) {
        quote(0x0800, p + 8, lim, reported);
      }
      return;
    }
    if (type == 0 || type == 8 || (type >= 13 && type <= 18)) {
      f(ICMP_IDENT, p + 4, 2);
      f(ICMP_SEQ, p + 6, 2);
      f(DATA_DATA, p + 8, lim - p - 8);
    } else {
      f(DATA_DATA, p + 4, lim - p - 4);
    }
  }

  /**
   * The packet an ICMP error quotes: one level deeper, and short by design. ICMP quotes IPv4 and
   * ICMPv6 quotes IPv6, whatever the version nibble says (tshark too shows a bogus one that way).
   */
  private void quote(int type, int p, int lim, int reported) {
    if (p >= lim || !deeper(p, lim)) {
      return;
    }
    boolean outer = partial;
    partial = true;
    ipByEtherType(type, p, lim, reported);
    partial = outer;
    depth--;
  }

  private void icmpv6(int p, int lim, int reported) {
    int layer = open(ICMPV6, p, lim, reported);
    boolean header = need(layer, p, 4, "ICMPv6 header");
    f(ICMPV6_TYPE, p, 1);
    f(ICMPV6_CODE, p + 1, 1);
    f(ICMPV6_CHECKSUM, p + 2, 2);
    length(layer, lim - p);
    if (!header) {
      return;
    }
    int type = u8(p);
    switch (type) {
      case 1:
      case 2:
      case 3:
      case 4:
        f(type == 2 ? ICMPV6_MTU : type == 4 ? ICMPV6_POINTER : ICMPV6_RESERVED, p + 4, 4);
        length(layer, 8);
        if (need(layer, p, 8, "ICMPv6 error header")) {
          quote(0x86dd, p + 8, lim, reported);
        }
        break;
      case 128:
      case 129:
        need(layer, p, 8, "ICMPv6 echo header");
        f(ICMPV6_ECHO_ID, p + 4, 2);
        f(ICMPV6_ECHO_SEQ, p + 6, 2);
        f(DATA_DATA, p + 8, lim - p - 8);
        break;
      case 130:
      case 131:
      case 132:
        need(layer, p, 24, "Multicast Listener Discovery message");
        f(ICMPV6_MLD_DELAY, p + 4, 2);
        f(ICMPV6_RESERVED, p + 6, 2);
        f(ICMPV6_MLD_ADDRESS, p + 8, 16);
        f(DATA_DATA, p + 24, lim - p - 24);
        break;
      case 133:
      case 134:
      case 135:
      case 136:
      case 137:
        neighborDiscovery(layer, type, p);
        break;
      case 143:
        if (need(layer, p, 8, "MLDv2 report")) {
          f(ICMPV6_RESERVED, p + 4, 2);
          f(ICMPV6_MLDR_RECORDS, p + 6, 2);
          mldRecords(layer, p + 8, u16(p + 6));
        }
        break;
      default:
        f(DATA_DATA, p + 4, lim - p - 4);
    }
  }

  /** Router and neighbour discovery (RFC 4861): a fixed part that depends on the type, then options. */
  private void neighborDiscovery(int layer, int type, int p) {
    int fixed = type == 133 ? 8 : type == 134 ? 16 : type == 137 ? 40 : 24;
    boolean whole = need(layer, p, fixed, Icmpv6Type.of(type).name());
    if (type == 134) {
      f(ICMPV6_RA_HOP_LIMIT, p + 4, 1);
      if (f(ICMPV6_RA_FLAG, p + 5, 1)) {
        in();
        f(ICMPV6_RA_FLAG_M, p + 5, 1);
        f(ICMPV6_RA_FLAG_O, p + 5, 1);
        out();
      }
      f(ICMPV6_RA_LIFETIME, p + 6, 2);
      f(ICMPV6_RA_REACHABLE, p + 8, 4);
      f(ICMPV6_RA_RETRANS, p + 12, 4);
    } else if (type == 136) {
      if (f(ICMPV6_NA_FLAG, p + 4, 4)) {
        in();
        f(ICMPV6_NA_FLAG_R, p + 4, 4);
        f(ICMPV6_NA_FLAG_S, p + 4, 4);
        f(ICMPV6_NA_FLAG_O, p + 4, 4);
        out();
      }
      f(ICMPV6_NA_TARGET, p + 8, 16);
    } else {
      f(ICMPV6_RESERVED, p + 4, 4);
      f(type == 135 ? ICMPV6_NS_TARGET : ICMPV6_RD_TARGET, p + 8, 16);
      if (type == 137) {
        f(ICMPV6_RD_DESTINATION, p + 24, 16);
      }
    }
    if (whole) {
      ndOptions(layer, p + fixed);
    }
  }

  private void ndOptions(int layer, int o) {
    while (o < rep) {
      if (!need(layer, o, 2, "neighbor discovery option")) {
        return;
      }
      int type = u8(o);
      int size = u8(o + 1) * 8;
      boolean whole = size > 0 && need(layer, o, size, "neighbor discovery option");
      group(ICMPV6_OPT, o, Math.max(size, 2));
      in();
      f(ICMPV6_OPT_TYPE, o, 1);
      f(ICMPV6_OPT_LENGTH, o + 1, 1);
      if (size == 0) {
        out();
        malformed(layer, "neighbor discovery option " + type + " has length 0, which would never end");
        return;
      }
      switch (type) {
        case 1:
        case 2:
          f(size == 8 ? ICMPV6_OPT_LINKADDR : ICMPV6_OPT_DATA, o + 2, size - 2);
          break;
        case 3:
          f(ICMPV6_OPT_PREFIX_LENGTH, o + 2, 1);
          if (f(ICMPV6_OPT_PREFIX_FLAG, o + 3, 1)) {
            in();
            f(ICMPV6_OPT_PREFIX_FLAG_L, o + 3, 1);
            f(ICMPV6_OPT_PREFIX_FLAG_A, o + 3, 1);
            out();
          }
          f(ICMPV6_OPT_PREFIX_VALID, o + 4, 4);
          f(ICMPV6_OPT_PREFIX_PREFERRED, o + 8, 4);
          f(ICMPV6_OPT_RESERVED, o + 12, 4);
          f(ICMPV6_OPT_PREFIX, o + 16, 16);
          break;
        case 5:
          f(ICMPV6_OPT_RESERVED, o + 2, 2);
          f(ICMPV6_OPT_MTU, o + 4, 4);
          break;
        case 14:
          f(ICMPV6_OPT_NONCE, o + 2, size - 2);
          break;
        default:
          f(ICMPV6_OPT_DATA, o + 2, size - 2);
      }
      out();
      if (!whole) {
        return;
      }
      o += size;
    }
  }

  private void mldRecords(int layer, int r, int count) {
    for (int i = 0; i < count && r < rep; i++) {
      if (!need(layer, r, 20, "multicast address record")) {
        return;
      }
      int auxWords = u8(r + 1);
      int sources = u16(r + 2);
      int size = 20 + 16 * sources + 4 * auxWords;
      boolean whole = need(layer, r, size, "multicast address record");
      group(ICMPV6_MLDR_MAR, r, size);
      in();
      f(ICMPV6_MLDR_RECORD_TYPE, r, 1);
      f(ICMPV6_MLDR_AUX_LEN, r + 1, 1);
      f(ICMPV6_MLDR_SOURCES, r + 2, 2);
      f(ICMPV6_MLDR_ADDRESS, r + 4, 16);
      for (int s = 0; s < sources && r + 20 + 16 * s < end; s++) {
        f(ICMPV6_MLDR_SOURCE, r + 20 + 16 * s, 16);
      }
      f(ICMPV6_MLDR_AUX, r + 20 + 16 * sources, 4 * auxWords);
      out();
      if (!whole) {
        return;
      }
      r += size;
    }
  }

  // ---- transport ----

  private void udp(int p, int lim, int reported) {
    int layer = open(UDP, p, lim, reported);
    boolean whole = need(layer, p, 8, "UDP header");
    f(UDP_SRCPORT, p, 2);
    f(UDP_DSTPORT, p + 2, 2);
    f(UDP_LENGTH, p + 4, 2);
    f(UDP_CHECKSUM, p + 6, 2);
    length(layer, 8);
    if (!whole) {
      return;
    }
    int length = u16(p + 4);
    int datagramEnd = p + length;
    if (length < 8) {
      if (partial || length == 0) {
        // Zero: an IPv6 jumbogram or segmentation offload; the IP layer's length rules.
        datagramEnd = reported;
      } else {
        malformed(layer, "UDP length " + length + " is less than the 8 bytes of its own header");
        data(p + 8, lim);
        return;
      }
    }
    if (datagramEnd > reported) {
      if (!partial) {
        malformed(layer, "UDP length " + length + " > " + (reported - p) + " bytes in the IP payload");
      }
      datagramEnd = reported;
    }
    udpPayload(u16(p), u16(p + 2), p + 8, Math.min(lim, datagramEnd), datagramEnd);
  }

  /** What UDP (or UDP-Lite) carries: by decode-as rule, then by well-known port, then by heuristic. */
  private void udpPayload(int sourcePort, int destinationPort, int p, int lim, int reported) {
    DecodeAs rule = config.decodeAs(destinationPort);
    if (rule == null) {
      rule = config.decodeAs(sourcePort);
    }
    if (rule != null) {
      tunnel(rule, p, lim, reported);
    } else if (isDnsPort(sourcePort) || isDnsPort(destinationPort)) {
      dns(p, lim, reported);
    } else if (looksLikeWireGuard(p, reported)) {
      wireGuard(p, lim, reported);
    } else if (config.detectsIpInUdp() && isWholeIpPacket(p, lim, reported)) {
      tunnel(DecodeAs.RAW_IP, p, lim, reported);
    } else {
      data(p, lim);
    }
  }

  /**
   * Wireshark's WireGuard heuristic, for tunnels on other ports than 51820 (wireguard-go often
   * listens on a random one): type 1–4, three zero bytes, and the exact size of that message
   * (a data message: a 16-byte header plus whole 16-byte blocks, at least one).
   */
  private boolean looksLikeWireGuard(int p, int messageEnd) {
    if (p + 4 > end || u8(p + 1) != 0 || u16(p + 2) != 0) {
      return false;
    }
    int length = messageEnd - p;
    switch (u8(p)) {
      case 1: return length == 148;
      case 2: return length == 92;
      case 3: return length == 64;
      case 4: return length >= 32 && length % 16 == 0;
      default: return false;
    }
  }

  /** Whether {@code [p, packetEnd)} is an IP packet beyond doubt ({@link Dissector#withIpInUdpDetection}). */
  private boolean isWholeIpPacket(int p, int lim, int packetEnd) {
    int length = packetEnd - p;
    if (p >= lim) {
      return false;
    }
    int version = u8(p) >>> 4;
    if (version == 4) {
      int headerLength = (u8(p) & 0x0f) * 4;
      return headerLength >= 20 && p + headerLength <= lim && u16(p + 2) == length
          && InternetChecksum.verifies(InternetChecksum.add(0, ByteBuffer.wrap(d), base + p, headerLength));
    }
    if (version != 6 || lim != packetEnd || length <= 40 || u16(p + 4) != length - 40) {
      return false;
    }
    int next = u8(p + 6);
    int q = p + 40;
    // Hop-by-hop, routing and destination options headers: 8-byte units after the first 8.
    while ((next == 0 || next == 43 || next == 60) && q + 8 <= lim) {
      int size = (u8(q + 1) + 1) * 8;
      next = u8(q);
      q += size;
    }
    if ((next != 6 && next != 17 && next != 58) || q + 8 > lim) {
      return false;
    }
    ByteBuffer bytes = ByteBuffer.wrap(d);
    long sum = InternetChecksum.add(0, bytes, base + p + 8, 32);
    sum += (lim - q) + next;
    return InternetChecksum.verifies(InternetChecksum.add(sum, bytes, base + q, lim - q));
  }

  /** DNS, multicast DNS and LLMNR share the message format (and Wireshark's dns.* names). */
  private static boolean isDnsPort(int port) {
    return port == 53 || port == 5353 || port == 5355;
  }

  private void tunnel(DecodeAs rule, int p, int lim, int reported) {
    if (p >= lim) {
      return;
    }
    switch (rule) {
      case VXLAN: vxlan(p, lim, reported); break;
      case WIREGUARD: wireGuard(p, lim, reported); break;
      case TUNLAB_AEAD: tunlabAead(p, lim, reported); break;
      default:
        if (deeper(p, lim)) {
          if (rule == DecodeAs.ETHERNET) {
            ethernet(p, lim, reported);
          } else {
            rawIp(p, lim, reported);
          }
          depth--;
        }
    }
  }

  private void tcp(int p, int lim, int reported) {
    int layer = open(TCP, p, lim, reported);
    boolean fixed = need(layer, p, 20, "TCP header");
    f(TCP_SRCPORT, p, 2);
    f(TCP_DSTPORT, p + 2, 2);
    f(TCP_SEQ, p + 4, 4);
    f(TCP_ACK, p + 8, 4);
    f(TCP_HDR_LEN, p + 12, 1);
    if (f(TCP_FLAGS, p + 12, 2)) {
      in();
      f(TCP_FLAGS_RES, p + 12, 1);
      f(TCP_FLAGS_AE, p + 12, 1);
      f(TCP_FLAGS_CWR, p + 13, 1);
      f(TCP_FLAGS_ECE, p + 13, 1);
      f(TCP_FLAGS_URG, p + 13, 1);
      f(TCP_FLAGS_ACK, p + 13, 1);
      f(TCP_FLAGS_PUSH, p + 13, 1);
      f(TCP_FLAGS_RESET, p + 13, 1);
      f(TCP_FLAGS_SYN, p + 13, 1);
      f(TCP_FLAGS_FIN, p + 13, 1);
      out();
    }
    f(TCP_WINDOW, p + 14, 2);
    f(TCP_CHECKSUM, p + 16, 2);
    f(TCP_URGENT, p + 18, 2);
    length(layer, 20);
    if (!fixed) {
      return;
    }
    int headerLength = (u8(p + 12) >>> 4) * 4;
    if (headerLength < 20) {
      malformed(layer, "TCP header length " + headerLength + " is less than the minimum 20");
      data(p + 20, lim);
      return;
    }
    length(layer, headerLength);
    boolean whole = need(layer, p, headerLength, "TCP header with options");
    if (headerLength > 20) {
      tcpOptions(layer, p + 20, p + headerLength);
    }
    if (whole) {
      data(p + headerLength, lim);
    }
  }

  private void tcpOptions(int layer, int p, int optionsEnd) {
    group(TCP_OPTIONS, p, optionsEnd - p);
    in();
    int o = p;
    while (o < optionsEnd && o < end) {
      int kind = u8(o);
      if (kind == 0 || kind == 1) {
        group(kind == 0 ? TCP_OPT_EOL : TCP_OPT_NOP, o, 1);
        in();
        f(TCP_OPTION_KIND, o, 1);
        out();
        o++;
        if (kind == 0) {
          break;
        }
        continue;
      }
      if (o + 2 > end) {
        break;
      }
      int length = u8(o + 1);
      if (length < 2 || o + length > optionsEnd) {
        malformed(layer, "TCP option " + kind + " has length " + length + ", which does not fit the "
            + (optionsEnd - o) + " bytes of options left");
        break;
      }
      int spec;
      switch (kind) {
        case 2: spec = TCP_OPT_MSS; break;
        case 3: spec = TCP_OPT_WSCALE; break;
        case 4: spec = TCP_OPT_SACK_PERM; break;
        case 5: spec = TCP_OPT_SACK; break;
        case 8: spec = TCP_OPT_TIMESTAMP; break;
        default: spec = TCP_OPT_UNKNOWN;
      }
      group(spec, o, length);
      in();
      f(TCP_OPTION_KIND, o, 1);
      f(TCP_OPTION_LEN, o + 1, 1);
      if (kind == 2 && length == 4) {
        f(TCP_OPT_MSS_VAL, o + 2, 2);
      } else if (kind == 3 && length == 3) {
        f(TCP_OPT_WSCALE_SHIFT, o + 2, 1);
      } else if (kind == 8 && length == 10) {
        f(TCP_OPT_TSVAL, o + 2, 4);
        f(TCP_OPT_TSECR, o + 6, 4);
      } else if (kind == 5) {
        for (int edge = o + 2; edge + 8 <= o + length; edge += 8) {
          f(TCP_OPT_SACK_LE, edge, 4);
          f(TCP_OPT_SACK_RE, edge + 4, 4);
        }
      } else if (spec == TCP_OPT_UNKNOWN) {
        f(TCP_OPT_PAYLOAD, o + 2, length - 2);
      }
      out();
      o += length;
    }
    out();
  }

  // ---- tunnels ----

  private void vxlan(int p, int lim, int reported) {
    int layer = open(VXLAN, p, lim, reported);
    boolean whole = need(layer, p, 8, "VXLAN header");
    if (f(VXLAN_FLAGS, p, 2)) {
      in();
      f(VXLAN_FLAG_G, p, 2);
      f(VXLAN_FLAG_I, p, 2);
      f(VXLAN_FLAG_D, p, 2);
      f(VXLAN_FLAG_A, p, 2);
      f(VXLAN_FLAGS_RESERVED, p, 2);
      out();
    }
    f(VXLAN_GBP, p + 2, 2);
    f(VXLAN_VNI, p + 4, 3);
    f(VXLAN_RESERVED, p + 7, 1);
    length(layer, 8);
    if (whole && p + 8 < lim && deeper(p + 8, lim)) {
      ethernet(p + 8, lim, reported);
      depth--;
    }
  }

  /**
   * TunTap Lab's AEAD message: type, direction, reserved, key id, session, counter, ciphertext, tag. With a
   * key the dissection continues into the inner packet: the frame's bytes are copied once and the
   * plaintext replaces the ciphertext at the same offsets (ChaCha20 keeps lengths), so every inner
   * field has a byte range, in the decrypted copy this dissection then holds.
   */
  private void tunlabAead(int p, int lim, int reported) {
    int layer = open(TUNLAB, p, lim, reported);
    boolean whole = need(layer, p, 40, "TunTap Lab AEAD header and tag");
    f(TUNLAB_TYPE, p, 1);
    f(TUNLAB_DIRECTION, p + 1, 1);
    f(TUNLAB_RESERVED, p + 2, 2);
    f(TUNLAB_KEY_ID, p + 4, 4);
    f(TUNLAB_SESSION, p + 8, 8);
    f(TUNLAB_COUNTER, p + 16, 8);
    length(layer, lim - p);
    if (!whole) {
      return;
    }
    if (lim < reported) {
      f(TUNLAB_CIPHERTEXT, p + 24, lim - p - 24);
      return;
    }
    int tag = lim - 16;
    int plaintext = -1;
    TunnelDecryption decryption = config.decryption();
    if (decryption != null) {
      byte[] copy = copied ? d : d.clone();
      plaintext = decryption.decryptInPlace(copy, base + p, lim - p);
      if (plaintext >= 0 && !copied) {
        d = copy;
        copied = true;
      }
    }
    if (plaintext < 0) {
      f(TUNLAB_CIPHERTEXT, p + 24, tag - p - 24);
    }
    f(TUNLAB_TAG, tag, 16);
    if (plaintext > 0 && deeper(p + 24, tag)) {
      rawIp(p + 24, tag, tag);
      depth--;
    }
  }

  private void wireGuard(int p, int lim, int reported) {
    int layer = open(WG, p, lim, reported);
    boolean header = need(layer, p, 4, "WireGuard message header");
    f(WG_TYPE, p, 1);
    f(WG_RESERVED, p + 1, 3);
    length(layer, lim - p);
    if (!header) {
      return;
    }
    int type = u8(p);
    if (type >= 1 && type <= 4) {
      int[] layout = WIREGUARD_LAYOUTS[type - 1];
      need(layer, p, layout[0], WIREGUARD_MESSAGES[type - 1]);
      for (int i = 1; i < layout.length; i += 3) {
        // A length of 0 stands for "the rest": the ciphertext of a data message.
        f(layout[i], p + layout[i + 1], layout[i + 2] > 0 ? layout[i + 2] : lim - p - layout[i + 1]);
      }
    } else {
      f(DATA_DATA, p + 4, lim - p - 4);
    }
  }

  // ---- DNS ----

  private void dns(int p, int lim, int reported) {
    int layer = open(DNS, p, lim, reported);
    boolean header = need(layer, p, 12, "DNS header");
    f(DNS_ID, p, 2);
    if (f(DNS_FLAGS, p + 2, 2)) {
      boolean response = (u8(p + 2) & 0x80) != 0;
      in();
      f(DNS_FLAGS_RESPONSE, p + 2, 2);
      f(DNS_FLAGS_OPCODE, p + 2, 2);
      if (response) {
        f(DNS_FLAGS_AUTHORITATIVE, p + 2, 2);
      }
      f(DNS_FLAGS_TRUNCATED, p + 2, 2);
      f(DNS_FLAGS_RECDESIRED, p + 2, 2);
      if (response) {
        f(DNS_FLAGS_RECAVAIL, p + 2, 2);
        f(DNS_FLAGS_RCODE, p + 2, 2);
      }
      out();
    }
    f(DNS_COUNT_QUERIES, p + 4, 2);
    f(DNS_COUNT_ANSWERS, p + 6, 2);
    f(DNS_COUNT_AUTH, p + 8, 2);
    f(DNS_COUNT_ADD, p + 10, 2);
    length(layer, lim - p);
    if (!header) {
      return;
    }
    int q = p + 12;
    int queries = u16(p + 4);
    for (int i = 0; i < queries && q >= 0; i++) {
      q = dnsQuestion(layer, p, q);
    }
    int records = u16(p + 6) + u16(p + 8) + u16(p + 10);
    for (int i = 0; i < records && q >= 0; i++) {
      q = dnsRecord(layer, p, q);
    }
  }

  /** The question at {@code q}; returns where the next item starts, or -1 to stop. */
  private int dnsQuestion(int layer, int message, int q) {
    int name = dnsNameLength(layer, message, q);
    if (name < 0) {
      return -1;
    }
    boolean whole = need(layer, q, name + 4, "DNS question");
    group(DNS_QRY, q, name + 4);
    in();
    f(DNS_QRY_NAME, q, name);
    f(DNS_QRY_TYPE, q + name, 2);
    f(DNS_QRY_CLASS, q + name + 2, 2);
    out();
    return whole ? q + name + 4 : -1;
  }

  private int dnsRecord(int layer, int message, int r) {
    int name = dnsNameLength(layer, message, r);
    if (name < 0 || !need(layer, r, name + 10, "DNS resource record")) {
      return -1;
    }
    int type = u16(r + name);
    int dataLength = u16(r + name + 8);
    int rdata = r + name + 10;
    boolean whole = need(layer, r, name + 10 + dataLength, "DNS resource record");
    group(DNS_RESP, r, name + 10 + dataLength);
    in();
    f(DNS_RESP_NAME, r, name);
    f(DNS_RESP_TYPE, r + name, 2);
    f(DNS_RESP_CLASS, r + name + 2, 2);
    f(DNS_RESP_TTL, r + name + 4, 4);
    f(DNS_RESP_LEN, r + name + 8, 2);
    int spec = DNS_DATA;
    if (type == 1 && dataLength == 4) {
      spec = DNS_A;
    } else if (type == 28 && dataLength == 16) {
      spec = DNS_AAAA;
    } else if ((type == 5 || type == 2 || type == 12) && whole) {
      spec = dnsNameLength(layer, message, rdata) == dataLength
          ? (type == 5 ? DNS_CNAME : type == 2 ? DNS_NS : DNS_PTR) : DNS_DATA;
    }
    f(spec, rdata, dataLength);
    out();
    return whole ? rdata + dataLength : -1;
  }

  /**
   * The bytes the name at {@code at} occupies where it stands (labels up to the root or a
   * compression pointer), or -1 when those run out or hold a label of unknown type. A name that is
   * too long, or whose pointers loop or lead outside the message, makes the layer malformed but
   * keeps its place, as tshark shows it.
   */
  private int dnsNameLength(int layer, int message, int at) {
    int p = at;
    int nameBytes = 1;
    while (true) {
      if (!need(layer, p, 1, "DNS name")) {
        return -1;
      }
      int label = u8(p);
      if (label == 0) {
        checkNameLength(layer, at, nameBytes);
        return p + 1 - at;
      }
      if ((label & 0xc0) == 0xc0) {
        if (!need(layer, p, 2, "DNS name")) {
          return -1;
        }
        followPointers(layer, message, at, p, nameBytes);
        return p + 2 - at;
      }
      if ((label & 0xc0) != 0) {
        malformed(layer, "the DNS name at offset " + at + " has a label of unknown type 0x" + Integer.toHexString(label));
        return -1;
      }
      nameBytes += 1 + label;
      p += 1 + label;
    }
  }

  private void checkNameLength(int layer, int at, int nameBytes) {
    if (nameBytes > Format.MAX_NAME_BYTES) {
      malformed(layer, "the DNS name at offset " + at + " is longer than the 255 bytes a name may have");
    }
  }

  /** Follows the compression pointer at {@code p} to the name's end, flagging what is wrong on the way. */
  private void followPointers(int layer, int message, int at, int p, int nameBytes) {
    int checkpoint = -1;
    int nextCheckpoint = 1;
    for (int jumps = 1; ; ) {
      p = message + (((u8(p) & 0x3f) << 8) | u8(p + 1));
      // Brent's cycle check: a pointer target seen again at a checkpoint means a loop.
      if (p == checkpoint || jumps > Format.MAX_NAME_JUMPS) {
        malformed(layer, "the DNS name at offset " + at + " loops through its compression pointers");
        return;
      }
      if (jumps == nextCheckpoint) {
        checkpoint = p;
        nextCheckpoint <<= 1;
      }
      while (true) {
        if (p >= end) {
          malformed(layer, "the DNS name at offset " + at + " points outside the message");
          return;
        }
        int label = u8(p);
        if (label == 0) {
          checkNameLength(layer, at, nameBytes);
          return;
        }
        if ((label & 0xc0) == 0xc0) {
          if (p + 2 > end) {
            malformed(layer, "the DNS name at offset " + at + " points outside the message");
            return;
          }
          jumps++;
          break;
        }
        nameBytes += 1 + label;
        if ((label & 0xc0) != 0 || nameBytes > Format.MAX_NAME_BYTES) {
          malformed(layer, "the DNS name at offset " + at + " is longer than the 255 bytes a name may have"
              + ((label & 0xc0) != 0 ? " or has a label of unknown type" : ""));
          return;
        }
        p += 1 + label;
      }
    }
  }
}
