package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.lessons.lab.Topology.TunnelEndpoint;
import io.github.tuntaplab.lessons.lab.Topology.TunnelFormat;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.net.LinkChange;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.tunnel.Encapsulation;
import io.github.tuntaplab.tunlib.tunnel.Tunnel;
import io.github.tuntaplab.tunlib.tunnel.TunnelConfig;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import io.github.tuntaplab.tunlib.tunnel.TunnelMtu;
import io.github.tuntaplab.tunlib.tunnel.TunnelStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A tunnel endpoint of the lab (the topology's {@code tunnel} statement): tunlib's {@link Tunnel}
 * running in the endpoint's namespace, its TUN captured as the program behind it sees it (what the
 * tunnel read is outbound, what it wrote inbound). It stops and starts again as a VPN process exits
 * and restarts: stopping closes its non-persistent TUN, so the kernel removes the device with its
 * addresses and routes.
 */
final class LabTunnel {
  private final TunnelEndpoint endpoint;
  private final TunnelConfig config;
  private final NetworkNamespace namespace;
  private volatile LabCapture hub;
  private volatile LabDevice device;
  private Tunnel running;
  /** The MTU of the last start: the underlay's is the outer link's, found as the endpoint starts. */
  private TunnelMtu mtu;

  LabTunnel(TunnelEndpoint endpoint, NetworkNamespace namespace, Optional<TunnelKey> key) {
    this.endpoint = endpoint;
    this.namespace = namespace;
    Encapsulation encapsulation = switch (endpoint.format()) {
      case PLAIN -> Encapsulation.plain();
      case AEAD -> Encapsulation.aead(key.orElseThrow(() -> new IllegalArgumentException("an aead tunnel needs the "
          + "lab's key")));
      case VXLAN -> Encapsulation.vxlan(endpoint.vni());
    };
    TunnelConfig base = endpoint.peer().map(peer -> TunnelConfig.client(encapsulation, endpoint.link(), peer))
        .orElseGet(() -> TunnelConfig.server(encapsulation, endpoint.link(), anyAddress(endpoint.listenPort())));
    if (endpoint.client() && endpoint.format() == TunnelFormat.VXLAN) {
      // VXLAN sends to the same port at both ends (RFC 7348): a kernel vxlan peer answers there.
      base = base.withListen(anyAddress(endpoint.peer().get().getPort()));
    }
    // Offloads off: with them the kernel's view of a TUN shows TCP segments joined beyond the
    // tunnel MTU (and the underlay runs of datagrams as one), while the lessons teach and record
    // one packet A per packet B within the MTU arithmetic.
    TunnelConfig unbound = base.withOffload(false);
    this.config = endpoint.bind().map(unbound::withBindDevice).orElse(unbound);
  }

  private static InetSocketAddress anyAddress(int port) {
    return new InetSocketAddress(IpPrefix.any(AddressFamily.INET).address(), port);
  }

  TunnelEndpoint endpoint() {
    return endpoint;
  }

  /** Sends what the tunnel reads and writes from now on to {@code capture}, as packets of {@code captured}. */
  void captureInto(LabCapture capture, LabDevice captured) {
    this.device = captured;
    this.hub = capture;
  }

  /** Creates the TUN and starts the endpoint; false when it runs already. */
  synchronized boolean start() throws IOException {
    if (running != null) {
      return false;
    }
    running = namespace.call(() -> {
      Tunnel started = Tunnel.start(config, read -> record(read, Direction.OUTBOUND),
          written -> record(written, Direction.INBOUND));
      if (endpoint.mac().isPresent()) {
        try (NetworkConfig net = NetworkConfig.open()) {
          net.apply(LinkChange.mac(endpoint.link(), endpoint.mac().get()));
        } catch (IOException | RuntimeException e) {
          started.close();
          throw e;
        }
      }
      return started;
    });
    mtu = running.mtu();
    return true;
  }

  /** Stops the endpoint and closes its TUN (the kernel removes it); false when it was not running. */
  synchronized boolean stop() {
    if (running == null) {
      return false;
    }
    running.close();
    running = null;
    return true;
  }

  synchronized boolean running() {
    return running != null;
  }

  /** The running endpoint's counters (sent, received, dropped by reason), if it runs. */
  synchronized Optional<TunnelStats> stats() {
    return Optional.ofNullable(running).map(Tunnel::stats);
  }

  private void record(ByteBuffer packet, Direction direction) {
    LabCapture capture = hub;
    if (capture != null) {
      Lab.record(capture, device, packet, direction, false);
    }
  }

  /** What one would type to run the same endpoint by hand, and its MTU arithmetic. */
  synchronized String command() {
    StringBuilder line = new StringBuilder("ip netns exec " + namespace.name() + " tunlab tunnel "
        + (endpoint.client() ? "client" : "server") + " --format " + config.encapsulation().name());
    if (endpoint.format() == TunnelFormat.AEAD) {
      line.append(" --key lab.key");
    }
    if (endpoint.format() == TunnelFormat.VXLAN) {
      line.append(" --vni ").append(endpoint.vni());
    }
    endpoint.peer().ifPresent(peer -> line.append(" --peer ").append(peer.getAddress().getHostAddress()).append(':')
        .append(peer.getPort()));
    if (!endpoint.client() || endpoint.format() == TunnelFormat.VXLAN) {
      line.append(" --listen 0.0.0.0:").append(config.listen().getPort());
    }
    line.append(" --device ").append(endpoint.link());
    endpoint.bind().ifPresent(link -> line.append(" --bind-device ").append(link));
    line.append(" --no-offload   # run by the lab; MTU ").append(mtu == null ? "not set yet" : mtu.explained());
    endpoint.mac().ifPresent(mac -> line.append("; then: ip link set ").append(endpoint.link()).append(" address ")
        .append(mac));
    if (endpoint.format() == TunnelFormat.AEAD) {
      line.append("; the key is the lab's, in its capture's secrets block");
    }
    return line.toString();
  }
}
