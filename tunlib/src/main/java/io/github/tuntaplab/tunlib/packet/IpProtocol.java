package io.github.tuntaplab.tunlib.packet;

import java.util.Map;

/** The IPv4 protocol / IPv6 next-header number. */
public final class IpProtocol extends NamedNumber {
  public static final IpProtocol HOPOPTS = new IpProtocol(0, "IPv6 Hop-by-Hop Option");
  public static final IpProtocol ICMP = new IpProtocol(1, "ICMP");
  public static final IpProtocol IGMP = new IpProtocol(2, "IGMP");
  public static final IpProtocol IPIP = new IpProtocol(4, "IPIP");
  public static final IpProtocol TCP = new IpProtocol(6, "TCP");
  public static final IpProtocol UDP = new IpProtocol(17, "UDP");
  public static final IpProtocol IPV6 = new IpProtocol(41, "IPv6");
  public static final IpProtocol ROUTING = new IpProtocol(43, "Routing Header for IPv6");
  public static final IpProtocol FRAGMENT = new IpProtocol(44, "Fragment Header for IPv6");
  public static final IpProtocol GRE = new IpProtocol(47, "Generic Routing Encapsulation");
  public static final IpProtocol ESP = new IpProtocol(50, "Encap Security Payload");
  public static final IpProtocol AH = new IpProtocol(51, "Authentication Header");
  public static final IpProtocol ICMPV6 = new IpProtocol(58, "ICMPv6");
  public static final IpProtocol NO_NEXT = new IpProtocol(59, "IPv6 No Next Header");
  public static final IpProtocol DSTOPTS = new IpProtocol(60, "Destination Options for IPv6");
  public static final IpProtocol SCTP = new IpProtocol(132, "SCTP");
  public static final IpProtocol UDPLITE = new IpProtocol(136, "UDPLite");

  private static final Map<Integer, IpProtocol> KNOWN = index(HOPOPTS, ICMP, IGMP, IPIP, TCP, UDP,
      IPV6, ROUTING, FRAGMENT, GRE, ESP, AH, ICMPV6, NO_NEXT, DSTOPTS, SCTP, UDPLITE);

  private IpProtocol(int value, String name) {
    super(value, name);
  }

  public static IpProtocol of(int value) {
    IpProtocol known = KNOWN.get(value);
    return known != null ? known : new IpProtocol(value, "Unknown");
  }
}
