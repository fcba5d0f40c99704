package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.RouteQuery;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Finds the MTU of the link a tunnel's outer packets leave by, asking the kernel (rtnetlink) in the
 * calling thread's namespace: the {@code bind} device if there is one, else the device the route to
 * the peer leads to ({@code ip route get PEER}), else the device holding the address the socket
 * listens on. A server listening on every address, with no peer yet and no bind device, has no
 * outer link until a client writes: then Ethernet's 1500 is assumed, and the MTU says so.
 */
final class UnderlayMtu {
  private UnderlayMtu() {}

  /** The tunnel's MTU; when the underlay's had to be assumed, also a line saying so in {@code notices}. */
  static TunnelMtu of(TunnelConfig config, NetworkConfig net, List<String> notices) throws NativeCallException {
    AddressFamily family = AddressFamily.of(config.listen().getAddress());
    if (config.underlayMtu().isPresent()) {
      return new TunnelMtu(config.underlayMtu().getAsInt(), family, config.encapsulation());
    }
    Optional<String> link = config.bindDevice().map(name -> name + " (the bind device)");
    String device = config.bindDevice().orElse(null);
    if (device == null && config.peer().isPresent()) {
      InetSocketAddress peer = config.peer().get();
      Optional<String> routed = routeDevice(net, peer);
      if (routed.isPresent()) {
        device = routed.get();
        link = Optional.of(device + ", where the route to " + Ip.text(peer.getAddress()) + " leads");
      }
    }
    if (device == null && !config.listen().getAddress().isAnyLocalAddress()) {
      for (Address address : net.addresses()) {
        if (address.local().equals(config.listen().getAddress())) {
          device = address.link();
          link = Optional.of(device + ", which holds " + Ip.text(address.local()));
          break;
        }
      }
    }
    OptionalInt mtu = device == null ? OptionalInt.empty()
        : net.link(device).map(found -> OptionalInt.of(found.mtu())).orElse(OptionalInt.empty());
    if (mtu.isEmpty()) {
      String why = device != null ? "no link " + device + " in this namespace"
          : config.peer().isPresent() ? "no route to " + Ip.text(config.peer().get().getAddress())
          : "the outer link is unknown until a peer writes (give a bind device or a listening address)";
      notices.add("underlay MTU " + TunnelMtu.ASSUMED_UNDERLAY_MTU + " assumed: " + why);
      return new TunnelMtu(TunnelMtu.ASSUMED_UNDERLAY_MTU, "assumed, as on Ethernet: " + why, family,
          config.encapsulation());
    }
    return new TunnelMtu(mtu.getAsInt(), "the MTU of " + link.get(), family, config.encapsulation());
  }

  private static Optional<String> routeDevice(NetworkConfig net, InetSocketAddress peer) {
    try {
      return net.lookup(new RouteQuery(peer.getAddress(), Optional.empty(), OptionalInt.empty())).device();
    } catch (NativeCallException unreachable) {
      return Optional.empty();
    }
  }
}
