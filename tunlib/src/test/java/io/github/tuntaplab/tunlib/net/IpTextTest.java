package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Addresses and prefixes printed as iproute2 prints them (RFC 5952 for IPv6), parsed without DNS. */
class IpTextTest {
  @Test
  void ipv6FollowsRfc5952() {
    // RFC 5952 §4: the longest run of zero groups is shortened, the first of equal runs, never a single group.
    assertThat(Ip.text(Ip.parse("2001:0db8:0000:0000:0000:0000:0000:0001"))).isEqualTo("2001:db8::1");
    assertThat(Ip.text(Ip.parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
    assertThat(Ip.text(Ip.parse("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(Ip.text(Ip.parse("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
    assertThat(Ip.text(Ip.parse("::"))).isEqualTo("::");
    assertThat(Ip.text(Ip.parse("::1"))).isEqualTo("::1");
    assertThat(Ip.text(Ip.parse("fe80::"))).isEqualTo("fe80::");
    assertThat(Ip.text(Ip.parse("2001:DB8::AB"))).isEqualTo("2001:db8::ab");
  }

  @Test
  void prefixesParseAndPrintLikeIpRoute() {
    assertThat(IpPrefix.parse("203.0.113.89").toString()).isEqualTo("203.0.113.89/32");
    assertThat(IpPrefix.parse("203.0.113.77/24").network().toString()).isEqualTo("203.0.113.0/24");
    assertThat(IpPrefix.parse("2001:db8:100::2/64").network().toString()).isEqualTo("2001:db8:100::/64");
    assertThat(IpPrefix.parse("198.18.0.0/15").network().toString()).isEqualTo("198.18.0.0/15");
    assertThat(IpPrefix.parse("198.19.255.1/15").network().toString()).isEqualTo("198.18.0.0/15");
    assertThat(IpPrefix.any(AddressFamily.INET).routeText()).isEqualTo("default");
    assertThat(IpPrefix.any(AddressFamily.INET6).toString()).isEqualTo("::/0");
    assertThat(IpPrefix.parse("2001:db8::/32").family()).isEqualTo(AddressFamily.INET6);
    assertThat(Route.to("default").via("2001:db8::1").toString()).isEqualTo("default via 2001:db8::1");
    assertThat(Route.blackhole("2001:db8:19::/64").table(new RouteTable(100)).metric(5).toString())
        .isEqualTo("blackhole 2001:db8:19::/64 table 100 metric 5");
  }

  @Test
  void namesAreNeverLookedUpAndBadInputIsRefused() {
    assertThatThrownBy(() -> Ip.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.parse("198.51.100.0/33")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..32");
    assertThatThrownBy(() -> RouteType.parse("sideways")).hasMessageContaining("not a route type");
    assertThat(RouteType.parse("blackhole")).isEqualTo(RouteType.BLACKHOLE);
    assertThat(new RouteProtocol(42).name()).as("an unnamed number survives").isEqualTo("42");
    assertThat(RouteProtocol.parse("42")).isEqualTo(new RouteProtocol(42));
    assertThat(Scope.parse("universe")).isEqualTo(Scope.UNIVERSE);
    assertThat(AddressFamily.parse("inet6")).isEqualTo(AddressFamily.INET6);
    assertThat(new AddressFamily(129).name()).isEqualTo("129");
    assertThat(new NeighbourState(0x82).names()).containsExactly("REACHABLE", "PERMANENT");
  }
}
