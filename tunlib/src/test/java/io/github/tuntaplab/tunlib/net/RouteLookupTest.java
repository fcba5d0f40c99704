package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reasons a lookup gives; that it chooses as the kernel does is {@link RouteLookupLiveTest}'s job. */
class RouteLookupTest {
  private static final List<Route> CLIENT = List.of(
      Route.to("default").via("198.51.100.1").dev("tl-eth0").metric(35),
      Route.to("default").via("198.18.0.2").dev("tl-tun0"),
      Route.to("203.0.113.89/32").via("198.51.100.1").dev("tl-eth0"),
      Route.to("203.0.113.0/24").via("198.18.0.2").dev("tl-tun0").metric(9),
      Route.to("2001:db8:18::/64").dev("tl-tun0"),
      Route.to("2001:db8::/32").dev("tl-eth0").metric(1000));

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
    Route local = Route.to("198.51.100.2/32").type(RouteType.LOCAL).dev("tl-eth0").table(RouteTable.LOCAL);
    Route thrown = Route.to("198.19.0.0/16").type(RouteType.THROW);
    Route fallback = Route.to("default").via("198.51.100.1").table(RouteTable.DEFAULT);
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
