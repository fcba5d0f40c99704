package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.packet.LinkType;

/**
 * A device the lab captures on, one pcapng interface each.
 *
 * @param interfaceId its interface number in the lab's pcapng stream (0, 1, …, in {@link Lab#devices()} order)
 * @param role the namespace's role in the topology ({@code client})
 * @param namespace the namespace's real name ({@code tl-client})
 * @param link the device's name there ({@code tl-tap0})
 * @param kind {@code veth}, {@code tun} or {@code tap}
 */
public record LabDevice(int interfaceId, String role, String namespace, String link, String kind, LinkType linkType) {
  /** What the pcapng interface's description says: where the device lives and what it is. */
  public String description() {
    return kind + " in namespace " + namespace;
  }
}
