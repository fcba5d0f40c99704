package io.github.tuntaplab.tunlib.net;

/**
 * A routing table by number: {@link #MAIN} is the one {@code ip route} shows, {@link #LOCAL} holds
 * the machine's own addresses. Policy routing (a VPN's kill switch) adds numbered tables. Open: any
 * 32-bit number is representable.
 */
public record RouteTable(int value) {
  public static final RouteTable UNSPEC = new RouteTable(0);
  public static final RouteTable DEFAULT = new RouteTable(253);
  public static final RouteTable MAIN = new RouteTable(254);
  public static final RouteTable LOCAL = new RouteTable(255);

  private static final NumberNames NAMES = new NumberNames().add(0, "unspec").add(253, "default")
      .add(254, "main").add(255, "local");

  public static RouteTable parse(String text) {
    return new RouteTable(NAMES.parse(text, "routing table"));
  }

  public String name() {
    return NAMES.name(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
