package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our route choice against the kernel's: a table with overlapping prefixes, equal prefixes told
 * apart by metric, kill switches, a throw route, IPv4 and IPv6, and for each destination
 * {@code ip route get fibmatch} (which prints the route the kernel matched) must print exactly
 * what {@link RouteText#fibmatch} derives from {@link RouteLookup}.
 */
@LiveTest
class RouteLookupLiveTest {
  private static TestNamespace host;
  private static List<Route> routes;

  @BeforeAll
  static void buildOverlappingTable() throws Exception {
    host = TestNamespace.create();
    host.ip("link", "set", "lo", "up");
    for (String[] pair : new String[][] {{"tl-a", "tl-b"}, {"tl-c", "tl-d"}}) {
      host.ip("link", "add", pair[0], "type", "veth", "peer", "name", pair[1]);
      for (String link : pair) {
        // No link-local addresses: they would arrive while the test reads, and change the tables under it.
        host.ip("link", "set", link, "addrgenmode", "none");
        host.ip("link", "set", link, "up");
      }
    }
    host.ip("address", "add", "198.51.100.2/24", "dev", "tl-a");
    host.ip("address", "add", "203.0.113.2/24", "dev", "tl-c");
    host.ip("address", "add", "2001:db8:100::2/64", "dev", "tl-a", "nodad");
    host.ip("address", "add", "2001:db8:113::2/64", "dev", "tl-c", "nodad");
    host.ip("route", "add", "default", "via", "198.51.100.1", "metric", "35");
    host.ip("route", "add", "default", "via", "203.0.113.1", "metric", "10");
    host.ip("route", "add", "198.18.0.0/15", "via", "203.0.113.1");
    host.ip("route", "add", "198.18.4.0/24", "via", "198.51.100.1", "metric", "5");
    host.ip("route", "add", "198.18.4.0/24", "via", "203.0.113.1", "metric", "3");
    host.ip("route", "add", "198.18.4.128/25", "via", "198.51.100.1", "metric", "50");
    host.ip("route", "add", "203.0.113.89/32", "via", "198.51.100.1");
    host.ip("route", "add", "blackhole", "198.19.0.0/24");
    host.ip("route", "add", "unreachable", "198.19.6.0/24");
    host.ip("route", "add", "prohibit", "198.19.7.0/24");
    host.ip("route", "add", "throw", "198.19.5.0/24");
    host.ip("-6", "route", "add", "default", "via", "2001:db8:100::1", "metric", "5");
    host.ip("-6", "route", "add", "2001:db8:18::/48", "via", "2001:db8:113::1");
    host.ip("-6", "route", "add", "2001:db8:18::/48", "via", "2001:db8:100::1", "metric", "2000");
    host.ip("-6", "route", "add", "2001:db8:18:4::/64", "via", "2001:db8:100::1", "metric", "7");
    host.ip("-6", "route", "add", "blackhole", "2001:db8:19::/64");
    try (NetworkConfig config = host.inside().call(NetworkConfig::open)) {
      routes = host.inside().call(config::routes);
    }
  }

  @AfterAll
  static void deleteNamespace() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void ourChoiceIsTheKernels() {
    List<String> destinations = List.of(
        "198.18.4.7",      // two /24s: metric 3 beats metric 5; both beat the /15 and the defaults
        "198.18.4.200",    // the /25 beats both /24s although its metric is the highest
        "198.18.9.9",      // only the /15
        "203.0.113.89",    // the /32 exception beats the connected /24
        "203.0.113.77",    // the connected /24
        "8.8.8.8",         // default: metric 10 beats metric 35
        "198.51.100.2",    // our own address: table local first
        "198.51.100.255",  // the broadcast address: table local
        "127.0.0.1",
        "198.19.0.5",      // blackhole
        "198.19.6.1",      // unreachable
        "198.19.7.1",      // prohibit
        "198.19.5.1",      // throw: on to table default, which is empty
        "2001:db8:18::1",  // two /48s: metric 1024 (none given) beats 2000
        "2001:db8:18:4::1", // the /64 beats both /48s
        "2001:db8:99::1",  // default
        "2001:db8:100::2", // our own address
        "2001:db8:100::5", // connected
        "::1",
        "2001:db8:19::1"); // blackhole
    List<String> ours = new ArrayList<>();
    List<String> kernels = new ArrayList<>();
    for (String destination : destinations) {
      ours.add(destination + " => " + RouteText.fibmatch(RouteLookup.lookup(routes, Ip.parse(destination))));
      Cmd.Result ip = Cmd.run("ip", "-n", host.name(), "route", "get", "fibmatch", destination);
      kernels.add(destination + " => " + (ip.stdout() + ip.stderr()).strip());
    }
    assertThat(ours).containsExactlyElementsOf(kernels);
    assertThat(ours).contains("198.18.4.200 => 198.18.4.128/25 via 198.51.100.1 dev tl-a metric 50");
  }

  /**
   * The default rules differ by family: IPv4's consult table default after main, IPv6's have no rule
   * for it. With nothing in main for the destination, table default's route carries an IPv4 packet,
   * and the same route for IPv6 is never looked at: the kernel answers "Network is unreachable".
   */
  @Test
  void tableDefaultIsConsultedForIpv4OnlyWhenMainHasNoRoute() throws Exception {
    try (TestNamespace own = TestNamespace.create()) {
      own.ip("link", "set", "lo", "up");
      own.ip("link", "add", "tl-a", "type", "veth", "peer", "name", "tl-b");
      for (String link : List.of("tl-a", "tl-b")) {
        own.ip("link", "set", link, "addrgenmode", "none");
        own.ip("link", "set", link, "up");
      }
      own.ip("address", "add", "198.51.100.2/24", "dev", "tl-a");
      own.ip("address", "add", "2001:db8:100::2/64", "dev", "tl-a", "nodad");
      own.ip("route", "add", "198.18.9.0/24", "via", "198.51.100.1", "table", "default");
      own.ip("-6", "route", "add", "2001:db8:9::/64", "via", "2001:db8:100::1", "table", "default");
      List<Route> ownRoutes;
      try (NetworkConfig config = own.inside().call(NetworkConfig::open)) {
        ownRoutes = own.inside().call(config::routes);
      }

      RouteLookup.Decision ipv4 = RouteLookup.lookup(ownRoutes, Ip.parse("198.18.9.1"));
      assertThat(ipv4.winner()).map(Route::table).contains(RouteTable.DEFAULT);
      assertThat(Cmd.ok("ip", "-n", own.name(), "route", "get", "198.18.9.1"))
          .startsWith("198.18.9.1 via 198.51.100.1 dev tl-a table default ");
      assertThat(RouteText.fibmatch(ipv4))
          .isEqualTo(Cmd.ok("ip", "-n", own.name(), "route", "get", "fibmatch", "198.18.9.1").strip());

      RouteLookup.Decision ipv6 = RouteLookup.lookup(ownRoutes, Ip.parse("2001:db8:9::1"));
      assertThat(ownRoutes).anyMatch(r -> r.table().equals(RouteTable.DEFAULT) && r.family().equals(AddressFamily.INET6));
      assertThat(ipv6.winner()).isEmpty();
      List<String> ipRoute = List.of("ip", "-n", own.name(), "-6", "route");
      for (String[] question : new String[][] {{"get", "2001:db8:9::1"}, {"get", "fibmatch", "2001:db8:9::1"}}) {
        Cmd.Result ip = Cmd.run(Cmd.concat(ipRoute, question));
        assertThat(ip.exitCode()).as(ip.toString()).isNotZero();
        assertThat(ip.stderr().strip()).isEqualTo(RouteText.fibmatch(ipv6))
            .isEqualTo("RTNETLINK answers: Network is unreachable");
      }
    }
  }

  @Test
  void everyRouteReadsBackFromItsIpRouteLine() {
    for (Route route : routes) {
      String line = RouteText.ipRoute(List.of(route)).get(0);
      assertThat(RouteText.ipRoute(List.of(RouteText.parseIpRoute(route.family(), line)))).as(line)
          .containsExactly(line);
    }
    assertThat(routes).hasSizeGreaterThan(20);
  }
}
