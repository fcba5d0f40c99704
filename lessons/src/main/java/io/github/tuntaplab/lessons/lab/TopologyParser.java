package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.lessons.lab.Topology.Bridge;
import io.github.tuntaplab.lessons.lab.Topology.Device;
import io.github.tuntaplab.lessons.lab.Topology.DeviceKind;
import io.github.tuntaplab.lessons.lab.Topology.End;
import io.github.tuntaplab.lessons.lab.Topology.Namespace;
import io.github.tuntaplab.lessons.lab.Topology.PlacedAddress;
import io.github.tuntaplab.lessons.lab.Topology.PlacedRoute;
import io.github.tuntaplab.lessons.lab.Topology.Port;
import io.github.tuntaplab.lessons.lab.Topology.TunnelEndpoint;
import io.github.tuntaplab.lessons.lab.Topology.TunnelFormat;
import io.github.tuntaplab.lessons.lab.Topology.Veth;
import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.net.Route;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The strict reader behind {@link Topology#parse}: one statement a line, every mistake named with its line. */
final class TopologyParser {
  /** The only addresses a lab may use (DESIGN §3): never anything that could be the host's network. */
  private static final List<IpPrefix> LAB_RANGES = List.of(IpPrefix.parse("198.18.0.0/15"),
      IpPrefix.parse("198.51.100.0/24"), IpPrefix.parse("203.0.113.0/24"), IpPrefix.parse("2001:db8::/32"));
  private static final int MAX_LINK_NAME = 15;

  private final String source;
  private int lineNumber;
  private String name;
  private String description = "";
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  private final Map<String, Set<String>> links = new LinkedHashMap<>();
  private final Map<String, Set<String>> bridgeNames = new LinkedHashMap<>();
  private final Set<MacAddress> macs = new HashSet<>();
  private final List<Veth> veths = new ArrayList<>();
  private final List<Bridge> bridges = new ArrayList<>();
  private final List<Port> ports = new ArrayList<>();
  private final List<Device> devices = new ArrayList<>();
  private final List<TunnelEndpoint> tunnels = new ArrayList<>();
  private final List<PlacedAddress> addresses = new ArrayList<>();
  private final List<PlacedRoute> routes = new ArrayList<>();

  TopologyParser(String source) {
    this.source = source;
  }

  Topology parse(String text) throws TopologyException {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lineNumber = i + 1;
      String line = lines[i];
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        continue;
      }
      List<String> words = Arrays.asList(content.split("\\s+"));
      try {
        statement(words.get(0), words.subList(1, words.size()), content);
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }
    lineNumber = 0;
    if (name == null) {
      throw error("the file names no topology: start it with 'topology NAME'");
    }
    if (namespaces.isEmpty()) {
      throw error("the topology has no namespace: add 'namespace NAME'");
    }
    return new Topology(name, description, List.copyOf(namespaces.values()), List.copyOf(veths), List.copyOf(bridges),
        List.copyOf(ports), List.copyOf(devices), List.copyOf(tunnels), List.copyOf(addresses), List.copyOf(routes));
  }

  private void statement(String keyword, List<String> args, String content) throws TopologyException {
    if (name == null && !keyword.equals("topology")) {
      throw error("the first statement must be 'topology NAME', not '" + keyword + "'");
    }
    switch (keyword) {
      case "topology" -> {
        if (name != null) {
          throw error("a second 'topology' line: one topology a file");
        }
        arity(args, 1, 1, "topology NAME");
        name = checkWord(args.get(0), "topology name");
      }
      case "description" -> description = (description.isEmpty() ? "" : description + " ")
          + content.substring("description".length()).strip();
      case "namespace" -> namespace(args);
      case "veth" -> veth(args);
      case "bridge" -> bridge(args);
      case "port" -> port(args);
      case "tun", "tap" -> device(keyword, args);
      case "tunnel" -> tunnel(args);
      case "address" -> address(args);
      case "route" -> route(args);
      default -> throw error("unknown statement '" + keyword
          + "' (known: topology, description, namespace, veth, bridge, port, tun, tap, tunnel, address, route)");
    }
  }

  private void namespace(List<String> args) throws TopologyException {
    arity(args, 1, 3, "namespace NAME [forwarding] [no-ipv6]");
    String role = checkWord(args.get(0), "namespace name");
    if (namespaces.containsKey(role)) {
      throw error("namespace " + role + " is declared twice");
    }
    List<String> options = args.subList(1, args.size());
    List<String> allowed = List.of("forwarding", "no-ipv6");
    for (String option : options) {
      int at = allowed.indexOf(option);
      if (at < 0) {
        throw error("after the namespace name only 'forwarding' and 'no-ipv6' may follow, in that order, not '"
            + option + "'");
      }
      allowed = allowed.subList(at + 1, allowed.size());
    }
    namespaces.put(role, new Namespace(role, options.contains("forwarding"), !options.contains("no-ipv6")));
    links.put(role, new HashSet<>());
    bridgeNames.put(role, new HashSet<>());
  }

  private void veth(List<String> args) throws TopologyException {
    arity(args, 6, 6, "veth NAMESPACE LINK MAC NAMESPACE LINK MAC");
    End a = end(args.subList(0, 3));
    End b = end(args.subList(3, 6));
    if (a.namespace().equals(b.namespace()) && a.link().equals(b.link())) {
      throw error("both ends of the veth are " + a.link() + " in " + a.namespace());
    }
    newLink(a);
    // The pair is made in the first end's namespace, so the peer's name must be free there too.
    if (!a.namespace().equals(b.namespace()) && links.get(a.namespace()).contains(b.link())) {
      throw error(b.link() + " exists in " + a.namespace() + ", where the pair is made: name the ends differently "
          + "or swap them");
    }
    newLink(b);
    veths.add(new Veth(a, b));
  }

  private void bridge(List<String> args) throws TopologyException {
    arity(args, 3, 3, "bridge NAMESPACE LINK MAC");
    End bridge = end(args);
    newLink(bridge);
    bridgeNames.get(bridge.namespace()).add(bridge.link());
    bridges.add(new Bridge(bridge));
  }

  private void port(List<String> args) throws TopologyException {
    arity(args, 3, 3, "port NAMESPACE LINK BRIDGE");
    String ns = knownNamespace(args.get(0));
    String link = knownLink(ns, args.get(1));
    if (!bridgeNames.get(ns).contains(args.get(2))) {
      throw error("no bridge " + args.get(2) + " in " + ns + " (declare it first: bridge " + ns + " " + args.get(2)
          + " MAC)");
    }
    if (ports.stream().anyMatch(p -> p.namespace().equals(ns) && p.link().equals(link))) {
      throw error(link + " in " + ns + " is a port already");
    }
    ports.add(new Port(ns, link, args.get(2)));
  }

  private void device(String keyword, List<String> args) throws TopologyException {
    boolean tap = keyword.equals("tap");
    String usage = tap ? "tap NAMESPACE LINK MAC [responder MAC ADDRESS...]" : "tun NAMESPACE LINK [pi] [responder ADDRESS...]";
    int fixed = tap ? 3 : 2;
    if (args.size() < fixed) {
      throw error("too few words: " + usage);
    }
    String ns = knownNamespace(args.get(0));
    String link = checkLinkName(args.get(1));
    Optional<MacAddress> mac = tap ? Optional.of(mac(args.get(2))) : Optional.empty();
    List<String> rest = args.subList(fixed, args.size());
    // Only a TUN has the choice: tunlib (like the kernel's users) opens a TAP with IFF_NO_PI.
    boolean packetInformation = !tap && !rest.isEmpty() && rest.get(0).equals("pi");
    if (packetInformation) {
      rest = rest.subList(1, rest.size());
    }
    Optional<MacAddress> responderMac = Optional.empty();
    List<InetAddress> answered = new ArrayList<>();
    if (!rest.isEmpty()) {
      if (!rest.get(0).equals("responder")) {
        throw error("expected 'responder' after the device, not '" + rest.get(0) + "': " + usage);
      }
      int first = 1;
      if (tap) {
        if (rest.size() < 2) {
          throw error("a TAP's responder needs its own MAC: " + usage);
        }
        responderMac = Optional.of(mac(rest.get(1)));
        first = 2;
      }
      if (rest.size() <= first) {
        throw error("the responder answers for at least one address: " + usage);
      }
      for (String address : rest.subList(first, rest.size())) {
        answered.add(labAddress(IpPrefix.parse(address)).address());
      }
    }
    if (!links.get(ns).add(link)) {
      throw error("a link named " + link + " exists in " + ns + " already");
    }
    devices.add(new Device(ns, link, tap ? DeviceKind.TAP : DeviceKind.TUN, mac, responderMac, List.copyOf(answered),
        packetInformation));
  }

  private void tunnel(List<String> args) throws TopologyException {
    String usage = "tunnel NAMESPACE LINK plain|aead|vxlan [vni N] [mac MAC] (peer ADDRESS PORT | listen PORT) "
        + "[bind LINK]";
    if (args.size() < 5) {
      throw error("too few words: " + usage);
    }
    String ns = knownNamespace(args.get(0));
    String link = checkLinkName(args.get(1));
    TunnelFormat format = switch (args.get(2)) {
      case "plain" -> TunnelFormat.PLAIN;
      case "aead" -> TunnelFormat.AEAD;
      case "vxlan" -> TunnelFormat.VXLAN;
      default -> throw error("unknown tunnel format '" + args.get(2) + "' (plain, aead or vxlan): " + usage);
    };
    int next = 3;
    int vni = 0;
    Optional<MacAddress> mac = Optional.empty();
    if (format == TunnelFormat.VXLAN) {
      vni = TunnelEndpoint.DEFAULT_VNI;
      if (args.get(next).equals("vni")) {
        vni = number(word(args, next + 1, "'vni' needs a number (vni 42): " + usage));
        if (vni < 0 || vni > 0xffffff) {
          throw error("a VXLAN network identifier has 24 bits (0 to 16777215), not " + vni);
        }
        next += 2;
      }
      if (word(args, next, "too few words: " + usage).equals("mac")) {
        mac = Optional.of(mac(word(args, next + 1, "'mac' needs the TAP's MAC address: " + usage)));
        next += 2;
      }
    } else if (args.get(next).equals("vni") || args.get(next).equals("mac")) {
      throw error("'" + args.get(next) + "' belongs to a vxlan tunnel (a TAP), not a " + args.get(2) + " one");
    }
    Optional<InetSocketAddress> peer = Optional.empty();
    int listenPort = 0;
    switch (word(args, next, "too few words: " + usage)) {
      case "peer" -> {
        if (args.size() < next + 3) {
          throw error("'peer' needs the server's address and port (peer 203.0.113.89 5555): " + usage);
        }
        if (args.get(next + 1).contains("/")) {
          throw error("the peer is one address, without a prefix length: peer " + args.get(next + 1).split("/")[0]
              + " PORT");
        }
        InetAddress address = labAddress(IpPrefix.parse(args.get(next + 1))).address();
        if (address.getAddress().length != 4) {
          throw error("the lab's tunnels cross an IPv4 underlay: the peer " + args.get(next + 1)
              + " is no IPv4 address");
        }
        peer = Optional.of(new InetSocketAddress(address, port(args.get(next + 2))));
        next += 3;
      }
      case "listen" -> {
        listenPort = port(word(args, next + 1, "'listen' needs a port (listen 5555): " + usage));
        next += 2;
      }
      default -> throw error("expected 'peer' or 'listen' after the format, not '" + args.get(next) + "': " + usage);
    }
    Optional<String> bind = Optional.empty();
    if (args.size() > next) {
      if (!args.get(next).equals("bind") || args.size() != next + 2) {
        throw error("after the " + (peer.isPresent() ? "peer" : "listening port") + " only 'bind LINK' may follow: "
            + usage);
      }
      bind = Optional.of(knownLink(ns, args.get(next + 1)));
    }
    if (!links.get(ns).add(link)) {
      throw error("a link named " + link + " exists in " + ns + " already");
    }
    tunnels.add(new TunnelEndpoint(ns, link, format, vni, mac, peer, listenPort, bind));
  }

  /** {@code args.get(index)}, or the error {@code missing} when there are fewer words. */
  private String word(List<String> args, int index, String missing) throws TopologyException {
    if (index >= args.size()) {
      throw error(missing);
    }
    return args.get(index);
  }

  private int port(String text) throws TopologyException {
    int port = number(text);
    if (port < 1 || port > 65535) {
      throw error("'" + text + "' is no UDP port (1 to 65535)");
    }
    return port;
  }

  private void address(List<String> args) throws TopologyException {
    if (args.size() < 3) {
      throw error("too few words: address NAMESPACE LINK PREFIX... (e.g. 198.51.100.2/24)");
    }
    String ns = knownNamespace(args.get(0));
    String link = knownLink(ns, args.get(1));
    for (String prefix : args.subList(2, args.size())) {
      if (!prefix.contains("/")) {
        throw error("'" + prefix + "' needs a prefix length, such as " + prefix + "/24");
      }
      labAddress(IpPrefix.parse(prefix));
      addresses.add(new PlacedAddress(ns, Address.of(link, prefix)));
    }
  }

  private void route(List<String> args) throws TopologyException {
    String usage = "route NAMESPACE DESTINATION (via GATEWAY [dev LINK] | dev LINK) [metric N]";
    if (args.size() < 4) {
      throw error("too few words: " + usage);
    }
    String ns = knownNamespace(args.get(0));
    String destination = args.get(1);
    Optional<String> gateway = Optional.empty();
    Optional<String> dev = Optional.empty();
    Optional<Integer> metric = Optional.empty();
    for (int i = 2; i < args.size(); i += 2) {
      if (i + 1 >= args.size()) {
        throw error("'" + args.get(i) + "' needs a value: " + usage);
      }
      String value = args.get(i + 1);
      switch (args.get(i)) {
        case "via" -> gateway = Optional.of(labAddress(IpPrefix.parse(value)).address().getHostAddress());
        case "dev" -> dev = Optional.of(knownLink(ns, value));
        case "metric" -> metric = Optional.of(number(value));
        default -> throw error("unknown route word '" + args.get(i) + "': " + usage);
      }
    }
    if (gateway.isEmpty() && dev.isEmpty()) {
      throw error("a route goes via a gateway or out of a link: " + usage);
    }
    AddressFamily family = gateway.map(g -> AddressFamily.of(IpPrefix.parse(g).address()))
        .orElse(AddressFamily.INET);
    IpPrefix to = destination.equals("default") ? IpPrefix.any(family) : labAddress(IpPrefix.parse(destination));
    if (gateway.isPresent() && !to.family().equals(family)) {
      throw error("the gateway " + gateway.get() + " and the destination " + destination + " are of different families");
    }
    Route route = Route.to(to);
    if (gateway.isPresent()) {
      route = route.via(gateway.get());
    }
    if (dev.isPresent()) {
      route = route.dev(dev.get());
    }
    if (metric.isPresent()) {
      route = route.metric(metric.get());
    }
    routes.add(new PlacedRoute(ns, route));
  }

  private End end(List<String> words) throws TopologyException {
    return new End(knownNamespace(words.get(0)), checkLinkName(words.get(1)), mac(words.get(2)));
  }

  private void newLink(End end) throws TopologyException {
    if (!links.get(end.namespace()).add(end.link())) {
      throw error("a link named " + end.link() + " exists in " + end.namespace() + " already");
    }
  }

  private MacAddress mac(String text) throws TopologyException {
    MacAddress mac = MacAddress.parse(text);
    byte first = mac.toByteArray()[0];
    if ((first & 0x02) == 0 || (first & 0x01) != 0) {
      throw error(text + " is not a locally administered unicast MAC (its first byte must be like 02, 06, 0a, …)");
    }
    if (!macs.add(mac)) {
      throw error("the MAC " + text + " is used twice");
    }
    return mac;
  }

  private IpPrefix labAddress(IpPrefix prefix) throws TopologyException {
    for (IpPrefix range : LAB_RANGES) {
      if (range.family().equals(prefix.family()) && prefix.length() >= range.length()
          && new IpPrefix(prefix.address(), range.length()).network().equals(range.network())) {
        return prefix;
      }
    }
    throw error(prefix.address().getHostAddress() + " is outside the lab's ranges (198.18.0.0/15, 198.51.100.0/24, "
        + "203.0.113.0/24, 2001:db8::/32): a lab never uses addresses a real network could");
  }

  private String knownNamespace(String role) throws TopologyException {
    if (!namespaces.containsKey(role)) {
      throw error("no namespace " + role + " (declare it first: namespace " + role + ")");
    }
    return role;
  }

  private String knownLink(String ns, String link) throws TopologyException {
    if (!links.get(ns).contains(link)) {
      throw error("no link " + link + " in " + ns + " (declare it with veth, bridge, tun or tap first)");
    }
    return link;
  }

  private String checkLinkName(String link) throws TopologyException {
    if (!link.startsWith("tl-") || link.length() > MAX_LINK_NAME || !link.matches("[a-z0-9.-]+")) {
      throw error("link name '" + link + "': it starts with tl-, has at most " + MAX_LINK_NAME
          + " characters, lower-case letters, digits, dots and dashes");
    }
    return link;
  }

  private String checkWord(String word, String what) throws TopologyException {
    if (!word.matches("[a-z][a-z0-9-]{0,30}")) {
      throw error(what + " '" + word + "': lower-case letters, digits and dashes, starting with a letter");
    }
    return word;
  }

  private int number(String text) throws TopologyException {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw error("'" + text + "' is not a number");
    }
  }

  private void arity(List<String> args, int min, int max, String usage) throws TopologyException {
    if (args.size() < min || args.size() > max) {
      throw error((args.size() < min ? "too few" : "too many") + " words: " + usage);
    }
  }

  private TopologyException error(String message) {
    return new TopologyException(source, lineNumber, message);
  }
}
