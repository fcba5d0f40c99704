package io.github.tuntaplab.inspector.ui.routing;

import io.github.tuntaplab.inspector.ui.Phrase;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import io.github.tuntaplab.tunlib.net.RouteLookup.Decision;
import io.github.tuntaplab.tunlib.net.RouteLookup.HigherMetric;
import io.github.tuntaplab.tunlib.net.RouteLookup.ListedAfter;
import io.github.tuntaplab.tunlib.net.RouteLookup.NotConsulted;
import io.github.tuntaplab.tunlib.net.RouteLookup.Reason;
import io.github.tuntaplab.tunlib.net.RouteLookup.Refusal;
import io.github.tuntaplab.tunlib.net.RouteLookup.ShorterPrefix;
import io.github.tuntaplab.tunlib.net.RouteLookup.Thrown;
import io.github.tuntaplab.tunlib.net.RouteLookup.Wins;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.util.List;
import java.util.Locale;

/**
 * A route lookup's outcome and reasons in the window's words: {@link RouteLookup} gives the facts
 * (and English for the command line), the window's table says them in the language chosen. Routes
 * are shown as {@code ip route} prints them, tables and route types by their names.
 */
public final class LookupPhrases {
  private LookupPhrases() {}

  /** The outcome in a line: the route taken, refused, or none. */
  public static Phrase summary(Decision decision) {
    String to = Ip.text(decision.destination());
    if (decision.winner().isEmpty()) {
      return Phrase.of("routing.summary.none", to);
    }
    String route = line(decision.winner().get());
    return decision.refusal().map(r -> Phrase.of("routing.summary.refused", to, route, refusal(r)))
        .orElseGet(() -> Phrase.of("routing.takes", to, route));
  }

  /** Why a candidate won or lost. */
  public static Phrase reason(Reason why) {
    if (why instanceof Wins wins) {
      return Phrase.of("routing.reason.wins", wins.prefixLength(),
          wins.lowestMetric().isPresent() ? Phrase.of("routing.reason.wins.metric", wins.lowestMetric().getAsLong())
              : Phrase.verbatim(""),
          table(wins.table()),
          wins.refusal().map(r -> Phrase.of("routing.reason.wins.refused", r.type().name(), refusal(r)))
              .orElse(Phrase.verbatim("")));
    }
    if (why instanceof ShorterPrefix shorter) {
      return Phrase.of("routing.reason.shorter", shorter.length(), shorter.winnerLength());
    }
    if (why instanceof HigherMetric higher) {
      return Phrase.of("routing.reason.metric", higher.length(), higher.metric(), higher.winnerMetric());
    }
    if (why instanceof ListedAfter after) {
      return Phrase.of("routing.reason.listed.after", after.length(), after.metric());
    }
    if (why instanceof NotConsulted skipped) {
      return Phrase.of("routing.reason.not.consulted", skipped.table().name(), skipped.decidedBy().name());
    }
    if (why instanceof Thrown) {
      return Phrase.of("routing.reason.thrown");
    }
    // Java 17 does not check that these cases cover every kind of the sealed Reason; the tests do
    // (getPermittedSubclasses against the reasons the window says, in WindowLanguageTest and RouteLookupTest).
    throw new IllegalArgumentException("a reason the window has no words for: " + why);
  }

  /** Where the winner's table comes in the rules, said when it is not main. */
  private static Phrase table(RouteTable table) {
    if (table.equals(RouteTable.LOCAL)) {
      return Phrase.of("routing.reason.wins.table.local");
    }
    if (table.equals(RouteTable.DEFAULT)) {
      return Phrase.of("routing.reason.wins.table.default");
    }
    return Phrase.verbatim("");
  }

  /** What the kernel answers a packet it refuses. */
  public static Phrase refusal(Refusal refusal) {
    return Phrase.of("routing.refusal." + refusal.name().toLowerCase(Locale.ROOT));
  }

  /** {@code route} as {@code ip route} prints it. */
  static String line(Route route) {
    return RouteText.ipRoute(List.of(route)).get(0).stripTrailing();
  }
}
