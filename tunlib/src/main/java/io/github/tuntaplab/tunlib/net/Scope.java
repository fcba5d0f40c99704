package io.github.tuntaplab.tunlib.net;

/**
 * How far a route or an address reaches ({@code RT_SCOPE_*}): {@link #LINK} for a directly
 * connected subnet, {@link #HOST} for the machine itself, {@link #UNIVERSE} (printed
 * {@code global}) for everything else. Open: any number is representable.
 */
public record Scope(int value) {
  public static final Scope UNIVERSE = new Scope(0);
  public static final Scope SITE = new Scope(200);
  public static final Scope LINK = new Scope(253);
  public static final Scope HOST = new Scope(254);
  public static final Scope NOWHERE = new Scope(255);

  private static final NumberNames NAMES = new NumberNames().add(0, "global").add(200, "site")
      .add(253, "link").add(254, "host").add(255, "nowhere").alias("universe", 0);

  public static Scope parse(String text) {
    return new Scope(NAMES.parse(text, "scope"));
  }

  public String name() {
    return NAMES.name(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
