package io.github.tuntaplab.inspector.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.inspector.ui.craft.CraftModel;
import io.github.tuntaplab.inspector.ui.live.LiveBar;
import io.github.tuntaplab.inspector.ui.live.LiveSource;
import io.github.tuntaplab.inspector.ui.routing.LookupPhrases;
import io.github.tuntaplab.inspector.ui.routing.RoutingModel;
import io.github.tuntaplab.lessons.lesson.Language;
import io.github.tuntaplab.lessons.lesson.Words;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import io.github.tuntaplab.tunlib.testsupport.RouteExamples;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The phrases whose keys the window builds at run time (a state's, a pane's, a template's … name
 * made from the enum constant) exist in both languages and get as many values as their patterns
 * fill in: for every constant of every such family, through the code that builds the key, and every
 * reason and outcome of a route lookup.
 */
class WindowWordsFamiliesTest {
  @Test
  void everyPhraseBuiltFromAnEnumOrACountIsInBothLanguagesWithItsValues() {
    List<Phrase> phrases = new ArrayList<>();
    Stream.of(LiveSource.State.values()).map(LiveBar::stateName).forEach(phrases::add);
    Stream.of(RoutingModel.Agreement.values()).map(RoutingModel.Agreement::verdict).forEach(phrases::add);
    Stream.of(RouteLookup.Refusal.values()).map(LookupPhrases::refusal).forEach(phrases::add);
    // Every outcome of a route lookup and every reason a route wins or loses for (their tables, refusals).
    for (String destination : RouteExamples.EVERY_REASON_DESTINATIONS) {
      RouteLookup.Decision decision = RouteLookup.lookup(RouteExamples.EVERY_REASON, Ip.parse(destination));
      phrases.add(LookupPhrases.summary(decision));
      decision.candidates().forEach(candidate -> phrases.add(LookupPhrases.reason(candidate.why())));
    }
    Stream.of(CraftModel.Template.values()).map(CraftModel.Template::label).forEach(phrases::add);
    Stream.of(LayerStyle.values()).map(LayerStyle::label).forEach(phrases::add);
    for (PaneKind kind : PaneKind.values()) {
      phrases.add(kind.title());
      phrases.add(kind.subtitle());
    }
    // The status bar lists TAP and TUN, and the underlay when the file has one.
    for (Set<PaneKind> listed : List.of(EnumSet.of(PaneKind.TAP, PaneKind.TUN), EnumSet.allOf(PaneKind.class))) {
      phrases.add(InspectorModel.counts(listed.stream().map(k -> Phrase.of("counts.pane", k.title(), "3/7")).toList()));
    }
    // A byte or several, whole or some of their bits.
    for (int length : new int[] {1, 2}) {
      phrases.add(new Highlight("ip.flags", 20, length, null).describe());
      phrases.add(new Highlight("ip.flags", 20, length, 0xe000L).describe());
    }
    for (Language language : Language.values()) {
      Words words = Words.of(WindowLanguage.TABLE, language, WindowLanguage.class);
      List<String> wrong = new ArrayList<>();
      phrases.forEach(phrase -> check(phrase, words, wrong));
      assertThat(wrong).as(language.code()).isEmpty();
    }
  }

  private static void check(Phrase phrase, Words words, List<String> wrong) {
    if (phrase.key() == null) {
      return;
    }
    if (!words.keys().contains(phrase.key())) {
      wrong.add(phrase.key() + " is not in the table");
      return;
    }
    if (phrase.arguments().size() != words.arguments(phrase.key())) {
      wrong.add(phrase.key() + " gets " + phrase.arguments().size() + " values for '" + words.pattern(phrase.key())
          + "'");
    }
    phrase.arguments().stream().filter(Phrase.class::isInstance).forEach(inner -> check((Phrase) inner, words, wrong));
  }
}
