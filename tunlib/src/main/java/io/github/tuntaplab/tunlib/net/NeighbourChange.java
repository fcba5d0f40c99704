package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/** Adds or deletes a {@link Neighbour} entry. */
public record NeighbourChange(boolean add, Neighbour neighbour) implements NetChange {
  public static NeighbourChange add(Neighbour neighbour) {
    return new NeighbourChange(true, neighbour);
  }

  public static NeighbourChange delete(Neighbour neighbour) {
    return new NeighbourChange(false, neighbour);
  }

  @Override
  public List<String> command() {
    List<String> command = new ArrayList<>(List.of("ip", "neigh", add ? "add" : "del", Ip.text(neighbour.address())));
    if (add) {
      neighbour.mac().ifPresent(mac -> command.addAll(List.of("lladdr", mac.toString())));
    }
    command.addAll(List.of("dev", neighbour.link()));
    if (add && !neighbour.state().equals(NeighbourState.PERMANENT)) {
      command.addAll(List.of("nud", neighbour.state().nudName()));
    }
    return command;
  }
}
