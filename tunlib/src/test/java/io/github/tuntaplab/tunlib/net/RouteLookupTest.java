package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.net.RouteLookup.HigherMetric;
import io.github.tuntaplab.tunlib.net.RouteLookup.ListedAfter;
import io.github.tuntaplab.tunlib.net.RouteLookup.NotConsulted;
import io.github.tuntaplab.tunlib.net.RouteLookup.Reason;
import io.github.tuntaplab.tunlib.net.RouteLookup.Refusal;
import io.github.tuntaplab.tunlib.net.RouteLookup.ShorterPrefix;
import io.github.tuntaplab.tunlib.net.RouteLookup.Thrown;
import io.github.tuntaplab.tunlib.net.RouteLookup.Wins;
import io.github.tuntaplab.tunlib.testsupport.RouteExamples;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The reasons a lookup gives; that it chooses as the kernel does is {@link RouteLookupLiveTest}'s job. */
class RouteLookupTest {
  private static final List<Route> CLIENT = RouteExamples.CLIENT;

  @Test
  void longestPrefixFirstThenMetricWithEveryLoserExplained() {
    RouteLookup.Decision decision = RouteLookup.lookup(CLIENT, Ip.parse("203.0.113.89"));
    assertThat(decision.winner()).contains(CLIENT.get(2));
    assertThat(decision.candidates()).extracting(c -> c.route().toString() + ": " + c.reason()).containsExactly(
        "203.0.113.89/32 via 198.51.100.1 dev tl-eth0: wins: the longest matching prefix, /32",
        "203.0.113.0/24 via 198.18.0.2 dev tl-tun0 metric 9: loses: /24 is shorter than /32",
        "default via 198.18.0.2 dev tl-tun0: loses: /0 is shorter than /32",
        "default via 198.51.100.1 dev tl-eth0 metric 35: loses: /0 is shorter than /32");

    RouteLookup.Decision viaDefault = RouteLookup.lookup(CLIENT, Ip.parse("192.0.2.1"));
    assertThat(viaDefault.candidates()).extracting(RouteLookup.Candidate::reason).containsExactly(
        "wins: the longest matching prefix, /0, and the lowest metric among those, 0",
        "loses: the same /0, but metric 35 is higher than 0");
  }

  @Test
  void ipv6RoutesWithoutMetricCount1024() {
    RouteLookup.Decision decision = RouteLookup.lookup(CLIENT, Ip.parse("2001:db8:18::9"));
    assertThat(decision.winner()).contains(CLIENT.get(4));
    assertThat(RouteLookup.metric(CLIENT.get(4))).isEqualTo(1024);
    assertThat(RouteLookup.metric(CLIENT.get(1))).isZero();
    assertThat(RouteLookup.lookup(CLIENT, Ip.parse("2001:db8:99::1")).winner()).contains(CLIENT.get(5));
  }

  @Test
  void noMatchAndRefusingRoutesAreSaidAsTheKernelSaysThem() {
    List<Route> killSwitch = List.of(Route.blackhole("default"), Route.to("198.18.0.0/24").dev("tl-tun0"));
    assertThat(RouteLookup.lookup(killSwitch, Ip.parse("203.0.113.8")).summary())
        .isEqualTo("203.0.113.8 takes blackhole default: the kernel refuses it (dropped silently; ip route get "
            + "says \"Invalid argument\")");
    assertThat(RouteLookup.lookup(List.of(), Ip.parse("203.0.113.8")).summary())
        .isEqualTo("No route matches 203.0.113.8: the kernel answers \"Network is unreachable\"");
  }

  @Test
  void localTableDecidesBeforeMainAndThrowPassesOn() {
    Route local = RouteExamples.LOCAL;
    Route thrown = RouteExamples.THROWN;
    Route fallback = RouteExamples.FALLBACK;
    List<Route> routes = List.of(CLIENT.get(0), local, thrown, fallback);
    RouteLookup.Decision own = RouteLookup.lookup(routes, Ip.parse("198.51.100.2"));
    assertThat(own.winner()).contains(local);
    assertThat(own.candidates().get(1).reason())
        .isEqualTo("not consulted: table main comes after table local in the rules, which decided");
    RouteLookup.Decision passedOn = RouteLookup.lookup(routes, Ip.parse("198.19.1.1"));
    assertThat(passedOn.winner()).contains(fallback);
    assertThat(passedOn.candidates()).extracting(RouteLookup.Candidate::reason).contains(
        "a throw route: the lookup goes on to the next table");
  }

  /** {@code ip -6 rule} has no rule for table default: a route there never carries a packet, even after a throw. */
  @Test
  void ipv6LookupsNeverConsultTableDefault() {
    Route thrown = Route.to("2001:db8:9::/48").type(RouteType.THROW);
    Route fallback = Route.to("::/0").via("2001:db8:100::1").table(RouteTable.DEFAULT);
    RouteLookup.Decision decision = RouteLookup.lookup(List.of(thrown, fallback, RouteExamples.FALLBACK),
        Ip.parse("2001:db8:9::1"));
    assertThat(decision.winner()).isEmpty();
    assertThat(decision.candidates()).extracting(RouteLookup.Candidate::route).containsExactly(thrown);
    // IPv4's rules do consult it: the same throw and fallback, one family over.
    assertThat(RouteLookup.lookup(List.of(RouteExamples.THROWN, RouteExamples.FALLBACK), Ip.parse("198.19.1.1"))
        .winner()).contains(RouteExamples.FALLBACK);
  }

  /** The facts behind each reason, for a program that says them in other words (the window, in Chinese). */
  @Test
  void everyReasonIsAlsoGivenAsItsFacts() {
    Function<String, List<Reason>> why = destination -> RouteLookup.lookup(RouteExamples.EVERY_REASON,
        Ip.parse(destination)).candidates().stream().map(RouteLookup.Candidate::why).toList();
    assertThat(why.apply("203.0.113.89")).containsExactly(new Wins(32, OptionalLong.empty(), RouteTable.MAIN,
        Optional.empty()), new ShorterPrefix(24, 32), new ShorterPrefix(0, 32), new ShorterPrefix(0, 32),
        new NotConsulted(RouteTable.DEFAULT, RouteTable.MAIN));
    assertThat(why.apply("198.18.99.1")).containsExactly(new Wins(0, OptionalLong.of(0), RouteTable.MAIN,
        Optional.empty()), new HigherMetric(0, 35, 0), new NotConsulted(RouteTable.DEFAULT, RouteTable.MAIN));
    assertThat(why.apply("2001:db8:100::2")).containsExactly(new Wins(128, OptionalLong.empty(), RouteTable.LOCAL,
        Optional.empty()), new NotConsulted(RouteTable.MAIN, RouteTable.LOCAL));
    assertThat(why.apply("198.19.1.1")).containsExactly(new Wins(0, OptionalLong.empty(), RouteTable.DEFAULT,
        Optional.empty()), new Thrown(), new ShorterPrefix(0, 16), new ShorterPrefix(0, 16));
    assertThat(why.apply("198.18.70.1")).containsExactly(new Wins(24, OptionalLong.of(0), RouteTable.MAIN,
        Optional.empty()), new ListedAfter(24, 0), new ShorterPrefix(0, 24), new ShorterPrefix(0, 24),
        new NotConsulted(RouteTable.DEFAULT, RouteTable.MAIN));
    assertThat(Stream.of("198.18.66.1", "198.18.67.1", "198.18.68.1")
        .map(d -> RouteLookup.lookup(RouteExamples.EVERY_REASON, Ip.parse(d)).refusal().orElseThrow()))
        .containsExactly(Refusal.BLACKHOLE, Refusal.UNREACHABLE, Refusal.PROHIBIT);
    assertThat(why.apply("198.18.67.1").get(0)).isEqualTo(new Wins(24, OptionalLong.empty(), RouteTable.MAIN,
        Optional.of(Refusal.UNREACHABLE)));
    assertThat(RouteLookup.lookup(RouteExamples.EVERY_REASON, Ip.parse("fe80::1")).winner()).isEmpty();
    // The kinds of reason the window's test sees through these destinations: all of them.
    assertThat(RouteExamples.EVERY_REASON_DESTINATIONS.stream().flatMap(d -> why.apply(d).stream())
        .map(Object::getClass).distinct()).containsExactlyInAnyOrder(Reason.class.getPermittedSubclasses());
  }

  @Test
  void aWinnerOfTableDefaultIsSaidToComeAfterMain() {
    assertThat(RouteLookup.lookup(RouteExamples.EVERY_REASON, Ip.parse("198.19.1.1")).candidates().get(0).reason())
        .isEqualTo("wins: the longest matching prefix, /0 (table default, consulted after main)");
    assertThat(RouteLookup.lookup(RouteExamples.EVERY_REASON, Ip.parse("198.18.68.1")).summary())
        .isEqualTo("198.18.68.1 takes prohibit 198.18.68.0/24: the kernel refuses it (\"Permission denied\")");
  }

  @Test
  void prefixesHoldAddressesBitByBit() {
    assertThat(RouteLookup.contains(IpPrefix.parse("198.18.4.128/25"), Ip.parse("198.18.4.200"))).isTrue();
    assertThat(RouteLookup.contains(IpPrefix.parse("198.18.4.128/25"), Ip.parse("198.18.4.127"))).isFalse();
    assertThat(RouteLookup.contains(IpPrefix.parse("198.18.0.0/15"), Ip.parse("198.19.255.1"))).isTrue();
    assertThat(RouteLookup.contains(IpPrefix.parse("198.18.0.0/15"), Ip.parse("198.20.0.1"))).isFalse();
    assertThat(RouteLookup.contains(IpPrefix.parse("2001:db8::/29"), Ip.parse("2001:dbf::1"))).isTrue();
    assertThat(RouteLookup.contains(IpPrefix.parse("0.0.0.0/0"), Ip.parse("2001:db8::1"))).isFalse();
  }
}
