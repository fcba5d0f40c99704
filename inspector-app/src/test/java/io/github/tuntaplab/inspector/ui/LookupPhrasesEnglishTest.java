package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.routing.LookupPhrases;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import io.github.tuntaplab.tunlib.testsupport.RouteExamples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The English of a route lookup is written twice, in {@link RouteLookup} (for the command line) and in
 * the window's table: the window's English says every reason and every refused or unmatched outcome
 * word for word as {@link RouteLookup} does.
 */
class LookupPhrasesEnglishTest {
  @Test
  void theWindowsEnglishIsRouteLookupsForEveryReasonAndOutcome() {
    Words english = Words.of(WindowLanguage.TABLE, Language.ENGLISH, WindowLanguage.class);
    List<String> reasons = new ArrayList<>();
    List<String> summaries = new ArrayList<>();
    for (String destination : RouteExamples.EVERY_REASON_DESTINATIONS) {
      RouteLookup.Decision decision = RouteLookup.lookup(RouteExamples.EVERY_REASON, Ip.parse(destination));
      for (RouteLookup.Candidate candidate : decision.candidates()) {
        reasons.add(candidate.reason());
        assertThat(LookupPhrases.reason(candidate.why()).in(english)).as(destination + ": " + candidate.route())
            .isEqualTo(candidate.reason());
      }
      // A forwarded packet's line differs on purpose ("D takes: ROUTE", the route as ip prints it).
      if (decision.winner().isEmpty() || decision.refusal().isPresent()) {
        summaries.add(decision.summary());
        assertThat(LookupPhrases.summary(decision).in(english)).as(destination).isEqualTo(decision.summary());
      }
    }
    // Not vacuous: every kind of reason, the three refusals and no route were compared.
    assertThat(reasons).anyMatch(r -> r.startsWith("wins")).anyMatch(r -> r.startsWith("loses"))
        .anyMatch(r -> r.startsWith("not consulted")).anyMatch(r -> r.startsWith("a throw route"))
        .anyMatch(r -> r.contains("route type blackhole"));
    assertThat(summaries).hasSize(4).anyMatch(s -> s.startsWith("No route matches"));
  }
}
