package io.github.tuntaplab.tunlib.net;

/**
 * A route's type ({@code RTN_*}): where a matching packet goes. {@link #BLACKHOLE} drops it
 * silently and {@link #UNREACHABLE} answers "no route to host" — the two kill switches. Open: any
 * number is representable.
 */
public record RouteType(int value) {
  public static final RouteType UNSPEC = new RouteType(0);
  public static final RouteType UNICAST = new RouteType(1);
  public static final RouteType LOCAL = new RouteType(2);
  public static final RouteType BROADCAST = new RouteType(3);
  public static final RouteType ANYCAST = new RouteType(4);
  public static final RouteType MULTICAST = new RouteType(5);
  public static final RouteType BLACKHOLE = new RouteType(6);
  public static final RouteType UNREACHABLE = new RouteType(7);
  public static final RouteType PROHIBIT = new RouteType(8);
  public static final RouteType THROW = new RouteType(9);
  public static final RouteType NAT = new RouteType(10);

  private static final NumberNames NAMES = new NumberNames().add(0, "none").add(1, "unicast").add(2, "local")
      .add(3, "broadcast").add(4, "anycast").add(5, "multicast").add(6, "blackhole").add(7, "unreachable")
      .add(8, "prohibit").add(9, "throw").add(10, "nat").add(11, "xresolve");

  /** {@code blackhole}, or a number. */
  public static RouteType parse(String text) {
    return new RouteType(NAMES.parse(text, "route type"));
  }

  /** The name {@code ip route} prints. */
  public String name() {
    return NAMES.name(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
