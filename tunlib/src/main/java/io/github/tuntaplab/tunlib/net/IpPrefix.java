package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network: an address and how many of its leading bits count. The host bits are
 * kept as given; {@link #network()} clears them.
 */
public record IpPrefix(InetAddress address, int length) {
  public IpPrefix {
    int bits = address.getAddress().length * 8;
    if (length < 0 || length > bits) {
      throw new IllegalArgumentException("a prefix length for " + address.getHostAddress() + " is 0.." + bits
          + ", not " + length);
    }
  }

  /** {@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a bare address meaning a host (/32, /128). */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    InetAddress address = Ip.parse(slash < 0 ? text : text.substring(0, slash));
    int length = slash < 0 ? address.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
    return new IpPrefix(address, length);
  }

  /** The whole address space of the family: {@code 0.0.0.0/0} or {@code ::/0}. */
  public static IpPrefix any(AddressFamily family) {
    return new IpPrefix(Ip.parse(family.equals(AddressFamily.INET6) ? "::" : "0.0.0.0"), 0);
  }

  public AddressFamily family() {
    return AddressFamily.of(address);
  }

  /** The prefix with its host bits cleared. */
  public IpPrefix network() {
    byte[] bytes = address.getAddress();
    for (int bit = length; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
    }
    try {
      return new IpPrefix(InetAddress.getByAddress(bytes), length);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** {@code 203.0.113.0/24}; {@code default} for the whole space, as {@code ip route} prints it. */
  public String routeText() {
    return length == 0 ? "default" : toString();
  }

  @Override
  public String toString() {
    return Ip.text(address) + "/" + length;
  }
}
