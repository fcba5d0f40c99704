package io.github.tuntaplab.tunlib.packet;

import java.util.Map;
import java.util.Objects;

/**
 * A capture link type (the LINKTYPE_ numbers of pcap and pcapng). An open value type: a number we
 * do not know stays representable and compares by value, so a file from anywhere can be carried
 * through unchanged.
 */
public final class LinkType {
  /** A TAP device, a veth, any Ethernet: the frame starts with the 14-byte MAC header. */
  public static final LinkType ETHERNET = new LinkType(1, "EN10MB", "Ethernet");
  /** A TUN device: the packet starts with the IP header, version in the first nibble. */
  public static final LinkType RAW = new LinkType(101, "RAW", "Raw IP");
  public static final LinkType LINUX_SLL = new LinkType(113, "LINUX_SLL", "Linux cooked v1");
  public static final LinkType IPV4 = new LinkType(228, "IPV4", "Raw IPv4");
  public static final LinkType IPV6 = new LinkType(229, "IPV6", "Raw IPv6");
  public static final LinkType LINUX_SLL2 = new LinkType(276, "LINUX_SLL2", "Linux cooked v2");

  private static final Map<Integer, LinkType> KNOWN = Map.of(
      ETHERNET.value, ETHERNET,
      RAW.value, RAW,
      LINUX_SLL.value, LINUX_SLL,
      IPV4.value, IPV4,
      IPV6.value, IPV6,
      LINUX_SLL2.value, LINUX_SLL2);

  private final int value;
  private final String name;
  private final String description;

  private LinkType(int value, String name, String description) {
    this.value = value;
    this.name = name;
    this.description = description;
  }

  /** The known constant for {@code value}, or a new value named {@code LINKTYPE_<value>}. */
  public static LinkType of(int value) {
    LinkType known = KNOWN.get(value);
    return known != null ? known : new LinkType(value, "LINKTYPE_" + value, "unknown link type " + value);
  }

  public int value() {
    return value;
  }

  /** The short name tcpdump uses ({@code EN10MB}, {@code RAW}). */
  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public boolean isKnown() {
    return KNOWN.get(value) == this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LinkType && ((LinkType) other).value == value;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(value);
  }

  @Override
  public String toString() {
    return name + " (" + value + ")";
  }
}
