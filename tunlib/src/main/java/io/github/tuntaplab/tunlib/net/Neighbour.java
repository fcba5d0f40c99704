package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An ARP (IPv4) or NDP (IPv6) entry: the link-layer address the kernel uses for {@code address}
 * on {@code link}. A static entry is {@link NeighbourState#PERMANENT}; an entry still being
 * resolved has no MAC yet.
 */
public record Neighbour(String link, InetAddress address, Optional<MacAddress> mac, NeighbourState state) {
  /** A static entry, as {@code ip neigh add ADDRESS lladdr MAC dev LINK} makes. */
  public static Neighbour permanent(String link, String address, MacAddress mac) {
    return new Neighbour(link, Ip.parse(address), Optional.of(mac), NeighbourState.PERMANENT);
  }

  @Override
  public String toString() {
    return Ip.text(address) + " dev " + link + mac.map(m -> " lladdr " + m).orElse("") + " " + state;
  }
}
