package io.github.tuntaplab.tunlib.packet;

import java.util.Map;

/** The EtherType of an Ethernet frame, a VLAN tag, a Linux cooked header or a TUN PI header. */
public final class EtherType extends NamedNumber {
  public static final EtherType IPV4 = new EtherType(0x0800, "IPv4");
  public static final EtherType ARP = new EtherType(0x0806, "ARP");
  public static final EtherType RARP = new EtherType(0x8035, "RARP");
  public static final EtherType VLAN = new EtherType(0x8100, "802.1Q Virtual LAN");
  public static final EtherType IPV6 = new EtherType(0x86dd, "IPv6");
  public static final EtherType MPLS = new EtherType(0x8847, "MPLS label switched packet");
  public static final EtherType QINQ = new EtherType(0x88a8, "802.1ad Provider Bridge (Q-in-Q)");
  public static final EtherType LLDP = new EtherType(0x88cc, "802.1 Link Layer Discovery Protocol (LLDP)");
  public static final EtherType QINQ_OLD = new EtherType(0x9100, "VLAN-tagged frame (Q-in-Q)");

  private static final Map<Integer, EtherType> KNOWN =
      index(IPV4, ARP, RARP, VLAN, IPV6, MPLS, QINQ, LLDP, QINQ_OLD);

  private EtherType(int value, String name) {
    super(value, name);
  }

  public static EtherType of(int value) {
    EtherType known = KNOWN.get(value);
    return known != null ? known : new EtherType(value, "Unknown");
  }

  @Override
  public String toString() {
    return String.format("%s (0x%04x)", name(), value());
  }
}
