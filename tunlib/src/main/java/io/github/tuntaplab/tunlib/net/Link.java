package io.github.tuntaplab.tunlib.net;

import java.util.Optional;

/**
 * A link as the kernel sees it right now: what {@code ip -s link show} prints.
 *
 * @param kind the driver's kind ({@code veth}, {@code tun}); empty for loopback and physical links
 * @param mac the link-layer address of an Ethernet-like link; empty for TUN and loopback's zeros
 */
public record Link(int index, String name, LinkFlags flags, int mtu, Optional<MacAddress> mac, String kind,
    Stats stats) {

  public boolean isUp() {
    return flags.has(LinkFlags.UP);
  }

  /** The counters of {@code ip -s link}: packets, bytes, errors, drops, each way. */
  public record Stats(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxErrors, long txErrors,
      long rxDropped, long txDropped) {}
}
