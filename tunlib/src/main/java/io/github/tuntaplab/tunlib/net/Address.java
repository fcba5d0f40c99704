package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An IP address on a link. With a {@code peer} it is a point-to-point address: the prefix length
 * then belongs to the peer (the other end of a TUN tunnel), as in {@code ip address add 198.18.0.1
 * peer 198.18.0.2/32 dev tl-tun0}.
 */
public record Address(String link, InetAddress local, int prefixLength, Optional<InetAddress> peer, Scope scope) {

  /** {@code 198.51.100.2/24} on {@code link}, global scope. */
  public static Address of(String link, String prefix) {
    IpPrefix parsed = IpPrefix.parse(prefix);
    return new Address(link, parsed.address(), parsed.length(), Optional.empty(), Scope.UNIVERSE);
  }

  /** A point-to-point address: {@code local} here, {@code peerPrefix} at the other end. */
  public static Address pointToPoint(String link, String local, String peerPrefix) {
    IpPrefix peer = IpPrefix.parse(peerPrefix);
    return new Address(link, Ip.parse(local), peer.length(), Optional.of(peer.address()), Scope.UNIVERSE);
  }

  public AddressFamily family() {
    return AddressFamily.of(local);
  }

  /** What {@code ip address} takes: {@code 198.51.100.2/24} or {@code 198.18.0.1 peer 198.18.0.2/32}. */
  public String text() {
    return peer.map(p -> Ip.text(local) + " peer " + Ip.text(p) + "/" + prefixLength)
        .orElse(Ip.text(local) + "/" + prefixLength);
  }

  @Override
  public String toString() {
    return text() + " dev " + link + " scope " + scope;
  }
}
