package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.LabDevice;
import io.github.tuntaplab.lessons.lab.Topology.TunnelFormat;
import io.github.tuntaplab.lessons.lesson.Evidence.SourcePacket;
import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.Link;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.RouteQuery;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One line of a {@code show} block turned into what the student sees: a routing table, the links, a
 * route lookup, captured packets as tcpdump prints them, or the first bytes a program read.
 */
final class Observation {
  private static final int READ_BYTES_SHOWN = 24;
  /** The aead format's header and tag (docs/tunnel.md). */
  private static final int AEAD_HEADER = 24;
  private static final int AEAD_TAG = 16;

  private Observation() {}

  /** The lines to print for {@code show}, each heading naming the command a terminal would use. */
  static List<String> render(String show, Evidence evidence, Lesson lesson, LessonWords text) throws IOException {
    String[] words = show.split("\\s+");
    List<String> out = new ArrayList<>();
    switch (words[0]) {
      case "routes" -> routes(words, evidence, out);
      case "lookup" -> {
        requireWords(words, 3, "lookup ROLE ADDRESS");
        out.add("$ ip -n " + evidence.namespace(words[1]) + " route get " + words[2]);
        try {
          out.add(Evidence.lookupText(evidence.query(words[1], config -> config.lookup(RouteQuery.to(words[2])))));
        } catch (NativeCallException e) {
          out.add("RTNETLINK answers: " + e.getMessage());
        }
      }
      case "links" -> {
        requireWords(words, 2, "links ROLE");
        out.add("$ ip -n " + evidence.namespace(words[1]) + " link");
        for (Link link : evidence.query(words[1], NetworkConfig::links)) {
          out.add(link.index() + ": " + link.name() + ": <" + String.join(",", link.flags().names()) + "> mtu "
              + link.mtu());
          out.add("    " + link.mac().map(mac -> "link/ether " + mac).orElse(link.name().equals("lo")
              ? "link/loopback" : "link/none"));
        }
      }
      case "packets" -> packets(show, evidence, out, text);
      case "reads" -> reads(show, evidence, out, text);
      default -> throw new IllegalArgumentException(lesson.source() + ": unknown show line '" + show
          + "' (known: routes, lookup, links, packets, reads)");
    }
    return out;
  }

  private static void routes(String[] words, Evidence evidence, List<String> out) throws IOException {
    if (words.length == 3 && words[2].equals("windows")) {
      // The source notes' view: the exit interface named by this host's own address on it.
      out.add("C:\\> route print -4   (the routes of " + evidence.namespace(words[1]) + " as Windows shows a table)");
      out.addAll(evidence.query(words[1], config -> RouteText.windowsRoutePrint(config.routes(RouteTable.MAIN),
          config.addresses())).lines().toList());
      return;
    }
    requireWords(words, 2, "routes ROLE [windows]");
    out.add("$ ip -n " + evidence.namespace(words[1]) + " route");
    // Like `ip route`, the IPv4 routes of the main table.
    out.addAll(evidence.query(words[1], config -> RouteText.ipRoute(config.routes(RouteTable.MAIN).stream()
        .filter(route -> route.family().equals(AddressFamily.INET)).toList())));
  }

  private static void packets(String show, Evidence evidence, List<String> out, LessonWords text) {
    String[] parts = show.split(":", 2);
    List<String> words = new ArrayList<>(List.of(parts[0].strip().split("\\s+")).subList(1, parts[0].strip()
        .split("\\s+").length));
    boolean linkHeader = words.remove("-e");
    boolean withKey = words.remove("-k");
    boolean inside = words.remove("-d") || withKey;
    String filter = parts.length > 1 ? parts[1].strip() : "";
    for (String link : words) {
      PacketSource source = new PacketSource(LinkRef.parse(link), false, 0);
      LabDevice device = evidence.device(source.link());
      out.add("$ ip netns exec " + device.namespace() + " tcpdump -nn -t" + (linkHeader ? " -e" : "") + " -i "
          + device.link() + (filter.isEmpty() ? "" : " '" + filter + "'"));
      if (inside) {
        out.add("  (and, indented, what the lab's tunnel messages carry" + (withKey ? ", opened with the lab's key from "
            + "the capture's secrets block)" : ")"));
      }
      List<SourcePacket> packets = filter.isEmpty() ? evidence.packets(source) : evidence.matching(source, filter);
      for (SourcePacket packet : packets) {
        out.add(Evidence.line(packet.packet(), linkHeader));
        if (inside) {
          evidence.tunnelPayload(packet.packet()).ifPresent(p -> out.add("    " + inner(evidence, packet, p, withKey)));
        }
      }
      if (packets.isEmpty()) {
        out.add(text.format("show.no.packets"));
      }
    }
  }

  /** What a tunnel message carries: the inner packet of a plain one; an aead one's header, or with the key its packet. */
  private static String inner(Evidence evidence, SourcePacket packet, Evidence.TunnelPayload payload, boolean withKey) {
    byte[] data = packet.bytes();
    if (payload.format() == TunnelFormat.PLAIN) {
      return "inside: " + PacketLine.of(LinkType.RAW, data, payload.offset(), payload.length(), payload.length(), false);
    }
    int ciphertext = payload.length() - AEAD_HEADER - AEAD_TAG;
    if (ciphertext < 0) {
      return "inside: " + payload.length() + " bytes, too short for an aead message";
    }
    ByteBuffer message = ByteBuffer.wrap(data, payload.offset(), payload.length()).slice();
    String header = String.format("aead message: key id %08x, session %016x, counter %d, ", message.getInt(4),
        message.getLong(8), message.getLong(16));
    if (!withKey) {
      return "inside: " + header + ciphertext + " bytes of ciphertext, 16-byte tag";
    }
    byte[] opened = evidence.decrypted(packet.packet());
    if (Arrays.equals(opened, data)) {
      return "inside: " + header + "the lab's key does not open it";
    }
    return "inside, decrypted: " + PacketLine.of(LinkType.RAW, opened, payload.offset() + AEAD_HEADER, ciphertext,
        ciphertext, false);
  }

  private static void reads(String show, Evidence evidence, List<String> out, LessonWords text) {
    String[] parts = show.split(":", 2);
    String[] words = parts[0].strip().split("\\s+");
    requireWords(words, 2, "reads LINK [: FILTER]");
    PacketSource source = new PacketSource(LinkRef.parse(words[1]), true, 0);
    String filter = parts.length > 1 ? parts[1].strip() : "";
    List<SourcePacket> packets = filter.isEmpty() ? evidence.packets(source) : evidence.matching(source, filter);
    out.add(text.format("show.reads", source.link(), READ_BYTES_SHOWN));
    for (SourcePacket packet : packets) {
      byte[] bytes = packet.bytes();
      out.add(text.format("show.read", bytes.length,
          HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, READ_BYTES_SHOWN)),
          bytes.length > READ_BYTES_SHOWN ? " …" : "", bytes.length == 0 ? -1 : (bytes[0] & 0xff) >> 4));
    }
    if (packets.isEmpty()) {
      out.add(text.format("show.nothing.read"));
    }
  }

  private static void requireWords(String[] words, int count, String usage) {
    if (words.length != count) {
      throw new IllegalArgumentException("show: " + usage);
    }
  }
}
