package io.github.tuntaplab.tunlib.packet;

import java.util.HashMap;
import java.util.Map;

/**
 * The shared shape of an open value type for a numbered protocol field (an EtherType, an IP
 * protocol, an ICMP type): a number with a name when we know one. Values compare by class and
 * number, so {@code EtherType.of(0x0800)} equals {@link EtherType#IPV4} and an unknown number is
 * still a proper value.
 */
public abstract class NamedNumber {
  private final int value;
  private final String name;

  protected NamedNumber(int value, String name) {
    this.value = value;
    this.name = name;
  }

  public final int value() {
    return value;
  }

  /** The protocol's own name for the number, or {@code "Unknown"}. */
  public final String name() {
    return name;
  }

  public final boolean isKnown() {
    return !"Unknown".equals(name);
  }

  /** Indexes the known constants of one type by number. */
  @SafeVarargs
  protected static <T extends NamedNumber> Map<Integer, T> index(T... known) {
    Map<Integer, T> byValue = new HashMap<>();
    for (T number : known) {
      byValue.put(number.value(), number);
    }
    return Map.copyOf(byValue);
  }

  @Override
  public final boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((NamedNumber) other).value == value;
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode() * 31 + value;
  }

  @Override
  public String toString() {
    return name + " (" + value + ")";
  }
}
