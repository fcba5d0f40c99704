package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel's routing decision worked out by hand, to explain it: which of a table's routes a
 * packet to a destination takes, and why every other matching route lost. Pure: it reads the
 * routes it is given ({@link NetworkConfig#routes()}, or any list), never the kernel. The rules
 * are the default policy ({@code ip rule}), which differs by family: IPv4: local, main, default;
 * IPv6: local, main (no rule consults IPv6's table default). Within a table the longest matching
 * prefix wins, then the lowest metric, then the route listed first. A {@code throw} route sends
 * the lookup on to the next table; a dead route never matches. The kernel's own answer is
 * {@code ip route get fibmatch DESTINATION}.
 *
 * <pre>{@code
 * RouteLookup.Decision decision = RouteLookup.lookup(routes, Ip.parse("203.0.113.89"));
 * decision.winner();                     // 203.0.113.89/32 via 198.51.100.1 dev tl-eth0
 * decision.candidates().forEach(c -> System.out.println(c.route() + ": " + c.reason()));
 * }</pre>
 *
 * <p>Each candidate's reason is also a {@link Reason}, the facts without the words (prefix lengths,
 * metrics, tables, a refusal), for a program that says them in another language.
 */
public final class RouteLookup {
  /** The tables IPv4's default rules consult, in order ({@code ip -4 rule}: 0, 32766, 32767). */
  private static final List<RouteTable> IPV4_RULE_ORDER = List.of(RouteTable.LOCAL, RouteTable.MAIN,
      RouteTable.DEFAULT);
  /** The tables IPv6's default rules consult, in order ({@code ip -6 rule}: 0, 32766; no table default). */
  private static final List<RouteTable> IPV6_RULE_ORDER = List.of(RouteTable.LOCAL, RouteTable.MAIN);
  /** The metric the kernel gives an IPv6 route added without one. */
  private static final long IPV6_DEFAULT_METRIC = 1024;

  private RouteLookup() {}

  /** A route whose prefix holds the destination, and why it won or lost. */
  public record Candidate(Route route, Reason why) {
    public Candidate {
      Objects.requireNonNull(route);
      Objects.requireNonNull(why);
    }

    /** Whether this is the route the packet takes (the decision's winner, refused or not). */
    public boolean wins() {
      return why instanceof Wins;
    }

    /** Why, in English, e.g. "loses: /24 is shorter than /32". */
    public String reason() {
      return why.text();
    }
  }

  /** Why a candidate won or lost, as facts; {@link #text()} says them in English. */
  public sealed interface Reason permits Wins, ShorterPrefix, HigherMetric, ListedAfter, NotConsulted, Thrown {
    /** The facts in one English phrase, starting with the outcome, e.g. "loses: /24 is shorter than /32". */
    String text();
  }

  /**
   * The winner: the longest matching prefix ({@code prefixLength}); {@code lowestMetric} when routes of
   * the same length matched too; its {@code table} (the rules consult local, then main, then, for
   * IPv4 only, default); and {@code refusal} when the kernel refuses the packet on it.
   */
  public record Wins(int prefixLength, OptionalLong lowestMetric, RouteTable table, Optional<Refusal> refusal)
      implements Reason {
    @Override
    public String text() {
      StringBuilder why = new StringBuilder("wins: the longest matching prefix, /").append(prefixLength);
      lowestMetric.ifPresent(metric -> why.append(", and the lowest metric among those, ").append(metric));
      if (table.equals(RouteTable.LOCAL)) {
        why.append(" (table local, consulted before main)");
      } else if (table.equals(RouteTable.DEFAULT)) {
        why.append(" (table default, consulted after main)");
      }
      refusal.ifPresent(r -> why.append("; route type ").append(r.type().name()).append(": ").append(r.text()));
      return why.toString();
    }
  }

  /** A loser whose prefix ({@code length}) is shorter than the winner's. */
  public record ShorterPrefix(int length, int winnerLength) implements Reason {
    @Override
    public String text() {
      return "loses: /" + length + " is shorter than /" + winnerLength;
    }
  }

  /** A loser as long as the winner ({@code length}) with a higher metric. */
  public record HigherMetric(int length, long metric, long winnerMetric) implements Reason {
    @Override
    public String text() {
      return "loses: the same /" + length + ", but metric " + metric + " is higher than " + winnerMetric;
    }
  }

  /** A loser as long as the winner and with its metric, listed after it. */
  public record ListedAfter(int length, long metric) implements Reason {
    @Override
    public String text() {
      return "loses: the same /" + length + " and metric " + metric + ", but listed after the winner";
    }
  }

  /** A route of {@code table}, which the rules consult after {@code decidedBy}, the winner's table. */
  public record NotConsulted(RouteTable table, RouteTable decidedBy) implements Reason {
    @Override
    public String text() {
      return "not consulted: table " + table.name() + " comes after table " + decidedBy.name()
          + " in the rules, which decided";
    }
  }

  /** A {@code throw} route: it sent the lookup on to the next table. */
  public record Thrown() implements Reason {
    @Override
    public String text() {
      return "a throw route: the lookup goes on to the next table";
    }
  }

  /** How the kernel refuses a packet whose route is of one of these types, instead of forwarding it. */
  public enum Refusal {
    /** Dropped without a word; {@code ip route get} says "Invalid argument". */
    BLACKHOLE(RouteType.BLACKHOLE, "Invalid argument", "dropped silently; ip route get says "),
    /** "No route to host". */
    UNREACHABLE(RouteType.UNREACHABLE, "No route to host", ""),
    /** "Permission denied". */
    PROHIBIT(RouteType.PROHIBIT, "Permission denied", "");

    private final RouteType type;
    private final String kernelAnswer;
    private final String text;

    Refusal(RouteType type, String kernelAnswer, String before) {
      this.type = type;
      this.kernelAnswer = kernelAnswer;
      this.text = before + "\"" + kernelAnswer + "\"";
    }

    /** The refusal of a route of {@code type}; empty for types this lookup does not model as refused. */
    public static Optional<Refusal> of(RouteType type) {
      return Arrays.stream(values()).filter(r -> r.type.equals(type)).findFirst();
    }

    /** The type of route the kernel refuses packets on this way. */
    public RouteType type() {
      return type;
    }

    /**
     * The error the kernel gives a lookup that ends on such a route, as {@code ip route get} prints it
     * after "RTNETLINK answers: " (the errno's text: EINVAL, EHOSTUNREACH, EACCES).
     */
    public String kernelAnswer() {
      return kernelAnswer;
    }

    /** What the kernel does with the packet, in English. */
    public String text() {
      return text;
    }
  }

  /**
   * The decision for one destination.
   *
   * @param winner the route taken; empty when no route matches (the kernel says "Network is
   *     unreachable"). A blackhole, unreachable or prohibit winner means the kernel refuses the packet.
   * @param candidates every route of a table the rules consult (for IPv6, not table default) whose
   *     prefix holds the destination, the winner first, then in the order the kernel tried them
   */
  public record Decision(InetAddress destination, Optional<Route> winner, List<Candidate> candidates) {
    /** How the kernel refuses the packet on its winner; empty when it forwards it or no route matches. */
    public Optional<Refusal> refusal() {
      return winner.flatMap(route -> Refusal.of(route.type()));
    }

    /** One sentence on the outcome. */
    public String summary() {
      String to = Ip.text(destination);
      if (winner.isEmpty()) {
        return "No route matches " + to + ": the kernel answers \"Network is unreachable\"";
      }
      return to + " takes " + winner.get() + refusal().map(r -> ": the kernel refuses it (" + r.text() + ")").orElse("");
    }
  }

  /** Decides where a packet to {@code destination} goes, given every route of the host (all tables). */
  public static Decision lookup(List<Route> routes, InetAddress destination) {
    AddressFamily family = AddressFamily.of(destination);
    List<Candidate> candidates = new ArrayList<>();
    Route winner = null;
    for (RouteTable table : family.equals(AddressFamily.INET6) ? IPV6_RULE_ORDER : IPV4_RULE_ORDER) {
      List<Route> matching = routes.stream()
          .filter(r -> r.table().equals(table) && r.family().equals(family) && !r.flags().has(RouteFlags.DEAD)
              && contains(r.destination(), destination))
          .sorted(Comparator.comparingInt((Route r) -> -r.destination().length()).thenComparingLong(RouteLookup::metric))
          .toList();
      if (winner != null) {
        RouteTable decidedBy = winner.table();
        matching.forEach(r -> candidates.add(new Candidate(r, new NotConsulted(table, decidedBy))));
        continue;
      }
      if (matching.isEmpty()) {
        continue;
      }
      Route best = matching.get(0);
      if (best.type().equals(RouteType.THROW)) {
        candidates.add(new Candidate(best, new Thrown()));
        matching.stream().skip(1).forEach(r -> candidates.add(new Candidate(r, lost(r, best))));
        continue;
      }
      winner = best;
      candidates.add(0, new Candidate(best, won(best, matching)));
      matching.stream().skip(1).forEach(r -> candidates.add(new Candidate(r, lost(r, best))));
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

  private static Wins won(Route best, List<Route> matching) {
    boolean sameLength = matching.stream().skip(1).anyMatch(r -> r.destination().length() == best.destination().length());
    return new Wins(best.destination().length(), sameLength ? OptionalLong.of(metric(best)) : OptionalLong.empty(),
        best.table(), Refusal.of(best.type()));
  }

  private static Reason lost(Route loser, Route best) {
    int length = loser.destination().length();
    if (length < best.destination().length()) {
      return new ShorterPrefix(length, best.destination().length());
    }
    if (metric(loser) > metric(best)) {
      return new HigherMetric(length, metric(loser), metric(best));
    }
    return new ListedAfter(length, metric(best));
  }
}
