package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.packet.LinkType;

/** The three places a packet can be seen: the TAP's Ethernet frames, the TUN's IP packets, the underlay. */
public enum PaneKind {
  TAP,
  TUN,
  UNDERLAY;

  /** The pane's name: TAP, TUN, Underlay. */
  public Phrase title() {
    return Phrase.of("pane." + name().toLowerCase(java.util.Locale.ROOT));
  }

  /** What the pane holds, e.g. "Ethernet frames: layer 2". */
  public Phrase subtitle() {
    return Phrase.of("pane." + name().toLowerCase(java.util.Locale.ROOT) + ".holds");
  }

  /** Whether frames of this link type start with an IP header (a TUN device's link type). */
  static boolean carriesBareIp(LinkType linkType) {
    int value = linkType.value();
    return value == LinkType.RAW.value() || value == LinkType.IPV4.value() || value == LinkType.IPV6.value()
        || value == 12 || value == 14; // DLT_RAW's other numbers on some systems
  }

  /**
   * The pane an interface's packets go to. Bare IP is TUN. An Ethernet interface whose description
   * says what it is (the lab's {@code tap in namespace tl-client}, {@code veth in namespace
   * tl-router}) goes where that kind belongs: a TAP to the TAP pane, a veth (the "physical" link)
   * to the underlay. Otherwise Ethernet is TAP, except a second Ethernet interface, or one whose
   * name says it is no TAP while a TAP exists, which is the underlay.
   *
   * @param description the pcapng {@code if_description}, or null
   * @param tapSeen whether an earlier interface already went to the TAP pane
   */
  static PaneKind of(LinkType linkType, String interfaceName, String description, boolean tapSeen) {
    if (carriesBareIp(linkType)) {
      return TUN;
    }
    if (description != null && description.startsWith("tap ")) {
      return TAP;
    }
    if (description != null && description.startsWith("veth ")) {
      return UNDERLAY;
    }
    boolean namedTap = interfaceName != null && interfaceName.contains("tap");
    return namedTap || !tapSeen ? TAP : UNDERLAY;
  }

  /**
   * The pane of a lab device's packets (the live stream names each device): bare IP is a TUN, an
   * Ethernet device named {@code …tap…} is a TAP, and every other Ethernet device (the veths, the
   * "physical" links between namespaces) is the underlay.
   */
  static PaneKind ofLabDevice(LinkType linkType, String interfaceName) {
    if (carriesBareIp(linkType)) {
      return TUN;
    }
    return interfaceName != null && interfaceName.contains("tap") ? TAP : UNDERLAY;
  }
}
