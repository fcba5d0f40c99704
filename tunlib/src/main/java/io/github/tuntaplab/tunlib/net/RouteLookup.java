package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's routing decision worked out by hand, to explain it: which of a table's routes a
 * packet to a destination takes, and why every other matching route lost. Pure: it reads the
 * routes it is given ({@link NetworkConfig#routes()}, or any list), never the kernel. The rules
 * are the default policy ({@code ip rule}: table local, then main, then default); within a table the
 * longest matching prefix wins, then the lowest metric, then the route listed first. A
 * {@code throw} route sends the lookup on to the next table; a dead route never matches. The
 * kernel's own answer is {@code ip route get fibmatch DESTINATION}.
 *
 * <pre>{@code
 * RouteLookup.Decision decision = RouteLookup.lookup(routes, Ip.parse("203.0.113.89"));
 * decision.winner();                     // 203.0.113.89/32 via 198.51.100.1 dev tl-eth0
 * decision.candidates().forEach(c -> System.out.println(c.route() + ": " + c.reason()));
 * }</pre>
 */
public final class RouteLookup {
  /** The tables the default rules consult, in order. */
  private static final List<RouteTable> RULE_ORDER = List.of(RouteTable.LOCAL, RouteTable.MAIN, RouteTable.DEFAULT);
  /** The metric the kernel gives an IPv6 route added without one. */
  private static final long IPV6_DEFAULT_METRIC = 1024;

  private RouteLookup() {}

  /** A route whose prefix holds the destination, and what became of it. */
  public record Candidate(Route route, boolean wins, String reason) {}

  /**
   * The decision for one destination.
   *
   * @param winner the route taken; empty when no route matches (the kernel says "Network is
   *     unreachable"). A blackhole, unreachable or prohibit winner means the kernel refuses the packet.
   * @param candidates every route whose prefix holds the destination, the winner first, then in the
   *     order the kernel tried them
   */
  public record Decision(InetAddress destination, Optional<Route> winner, List<Candidate> candidates) {
    /** One sentence on the outcome. */
    public String summary() {
      String to = Ip.text(destination);
      if (winner.isEmpty()) {
        return "No route matches " + to + ": the kernel answers \"Network is unreachable\"";
      }
      Route route = winner.get();
      String refusal = refusal(route.type());
      return to + " takes " + route + (refusal.isEmpty() ? "" : ": the kernel refuses it (" + refusal + ")");
    }
  }

  /** Decides where a packet to {@code destination} goes, given every route of the host (all tables). */
  public static Decision lookup(List<Route> routes, InetAddress destination) {
    AddressFamily family = AddressFamily.of(destination);
    List<Candidate> candidates = new ArrayList<>();
    Route winner = null;
    for (RouteTable table : RULE_ORDER) {
      List<Route> matching = routes.stream()
          .filter(r -> r.table().equals(table) && r.family().equals(family) && !r.flags().has(RouteFlags.DEAD)
              && contains(r.destination(), destination))
          .sorted(Comparator.comparingInt((Route r) -> -r.destination().length()).thenComparingLong(RouteLookup::metric))
          .toList();
      if (winner != null) {
        matching.forEach(r -> candidates.add(new Candidate(r, false, "not consulted: table " + table.name()
            + " comes after table " + candidates.get(0).route().table().name() + " in the rules, which decided")));
        continue;
      }
      if (matching.isEmpty()) {
        continue;
      }
      Route best = matching.get(0);
      if (best.type().equals(RouteType.THROW)) {
        candidates.add(new Candidate(best, false, "a throw route: the lookup goes on to the next table"));
        matching.stream().skip(1).forEach(r -> candidates.add(new Candidate(r, false, lost(r, best))));
        continue;
      }
      winner = best;
      candidates.add(0, new Candidate(best, true, won(best, matching)));
      matching.stream().skip(1).forEach(r -> candidates.add(new Candidate(r, false, lost(r, best))));
    }
    return new Decision(destination, Optional.ofNullable(winner), List.copyOf(candidates));
  }

  /** The metric the kernel compares: IPv4 routes without one have 0, IPv6 ones 1024. */
  public static long metric(Route route) {
    if (route.metric().isPresent()) {
      return Integer.toUnsignedLong(route.metric().getAsInt());
    }
    return route.family().equals(AddressFamily.INET6) ? IPV6_DEFAULT_METRIC : 0;
  }

  /** Whether {@code prefix} holds {@code address}: their first {@code length} bits agree. */
  public static boolean contains(IpPrefix prefix, InetAddress address) {
    byte[] network = prefix.address().getAddress();
    byte[] host = address.getAddress();
    if (network.length != host.length) {
      return false;
    }
    int bits = prefix.length();
    for (int i = 0; i < bits / 8; i++) {
      if (network[i] != host[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (network[bits / 8] & mask) == (host[bits / 8] & mask);
  }

  private static String won(Route best, List<Route> matching) {
    String why = "wins: the longest matching prefix, /" + best.destination().length();
    boolean sameLength = matching.stream().skip(1).anyMatch(r -> r.destination().length() == best.destination().length());
    if (sameLength) {
      why += ", and the lowest metric among those, " + metric(best);
    }
    if (!best.table().equals(RouteTable.MAIN)) {
      why += " (table " + best.table().name() + ", consulted before main)";
    }
    String refusal = refusal(best.type());
    return refusal.isEmpty() ? why : why + "; a " + best.type().name() + " route: " + refusal;
  }

  private static String lost(Route loser, Route best) {
    int length = loser.destination().length();
    if (length < best.destination().length()) {
      return "loses: /" + length + " is shorter than /" + best.destination().length();
    }
    if (metric(loser) > metric(best)) {
      return "loses: the same /" + length + ", but metric " + metric(loser) + " is higher than " + metric(best);
    }
    return "loses: the same /" + length + " and metric " + metric(best) + ", but listed after the winner";
  }

  /** What the kernel answers a packet on a route of this type, or "" when it forwards it. */
  static String refusal(RouteType type) {
    if (type.equals(RouteType.BLACKHOLE)) {
      return "dropped silently; ip route get says \"Invalid argument\"";
    }
    if (type.equals(RouteType.UNREACHABLE)) {
      return "\"No route to host\"";
    }
    if (type.equals(RouteType.PROHIBIT)) {
      return "\"Permission denied\"";
    }
    return "";
  }
}
