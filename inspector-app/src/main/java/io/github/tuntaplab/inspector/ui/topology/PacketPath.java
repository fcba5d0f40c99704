package io.github.tuntaplab.inspector.ui.topology;

import io.github.tuntaplab.inspector.ui.topology.TopologyGraph.Node;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.List;
import java.util.Optional;

/**
 * Where a captured packet went in the lab: from the owner of its source address, through the
 * device it was captured on, to the owner of its destination. An encapsulated packet has two
 * ways: the outer packet's (say over the underlay, between the tunnel's UDP sockets) and the inner
 * packet's (from TUN to TUN).
 *
 * @param captured the device the packet was seen on
 * @param outer the outer packet's way, node by node; just the device when its ends are unknown
 * @param inner the encapsulated packet's way; empty for a packet that carries none
 */
public record PacketPath(List<Node> captured, List<Node> outer, List<Node> inner) {
  public static final PacketPath NONE = new PacketPath(List.of(), List.of(), List.of());

  /**
   * The way of a packet captured on {@code link} (in the namespace {@code namespace} when known,
   * e.g. from its pcapng interface description), given its dissection.
   */
  public static PacketPath of(TopologyGraph graph, Dissection dissection, String link, String namespace) {
    List<Node> devices = graph.links(link, namespace);
    if (devices.isEmpty()) {
      return NONE;
    }
    List<Node> outer = way(graph, dissection, 0, devices);
    List<Node> inner = List.of();
    boolean encapsulated = dissection.layers().stream().anyMatch(l -> l.depth() > 0
        && (l.name().equals("ip") || l.name().equals("ipv6")));
    if (encapsulated) {
      // The inner packet was not seen on this device: its way runs between its own ends, through a TUN.
      Optional<Node> from = owner(graph, dissection, 1, true);
      Optional<Node> to = owner(graph, dissection, 1, false);
      if (from.isPresent() && to.isPresent()) {
        List<Node> tunnels = graph.nodes().stream().filter(n -> n.kind() == TopologyGraph.Kind.TUN
            || n.kind() == TopologyGraph.Kind.TAP).toList();
        inner = graph.path(from.get(), to.get(), tunnels);
      }
    }
    List<Node> seenOn = outer.isEmpty() ? devices.subList(0, 1)
        : devices.stream().filter(outer::contains).findFirst().map(List::of).orElse(devices.subList(0, 1));
    return new PacketPath(seenOn, outer.isEmpty() ? seenOn : outer, inner);
  }

  private static List<Node> way(TopologyGraph graph, Dissection dissection, int occurrence, List<Node> devices) {
    Node from = owner(graph, dissection, occurrence, true).orElse(null);
    Node to = owner(graph, dissection, occurrence, false).orElse(null);
    if (from == null && to == null) {
      return List.of();
    }
    return graph.path(from, to, devices);
  }

  /** The owner of the source (or destination) address of the first IPv4, IPv6 or ARP header at {@code depth}. */
  private static Optional<Node> owner(TopologyGraph graph, Dissection dissection, int depth, boolean source) {
    for (Layer layer : dissection.layers()) {
      if (layer.depth() != depth || !List.of("ip", "ipv6", "arp").contains(layer.name())) {
        continue;
      }
      String wanted = layer.name().equals("arp") ? (source ? "arp.src.proto_ipv4" : "arp.dst.proto_ipv4")
          : layer.name() + (source ? ".src" : ".dst");
      for (Field field : layer.fields()) {
        if (field.name().equals(wanted) && field.value() instanceof String text) {
          try {
            return graph.owner(Ip.parse(text));
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        }
      }
      return Optional.empty();
    }
    return Optional.empty();
  }
}
