package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.Lab;
import io.github.tuntaplab.lessons.lab.LabDevice;
import io.github.tuntaplab.lessons.lab.LabPacket;
import io.github.tuntaplab.lessons.lab.Topology.TunnelFormat;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.PacketFilter;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.Link;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteQuery;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What checkpoints and observations look at: the packets the lab captured since the lesson began
 * (in capture order), the kernel state of its namespaces, and the step's last command.
 */
final class Evidence {
  private static final Dissector DISSECTOR = Dissector.standard();
  /** libpcap's words for a filter that cannot match on the link type it was compiled for. */
  private static final String REJECTS_ALL = "expression rejects all packets";

  /** The live lab; null when judging a recorded run, which has packets but no kernel to ask. */
  private final Lab lab;
  private final List<LabDevice> devices;
  private final List<LabPacket> packets;
  private final Optional<ActionResult> lastCommand;

  Evidence(Lab lab, List<LabPacket> packets, Optional<ActionResult> lastCommand) {
    this.lab = lab;
    this.devices = lab.devices();
    this.packets = List.copyOf(packets);
    this.lastCommand = lastCommand;
  }

  /** The packets of a recorded run on {@code devices}: enough for the checkpoints about packets. */
  Evidence(List<LabDevice> devices, List<LabPacket> packets) {
    this.lab = null;
    this.devices = List.copyOf(devices);
    this.packets = List.copyOf(packets);
    this.lastCommand = Optional.empty();
  }

  private Lab lab() {
    if (lab == null) {
      throw new IllegalArgumentException("a recorded run has no kernel to ask: this needs the live lab");
    }
    return lab;
  }

  /** A packet as one source sees it: the program's read carries the packet-information header in front. */
  record SourcePacket(LabPacket packet, byte[] bytes) {}

  LabDevice device(LinkRef link) {
    return link.resolve(devices);
  }

  /** Every packet of {@code source}, matching or not. */
  List<SourcePacket> packets(PacketSource source) {
    LabDevice device = device(source.link());
    if (source.read() && device.kind().equals("veth")) {
      throw new IllegalArgumentException(device.link() + " is a veth: no program reads it (read from a TUN or TAP)");
    }
    List<SourcePacket> seen = new ArrayList<>();
    for (LabPacket packet : packets) {
      if (!packet.device().equals(device) || source.read() && packet.direction() != Direction.OUTBOUND) {
        continue;
      }
      seen.add(new SourcePacket(packet, source.read() ? readBytes(packet)
          : source.decrypted() ? decrypted(packet) : packet.data()));
    }
    return seen;
  }

  /**
   * The packets of {@code source} that libpcap's compiled {@code filter} accepts (the link's own bytes,
   * no header). A filter libpcap proves can never match on the link's type ({@code arp} on a TUN's
   * RAW link) matches nothing, as tcpdump would show nothing.
   */
  List<SourcePacket> matching(PacketSource source, String filter) {
    List<SourcePacket> all = packets(source);
    if (rejectsAll(source, filter)) {
      return List.of();
    }
    try (PacketFilter compiled = compile(source, filter)) {
      return all.stream().filter(p -> compiled.matches(p.packet().data(), p.packet().length(),
          p.packet().originalLength())).toList();
    }
  }

  /**
   * Whether libpcap finds that {@code filter} can never match on the source's link type ("expression
   * rejects all packets", {@code arp} on a TUN).
   */
  boolean rejectsAll(PacketSource source, String filter) {
    try (PacketFilter compiled = compile(source, filter)) {
      return false;
    } catch (IllegalArgumentException e) {
      if (e.getMessage().endsWith(REJECTS_ALL)) {
        return true;
      }
      throw e;
    }
  }

  private PacketFilter compile(PacketSource source, String filter) {
    LabDevice device = device(source.link());
    try {
      return PacketFilter.compile(device.linkType(), 0, filter);
    } catch (PacketFilter.FilterException e) {
      throw new IllegalArgumentException("the filter '" + filter + "' does not compile for " + device.link() + ": "
          + e.getMessage());
    }
  }

  private static byte[] readBytes(LabPacket packet) {
    Optional<PacketInformation> header = packet.packetInformation();
    if (header.isEmpty()) {
      return packet.data();
    }
    ByteBuffer read = ByteBuffer.allocate(PacketInformation.LENGTH + packet.length());
    header.get().writeTo(read);
    return read.put(packet.buffer()).array();
  }

  /** What {@code tcpdump -nn -t [-e]} prints for the packet, on one line. */
  static String line(LabPacket packet, boolean linkHeader) {
    byte[] data = packet.data();
    return PacketLine.of(packet.device().linkType(), data, 0, data.length, packet.originalLength(), linkHeader);
  }

  /**
   * A message of one of the lab's tunnels inside a captured packet: the UDP payload of an IPv4 packet
   * (on a veth after its Ethernet header) from or to a tunnel's port, and that tunnel's format.
   */
  record TunnelPayload(int offset, int length, TunnelFormat format) {}

  Optional<TunnelPayload> tunnelPayload(LabPacket packet) {
    ByteBuffer data = packet.buffer();
    int ip = 0;
    if (packet.device().linkType().equals(LinkType.ETHERNET)) {
      if (data.limit() < 14 || data.getShort(12) != 0x0800) {
        return Optional.empty();
      }
      ip = 14;
    }
    if (data.limit() < ip + 28 || (data.get(ip) & 0xf0) != 0x40 || data.get(ip + 9) != 17
        || (data.getShort(ip + 6) & 0x1fff) != 0) {
      return Optional.empty();
    }
    int udp = ip + (data.get(ip) & 0x0f) * 4;
    if (data.limit() < udp + 8) {
      return Optional.empty();
    }
    int sourcePort = data.getShort(udp) & 0xffff;
    int destinationPort = data.getShort(udp + 2) & 0xffff;
    int length = Math.min((data.getShort(udp + 4) & 0xffff) - 8, data.limit() - udp - 8);
    return lab.topology().tunnels().stream().filter(t -> {
      int port = t.peer().map(InetSocketAddress::getPort).orElse(t.listenPort());
      return port == sourcePort || port == destinationPort;
    }).findFirst().map(t -> new TunnelPayload(udp + 8, Math.max(0, length), t.format()));
  }

  /**
   * The packet's bytes with its aead tunnel message, if any, opened by the lab's key: ChaCha20 keeps
   * lengths, so the plaintext takes the ciphertext's place, 24 bytes after the message's start.
   */
  byte[] decrypted(LabPacket packet) {
    byte[] data = packet.data();
    Optional<TunnelPayload> payload = tunnelPayload(packet).filter(p -> p.format() == TunnelFormat.AEAD);
    if (payload.isPresent() && lab.tunnelKey().isPresent()) {
      TunnelKey.decryption(List.of(lab.tunnelKey().get())).decryptInPlace(data, payload.get().offset(),
          payload.get().length());
    }
    return data;
  }

  static String line(SourcePacket packet) {
    return line(packet.packet(), true);
  }

  /** Names the fields within bytes {@code [from, to)} of the packet as the source sees it. */
  static Message fieldsIn(SourcePacket packet, boolean read, int from, int to) {
    byte[] bytes = packet.bytes();
    boolean header = read && packet.packet().packetInformation().isPresent();
    Dissection dissection = header ? DISSECTOR.dissectTunPacketInfo(bytes, 0, bytes.length, bytes.length)
        : DISSECTOR.dissect(packet.packet().device().linkType(), bytes, 0, bytes.length, bytes.length);
    List<Message> names = new ArrayList<>();
    for (Layer layer : dissection.layers()) {
      for (Field field : layer.fields()) {
        if (field.offset() >= from && field.offset() + field.length() <= to && field.length() > 0) {
          names.add(Message.of("verdict.field", field.offset(), field.offset() + field.length() - 1, field.text()));
        }
      }
    }
    return names.isEmpty() ? Message.of("verdict.fields.none") : Message.list(names);
  }

  /**
   * The headers that fill bytes {@code [0, to)} of a packet as it was captured on its link, with their
   * lengths ({@code 14 bytes eth, 20 bytes ip, 8 bytes udp}); bytes no layer explains are counted
   * as such.
   */
  static Message headersBefore(SourcePacket packet, int to) {
    byte[] bytes = packet.bytes();
    Dissection dissection = DISSECTOR.dissect(packet.packet().device().linkType(), bytes, 0, bytes.length,
        bytes.length);
    List<Message> names = new ArrayList<>();
    int covered = 0;
    List<Layer> layers = dissection.layers();
    for (int i = 0; i < layers.size() && covered < to; i++) {
      int end = i + 1 < layers.size() ? layers.get(i + 1).offset() : layers.get(i).offset() + layers.get(i).length();
      int length = Math.min(end, to) - layers.get(i).offset();
      if (layers.get(i).offset() == covered && length > 0) {
        names.add(Message.of("verdict.header", length, layers.get(i).name()));
        covered += length;
      }
    }
    if (covered < to) {
      names.add(Message.of("verdict.header.more", to - covered));
    }
    return Message.list(names);
  }

  /** The kernel's route lookup in the namespace playing {@code role} ({@code ip route get ADDRESS}). */
  Route lookup(String role, String address) throws IOException {
    return query(role, config -> config.lookup(RouteQuery.to(address)));
  }

  /** A lookup's answer as {@code ip route get} prints its first line: {@code 198.18.0.2 dev tl-tun0 src 198.18.0.1}. */
  static String lookupText(Route route) {
    StringBuilder text = new StringBuilder(Ip.text(route.destination().address()));
    route.gateway().ifPresent(gateway -> text.append(" via ").append(Ip.text(gateway)));
    route.device().ifPresent(device -> text.append(" dev ").append(device));
    route.source().ifPresent(source -> text.append(" src ").append(Ip.text(source)));
    return text.toString();
  }

  /** Asks the kernel about the namespace playing {@code role}. */
  <T> T query(String role, NetworkNamespace.ConfigQuery<T> query) throws IOException {
    return lab().namespace(role).query(query);
  }

  Link link(LinkRef ref) throws IOException {
    LabDevice device = device(ref);
    return lab().namespace(device.role()).query(config -> config.link(device.link())).orElseThrow(
        () -> new IOException(device.link() + " no longer exists in " + device.namespace()));
  }

  String namespace(String role) {
    return lab().namespace(role).name();
  }

  Optional<ActionResult> lastCommand() {
    return lastCommand;
  }
}
