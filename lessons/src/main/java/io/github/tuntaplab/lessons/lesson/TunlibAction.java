package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.lessons.lab.ActionResult;
import io.github.tuntaplab.lessons.lab.Lab;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.net.NetChange;
import io.github.tuntaplab.tunlib.net.Neighbour;
import io.github.tuntaplab.tunlib.net.NeighbourChange;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteChange;
import io.github.tuntaplab.tunlib.net.RouteType;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A line of a {@code tunlib ROLE} block: a change made through tunlib's rtnetlink code, no process
 * spawned, reported as the {@code ip} command with the same effect.
 *
 * <ul>
 *   <li>{@code route add|del [blackhole|unreachable] PREFIX [via GATEWAY] [dev LINK] [metric N]}
 *   <li>{@code neigh add|del ADDRESS lladdr MAC dev LINK} (a permanent entry)
 *   <li>{@code open tun|tap LINK as UID [read SECONDS]}: the {@link StudentProgram}, which opens the
 *       device through tunlib as an unprivileged user, in a JVM of its own
 *   <li>{@code tunnel stop|start LINK}: the lab's tunnel endpoint on the TUN {@code LINK} exits (its
 *       TUN vanishes with its routes) or starts again (the TUN comes back with the topology's
 *       addresses and routes)
 * </ul>
 */
final class TunlibAction {
  private TunlibAction() {}

  /** A {@code tunnel stop|start LINK} line. */
  record TunnelControl(boolean start, String link) {}

  /** Checks a line; a mistake is an {@link IllegalArgumentException} giving the grammar. */
  static void check(String line) {
    if (StudentProgram.Open.matches(line)) {
      StudentProgram.Open.parse(line);
    } else if (tunnelControl(line).isEmpty()) {
      change(line);
    }
  }

  /** The line as a tunnel's stop or start, if it is one. */
  static Optional<TunnelControl> tunnelControl(String line) {
    List<String> words = List.of(line.strip().split("\\s+"));
    if (words.size() == 3 && words.get(0).equals("tunnel") && List.of("stop", "start").contains(words.get(1))) {
      return Optional.of(new TunnelControl(words.get(1).equals("start"), words.get(2)));
    }
    return Optional.empty();
  }

  /** The line as a change of routes or neighbours. */
  private static NetChange change(String line) {
    List<String> words = List.of(line.strip().split("\\s+"));
    if (words.size() >= 3 && words.get(0).equals("route") && List.of("add", "del").contains(words.get(1))) {
      // A blackhole or unreachable route is a kill switch: it drops or refuses what no better route takes.
      boolean typed = List.of("blackhole", "unreachable").contains(words.get(2));
      int prefix = typed ? 3 : 2;
      if (words.size() <= prefix || (words.size() - prefix) % 2 == 0) {
        throw usage(line);
      }
      Route route = Route.to(words.get(prefix));
      if (typed) {
        route = route.type(words.get(2).equals("blackhole") ? RouteType.BLACKHOLE : RouteType.UNREACHABLE);
      }
      for (int i = prefix + 1; i + 1 < words.size(); i += 2) {
        String value = words.get(i + 1);
        route = switch (words.get(i)) {
          case "via" -> route.via(value);
          case "dev" -> route.dev(value);
          case "metric" -> route.metric(metric(value, line));
          default -> throw usage(line);
        };
      }
      return words.get(1).equals("add") ? RouteChange.add(route) : RouteChange.delete(route);
    }
    if (words.size() == 7 && words.get(0).equals("neigh") && List.of("add", "del").contains(words.get(1))
        && words.get(3).equals("lladdr") && words.get(5).equals("dev")) {
      Neighbour neighbour = Neighbour.permanent(words.get(6), words.get(2), MacAddress.parse(words.get(4)));
      return words.get(1).equals("add") ? NeighbourChange.add(neighbour) : NeighbourChange.delete(neighbour);
    }
    throw usage(line);
  }

  private static int metric(String value, String line) {
    if (!value.matches("\\d{1,9}")) {
      throw usage(line);
    }
    return Integer.parseInt(value);
  }

  private static IllegalArgumentException usage(String line) {
    return new IllegalArgumentException("'" + line.strip() + "': a tunlib line is 'route add|del [blackhole|unreachable] "
        + "PREFIX [via GATEWAY] [dev LINK] [metric N]', 'neigh add|del ADDRESS lladdr MAC dev LINK', "
        + "'tunnel stop|start LINK' or '" + StudentProgram.Open.GRAMMAR + "'");
  }

  /** Applies the line in the namespace playing {@code role}; the result's command is its {@code ip} twin. */
  static ActionResult apply(Lab lab, String role, String line) throws IOException {
    if (StudentProgram.Open.matches(line)) {
      return StudentProgram.run(lab, role, StudentProgram.Open.parse(line), LessonRunner.COMMAND_TIMEOUT);
    }
    Optional<TunnelControl> control = tunnelControl(line);
    if (control.isPresent()) {
      String link = control.get().link();
      try {
        String twin = control.get().start() ? lab.startTunnel(role, link) : lab.stopTunnel(role, link);
        return new ActionResult(List.of(twin), 0, false, "");
      } catch (IOException | IllegalArgumentException e) {
        return new ActionResult(List.of("tunnel " + (control.get().start() ? "start " : "stop ") + link), 1, false,
            e.getMessage());
      }
    }
    NetChange change = change(line);
    String twin = change.commandLineIn(lab.namespace(role).name());
    try {
      lab.namespace(role).apply(change);
      return new ActionResult(List.of(twin), 0, false, "");
    } catch (IOException e) {
      return new ActionResult(List.of(twin), 1, false, e.getMessage());
    }
  }
}
