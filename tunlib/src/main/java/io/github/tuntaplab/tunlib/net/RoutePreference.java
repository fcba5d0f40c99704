package io.github.tuntaplab.tunlib.net;

/**
 * An IPv6 route's preference ({@code RTA_PREF}, RFC 4191), which {@code ip -6 route} prints as
 * {@code pref medium}. Open: any number is representable.
 */
public record RoutePreference(int value) {
  public static final RoutePreference MEDIUM = new RoutePreference(0);
  public static final RoutePreference HIGH = new RoutePreference(1);
  public static final RoutePreference LOW = new RoutePreference(3);

  private static final NumberNames NAMES = new NumberNames().add(0, "medium").add(1, "high").add(3, "low");

  /** {@code high}, or a number. */
  public static RoutePreference parse(String text) {
    return new RoutePreference(NAMES.parse(text, "route preference"));
  }

  public String name() {
    return NAMES.name(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
