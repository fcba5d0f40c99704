package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Objects;

/**
 * The text {@code tcpdump -nn} (4.99.3) prints for a packet, byte for byte, with its quirks.
 *
 * <p>The {@link Dissection} decides what each part of the frame is and where it starts (layers,
 * their offsets, the fields); this class only renders. Within a header it reads the bytes the
 * dissection located, through a bounded reader that stops where tcpdump's captured-bytes check
 * would, so that a cut-off header ends in tcpdump's {@code [|proto]} at the same place.
 *
 * <p>Where tcpdump decodes a protocol we do not dissect, the line stops at the highest layer we do
 * understand and {@link #lastWasPartial()} says so. Not thread-safe: one printer per thread
 * (TCP's relative sequence numbers make it stateful, as tcpdump is).
 */
public final class TcpdumpPrinter {
  // tcpdump's words on most lines, encoded once: appending bytes costs a third of appending a
  // String under C1 (see LineBuffer#ascii), and a line has a dozen of them.
  private static final byte[] TO = LineBuffer.ascii(" > ");
  private static final byte[] COMMA = LineBuffer.ascii(", ");
  private static final byte[] COLON = LineBuffer.ascii(": ");
  private static final byte[] COMMA_LENGTH = LineBuffer.ascii(", length ");
  private static final byte[] UDP_LENGTH = LineBuffer.ascii("UDP, length ");
  private static final byte[] FLAGS = LineBuffer.ascii("Flags [");
  private static final byte[] SEQ = LineBuffer.ascii(", seq ");
  private static final byte[] ACK = LineBuffer.ascii(", ack ");
  private static final byte[] WIN = LineBuffer.ascii(", win ");
  private static final byte[] OPTIONS = LineBuffer.ascii(", options [");
  private static final byte[] ICMP = LineBuffer.ascii("ICMP ");
  private static final byte[] ID = LineBuffer.ascii(", id ");
  private static final byte[] IP = LineBuffer.ascii("IP ");
  private static final byte[] IP6 = LineBuffer.ascii("IP6 ");
  private static final byte[] VXLAN = LineBuffer.ascii("VXLAN, ");
  private static final byte[] VXLAN_FLAGS_I = LineBuffer.ascii("flags [I] (0x");
  private static final byte[] VXLAN_FLAGS_NONE = LineBuffer.ascii("flags [.] (0x");
  private static final byte[] VNI = LineBuffer.ascii("), vni ");
  private static final byte[] ECHO_REQUEST = LineBuffer.ascii("echo request");
  private static final byte[] ECHO_REPLY = LineBuffer.ascii("echo reply");
  private static final byte[] WHO_HAS = LineBuffer.ascii("Request who-has ");
  private static final byte[] TELL = LineBuffer.ascii(" tell ");
  private static final byte[] REPLY = LineBuffer.ascii("Reply ");
  private static final byte[] IS_AT = LineBuffer.ascii(" is-at ");

  private final TcpdumpOptions options;
  private final TcpSequences sequences = new TcpSequences();
  private final LocalTimeCache clock;
  /** {@code ethertype IPv4 (0x0800)} and the like, 32 slots by a hash of the EtherType. */
  private final LineBuffer[] etherTypeTexts = new LineBuffer[32];
  private final int[] etherTypeKeys = new int[32];

  // Per packet.
  private LineBuffer out;
  /** For the {@link StringBuilder} form of {@code print}. */
  private LineBuffer scratch;
  private byte[] d;
  private int base;
  /** Absolute index one past the last captured byte that may be read now (tcpdump's snapend). */
  private int snapEnd;
  private Dissection dissection;
  /** The layers' offsets and lengths, read once per packet. */
  private int[] layerOffsets = new int[16];
  private int[] layerLengths = new int[16];
  private int layerCount;
  private boolean partial;
  /** The link-level header length of the current frame, for {@code -x} and {@code -X}. */
  private int linkHeaderLength;
  /** What tcpdump adds after {@code [|proto]}: {@code >} when the TCP options were cut after the first. */
  private String afterTruncation;
  /** The protocol being printed: the name in {@code [|name]} when its bytes run out. */
  private String protocol;

  public TcpdumpPrinter(TcpdumpOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = new LocalTimeCache(options.zone());
  }

  /** Whether the last packet printed stopped at a protocol tcpdump decodes and we do not. */
  public boolean lastWasPartial() {
    return partial;
  }

  /**
   * Appends what tcpdump prints for one packet, newline included: timestamp, the line (and for
   * tunnels the inner packet's line), then the hex dump if asked for.
   *
   * @param data the frame's bytes from {@code offset}, as dissected into {@code dissection}
   */
  public void print(StringBuilder out, Instant timestamp, Dissection dissection, byte[] data, int offset) {
    if (scratch == null) {
      scratch = new LineBuffer(256);
    }
    scratch.clear();
    print(scratch, timestamp, dissection, data, offset);
    out.append(scratch);
  }

  /** Like {@link #print(StringBuilder, Instant, Dissection, byte[], int)}, as bytes: the fast way to a file. */
  public void print(LineBuffer out, Instant timestamp, Dissection dissection, byte[] data, int offset) {
    print(out, timestamp.getEpochSecond(), timestamp.getNano(), dissection, data, offset);
  }

  /**
   * Like {@link #print(LineBuffer, Instant, Dissection, byte[], int)}, with the timestamp as
   * seconds since the epoch and nanoseconds (0..999,999,999) within that second.
   */
  public void print(LineBuffer out, long epochSecond, int nanos, Dissection dissection, byte[] data, int offset) {
    this.out = out;
    this.d = data;
    this.base = offset;
    this.snapEnd = offset + dissection.capturedLength();
    this.dissection = dissection;
    layerCount = dissection.layerCount();
    if (layerCount > layerOffsets.length) {
      layerOffsets = new int[layerCount * 2];
      layerLengths = new int[layerCount * 2];
    }
    for (int i = 0; i < layerCount; i++) {
      layerOffsets[i] = dissection.layerOffset(i);
      layerLengths[i] = dissection.layerLength(i);
    }
    this.partial = false;
    timestamp(epochSecond, nanos);
    linkHeaderLength = 0;
    afterTruncation = "";
    try {
      link(dissection);
    } catch (Truncated e) {
      out.append(" [|").append(e.protocol).append(']').append(afterTruncation);
    }
    hexDump(dissection, linkHeaderLength);
    out.append('\n');
    this.d = null;
    this.out = null;
    this.dissection = null;
  }

  // ---- timestamps ----

  private void timestamp(long seconds, int nanos) {
    int micros = nanos / 1000;
    switch (options.timestamps()) {
      case NONE:
        return;
      case EPOCH:
        out.append(seconds).append('.');
        break;
      default:
        clock.appendTimeOfDay(out, seconds);
    }
    out.appendDigits(micros, 6).append(' ');
  }

  // ---- link layers ----

  /** Prints the frame; returns the link-level header length (for {@code -x} and {@code -X}). */
  private int link(Dissection dissection) {
    LinkType type = dissection.linkType();
    int length = dissection.originalLength();
    if (type.equals(LinkType.ETHERNET)) {
      return ethernet(0, length, dissection.capturedLength());
    }
    if (type.equals(LinkType.RAW) || type.equals(LinkType.IPV4) || type.equals(LinkType.IPV6)) {
      if (options.linkHeader()) {
        out.append("ip: ");
      }
      rawIp(0, length);
      return 0;
    }
    if (type.equals(LinkType.LINUX_SLL)) {
      return linuxCooked(length, dissection.capturedLength());
    }
    partial = true;
    return 0;
  }

  private int ethernet(int at, int length, int caplen) {
    protocol = "ether";
    int p = base + at;
    if (caplen < 14 || length < 14) {
      throw new Truncated("ether");
    }
    if (options.linkHeader()) {
      mac(p + 6);
      out.append(TO);
      mac(p);
      out.append(COMMA);
    }
    int type = u16(p + 12);
    int header = 14;
    length -= 14;
    if (type <= 1500) {
      if (options.linkHeader()) {
        out.append("802.3, length ").append(length + 14).append(COLON);
      }
      partial = true;
      return header;
    }
    if (options.linkHeader()) {
      etherType(type);
      out.append(COMMA_LENGTH).append(length + 14).append(COLON);
    }
    while (type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200) {
      if (caplen - header < 4 || length < 4) {
        throw new Truncated("vlan");
      }
      int tag = u16(p + header);
      if (options.linkHeader()) {
        out.append("vlan ").append(tag & 0xfff).append(", p ").append(tag >>> 13)
            .append((tag & 0x1000) != 0 ? ", DEI" : "").append(COMMA);
      }
      type = u16(p + header + 2);
      if (options.linkHeader()) {
        etherType(type);
        out.append(COMMA);
      }
      header += 4;
      length -= 4;
    }
    if (at == 0) {
      linkHeaderLength = header;
    }
    int layer = layerAt(at + header);
    switch (type) {
      case 0x0800:
        ipv4(layer, at + header, length);
        break;
      case 0x86dd:
        ipv6(layer, at + header, length);
        break;
      case 0x0806:
        arp(at + header, length);
        break;
      default:
        if (!options.linkHeader()) {
          mac(p + 6);
          out.append(TO);
          mac(p);
          out.append(COMMA);
          etherType(type);
          out.append(COMMA_LENGTH).append(length + header).append(COLON);
        }
        partial = true;
    }
    return header;
  }

  private void etherType(int type) {
    // Every -e line has one or two: their text is kept per EtherType (a capture has few).
    int slot = (type * 0x9e3779b1) >>> 27;
    LineBuffer text = etherTypeTexts[slot];
    if (text == null || etherTypeKeys[slot] != type) {
      text = new LineBuffer(32);
      text.append("ethertype ").append(etherTypeName(type, "Unknown")).append(" (0x").appendHex(type, 4).append(')');
      etherTypeTexts[slot] = text;
      etherTypeKeys[slot] = type;
    }
    out.append(text);
  }

  private int linuxCooked(int length, int caplen) {
    protocol = "sll";
    if (caplen < 16) {
      throw new Truncated("sll");
    }
    int p = base;
    int protocol = u16(p + 14);
    if (options.linkHeader()) {
      String direction;
      switch (u16(p)) {
        case 0: direction = "In"; break;
        case 1: direction = "B"; break;
        case 2: direction = "M"; break;
        case 3: direction = "P"; break;
        case 4: direction = "Out"; break;
        default: direction = "?";
      }
      for (int i = direction.length(); i < 3; i++) {
        out.append(' ');
      }
      out.append(direction).append(' ');
      if (u16(p + 4) == 6) {
        mac(p + 6);
        out.append(' ');
      }
      if (protocol >= 0x0600) {
        etherType(protocol);
        out.append(COMMA);
      }
      out.append("length ").append(length).append(COLON);
    }
    linkHeaderLength = 16;
    int layer = layerAt(16);
    switch (protocol) {
      case 0x0800: ipv4(layer, 16, length - 16); break;
      case 0x86dd: ipv6(layer, 16, length - 16); break;
      case 0x0806: arp(16, length - 16); break;
      default: partial = true;
    }
    return 16;
  }

  private void rawIp(int at, int length) {
    if (base + at >= snapEnd) {
      throw new Truncated("ip");
    }
    int version = (d[base + at] & 0xff) >>> 4;
    int layer = layerAt(at);
    if (version == 4) {
      ipv4(layer, at, length);
    } else if (version == 6) {
      ipv6(layer, at, length);
    } else {
      out.append("IP").append(version);
    }
  }

  // ---- ARP ----

  private void arp(int at, int length) {
    protocol = "arp";
    int p = base + at;
    need(p, 8, "arp");
    int hardware = u16(p);
    int protocol = u16(p + 2);
    int hardwareLength = u8(p + 4);
    int protocolLength = u8(p + 5);
    int operation = u16(p + 6);
    int sha = p + 8;
    int spa = sha + hardwareLength;
    int tha = spa + protocolLength;
    int tpa = tha + hardwareLength;
    if (tpa + protocolLength > snapEnd) {
      throw new Truncated("arp");
    }
    if (!options.linkHeader()) {
      out.append("ARP, ");
    }
    boolean verbose = options.verbosity() > 0;
    if ((protocol != 0x0800 && protocol != 0x1000) || protocolLength != 4 || hardwareLength == 0 || verbose) {
      out.append(hardware == 1 ? "Ethernet" : "Unknown Hardware (" + hardware + ")")
          .append(" (len ").append(hardwareLength).append("), ")
          .append(etherTypeName(protocol, null) != null ? etherTypeName(protocol, null)
              : "Unknown Protocol (0x" + hex4(protocol) + ")")
          .append(" (len ").append(protocolLength).append(')');
      if (!verbose) {
        out.append(COMMA_LENGTH).append(length);
        return;
      }
      out.append(COMMA);
    }
    switch (operation) {
      case 1:
        out.append(WHO_HAS);
        ipv4(tpa);
        if (!allZero(tha, hardwareLength)) {
          out.append(" (");
          linkAddress(tha, hardwareLength);
          out.append(')');
        }
        out.append(TELL);
        ipv4(spa);
        break;
      case 2:
        out.append(REPLY);
        ipv4(spa);
        out.append(IS_AT);
        linkAddress(sha, hardwareLength);
        break;
      default:
        out.append("Unknown (").append(operation).append(") ");
        partial = true;
        return;
    }
    out.append(COMMA_LENGTH).append(length);
  }

  private void linkAddress(int p, int length) {
    if (p + length <= snapEnd) {
      out.appendHexBytes(d, p, length, ':');
      return;
    }
    // Cut off: tcpdump prints the bytes it has, then gives up.
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        out.append(':');
      }
      out.appendHex(u8(p + i), 2);
    }
  }

  // ---- IPv4 ----

  private void ipv4(int layer, int at, int length) {
    protocol = "ip";
    int p = base + at;
    need(p, 1, "ip");
    int version = u8(p) >>> 4;
    if (version != 4) {
      out.append(version == 6 ? "IP6, wrong link-layer encapsulation " : "IP" + version + " ");
      return;
    }
    if (!options.linkHeader()) {
      out.append(IP);
    }
    need(p, 20, "ip");
    if (length < 20) {
      out.append("truncated-ip ").append(length);
      return;
    }
    int headerLength = (u8(p) & 0x0f) * 4;
    if (headerLength < 20) {
      out.append("bad-hlen ").append(headerLength);
      return;
    }
    int total = u16(p + 2);
    if (total > length) {
      out.append("truncated-ip - ").append(total - length).append(" bytes missing! ");
    }
    if (total < headerLength) {
      out.append("bad-len ").append(total);
      return;
    }
    snapEnd = Math.min(snapEnd, p + total);
    int payloadLength = total - headerLength;
    int fragment = u16(p + 6);
    int protocol = u8(p + 9);
    if (options.verbosity() > 0) {
      ipv4Verbose(p, headerLength, fragment, protocol, total);
    }
    boolean fragmented = (fragment & 0x3fff) != 0;
    if ((fragment & 0x1fff) != 0) {
      ipv4(p + 12);
      out.append(TO);
      ipv4(p + 16);
      out.append(": ip-proto-").append(protocol);
      return;
    }
    if (protocol != 6 && protocol != 17) {
      ipv4(p + 12);
      out.append(TO);
      ipv4(p + 16);
      out.append(COLON);
    }
    transport(layer + 1, protocol, at + headerLength, payloadLength, p, 4, fragmented);
  }

  private void ipv4Verbose(int p, int headerLength, int fragment, int protocol, int total) {
    int tos = u8(p + 1);
    out.append("(tos 0x").appendHex(tos);
    switch (tos & 3) {
      case 1: out.append(",ECT(1)"); break;
      case 2: out.append(",ECT(0)"); break;
      case 3: out.append(",CE"); break;
      default: break;
    }
    out.append(", ttl ").append(u8(p + 8))
        .append(ID).append(u16(p + 4))
        .append(", offset ").append((fragment & 0x1fff) * 8)
        .append(", flags [");
    int flagsStart = out.length();
    if ((fragment & 0x2000) != 0) {
      out.append('+');
    }
    if ((fragment & 0x4000) != 0) {
      out.append("DF");
    }
    if ((fragment & 0x8000) != 0) {
      out.append("rsvd");
    }
    if (out.length() == flagsStart) {
      out.append("none");
    }
    out.append("], proto ").append(ipProtocolName(protocol)).append(" (").append(protocol).append(')')
        .append(COMMA_LENGTH).append(total);
    if (headerLength > 20) {
      partial = true;
    }
    if (p + headerLength <= snapEnd) {
      int sum = Checksum.finish(Checksum.add(0, d, p, headerLength));
      if (sum != 0) {
        int stored = u16(p + 10);
        out.append(", bad cksum ").appendHex(stored)
            .append(" (->").appendHex(Checksum.shouldBe(stored, sum)).append(")!");
      }
    }
    out.append(")\n    ");
  }

  // ---- IPv6 ----

  private void ipv6(int layer, int at, int length) {
    protocol = "ip6";
    int p = base + at;
    need(p, 40, "ip6");
    if (!options.linkHeader()) {
      out.append(IP6);
    }
    int payloadLength = u16(p + 4);
    int total = payloadLength + 40;
    if (payloadLength != 0 && total > length) {
      out.append("[header+payload length ").append(total).append(" > length ").append(length).append("] (invalid)");
      return;
    }
    if (payloadLength == 0) {
      partial = true;
      total = length;
    }
    snapEnd = Math.min(snapEnd, p + total);
    int next = u8(p + 6);
    if (options.verbosity() > 0) {
      long flow = u32(p);
      out.append('(');
      if ((flow & 0x0ff00000L) != 0) {
        out.append("class 0x");
        hex((int) ((flow & 0x0ff00000L) >>> 20), 2);
        out.append(COMMA);
      }
      if ((flow & 0x000fffffL) != 0) {
        out.append("flowlabel 0x");
        hex((int) (flow & 0xfffff), 5);
        out.append(COMMA);
      }
      out.append("hlim ").append(u8(p + 7)).append(", next-header ").append(ipProtocolName(next))
          .append(" (").append(next).append(") payload length: ").append(payloadLength).append(") ");
    }
    if (next != 6 && next != 17) {
      ipv6(p + 8);
      out.append(TO);
      ipv6(p + 24);
      out.append(COLON);
    }
    int q = p + 40;
    boolean fragmented = false;
    for (int extension = dissection.firstField(layer); extension < dissection.endField(layer); extension++) {
      int extensionOffset = dissection.fieldOffset(extension);
      // Extension headers are top-level fields after the fixed 40-byte header.
      if (extensionOffset < at + 40 || dissection.fieldLevel(extension) != 0) {
        continue;
      }
      String name = dissection.fieldName(extension);
      if (name.equals("ipv6.hopopts")) {
        out.append("HBH ");
        if (options.verbosity() > 0) {
          hopOptions(base + extensionOffset, dissection.fieldLength(extension));
        }
      } else if (name.equals("ipv6.dstopts")) {
        out.append("DSTOPT ");
        partial |= options.verbosity() > 0;
      } else if (name.equals("ipv6.routing")) {
        partial = true;
        return;
      } else if (name.equals("ipv6.fraghdr")) {
        int f = base + extensionOffset;
        need(f, 8, "frag");
        int offset = u16(f + 2) & 0xfff8;
        fragmented = true;
        if (options.verbosity() > 0) {
          out.append("frag (0x");
          hex((int) u32(f + 4), 8);
          out.append(':');
        } else {
          out.append("frag (");
        }
        out.append(offset).append('|').append(total - (f + 8 - p)).append(')');
        if (offset != 0) {
          return;
        }
        out.append(' ');
      } else {
        continue;
      }
      next = u8(base + extensionOffset);
      q = base + extensionOffset + dissection.fieldLength(extension);
    }
    int payload = total - (q - p);
    transport(layerAt(q - base), next, q - base, payload, p, 6, fragmented);
  }

  /** The hop-by-hop options under {@code -v}: {@code (rtalert: 0x0000) (padn) }. */
  private void hopOptions(int h, int size) {
    for (int o = h + 2; o < h + size; ) {
      int type = u8(o);
      if (type == 0) {
        out.append("(pad1)");
        o++;
        continue;
      }
      int length = u8(o + 1);
      switch (type) {
        case 1:
          out.append("(padn)");
          break;
        case 5:
          out.append("(rtalert: 0x");
          hex(u16(o + 2), 4);
          out.append(") ");
          break;
        default:
          out.append("(opt_type 0x");
          hex(type, 2);
          out.append(": len=").append(length).append(')');
      }
      o += 2 + length;
    }
    out.append(' ');
  }

  // ---- transport ----

  private void transport(int layer, int protocol, int at, int length, int ip, int version, boolean fragmented) {
    switch (protocol) {
      case 6: tcp(layer, at, length, ip, version, fragmented); break;
      case 17: udp(layer, at, length, ip, version, fragmented); break;
      case 1: icmp(at, length, fragmented); break;
      case 58: icmpv6(at, length, ip, fragmented); break;
      case 4:
        ipv4(layer, at, length);
        break;
      case 41:
        ipv6(layer, at, length);
        break;
      default:
        out.append(" ip-proto-").append(protocol).append(' ').append(length);
        partial |= isKnownToTcpdump(protocol);
    }
  }

  private static boolean isKnownToTcpdump(int protocol) {
    switch (protocol) {
      case 2: case 8: case 9: case 33: case 46: case 47: case 50: case 51: case 88: case 89: case 103:
      case 108: case 112: case 113: case 132: case 135: case 136:
        return true;
      default:
        return false;
    }
  }

  private void addressesAndPorts(int ip, int version, int sourcePort, int destinationPort) {
    if (version == 4) {
      ipv4(ip + 12);
    } else {
      ipv6(ip + 8);
    }
    out.append('.').append(sourcePort).append(TO);
    if (version == 4) {
      ipv4(ip + 16);
    } else {
      ipv6(ip + 24);
    }
    out.append('.').append(destinationPort).append(COLON);
  }

  private void udp(int layer, int at, int length, int ip, int version, boolean fragmented) {
    protocol = "udp";
    int p = base + at;
    need(p, 4, "udp");
    int sourcePort = u16(p);
    int destinationPort = u16(p + 2);
    if (length < 8) {
      addressesAndPorts(ip, version, sourcePort, destinationPort);
      out.append("truncated-udp ").append(length);
      return;
    }
    addressesAndPorts(ip, version, sourcePort, destinationPort);
    need(p, 8, "udp");
    if (options.quiet()) {
      out.append(UDP_LENGTH).append(u16(p + 4) - 8);
      return;
    }
    int udpLength = u16(p + 4);
    if (udpLength < 8) {
      out.append("truncated-udp ").append(udpLength);
      partial = true;
      return;
    }
    int payload = Math.min(udpLength, length) - 8;
    if (udpLength > length) {
      partial = true;
    }
    if (options.verbosity() > 0 && !fragmented) {
      int stored = u16(p + 6);
      if (version == 4 && options.verbosity() > 1) {
        if (stored == 0) {
          out.append("[no cksum] ");
        } else if (p + payload + 8 <= snapEnd) {
          udpChecksumVerdict(stored, Checksum.transport(d, ip, 4, 17, p, payload + 8));
        }
      } else if (version == 6 && p + payload + 8 <= snapEnd) {
        udpChecksumVerdict(stored, Checksum.transport(d, ip, 6, 17, p, payload + 8));
      }
    }
    String inner = layer + 1 < layerCount && layerOffsets[layer + 1] == at + 8 ? dissection.layerName(layer + 1) : "";
    if (inner.equals("vxlan") && (destinationPort == 4789 || sourcePort == 4789)) {
      vxlan(layer + 1, at + 8, payload);
    } else if (inner.equals("dns") && (destinationPort == 53 || sourcePort == 53)) {
      new DnsText(this, at + 8, payload).print();
    } else if (inner.equals("eth") || inner.equals("ip") || inner.equals("ipv6")) {
      // Only a decode-as rule (an IP- or Ethernet-in-UDP tunnel) puts these after UDP. tcpdump has
      // no such rule; our extension prints the carried packet on a line of its own, as tcpdump's VXLAN.
      out.append(UDP_LENGTH).append(payload).append('\n');
      if (inner.equals("eth")) {
        ethernet(at + 8, payload, snapEnd - p - 8);
      } else {
        if (options.linkHeader()) {
          out.append("ip: ");
        }
        rawIp(at + 8, payload);
      }
    } else {
      partial |= isUdpPortKnownToTcpdump(sourcePort) || isUdpPortKnownToTcpdump(destinationPort);
      out.append(UDP_LENGTH).append(payload);
    }
  }

  private void udpChecksumVerdict(int stored, int sum) {
    if (sum != 0) {
      out.append("[bad udp cksum 0x");
      hex(stored, 4);
      out.append(" -> 0x");
      hex(Checksum.shouldBe(stored, sum), 4);
      out.append("!] ");
    } else {
      out.append("[udp sum ok] ");
    }
  }

  private static boolean isUdpPortKnownToTcpdump(int port) {
    switch (port) {
      case 7: case 49: case 53: case 67: case 68: case 69: case 88: case 111: case 123: case 137: case 138:
      case 161: case 162: case 177: case 179: case 319: case 320: case 500: case 514: case 520: case 521:
      case 546: case 547: case 623: case 646: case 1701: case 1812: case 1813: case 1645: case 1646:
      case 1900: case 2049: case 3503: case 3784: case 4500: case 4784: case 4789: case 5060: case 5246:
      case 5247: case 5353: case 5355: case 6081: case 6633: case 6653: case 8472:
      // As tcpdump 4.99's udp.c also decodes: TIMED, AODV, OLSR, LMP, Kerberos 4, lwres, VQP, HSRP,
      // Zephyr, sFlow, MPLS in UDP, Babel, AHCP, HNCP, LWAPP, ZEP, SOME/IP, BCM-LI, RX (AFS).
      case 496: case 525: case 654: case 698: case 701: case 750: case 921: case 1589: case 1985: case 2103:
      case 2104: case 4790: case 5359: case 6343: case 6635: case 6696: case 6697: case 8231: case 12222:
      case 12223: case 17754: case 30490: case 49152:
        return true;
      default:
        return port >= 7000 && port <= 7009;
    }
  }

  private void vxlan(int layer, int at, int length) {
    protocol = "vxlan";
    int p = base + at;
    out.append(VXLAN);
    need(p, 8, "vxlan");
    int flags = u8(p);
    out.append((flags & 0x08) != 0 ? VXLAN_FLAGS_I : VXLAN_FLAGS_NONE);
    hex(flags, 2);
    out.append(VNI).append(u16(p + 4) << 8 | u8(p + 6)).append('\n');
    ethernet(at + 8, length - 8, snapEnd - p - 8);
  }

  private void tcp(int layer, int at, int length, int ip, int version, boolean fragmented) {
    protocol = "tcp";
    int p = base + at;
    need(p, 4, "tcp");
    int sourcePort = u16(p);
    int destinationPort = u16(p + 2);
    addressesAndPorts(ip, version, sourcePort, destinationPort);
    need(p, 20, "tcp");
    int headerLength = (u8(p + 12) >>> 4) * 4;
    if (headerLength < 20) {
      out.append(" tcp ").append(length - headerLength).append(" [bad hdr length ").append(headerLength)
          .append(" - too short, < 20]");
      return;
    }
    long seq = u32(p + 4);
    long ack = u32(p + 8);
    // tcpdump 4.99.3 knows the eight flags of byte 13 only.
    int flags = u8(p + 13);
    int window = u16(p + 14);
    int urgent = u16(p + 18);
    if (options.quiet()) {
      out.append("tcp ").append(length - headerLength);
      return;
    }
    out.append(FLAGS);
    tcpFlags(flags);
    out.append(']');
    if ((flags & 0x10) != 0) {
      long[] relative = sequences.relative(d, ip, version, sourcePort, destinationPort, seq, ack, (flags & 0x02) != 0);
      seq = relative[0];
      ack = relative[1];
    }
    if (options.verbosity() > 0 && !fragmented && p + length <= snapEnd) {
      int stored = u16(p + 16);
      int sum = Checksum.transport(d, ip, version, 6, p, length);
      out.append(", cksum 0x");
      hex(stored, 4);
      if (sum != 0) {
        out.append(" (incorrect -> 0x");
        hex(Checksum.shouldBe(stored, sum), 4);
        out.append(')');
      } else {
        out.append(" (correct)");
      }
    }
    int payload = length - headerLength;
    if (options.verbosity() > 1 || payload > 0 || (flags & 0x07) != 0) {
      out.append(SEQ).append(seq & 0xffffffffL);
      if (payload > 0) {
        out.append(':').append((seq + payload) & 0xffffffffL);
      }
    }
    if ((flags & 0x10) != 0) {
      out.append(ACK).append(ack & 0xffffffffL);
    }
    out.append(WIN).append(window);
    if ((flags & 0x20) != 0) {
      out.append(", urg ").append(urgent);
    }
    if (headerLength > 20) {
      tcpOptions(p + 20, headerLength - 20);
    }
    out.append(COMMA_LENGTH).append(payload);
    if (payload <= 0) {
      return;
    }
    if ((flags & 0x04) != 0 && options.verbosity() > 0) {
      resetData(p + headerLength, payload);
      return;
    }
    if (sourcePort == 80 || destinationPort == 80 || sourcePort == 8080 || destinationPort == 8080) {
      http(p + headerLength, payload);
    } else {
      partial |= isTcpPortKnownToTcpdump(sourcePort) || isTcpPortKnownToTcpdump(destinationPort);
    }
  }

  private static boolean isTcpPortKnownToTcpdump(int port) {
    switch (port) {
      case 21: case 23: case 25: case 53: case 80: case 88: case 110: case 111: case 119: case 139: case 143:
      case 179: case 389: case 443: case 445: case 513: case 514: case 554: case 587: case 639: case 646:
      case 873: case 1723: case 2049: case 3128: case 5060: case 6633: case 6653: case 8080:
      // RPKI-RTR, RESP (Redis), BEEP.
      case 323: case 6379: case 10288:
        return true;
      default:
        return false;
    }
  }

  /** HTTP on port 80: tcpdump prints {@code : HTTP} and, with {@code -v}, the text lines. */
  private void http(int p, int length) {
    out.append(": HTTP");
    // tcpdump goes on with the request or status line (and more under -v) when there is one.
    int end = Math.min(p + length, snapEnd);
    int lineEnd = p;
    while (lineEnd < end && d[lineEnd] != '\r' && d[lineEnd] != '\n') {
      lineEnd++;
    }
    partial |= startsWith(p, lineEnd, "HTTP/") || isRequestLine(p, lineEnd);
  }

  private boolean startsWith(int p, int end, String ascii) {
    if (end - p < ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (d[p + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the line looks like a request: {@code [A-Z]+ .*} as a Java regex over its Latin-1
   * text, where {@code .} takes any byte but NEL (0x85), the one Latin-1 line terminator.
   */
  private boolean isRequestLine(int p, int end) {
    int i = p;
    while (i < end && d[i] >= 'A' && d[i] <= 'Z') {
      i++;
    }
    if (i == p || i == end || d[i] != ' ') {
      return false;
    }
    for (i++; i < end; i++) {
      if ((d[i] & 0xff) == 0x85) {
        return false;
      }
    }
    return true;
  }

  private void resetData(int p, int length) {
    out.append(" [RST");
    if (length > 30) {
      out.append('+');
      length = 30;
    }
    out.append(' ');
    for (int i = 0; i < length; i++) {
      if (p + i >= snapEnd) {
        out.append(']');
        throw new Truncated("tcp");
      }
      printableChar(u8(p + i));
    }
    out.append(']');
  }

  /** tcpdump's {@code fn_print_char}: {@code M-} for the high bit, {@code ^X} for controls. */
  private void printableChar(int c) {
    if (c >= 0x80) {
      out.append("M-");
      c &= 0x7f;
    }
    if (c < 0x20 || c == 0x7f) {
      out.append('^').append((char) (c ^ 0x40));
    } else {
      out.append((char) c);
    }
  }

  private static final String TCP_FLAG_LETTERS = "FSRP.UEW";

  private void tcpFlags(int flags) {
    int start = out.length();
    for (int bit = 0; bit < TCP_FLAG_LETTERS.length(); bit++) {
      if ((flags & (1 << bit)) != 0) {
        out.append(TCP_FLAG_LETTERS.charAt(bit));
      }
    }
    if (out.length() == start) {
      out.append("none");
    }
  }

  private void tcpOptions(int o, int size) {
    out.append(OPTIONS);
    int left = size;
    char separator = 0;
    while (left > 0) {
      if (separator != 0) {
        out.append(separator);
      }
      int kind = u8(o++);
      int length;
      if (kind == 0 || kind == 1) {
        length = 1;
      } else {
        length = u8(o++);
        if (length < 2 || length > left) {
          out.append(tcpOptionName(kind)).append("[bad opt]");
          partial = true;
          return;
        }
        left--;
      }
      left--;
      out.append(tcpOptionName(kind));
      int dataLength;
      switch (kind) {
        case 2:
          dataLength = 2;
          optionNeeds(o, dataLength, length);
          out.append(' ').append(u16(o));
          break;
        case 3:
          dataLength = 1;
          optionNeeds(o, dataLength, length);
          out.append(' ').append(u8(o));
          break;
        case 8:
          dataLength = 8;
          optionNeeds(o, dataLength, length);
          out.append(" val ").append(u32(o)).append(" ecr ").append(u32(o + 4));
          break;
        case 0:
        case 1:
        case 4:
          dataLength = 0;
          break;
        default:
          dataLength = length - 2;
          if (kind == 5 || kind == 19 || kind == 28 || kind == 29 || kind == 30 || kind == 34 || kind == 254) {
            partial = true;
          }
          if (dataLength > 0) {
            out.append(" 0x");
          }
          for (int i = 0; i < dataLength; i++) {
            hex(u8(o + i), 2);
          }
      }
      o += dataLength;
      left -= dataLength;
      if (dataLength + (kind == 0 || kind == 1 ? 1 : 2) != length) {
        out.append("[len ").append(length).append(']');
      }
      separator = ',';
      afterTruncation = ">";
      if (kind == 0) {
        break;
      }
    }
    afterTruncation = "";
    out.append(']');
  }

  /** tcpdump's {@code LENCHECK}: the option's data must be captured before any of it is printed. */
  private void optionNeeds(int o, int dataLength, int length) {
    if (length != dataLength + 2) {
      partial = true;
    }
    need(o, dataLength, "tcp");
  }

  private static String tcpOptionName(int kind) {
    switch (kind) {
      case 0: return "eol";
      case 1: return "nop";
      case 2: return "mss";
      case 3: return "wscale";
      case 4: return "sackOK";
      case 5: return "sack";
      case 6: return "echo";
      case 7: return "echoreply";
      case 8: return "TS";
      case 11: return "cc";
      case 12: return "ccnew";
      case 13: return "ccecho";
      case 19: return "md5";
      case 20: return "scps";
      case 28: return "uto";
      case 29: return "tcp-ao";
      case 30: return "mptcp";
      case 34: return "tfo";
      case 254: return "exp";
      default: return "unknown-" + kind;
    }
  }

  // ---- ICMP ----

  private void icmp(int at, int length, boolean fragmented) {
    protocol = "icmp";
    int p = base + at;
    need(p, 4, "icmp");
    int type = u8(p);
    int code = u8(p + 1);
    // tcpdump composes the summary before printing any of it: cut bytes leave only [|icmp].
    int mark = out.length();
    try {
      icmpSummary(p, type, code);
    } catch (Truncated e) {
      out.setLength(mark);
      throw e;
    }
    out.append(COMMA_LENGTH).append(length);
    if (options.verbosity() > 0 && !fragmented && p + length <= snapEnd) {
      int sum = Checksum.finish(Checksum.add(0, d, p, length));
      if (sum != 0) {
        int stored = u16(p + 2);
        out.append(" (wrong icmp cksum ").appendHex(stored).append(" (->")
            .appendHex(Checksum.shouldBe(stored, sum)).append(")!)");
      }
    }
    if (options.verbosity() > 0 && (type == 3 || type == 4 || type == 5 || type == 11 || type == 12)) {
      // The quoted packet, on a line of its own, as long as it says it is.
      out.append("\n\t");
      int quoted = p + 8;
      int savedEnd = snapEnd;
      ipv4(layerAt(at + 8), at + 8, u16(quoted + 2));
      snapEnd = savedEnd;
    }
  }

  private void icmpSummary(int p, int type, int code) {
    out.append(ICMP);
    switch (type) {
      case 0:
      case 8:
        need(p, 8, "icmp");
        out.append(type == 8 ? ECHO_REQUEST : ECHO_REPLY).append(ID).append(u16(p + 4))
            .append(SEQ).append(u16(p + 6));
        break;
      case 3:
        need(p, 8 + 20, "icmp");
        unreachable(p, code);
        break;
      case 11:
        out.append(code == 0 ? "time exceeded in-transit" : code == 1 ? "ip reassembly time exceeded"
            : "time exceeded-#" + code);
        break;
      default:
        out.append("type-#").append(type);
        partial = true;
    }
  }

  private void unreachable(int p, int code) {
    int quoted = p + 8;
    int headerLength = (u8(quoted) & 0x0f) * 4;
    int protocol = u8(quoted + 9);
    switch (code) {
      case 0:
        out.append("net ");
        ipv4(quoted + 16);
        out.append(" unreachable");
        break;
      case 1:
        out.append("host ");
        ipv4(quoted + 16);
        out.append(" unreachable");
        break;
      case 2:
        ipv4(quoted + 16);
        out.append(" protocol ").append(protocol).append(" unreachable");
        break;
      case 3:
        need(quoted + headerLength, 4, "icmp");
        ipv4(quoted + 16);
        out.append(protocol == 6 ? " tcp port " : protocol == 17 ? " udp port " : " protocol " + protocol + " port ")
            .append(u16(quoted + headerLength + 2)).append(" unreachable");
        break;
      case 4:
        ipv4(quoted + 16);
        int mtu = u16(p + 6);
        out.append(" unreachable - need to frag");
        if (mtu != 0) {
          out.append(" (mtu ").append(mtu).append(')');
        }
        break;
      default:
        ipv4(quoted + 16);
        out.append(" unreachable - code ").append(code);
        partial = true;
    }
  }

  // ---- ICMPv6 ----

  private void icmpv6(int at, int length, int ip, boolean fragmented) {
    protocol = "icmp6";
    new Icmpv6Text(this, base + at, length, ip, fragmented).print();
  }

  // ---- hex dumps ----

  private void hexDump(Dissection dissection, int linkHeader) {
    TcpdumpOptions.HexDump dump = options.hexDump();
    if (dump == TcpdumpOptions.HexDump.NONE) {
      return;
    }
    int from = dump.withLink() ? 0 : linkHeader;
    int length = dissection.capturedLength() - from;
    if (length <= 0) {
      return;
    }
    HexDumps.append(out, "\n\t", d, base + from, length, dump.withAscii());
  }

  // ---- helpers shared with DnsText ----

  LineBuffer out() {
    return out;
  }

  boolean verbose() {
    return options.verbosity() > 0;
  }

  int verbosity() {
    return options.verbosity();
  }

  int snapEnd() {
    return snapEnd;
  }

  byte[] data() {
    return d;
  }

  void protocol(String name) {
    protocol = name;
  }

  void markPartial() {
    partial = true;
  }

  /** The first layer of the dissection that starts at {@code at} (after any that end there). */
  int layerAt(int at) {
    for (int i = 0; i < layerCount; i++) {
      if (layerOffsets[i] == at && layerLengths[i] > 0) {
        return i;
      }
    }
    return layerCount - 1;
  }

  void need(int p, int n, String protocol) {
    if (p + n > snapEnd) {
      throw new Truncated(protocol);
    }
  }

  int u8(int p) {
    if (p >= snapEnd) {
      throw new Truncated(protocol);
    }
    return d[p] & 0xff;
  }

  int u16(int p) {
    if (p + 2 > snapEnd) {
      throw new Truncated(protocol);
    }
    return (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
  }

  long u32(int p) {
    if (p + 4 > snapEnd) {
      throw new Truncated(protocol);
    }
    return ((long) u16(p) << 16) | u16(p + 2);
  }

  int base() {
    return base;
  }

  /** {@code value} in lower-case hex, at least {@code digits} digits (tcpdump's {@code %0Nx}). */
  void hex(int value, int digits) {
    out.appendHex(Integer.toUnsignedLong(value), Math.max(digits, (35 - Integer.numberOfLeadingZeros(value)) / 4));
  }

  private static String hex4(int value) {
    String text = Integer.toHexString(value);
    return "0000".substring(text.length()) + text;
  }

  private boolean allZero(int p, int length) {
    for (int i = 0; i < length; i++) {
      if (u8(p + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private void mac(int p) {
    linkAddress(p, 6);
  }

  void ipv4(int p) {
    need(p, 4, protocol);
    out.appendIpv4(d, p);
  }

  void ipv6(int p) {
    need(p, 16, protocol);
    Ipv6Text.append(out, d, p);
  }

  private static String etherTypeName(int type, String unknown) {
    switch (type) {
      case 0x0800: return "IPv4";
      case 0x0806: return "ARP";
      case 0x86dd: return "IPv6";
      case 0x8100: return "802.1Q";
      case 0x88a8: return "802.1Q-QinQ";
      case 0x9100: return "802.1Q-9100";
      case 0x9200: return "802.1Q-9200";
      case 0x8035: return "Reverse ARP";
      case 0x88cc: return "LLDP";
      case 0x8847: return "MPLS unicast";
      case 0x8848: return "MPLS multicast";
      case 0x8863: return "PPPoE D";
      case 0x8864: return "PPPoE S";
      case 0x888e: return "EAPOL";
      case 0x88f7: return "PTP";
      case 0x9000: return "Loopback";
      case 0x6558: return "Transparent Ethernet bridging";
      case 0x8809: return "Slow Protocols";
      case 0x1000: return "Trail";
      default: return unknown;
    }
  }

  private static String ipProtocolName(int protocol) {
    switch (protocol) {
      case 0: return "Options";
      case 1: return "ICMP";
      case 2: return "IGMP";
      case 4: return "IPIP";
      case 6: return "TCP";
      case 8: return "EGP";
      case 9: return "IGRP";
      case 17: return "UDP";
      case 33: return "DCCP";
      case 41: return "IPv6";
      case 43: return "Routing";
      case 44: return "Fragment";
      case 46: return "RSVP";
      case 47: return "GRE";
      case 50: return "ESP";
      case 51: return "AH";
      case 55: return "Mobile IP";
      case 58: return "ICMPv6";
      case 60: return "Destination Options";
      case 88: return "EIGRP";
      case 89: return "OSPF";
      case 103: return "PIM";
      case 108: return "Compressed IP";
      case 112: return "VRRP";
      case 113: return "PGM";
      case 132: return "SCTP";
      case 135: return "Mobility";
      case 136: return "UDPLite";
      default: return "unknown";
    }
  }

  /** tcpdump gave up here: the captured bytes end inside the named protocol's header. */
  static final class Truncated extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String protocol;

    Truncated(String protocol) {
      super(protocol, null, false, false);
      this.protocol = protocol;
    }
  }

  /**
   * Local time of day for epoch seconds, recomputing the zone offset only when the hour changes and
   * the text only when the second does (a capture has many packets a second).
   */
  private static final class LocalTimeCache {
    private final java.time.ZoneId zone;
    private long hourStart = Long.MIN_VALUE;
    private int hourStartSecondOfDay;
    private long textSecond = Long.MIN_VALUE;
    private final LineBuffer text = new LineBuffer(16);

    LocalTimeCache(java.time.ZoneId zone) {
      this.zone = zone;
    }

    /** Appends {@code HH:MM:SS.} for {@code epochSecond}. */
    void appendTimeOfDay(LineBuffer out, long epochSecond) {
      if (epochSecond != textSecond) {
        int secondOfDay = secondOfDay(epochSecond);
        text.clear();
        text.appendDigits(secondOfDay / 3600, 2).append(':').appendDigits(secondOfDay / 60 % 60, 2).append(':')
            .appendDigits(secondOfDay % 60, 2).append('.');
        textSecond = epochSecond;
      }
      out.append(text);
    }

    int secondOfDay(long epochSecond) {
      long hour = Math.floorDiv(epochSecond, 3600) * 3600;
      if (hour != hourStart) {
        hourStart = hour;
        hourStartSecondOfDay = LocalTime.ofInstant(Instant.ofEpochSecond(hour), zone).toSecondOfDay();
      }
      return (hourStartSecondOfDay + (int) (epochSecond - hour)) % 86400;
    }
  }
}
