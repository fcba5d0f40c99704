package io.github.tuntaplab.tunlib.tunnel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Recognises a tunnel's own outer packet coming back into its device: the routing loop of a VPN
 * whose default route leads into the tunnel without a more specific route to the server (the
 * "encapsulation paradox"). Wrapping such a packet again would only send it round once more, 28
 * bytes bigger each time, until fragments multiply; the endpoint drops it instead and counts it,
 * as WireGuard does ("routing loop detected").
 *
 * <p>The test: a UDP packet (IPv4, or IPv6 without extension headers) to the peer's address and port.
 * Fragments after the first carry no UDP header and are not recognised.
 */
final class RoutingLoop {
  private final byte[] address;
  private final int port;

  private RoutingLoop(InetSocketAddress peer) {
    this.address = peer.getAddress().getAddress();
    this.port = peer.getPort();
  }

  /** The check for outer packets sent to {@code peer}; null when there is no peer yet. */
  static RoutingLoop towards(InetSocketAddress peer) {
    return peer == null ? null : new RoutingLoop(peer);
  }

  /** Whether the packet {@code [at, at + length)} of {@code buffer} is one of our own outer packets. */
  boolean isOuterPacket(ByteBuffer buffer, int at, int length) {
    if (length < 1) {
      return false;
    }
    int version = (buffer.get(at) & 0xff) >>> 4;
    int udp;
    int destination;
    if (version == 4 && address.length == 4 && length >= 28) {
      boolean laterFragment = (buffer.getShort(at + 6) & 0x1fff) != 0;
      if (buffer.get(at + 9) != 17 || laterFragment) {
        return false;
      }
      udp = at + (buffer.get(at) & 0x0f) * 4;
      destination = at + 16;
    } else if (version == 6 && address.length == 16 && length >= 48) {
      if (buffer.get(at + 6) != 17) {
        return false;
      }
      udp = at + 40;
      destination = at + 24;
    } else {
      return false;
    }
    if (udp + 8 > at + length || (buffer.getShort(udp + 2) & 0xffff) != port) {
      return false;
    }
    for (int i = 0; i < address.length; i++) {
      if (buffer.get(destination + i) != address[i]) {
        return false;
      }
    }
    return true;
  }
}
