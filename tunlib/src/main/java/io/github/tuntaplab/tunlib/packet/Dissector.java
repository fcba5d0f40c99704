package io.github.tuntaplab.tunlib.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Dissects packets into layers and fields with their exact byte ranges. Immutable and thread-safe:
 * one instance serves every thread (each thread parses with its own scratch space).
 *
 * <p>Zero copy: a {@link Dissection} keeps a reference to the caller's array and reads values from
 * it when asked, so the bytes passed in must not change afterwards (hand over a fresh array per
 * packet, as capture readers do).
 *
 * <p>TUN devices opened without {@code IFF_NO_PI} prefix each packet with a 4-byte packet
 * information header (flags, EtherType). There is no link type for that in pcap files; read such
 * packets with {@link #dissectTunPacketInfo}, and store them in files as {@link LinkType#RAW}
 * without those 4 bytes, which tshark and tcpdump read as they are.
 */
public final class Dissector {
  private static final ThreadLocal<Parser> PARSERS = ThreadLocal.withInitial(Parser::new);
  /**
   * The last thread's parser, checked before {@link #PARSERS}: under C1 (as {@code tunlab print}
   * runs) a thread-local lookup is a call into the VM, and one thread usually dissects a whole file.
   */
  private static ThreadParser lastParser = new ThreadParser(null, null);
  private static final Dissector STANDARD = new Dissector(new int[0], new DecodeAs[0], null, false, false)
      .withDecodeAs(4789, DecodeAs.VXLAN)
      .withDecodeAs(51820, DecodeAs.WIREGUARD);

  private final int[] ports;
  private final DecodeAs[] rules;
  private final TunnelDecryption decryption;
  private final boolean detectsIpInUdp;
  private final boolean layersOnly;

  private Dissector(int[] ports, DecodeAs[] rules, TunnelDecryption decryption, boolean detectsIpInUdp,
      boolean layersOnly) {
    this.ports = ports;
    this.rules = rules;
    this.decryption = decryption;
    this.detectsIpInUdp = detectsIpInUdp;
    this.layersOnly = layersOnly;
  }

  /**
   * A dissector that decrypts {@link DecodeAs#TUNLAB_AEAD} messages with {@code decryption} and
   * dissects the inner packet; null for none. A decrypted dissection holds a copy of the frame in
   * which the plaintext replaces the ciphertext at the same offsets, so the inner fields' byte
   * ranges point into that copy.
   */
  public Dissector withDecryption(TunnelDecryption decryption) {
    return new Dissector(ports, rules, decryption, detectsIpInUdp, layersOnly);
  }

  TunnelDecryption decryption() {
    return decryption;
  }

  /**
   * A dissector that also recognises a plain IP-in-UDP tunnel on any port, without a decode-as
   * rule: a UDP payload (on a port no rule or well-known protocol claims) is dissected as the IP
   * packet it carries when it is one beyond doubt. An IPv4 packet: version 4, its total length
   * exactly the UDP payload's, its header checksum right. An IPv6 packet: version 6, its payload
   * length exactly what follows the header, and (after any hop-by-hop, routing or destination
   * options headers) a TCP, UDP or ICMPv6 message captured whole with its checksum right. Random
   * bytes pass either test about once in a few million times (a length and a 16-bit checksum).
   * tcpdump does not do this: for tcpdump's text use a dissector without it.
   */
  public Dissector withIpInUdpDetection() {
    return new Dissector(ports, rules, decryption, true, layersOnly);
  }

  boolean detectsIpInUdp() {
    return detectsIpInUdp;
  }

  /**
   * A dissector whose dissections hold the layers (their names, byte ranges and problems) but, of
   * the fields, only the IPv6 extension headers, which say where an IPv6 layer's parts lie: for a
   * reader of the bytes that needs to know only what is where, as {@link
   * io.github.tuntaplab.tunlib.text.TcpdumpPrinter}. Recording every field is half the work of
   * dissecting a packet, and most of the memory a dissection takes.
   */
  public Dissector layersOnly() {
    return new Dissector(ports, rules, decryption, detectsIpInUdp, true);
  }

  boolean isLayersOnly() {
    return layersOnly;
  }

  /** VXLAN on UDP port 4789 and WireGuard on UDP port 51820, as Wireshark decodes them. */
  public static Dissector standard() {
    return STANDARD;
  }

  /** A dissector that also decodes UDP {@code udpPort} (either direction) as {@code what}. */
  public Dissector withDecodeAs(int udpPort, DecodeAs what) {
    if (udpPort < 0 || udpPort > 0xffff) {
      throw new IllegalArgumentException("a UDP port is 0..65535, not " + udpPort);
    }
    Objects.requireNonNull(what, "what");
    int at = indexOf(udpPort);
    int[] newPorts = at >= 0 ? ports.clone() : Arrays.copyOf(ports, ports.length + 1);
    DecodeAs[] newRules = at >= 0 ? rules.clone() : Arrays.copyOf(rules, rules.length + 1);
    int slot = at >= 0 ? at : ports.length;
    newPorts[slot] = udpPort;
    newRules[slot] = what;
    return new Dissector(newPorts, newRules, decryption, detectsIpInUdp, layersOnly);
  }

  /** A dissector without a rule for {@code udpPort}. */
  public Dissector withoutDecodeAs(int udpPort) {
    int at = indexOf(udpPort);
    if (at < 0) {
      return this;
    }
    int[] newPorts = new int[ports.length - 1];
    DecodeAs[] newRules = new DecodeAs[rules.length - 1];
    for (int i = 0, j = 0; i < ports.length; i++) {
      if (i != at) {
        newPorts[j] = ports[i];
        newRules[j++] = rules[i];
      }
    }
    return new Dissector(newPorts, newRules, decryption, detectsIpInUdp, layersOnly);
  }

  /** The rule for a UDP port, or null. */
  public DecodeAs decodeAs(int udpPort) {
    int at = indexOf(udpPort);
    return at >= 0 ? rules[at] : null;
  }

  private int indexOf(int port) {
    for (int i = 0; i < ports.length; i++) {
      if (ports[i] == port) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Dissects {@code capturedLength} bytes of {@code data} from {@code offset}: a frame of link type
   * {@code linkType} that was {@code originalLength} bytes on the wire. Never throws for bad bytes;
   * a captured length beyond the array is cut to the array, and a frame beyond 16 MiB (no link
   * layer has one) to 16 MiB.
   */
  public Dissection dissect(LinkType linkType, byte[] data, int offset, int capturedLength, int originalLength) {
    Objects.requireNonNull(linkType, "linkType");
    checkBounds(data, offset);
    return parser().dissect(this, linkType, false, data, offset, capturedLength, originalLength);
  }

  /**
   * Dissects a packet read from a TUN device in packet-information mode: a {@code tun} layer with
   * the 4-byte header, then the packet its EtherType names. The result's link type is
   * {@link LinkType#RAW}, the type such packets are stored as once the 4 bytes are removed.
   */
  public Dissection dissectTunPacketInfo(byte[] data, int offset, int capturedLength, int originalLength) {
    checkBounds(data, offset);
    return parser().dissect(this, LinkType.RAW, true, data, offset, capturedLength, originalLength);
  }

  private static Parser parser() {
    ThreadParser last = lastParser;
    Thread current = Thread.currentThread();
    if (last.thread() != current) {
      last = new ThreadParser(current, PARSERS.get());
      lastParser = last;
    }
    return last.parser();
  }

  /** Immutable, so that any thread reading {@link #lastParser} sees a matching pair. */
  private record ThreadParser(Thread thread, Parser parser) {}

  private static void checkBounds(byte[] data, int offset) {
    Objects.requireNonNull(data, "data");
    if (offset < 0 || offset > data.length) {
      throw new IndexOutOfBoundsException("offset " + offset + " outside an array of " + data.length + " bytes");
    }
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < ports.length; i++) {
      parts.add("udp " + ports[i] + " as " + rules[i]);
    }
    if (detectsIpInUdp) {
      parts.add("IP in UDP on any port");
    }
    if (layersOnly) {
      parts.add("layers only");
    }
    return "Dissector[" + String.join(", ", parts) + "]";
  }
}
