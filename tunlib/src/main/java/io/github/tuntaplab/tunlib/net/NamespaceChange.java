package io.github.tuntaplab.tunlib.net;

import java.util.List;

/** Creates or deletes a named network namespace ({@code ip netns add|del NAME}). */
public record NamespaceChange(boolean add, String name) implements NetChange {
  public static NamespaceChange add(String name) {
    return new NamespaceChange(true, name);
  }

  public static NamespaceChange delete(String name) {
    return new NamespaceChange(false, name);
  }

  @Override
  public List<String> command() {
    return List.of("ip", "netns", add ? "add" : "del", name);
  }
}
