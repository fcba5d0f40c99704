package io.github.tuntaplab.tunlib.net;

import java.util.HashMap;
import java.util.Map;

/**
 * The names iproute2 gives a numbered field (its {@code rt_protos}, {@code rt_scopes},
 * {@code rt_tables} files and built-in tables). A number without a name prints as the decimal
 * number, and {@code ip} accepts that back, so every value survives a round trip.
 */
final class NumberNames {
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<String, Integer> numbers = new HashMap<>();

  NumberNames add(int value, String name) {
    names.put(value, name);
    numbers.put(name, value);
    return this;
  }

  /** Another spelling {@code ip} accepts on input but never prints. */
  NumberNames alias(String name, int value) {
    numbers.put(name, value);
    return this;
  }

  String name(int value) {
    return names.getOrDefault(value, Integer.toString(value));
  }

  int parse(String text, String what) {
    Integer known = numbers.get(text);
    if (known != null) {
      return known;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a " + what + ": " + text + " (known: " + numbers.keySet() + ")");
    }
  }
}
