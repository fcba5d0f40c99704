package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.net.Route;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A lab as data: namespaces, the links between them, devices with responders, addresses and routes.
 * Read from a small text file ({@code topologies/NAME.topology} among the resources, or any file);
 * the format is described in {@code lessons/TOPOLOGY-FORMAT.md} and checked strictly by
 * {@link #parse}, which names the line of every mistake. Namespace names here are roles
 * ({@code client}); the lab prefixes them ({@code tl-client}).
 */
public record Topology(String name, String description, List<Namespace> namespaces, List<Veth> veths,
    List<Bridge> bridges, List<Port> ports, List<Device> devices, List<TunnelEndpoint> tunnels,
    List<PlacedAddress> addresses, List<PlacedRoute> routes) {

  private static final String RESOURCES = "/io/github/tuntaplab/lessons/topologies/";

  /**
   * A namespace by role; a router or VPN server forwards packets between its links. Without IPv6
   * ({@code ipv6} false) its links carry no IPv6 at all, so a fresh TUN sends no router solicitations
   * or MLD reports (DESIGN §4): a lesson about IPv4 traffic sees only that.
   */
  public record Namespace(String role, boolean forwarding, boolean ipv6) {
    public Namespace(String role, boolean forwarding) {
      this(role, forwarding, true);
    }
  }

  /** One end of a link: where it lives, its name there, its fixed MAC. */
  public record End(String namespace, String link, MacAddress mac) {}

  /** A veth pair: a cable between two namespaces (or within one). */
  public record Veth(End a, End b) {}

  /** A software switch in a namespace; its own address speaks for the segment. */
  public record Bridge(End bridge) {}

  /** A link made a port of a bridge in the same namespace. */
  public record Port(String namespace, String link, String bridge) {}

  /** What kind of device the lab opens and serves from Java. */
  public enum DeviceKind { TUN, TAP }

  /**
   * A TUN or TAP the lab opens and holds, with a tunlib responder behind it answering for
   * {@code responderAddresses} (and, on a TAP, with {@code responderMac}).
   *
   * @param packetInformation a TUN opened without {@code IFF_NO_PI}: every read and write starts
   *     with the 4-byte packet-information header
   */
  public record Device(String namespace, String link, DeviceKind kind, Optional<MacAddress> mac,
      Optional<MacAddress> responderMac, List<InetAddress> responderAddresses, boolean packetInformation) {
    /** A device opened with {@code IFF_NO_PI}, as most programs open theirs. */
    public Device(String namespace, String link, DeviceKind kind, Optional<MacAddress> mac,
        Optional<MacAddress> responderMac, List<InetAddress> responderAddresses) {
      this(namespace, link, kind, mac, responderMac, responderAddresses, false);
    }
  }

  /**
   * How a lab tunnel wraps its packets (docs/tunnel.md): bare IP in UDP, ChaCha20-Poly1305 under
   * the lab's key (both from a TUN), or Ethernet frames from a TAP after a VXLAN header (RFC 7348).
   */
  public enum TunnelFormat { PLAIN, AEAD, VXLAN }

  /**
   * A tunnel endpoint the lab runs: tunlib's {@code Tunnel} with its TUN (a TAP for VXLAN)
   * {@code link} and its outer UDP socket, both in {@code namespace}. A client sends to
   * {@code peer} from any port; a server listens on {@code listenPort} of every address and
   * answers whoever sends it a valid packet.
   *
   * @param vni the VXLAN network identifier (VXLAN only; 0 for the other formats)
   * @param mac the TAP's MAC address (VXLAN only; empty: the kernel picks one)
   * @param bind the link the outer socket is tied to with SO_BINDTODEVICE, if any
   */
  public record TunnelEndpoint(String namespace, String link, TunnelFormat format, int vni, Optional<MacAddress> mac,
      Optional<InetSocketAddress> peer, int listenPort, Optional<String> bind) {
    /** The VNI of a vxlan tunnel that names none, as {@code tunlab tunnel --vni}'s default. */
    public static final int DEFAULT_VNI = 42;

    /** A plain or aead endpoint. */
    public TunnelEndpoint(String namespace, String link, TunnelFormat format, Optional<InetSocketAddress> peer,
        int listenPort, Optional<String> bind) {
      this(namespace, link, format, 0, Optional.empty(), peer, listenPort, bind);
    }

    public boolean client() {
      return peer.isPresent();
    }
  }

  /** An address on a link of a namespace. */
  public record PlacedAddress(String namespace, Address address) {}

  /** A route in a namespace. */
  public record PlacedRoute(String namespace, Route route) {}

  /** The built-in topology {@code name} ({@code default}), from the resources. */
  public static Topology load(String name) throws IOException {
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new TopologyException(name, 0, "not a topology name (lower-case letters, digits, dashes); built in: "
          + builtIn());
    }
    try (InputStream in = Topology.class.getResourceAsStream(RESOURCES + name + ".topology")) {
      if (in == null) {
        throw new TopologyException(name, 0, "no built-in topology named " + name + "; built in: " + builtIn());
      }
      return parse(name + ".topology", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** A topology file of one's own. */
  public static Topology read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file));
  }

  /** {@link #load} for a plain name, {@link #read} for anything that looks like a path. */
  public static Topology resolve(String nameOrFile) throws IOException {
    return nameOrFile.contains("/") || nameOrFile.endsWith(".topology") ? read(Path.of(nameOrFile))
        : load(nameOrFile);
  }

  /** The names of the built-in topologies, from {@code topologies/index}. */
  public static List<String> builtIn() throws IOException {
    try (InputStream in = Topology.class.getResourceAsStream(RESOURCES + "index")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }
  }

  /**
   * Parses a topology's text.
   *
   * @param source where the text came from, for messages ({@code default.topology:12: …})
   * @throws TopologyException at the first mistake, with its line number and what to write instead
   */
  public static Topology parse(String source, String text) throws TopologyException {
    return new TopologyParser(source).parse(text);
  }

  /** Every link the lab will create or open in {@code namespace}, in creation order. */
  public List<String> linksIn(String namespace) {
    List<String> links = new java.util.ArrayList<>();
    for (Veth veth : veths) {
      for (End end : List.of(veth.a(), veth.b())) {
        if (end.namespace().equals(namespace)) {
          links.add(end.link());
        }
      }
    }
    bridges.stream().map(Bridge::bridge).filter(b -> b.namespace().equals(namespace)).forEach(b -> links.add(b.link()));
    devices.stream().filter(d -> d.namespace().equals(namespace)).forEach(d -> links.add(d.link()));
    tunnels.stream().filter(t -> t.namespace().equals(namespace)).forEach(t -> links.add(t.link()));
    return links;
  }
}
