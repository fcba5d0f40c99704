package io.github.tuntaplab.tunlib.net;

/**
 * Who installed a route ({@code RTPROT_*}): {@link #KERNEL} for the routes an address brings,
 * {@link #BOOT} for {@code ip route add} without {@code proto} (and tunlib's default, so both
 * produce the same table). Open: any number is representable.
 */
public record RouteProtocol(int value) {
  public static final RouteProtocol UNSPEC = new RouteProtocol(0);
  public static final RouteProtocol REDIRECT = new RouteProtocol(1);
  public static final RouteProtocol KERNEL = new RouteProtocol(2);
  public static final RouteProtocol BOOT = new RouteProtocol(3);
  public static final RouteProtocol STATIC = new RouteProtocol(4);
  public static final RouteProtocol RA = new RouteProtocol(9);
  public static final RouteProtocol DHCP = new RouteProtocol(16);

  private static final NumberNames NAMES = new NumberNames().add(0, "unspec").add(1, "redirect")
      .add(2, "kernel").add(3, "boot").add(4, "static").add(9, "ra").add(16, "dhcp");

  public static RouteProtocol parse(String text) {
    return new RouteProtocol(NAMES.parse(text, "route protocol"));
  }

  public String name() {
    return NAMES.name(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
