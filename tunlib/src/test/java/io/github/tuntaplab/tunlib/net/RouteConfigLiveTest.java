package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Json;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes and the kernel's route lookup, against {@code ip -j route} and {@code ip -j route get}.
 * Two links: the "home LAN" {@code tl-a} (198.51.100.0/24) and the "internet" {@code tl-c}
 * (203.0.113.0/24), each with a gateway at .1.
 */
@LiveTest
class RouteConfigLiveTest {
  private static final RouteTable VPN_TABLE = new RouteTable(100);

  /** Routes that exercise every field: the /32 exception, metrics, a source, another table, kill switches. */
  private static final List<Route> ROUTES = List.of(
      Route.to("default").via("198.51.100.1"),
      Route.to("default").via("203.0.113.1").dev("tl-c").metric(100),
      Route.to("203.0.113.89/32").via("198.51.100.1").dev("tl-a").metric(5),
      Route.to("198.18.0.0/15").via("203.0.113.1").src("203.0.113.2"),
      Route.to("198.18.7.0/24").via("198.51.100.1"),
      Route.to("203.0.113.128/25").via("198.51.100.1").metric(20),
      Route.to("203.0.113.128/25").via("203.0.113.1").metric(10),
      Route.blackhole("198.19.0.0/24"),
      Route.unreachable("198.19.1.0/24"),
      Route.to("default").via("203.0.113.1").table(VPN_TABLE),
      Route.to("198.19.9.0/24").dev("tl-c").protocol(RouteProtocol.STATIC),
      Route.to("2001:db8:18::/64").via("2001:db8:100::1").metric(7),
      Route.blackhole("2001:db8:19::/64"));

  private Twins twins;

  @BeforeEach
  void create() throws Exception {
    twins = Twins.create().vethUp("tl-a", "tl-b").vethUp("tl-c", "tl-d");
    twins.apply(AddressChange.add(Address.of("tl-a", "198.51.100.2/24")),
        AddressChange.add(Address.of("tl-c", "203.0.113.2/24")),
        AddressChange.add(Address.of("tl-a", "2001:db8:100::2/64")));
  }

  @AfterEach
  void delete() {
    if (twins != null) {
      twins.close();
    }
  }

  @Test
  void everyRouteChangeAndItsIpCommandLeaveTheSameTables() throws Exception {
    for (Route route : ROUTES) {
      twins.apply(RouteChange.add(route));
    }
    twins.assertSameState("route", "show", "table", "all");
    twins.apply(RouteChange.replace(Route.to("203.0.113.89/32").via("203.0.113.1").dev("tl-c").metric(5)),
        RouteChange.replace(Route.unreachable("198.19.2.0/24")),
        RouteChange.delete(Route.unreachable("198.19.1.0/24")),
        RouteChange.delete(Route.to("203.0.113.128/25").via("198.51.100.1").metric(20)),
        RouteChange.delete(Route.to("default").via("203.0.113.1").table(VPN_TABLE)));
    twins.assertSameState("route", "show", "table", "all");
    assertThat(twins.library.ip("route", "show", "203.0.113.89/32")).contains("via 203.0.113.1 dev tl-c");
  }

  @Test
  void listingMatchesIpRouteInEveryTable() throws Exception {
    for (Route route : ROUTES) {
      twins.apply(RouteChange.add(route));
    }
    List<String> theirs = new ArrayList<>();
    for (Map<String, Object> route : twins.ipJson(NetworkConfig.SHOW_ROUTES)) {
      theirs.add(String.join(" ", (String) route.getOrDefault("type", "unicast"), hostless((String) route.get("dst")),
          "via", String.valueOf(route.get("gateway")), "dev", String.valueOf(route.get("dev")),
          "table", (String) route.getOrDefault("table", "main"),
          "proto", (String) route.getOrDefault("protocol", "boot"),
          "scope", (String) route.getOrDefault("scope", "global"),
          "metric", String.valueOf(route.getOrDefault("metric", 0L)),
          "src", String.valueOf(route.get("prefsrc"))));
    }
    List<String> ours = new ArrayList<>();
    for (Route route : twins.call(NetworkConfig::routes)) {
      ours.add(String.join(" ", route.type().name(), hostless(route.destination().routeText()),
          "via", route.gateway().map(Ip::text).orElse("null"), "dev", route.device().orElse("null"),
          "table", route.table().name(), "proto", route.protocol().name(),
          "scope", route.scope().orElseThrow().name(), "metric", Long.toString(route.metric().orElse(0)),
          "src", route.source().map(Ip::text).orElse("null")));
    }
    assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
    assertThat(ours).contains(
        "unicast 203.0.113.89 via 198.51.100.1 dev tl-a table main proto boot scope global metric 5 src null",
        "blackhole 198.19.0.0/24 via null dev null table main proto boot scope global metric 0 src null",
        "unicast default via 203.0.113.1 dev tl-c table 100 proto boot scope global metric 0 src null");
  }

  /** ip prints a host route without its /32 or /128. */
  private static String hostless(String prefix) {
    return prefix.replaceAll("/(32|128)$", "");
  }

  @Test
  void lookupAnswersEqualIpRouteGet() throws Exception {
    for (Route route : ROUTES) {
      twins.apply(RouteChange.add(route));
    }
    twins.apply(RuleChange.add(Rule.lookup(VPN_TABLE).fwmark(7)));
    List<RouteQuery> queries = List.of(
        RouteQuery.to("203.0.113.89"),           // the /32 beats the /24 on tl-c and both defaults
        RouteQuery.to("203.0.113.77"),           // directly connected
        RouteQuery.to("198.18.7.9"),             // longest prefix: the /24 inside the /15
        RouteQuery.to("198.18.9.9"),             // the /15, with its preferred source
        RouteQuery.to("203.0.113.200"),          // same /25 twice: metric 10 beats metric 20
        RouteQuery.to("198.19.200.1"),           // default: metric 0 beats metric 100
        RouteQuery.to("198.19.200.1").oif("tl-c"), // bound to tl-c: only routes through tl-c count
        RouteQuery.to("198.19.200.1").mark(7),   // the mark selects table 100 through the rule
        RouteQuery.to("198.19.9.4"),
        RouteQuery.to("2001:db8:18::5"),
        RouteQuery.to("198.19.0.1"),             // blackhole
        RouteQuery.to("198.19.1.1"),             // unreachable
        RouteQuery.to("2001:db8:19::1"));        // IPv6 blackhole
    for (RouteQuery query : queries) {
      Cmd.Result ip = Cmd.run(query.commandIn(twins.library.name()).toArray(String[]::new));
      Cmd.Result ipJson = Cmd.run(Twins.withJson(query.commandIn(twins.library.name()), "-d"));
      if (ip.exitCode() != 0) {
        NativeCallException refused = catchThrowableOfType(() -> twins.call(config -> config.lookup(query)),
            NativeCallException.class);
        assertThat(refused).as(query.commandLine() + " is refused by ip: " + ip.stderr()).isNotNull();
        assertThat(ip.stderr()).as(query.commandLine()).contains(Errno.describe(refused.errno()));
        continue;
      }
      Map<String, Object> theirs = Json.parseArray(ipJson.orThrow().stdout()).get(0);
      Route ours = twins.call(config -> config.lookup(query));
      assertThat(List.of(ours.type().name(), hostless(ours.destination().toString()),
          ours.gateway().map(Ip::text).orElse("null"), ours.device().orElse("null"),
          ours.source().map(Ip::text).orElse("null"), ours.table().name()))
          .as(query.commandLine())
          .isEqualTo(List.of(theirs.get("type"), theirs.get("dst"), String.valueOf(theirs.get("gateway")),
              theirs.get("dev"), String.valueOf(theirs.get("prefsrc")), theirs.get("table")));
    }
  }

  @Test
  void rulesAreTheOnesIpRuleAddMakes() throws Exception {
    twins.apply(RuleChange.add(Rule.lookup(VPN_TABLE).fwmark(7)),
        RuleChange.add(Rule.lookup(VPN_TABLE).from("198.51.100.0/24").to("198.19.0.0/16").priority(100)),
        RuleChange.add(Rule.lookup(new RouteTable(1000)).fwmark(0x51820).priority(32000)),
        RuleChange.add(Rule.lookup(VPN_TABLE).forIpv6().from("2001:db8:100::/64")));
    twins.assertSameState("rule", "show");
    twins.assertSameState("-6", "rule", "show");
    List<String> ours = twins.call(NetworkConfig::rules).stream().map(Rule::toString).toList();
    assertThat(ours).contains("fwmark 7 priority 32765 table 100",
        "from 198.51.100.0/24 to 198.19.0.0/16 priority 100 table 100",
        "fwmark 333856 priority 32000 table 1000", "from 2001:db8:100::/64 priority 32765 table 100",
        "priority 0 table local", "priority 32766 table main", "priority 32767 table default");
    twins.apply(RuleChange.delete(Rule.lookup(VPN_TABLE).fwmark(7)));
    twins.assertSameState("rule", "show");
    assertThat(RuleChange.add(Rule.lookup(VPN_TABLE).forIpv6().fwmark(7)).commandLineIn("tl-client"))
        .isEqualTo("ip -n tl-client -6 rule add fwmark 7 table 100");
  }

  @Test
  void refusalsKeepTheErrnoAndSayWhatToFix() throws Exception {
    twins.apply(RouteChange.add(ROUTES.get(2)));
    Twins.assertRefused(() -> twins.apply(RouteChange.add(ROUTES.get(2))), "EEXIST",
        "ip route add 203.0.113.89/32 via 198.51.100.1 dev tl-a metric 5: table main has a "
            + "route to 203.0.113.89/32 with this metric already (use ip route replace");
    Twins.assertRefused(() -> twins.apply(RouteChange.add(Route.to("198.19.4.0/24").via("198.19.5.1").dev("tl-a"))),
        "ENETUNREACH", "the gateway 198.19.5.1 is not on a directly connected network",
        "[kernel: Nexthop has invalid gateway]");
    Twins.assertRefused(() -> twins.apply(RouteChange.delete(Route.to("198.19.4.0/24"))),
        "ESRCH", "there is no such route in table main");
    Twins.assertRefused(() -> twins.apply(RouteChange.add(Route.to("198.19.4.0/24").dev("tl-gone"))),
        "ENODEV", "no link named tl-gone");
  }

  @Test
  void rendersIpRouteCommands() {
    assertThat(RouteChange.add(ROUTES.get(2)).commandLine())
        .isEqualTo("ip route add 203.0.113.89/32 via 198.51.100.1 dev tl-a metric 5");
    assertThat(RouteChange.replace(Route.blackhole("default").table(VPN_TABLE)).commandLineIn("tl-client"))
        .isEqualTo("ip -n tl-client route replace blackhole default table 100");
    assertThat(RouteQuery.to("203.0.113.89").oif("tl-eth0").mark(7).commandLine())
        .isEqualTo("ip route get 203.0.113.89 oif tl-eth0 mark 7");
  }
}
