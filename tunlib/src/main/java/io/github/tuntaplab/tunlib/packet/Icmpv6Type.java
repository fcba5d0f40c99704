package io.github.tuntaplab.tunlib.packet;

import java.util.Map;

/** The type of an ICMPv6 message (RFC 4443, neighbour discovery RFC 4861, MLD RFC 2710/3810). */
public final class Icmpv6Type extends NamedNumber {
  public static final Icmpv6Type DESTINATION_UNREACHABLE = new Icmpv6Type(1, "Destination Unreachable");
  public static final Icmpv6Type PACKET_TOO_BIG = new Icmpv6Type(2, "Packet Too Big");
  public static final Icmpv6Type TIME_EXCEEDED = new Icmpv6Type(3, "Time Exceeded");
  public static final Icmpv6Type PARAMETER_PROBLEM = new Icmpv6Type(4, "Parameter Problem");
  public static final Icmpv6Type ECHO_REQUEST = new Icmpv6Type(128, "Echo (ping) request");
  public static final Icmpv6Type ECHO_REPLY = new Icmpv6Type(129, "Echo (ping) reply");
  public static final Icmpv6Type MLD_QUERY = new Icmpv6Type(130, "Multicast Listener Query");
  public static final Icmpv6Type MLD_REPORT = new Icmpv6Type(131, "Multicast Listener Report");
  public static final Icmpv6Type MLD_DONE = new Icmpv6Type(132, "Multicast Listener Done");
  public static final Icmpv6Type ROUTER_SOLICITATION = new Icmpv6Type(133, "Router Solicitation");
  public static final Icmpv6Type ROUTER_ADVERTISEMENT = new Icmpv6Type(134, "Router Advertisement");
  public static final Icmpv6Type NEIGHBOR_SOLICITATION = new Icmpv6Type(135, "Neighbor Solicitation");
  public static final Icmpv6Type NEIGHBOR_ADVERTISEMENT = new Icmpv6Type(136, "Neighbor Advertisement");
  public static final Icmpv6Type REDIRECT = new Icmpv6Type(137, "Redirect");
  public static final Icmpv6Type MLDV2_REPORT = new Icmpv6Type(143, "Multicast Listener Report Message v2");

  private static final Map<Integer, Icmpv6Type> KNOWN = index(DESTINATION_UNREACHABLE, PACKET_TOO_BIG,
      TIME_EXCEEDED, PARAMETER_PROBLEM, ECHO_REQUEST, ECHO_REPLY, MLD_QUERY, MLD_REPORT, MLD_DONE,
      ROUTER_SOLICITATION, ROUTER_ADVERTISEMENT, NEIGHBOR_SOLICITATION, NEIGHBOR_ADVERTISEMENT,
      REDIRECT, MLDV2_REPORT);

  private Icmpv6Type(int value, String name) {
    super(value, name);
  }

  public static Icmpv6Type of(int value) {
    Icmpv6Type known = KNOWN.get(value);
    return known != null ? known : new Icmpv6Type(value, "Unknown");
  }
}
