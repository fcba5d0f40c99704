package io.github.tuntaplab.tunlib.device;

import io.github.tuntaplab.tunlib.packet.LinkType;

/** The two kinds of device, and what each hands to user space. */
public enum DeviceKind {
  /** Layer 3: bare IP packets, point-to-point, no ARP; captured as LINKTYPE_RAW. */
  TUN(LinkType.RAW, 0, "tun"),
  /** Layer 2: Ethernet frames with a 14-byte MAC header, ARP and broadcast; LINKTYPE_ETHERNET. */
  TAP(LinkType.ETHERNET, 14, "tap");

  private final LinkType linkType;
  private final int linkHeaderLength;
  private final String iproute2Mode;

  DeviceKind(LinkType linkType, int linkHeaderLength, String iproute2Mode) {
    this.linkType = linkType;
    this.linkHeaderLength = linkHeaderLength;
    this.iproute2Mode = iproute2Mode;
  }

  /** The link type a capture file records for this device's packets. */
  public LinkType linkType() {
    return linkType;
  }

  /** Bytes before the IP header: 14 for TAP (the Ethernet header), 0 for TUN. */
  public int linkHeaderLength() {
    return linkHeaderLength;
  }

  /** The word {@code ip tuntap add … mode WORD} uses. */
  public String iproute2Mode() {
    return iproute2Mode;
  }
}
