package io.github.tuntaplab.tunlib.net;

import java.util.List;

/**
 * Switches transmit checksum offload of a link ({@code ethtool -K LINK tx on|off}). veth and TAP
 * links offload by default, so a capture on the sending side shows partial TCP/UDP checksums that
 * tcpdump calls wrong; the lab turns offload off so every captured checksum is the real one.
 * Features that need it (TSO, GSO over checksums) follow it off, as with ethtool.
 */
public record TxChecksum(String link, boolean on) implements NetChange {
  @Override
  public List<String> command() {
    return List.of("ethtool", "-K", link, "tx", on ? "on" : "off");
  }
}
