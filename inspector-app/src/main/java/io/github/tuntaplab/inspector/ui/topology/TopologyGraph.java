package io.github.tuntaplab.inspector.ui.topology;

import io.github.tuntaplab.lessons.lab.Topology;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A lab topology as a graph a packet travels: each namespace's network stack, its links (veth
 * ends, bridges, TUNs and TAPs) and the program behind each TUN or TAP (the lab's responder),
 * joined as the packets go: stack to its links, veth end to veth end, bridge port to bridge,
 * device to program. Who owns an address is known from the topology, so a packet's path is the
 * shortest way from its source's owner to its destination's owner through the device it was
 * captured on, crossing only namespaces that forward. A tunnel endpoint is the program behind its
 * TUN, joined to its peer's: a packet goes in one TUN, through the endpoint, out of its UDP socket
 * over the underlay to the peer endpoint and out of the peer's TUN.
 */
public final class TopologyGraph {
  /** What a node stands for. */
  public enum Kind { STACK, VETH, BRIDGE, TUN, TAP, PROGRAM }

  /** A node: {@code role} is its namespace's role, {@code name} the link's name (or "" for a stack). */
  public record Node(Kind kind, String role, String name) {
    /** {@code client}, {@code client/tl-tun0}, {@code client/tl-tun0 program}. */
    public String id() {
      return switch (kind) {
        case STACK -> role;
        case PROGRAM -> role + "/" + name + " program";
        default -> role + "/" + name;
      };
    }

    public boolean isLink() {
      return kind != Kind.STACK && kind != Kind.PROGRAM;
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** Two nodes joined; {@code cable} is a veth pair (drawn between namespaces), else a link inside one. */
  public record Edge(Node a, Node b, boolean cable) {}

  private final Topology topology;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private final Map<Node, List<Node>> neighbours = new HashMap<>();
  private final Map<InetAddress, Node> owners = new HashMap<>();
  private final Set<String> forwarding = new LinkedHashSet<>();
  /** Each tunnel endpoint's program and its peer's. */
  private final Map<Node, Node> peers = new HashMap<>();

  public TopologyGraph(Topology topology) {
    this.topology = topology;
    for (Topology.Namespace ns : topology.namespaces()) {
      node(Kind.STACK, ns.role(), "");
      if (ns.forwarding()) {
        forwarding.add(ns.role());
      }
    }
    Set<String> ports = new LinkedHashSet<>();
    topology.ports().forEach(p -> ports.add(p.namespace() + "/" + p.link()));
    for (Topology.Veth veth : topology.veths()) {
      Node a = node(Kind.VETH, veth.a().namespace(), veth.a().link());
      Node b = node(Kind.VETH, veth.b().namespace(), veth.b().link());
      join(a, b, true);
    }
    for (Topology.Bridge bridge : topology.bridges()) {
      node(Kind.BRIDGE, bridge.bridge().namespace(), bridge.bridge().link());
    }
    for (Topology.Port port : topology.ports()) {
      join(nodes.get(port.namespace() + "/" + port.link()), nodes.get(port.namespace() + "/" + port.bridge()), false);
    }
    for (Topology.Device device : topology.devices()) {
      Node link = node(device.kind() == Topology.DeviceKind.TAP ? Kind.TAP : Kind.TUN, device.namespace(),
          device.link());
      Node program = node(Kind.PROGRAM, device.namespace(), device.link());
      join(link, program, false);
      device.responderAddresses().forEach(a -> owners.put(a, program));
    }
    List<Node> endpoints = new ArrayList<>();
    for (Topology.TunnelEndpoint tunnel : topology.tunnels()) {
      Node program = node(Kind.PROGRAM, tunnel.namespace(), tunnel.link());
      join(node(Kind.TUN, tunnel.namespace(), tunnel.link()), program, false);
      endpoints.add(program);
    }
    for (Node node : List.copyOf(nodes.values())) {
      if (node.isLink() && !ports.contains(node.id())) {
        join(nodes.get(node.role()), node, false);
      }
    }
    for (Topology.PlacedAddress address : topology.addresses()) {
      owners.put(address.address().local(), nodes.get(address.namespace()));
    }
    pairTunnels(endpoints);
  }

  /** Joins each tunnel client's endpoint to the server listening where it sends (not drawn: the underlay carries it). */
  private void pairTunnels(List<Node> endpoints) {
    List<Topology.TunnelEndpoint> tunnels = topology.tunnels();
    for (int i = 0; i < tunnels.size(); i++) {
      Optional<java.net.InetSocketAddress> peer = tunnels.get(i).peer();
      Node server = peer.map(address -> owners.get(address.getAddress())).orElse(null);
      for (int j = 0; server != null && j < tunnels.size(); j++) {
        if (tunnels.get(j).peer().isEmpty() && tunnels.get(j).namespace().equals(server.role())
            && tunnels.get(j).listenPort() == peer.get().getPort()) {
          peers.put(endpoints.get(i), endpoints.get(j));
          peers.put(endpoints.get(j), endpoints.get(i));
          neighbours.get(endpoints.get(i)).add(endpoints.get(j));
          neighbours.get(endpoints.get(j)).add(endpoints.get(i));
        }
      }
    }
  }

  private Node node(Kind kind, String role, String name) {
    Node node = new Node(kind, role, name);
    nodes.put(node.id(), node);
    neighbours.put(node, new ArrayList<>());
    return node;
  }

  private void join(Node a, Node b, boolean cable) {
    edges.add(new Edge(a, b, cable));
    neighbours.get(a).add(b);
    neighbours.get(b).add(a);
  }

  public Topology topology() {
    return topology;
  }

  public List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  public List<Edge> edges() {
    return Collections.unmodifiableList(edges);
  }

  /** The node that owns {@code address}: a namespace's stack, or the program behind a TUN or TAP. */
  public Optional<Node> owner(InetAddress address) {
    return Optional.ofNullable(owners.get(address));
  }

  /**
   * The links named {@code link}; in the namespace whose name ends with one of the roles when
   * {@code namespace} is given (pcapng's interface description names it: {@code veth in namespace tl-router}).
   */
  public List<Node> links(String link, String namespace) {
    return nodes.values().stream().filter(n -> n.isLink() && n.name().equals(link))
        .filter(n -> namespace == null || namespace.endsWith("-" + n.role()) || namespace.equals(n.role())).toList();
  }

  /**
   * The way from {@code from} to {@code to} through one of {@code via} (the captured device), as the
   * nodes in order; empty when there is none. A missing end starts (or stops) at the device itself.
   */
  public List<Node> path(Node from, Node to, List<Node> via) {
    List<Node> best = List.of();
    for (Node device : via) {
      List<Node> first = from == null ? List.of(device) : shortest(from, device, true);
      List<Node> second = to == null ? List.of(device) : shortest(device, to, true);
      if (first.isEmpty() || second.isEmpty()) {
        continue;
      }
      List<Node> whole = new ArrayList<>(first);
      whole.addAll(second.subList(1, second.size()));
      if (best.isEmpty() || whole.size() < best.size()) {
        best = whole;
      }
    }
    return overUnderlay(best);
  }

  /** The way with each hop between tunnel endpoints drawn as it goes: UDP socket, underlay, peer's socket. */
  private List<Node> overUnderlay(List<Node> way) {
    List<Node> drawn = new ArrayList<>();
    for (int i = 0; i < way.size(); i++) {
      drawn.add(way.get(i));
      if (i + 1 < way.size() && way.get(i + 1).equals(peers.get(way.get(i)))) {
        drawn.addAll(shortest(nodes.get(way.get(i).role()), nodes.get(way.get(i + 1).role()), false));
      }
    }
    return drawn;
  }

  /**
   * Breadth first; a stack is crossed only if its namespace forwards, a program never, except a
   * tunnel endpoint on its way to its peer when {@code throughTunnels}.
   */
  private List<Node> shortest(Node from, Node to, boolean throughTunnels) {
    Map<Node, Node> previous = new HashMap<>();
    Deque<Node> queue = new ArrayDeque<>(List.of(from));
    previous.put(from, from);
    while (!queue.isEmpty()) {
      Node at = queue.poll();
      if (at.equals(to)) {
        List<Node> path = new ArrayList<>();
        for (Node n = to; !n.equals(from); n = previous.get(n)) {
          path.add(n);
        }
        path.add(from);
        Collections.reverse(path);
        return path;
      }
      boolean transit = at.equals(from) || throughTunnels && peers.containsKey(at) || at.kind() != Kind.PROGRAM
          && (at.kind() != Kind.STACK || forwarding.contains(at.role()));
      if (!transit) {
        continue;
      }
      for (Node next : neighbours.get(at)) {
        if (!previous.containsKey(next)) {
          previous.put(next, at);
          queue.add(next);
        }
      }
    }
    return List.of();
  }
}
