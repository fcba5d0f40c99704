package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.packet.AddressText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Literal IP addresses without DNS, printed the way iproute2 prints them. */
public final class Ip {
  private Ip() {}

  /** Parses a literal IPv4 or IPv6 address; never resolves a name. */
  public static InetAddress parse(String literal) {
    if (literal.isEmpty() || !literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: " + literal, e);
    }
  }

  /** {@code 2001:db8::1} (RFC 5952, as {@code ip} prints it) or {@code 198.51.100.1}. */
  public static String text(InetAddress address) {
    return address instanceof Inet6Address ? AddressText.ipv6(address.getAddress(), 0) : address.getHostAddress();
  }
}
