package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/** Adds, replaces or deletes a {@link Route}. */
public record RouteChange(Action action, Route route) implements NetChange {
  /** {@code ip route add} fails if the route exists; {@code replace} overwrites or adds. */
  public enum Action {
    ADD("add"), REPLACE("replace"), DELETE("del");

    private final String word;

    Action(String word) {
      this.word = word;
    }
  }

  public static RouteChange add(Route route) {
    return new RouteChange(Action.ADD, route);
  }

  public static RouteChange replace(Route route) {
    return new RouteChange(Action.REPLACE, route);
  }

  public static RouteChange delete(Route route) {
    return new RouteChange(Action.DELETE, route);
  }

  @Override
  public List<String> command() {
    List<String> command = new ArrayList<>(List.of("ip", "route", action.word));
    command.addAll(route.arguments());
    return command;
  }
}
