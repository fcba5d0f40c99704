package io.github.tuntaplab.tunlib.net;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An address family ({@code AF_*}) as rtnetlink numbers it: {@link #INET} for IPv4, {@link #INET6}
 * for IPv6. Open: any number is representable (rtnetlink also knows MPLS, bridges, multicast tables).
 */
public record AddressFamily(int value) {
  public static final AddressFamily UNSPEC = new AddressFamily(0);
  public static final AddressFamily INET = new AddressFamily(2);
  public static final AddressFamily INET6 = new AddressFamily(10);

  private static final NumberNames NAMES = new NumberNames().add(0, "unspec").add(2, "inet").add(10, "inet6")
      .add(7, "bridge").add(28, "mpls");

  /** The family of {@code address}. */
  public static AddressFamily of(InetAddress address) {
    return address instanceof Inet4Address ? INET : INET6;
  }

  public static AddressFamily parse(String text) {
    return new AddressFamily(NAMES.parse(text, "address family"));
  }

  /** The name {@code ip -j} prints in its {@code family} fields: {@code inet}, {@code inet6}. */
  public String name() {
    return NAMES.name(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
