package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.net.AddressFamily;

/**
 * The MTU of a tunnel's TUN or TAP: what is left of the underlay's MTU once the outer IP header
 * (20 bytes for IPv4, 40 for IPv6), the UDP header (8) and the format's own overhead are taken off.
 * For a TAP the inner Ethernet header counts too, since a link's MTU excludes its own header.
 *
 * @param underlayMtu the MTU of the link the outer packets leave by
 * @param underlaySource where that figure comes from, e.g. {@code "the MTU of tl-eth0, where the
 *     route to 203.0.113.89 leads"}, {@code "given"}, or why 1500 was assumed
 */
public record TunnelMtu(int underlayMtu, String underlaySource, AddressFamily underlay, Encapsulation encapsulation) {
  public static final int UDP_HEADER = 8;
  /** The underlay MTU assumed when the outer link cannot be found: Ethernet's. */
  public static final int ASSUMED_UNDERLAY_MTU = 1500;

  public TunnelMtu {
    if (value(underlayMtu, underlay, encapsulation) < 68) {
      throw new IllegalArgumentException("an underlay MTU of " + underlayMtu + " leaves less than the 68 bytes "
          + "every IPv4 link must carry");
    }
  }

  /** With an underlay MTU given by the caller. */
  public TunnelMtu(int underlayMtu, AddressFamily underlay, Encapsulation encapsulation) {
    this(underlayMtu, "given", underlay, encapsulation);
  }

  public int outerIpHeader() {
    return outerIpHeader(underlay);
  }

  /** The tunnel device's MTU. */
  public int value() {
    return value(underlayMtu, underlay, encapsulation);
  }

  /** The arithmetic, e.g. {@code 1500 − 20 (IPv4) − 8 (UDP) − 40 (AEAD header 24 + tag 16) = 1432}. */
  public String arithmetic() {
    String format = encapsulation.overhead() == 0 ? "" : " − " + encapsulation.overheadText();
    return underlayMtu + " − " + outerIpHeader() + " (" + (underlay.equals(AddressFamily.INET6) ? "IPv6" : "IPv4")
        + ") − " + UDP_HEADER + " (UDP)" + format + " = " + value();
  }

  /** The arithmetic and where its first figure comes from. */
  public String explained() {
    return arithmetic() + "   (" + underlayMtu + ": " + underlaySource + ")";
  }

  private static int value(int underlayMtu, AddressFamily underlay, Encapsulation encapsulation) {
    return underlayMtu - outerIpHeader(underlay) - UDP_HEADER - encapsulation.overhead();
  }

  private static int outerIpHeader(AddressFamily underlay) {
    return underlay.equals(AddressFamily.INET6) ? 40 : 20;
  }

  @Override
  public String toString() {
    return explained();
  }
}
