package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a tunnel endpoint needs, as an immutable value: start from {@link #client} or
 * {@link #server} and change one thing at a time with the {@code with…} methods.
 *
 * @param deviceName the TUN (or, for VXLAN, TAP) to create, or a template such as {@code tl-tun%d}
 * @param listen the local UDP address and port of the outer socket (port 0: any)
 * @param peer where outer packets go; empty for a server until the first valid packet arrives
 * @param underlayMtu the MTU of the link the outer packets cross; empty (the default): the MTU of
 *     the link they leave by, found when the tunnel starts ({@link Tunnel#mtu()} says how)
 * @param bindDevice the link the outer socket is tied to with SO_BINDTODEVICE, if any
 * @param addresses addresses to give the device (e.g. {@code 198.18.0.1/24}); none: the caller configures it
 * @param queues TUN/TAP queues, each read by its own thread (flows are spread by hash)
 * @param offload whether the kernel's offloads are used (docs/tunnel.md), on by default: runs of
 *     equal-sized outer datagrams are sent with UDP segmentation offload and received joined (UDP
 *     receive offload), and TCP segments arriving for a TUN are joined before they enter the kernel;
 *     a kernel that refuses
 *     them gets a tunnel without ({@link Tunnel#notices()} says so)
 */
public record TunnelConfig(TunnelRole role, Encapsulation encapsulation, String deviceName, InetSocketAddress listen,
    Optional<InetSocketAddress> peer, OptionalInt underlayMtu, Optional<String> bindDevice, List<IpPrefix> addresses,
    int queues, boolean offload) {
  public TunnelConfig {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(encapsulation, "encapsulation");
    Objects.requireNonNull(deviceName, "deviceName");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(underlayMtu, "underlayMtu");
    Objects.requireNonNull(bindDevice, "bindDevice");
    addresses = List.copyOf(addresses);
    if (queues < 1 || queues > 16) {
      throw new IllegalArgumentException("a tunnel runs 1 to 16 queues, not " + queues);
    }
    if (peer.isPresent() && !AddressFamily.of(peer.get().getAddress()).equals(AddressFamily.of(listen.getAddress()))) {
      throw new IllegalArgumentException("the peer " + peer.get() + " and the local address " + listen
          + " are of different address families");
    }
    if (role == TunnelRole.CLIENT && peer.isEmpty()) {
      throw new IllegalArgumentException("a client needs its peer's address");
    }
    underlayMtu.ifPresent(mtu -> new TunnelMtu(mtu, AddressFamily.of(listen.getAddress()), encapsulation));
  }

  /** A client sending to {@code peer} from any port of the wildcard address of its family. */
  public static TunnelConfig client(Encapsulation encapsulation, String deviceName, InetSocketAddress peer) {
    InetSocketAddress any = new InetSocketAddress(AddressFamily.of(peer.getAddress()).equals(AddressFamily.INET6)
        ? IpPrefix.any(AddressFamily.INET6).address() : IpPrefix.any(AddressFamily.INET).address(), 0);
    return new TunnelConfig(TunnelRole.CLIENT, encapsulation, deviceName, any, Optional.of(peer),
        OptionalInt.empty(), Optional.empty(), List.of(), 1, true);
  }

  /** A server listening on {@code listen}, learning its peer from the first valid packet. */
  public static TunnelConfig server(Encapsulation encapsulation, String deviceName, InetSocketAddress listen) {
    return new TunnelConfig(TunnelRole.SERVER, encapsulation, deviceName, listen, Optional.empty(),
        OptionalInt.empty(), Optional.empty(), List.of(), 1, true);
  }

  public TunnelConfig withListen(InetSocketAddress newListen) {
    return new TunnelConfig(role, encapsulation, deviceName, newListen, peer, underlayMtu, bindDevice, addresses, queues,
        offload);
  }

  /** A fixed peer: packets from anyone else are dropped (for VXLAN, whose senders pick any source port, the address alone counts). */
  public TunnelConfig withPeer(InetSocketAddress newPeer) {
    return new TunnelConfig(role, encapsulation, deviceName, listen, Optional.of(newPeer), underlayMtu, bindDevice,
        addresses, queues, offload);
  }

  /** A fixed underlay MTU instead of the outer link's. */
  public TunnelConfig withUnderlayMtu(int mtu) {
    return new TunnelConfig(role, encapsulation, deviceName, listen, peer, OptionalInt.of(mtu), bindDevice, addresses, queues,
        offload);
  }

  public TunnelConfig withBindDevice(String link) {
    return new TunnelConfig(role, encapsulation, deviceName, listen, peer, underlayMtu, Optional.of(link), addresses,
        queues, offload);
  }

  public TunnelConfig withAddresses(List<IpPrefix> newAddresses) {
    return new TunnelConfig(role, encapsulation, deviceName, listen, peer, underlayMtu, bindDevice, newAddresses,
        queues, offload);
  }

  public TunnelConfig withQueues(int count) {
    return new TunnelConfig(role, encapsulation, deviceName, listen, peer, underlayMtu, bindDevice, addresses, count,
        offload);
  }

  /**
   * With or without offloads: UDP segmentation offload for the outer datagrams (the kernel passes
   * a run of them through its sending stack once) and, for a TUN, consecutive TCP segments joined
   * into one before the kernel receives them (a virtio-net header carries the segment size). Much
   * less work per packet, but captures show the joined packets: a run of outer datagrams as one
   * large UDP packet on the underlay, and joined TCP segments on the receiving TUN, as captures
   * on a host whose network card does TSO and GRO show them (the lab turns them off, so that
   * each packet of a lesson is its own packet).
   */
  public TunnelConfig withOffload(boolean on) {
    return new TunnelConfig(role, encapsulation, deviceName, listen, peer, underlayMtu, bindDevice, addresses, queues,
        on);
  }
}
