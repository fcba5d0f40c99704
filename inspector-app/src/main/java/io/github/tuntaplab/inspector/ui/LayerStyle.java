package io.github.tuntaplab.inspector.ui;

import java.util.List;

/**
 * The colour family of a layer: what the hex view, the tree and the legend share. Outer headers
 * (depth 0) are pale tints, an encapsulated packet's headers the full colours of the same
 * Okabe–Ito hues, so outer and inner differ in lightness too and never rely on red against green.
 */
public enum LayerStyle {
  LINK("link"),
  ARP("arp"),
  NETWORK("network"),
  TRANSPORT("transport"),
  TUNNEL("tunnel"),
  PAYLOAD("payload");

  /** The style class every byte and tree cell of an encapsulated packet also carries. */
  public static final String INNER = "inner";

  private final String name;

  LayerStyle(String name) {
    this.name = name;
  }

  /** The style class, e.g. {@code layer-network}. */
  public String styleClass() {
    return "layer-" + name;
  }

  /** The legend's words for the family, e.g. "Link layer (Ethernet, VLAN)". */
  public Phrase label() {
    return Phrase.of("legend." + name);
  }

  /** The family of a layer by its Wireshark protocol name. */
  public static LayerStyle of(String layerName) {
    return switch (layerName) {
      case "eth", "vlan", "ieee8021ad", "sll", "tun" -> LINK;
      case "arp" -> ARP;
      case "ip", "ipv6" -> NETWORK;
      case "tcp", "udp", "udplite", "icmp", "icmpv6" -> TRANSPORT;
      case "vxlan", "wg", "geneve", "gre" -> TUNNEL;
      default -> PAYLOAD;
    };
  }

  /** The style classes of a layer's bytes: its family, and {@link #INNER} inside a tunnel. */
  public static List<String> classesOf(String layerName, int depth) {
    String family = of(layerName).styleClass();
    return depth > 0 ? List.of(family, INNER) : List.of(family);
  }
}
