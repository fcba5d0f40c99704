package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteFlags;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's routing table of the source notes, built in a namespace with {@code ip}: the home
 * LAN on a veth, the VPN's TUN (held by no program, so its routes are {@code linkdown}), two
 * default routes told apart by metric, the /32 exception to the VPN server, a kill switch, IPv6,
 * and a second table. {@code ip route} itself is the oracle for our text.
 */
@LiveTest
class RouteTextLiveTest {
  private static TestNamespace client;
  private static List<Route> routes;
  private static List<Address> addresses;

  @BeforeAll
  static void buildTheClientsTable() throws Exception {
    client = TestNamespace.create();
    client.ip("link", "add", "tl-eth0", "type", "veth", "peer", "name", "tl-lan");
    // No link-local addresses: they would arrive while the test reads, and change the tables under it.
    client.ip("link", "set", "tl-lan", "addrgenmode", "none");
    client.ip("link", "set", "tl-eth0", "addrgenmode", "none");
    client.ip("link", "set", "tl-lan", "up");
    client.ip("link", "set", "tl-eth0", "up");
    client.ip("address", "add", "198.51.100.2/24", "dev", "tl-eth0");
    client.ip("address", "add", "2001:db8:100::2/64", "dev", "tl-eth0", "nodad");
    client.ip("tuntap", "add", "dev", "tl-tun0", "mode", "tun");
    client.ip("link", "set", "tl-tun0", "up");
    client.ip("address", "add", "198.18.0.1/24", "dev", "tl-tun0");
    client.ip("route", "add", "default", "via", "198.51.100.1", "dev", "tl-eth0", "metric", "35");
    client.ip("route", "add", "default", "via", "198.18.0.2", "dev", "tl-tun0", "metric", "0");
    client.ip("route", "add", "203.0.113.89/32", "via", "198.51.100.1", "dev", "tl-eth0");
    client.ip("route", "add", "blackhole", "default", "metric", "10");
    client.ip("route", "add", "unreachable", "203.0.113.0/25");
    client.ip("route", "add", "198.18.4.0/24", "dev", "tl-eth0", "proto", "static", "scope", "link", "src",
        "198.51.100.2");
    client.ip("route", "add", "default", "via", "198.51.100.1", "table", "100");
    client.ip("-6", "route", "add", "default", "via", "2001:db8:100::1", "metric", "35");
    client.ip("-6", "route", "add", "2001:db8:18::/64", "dev", "tl-tun0", "pref", "high");
    try (var inside = client.inside().call(NetworkConfig::open)) {
      routes = client.inside().call(inside::routes);
      addresses = client.inside().call(inside::addresses);
    }
  }

  @AfterAll
  static void delete() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void mainTableEqualsIpRoute() {
    List<Route> ipv4Main = routes.stream()
        .filter(r -> r.table().equals(RouteTable.MAIN) && r.destination().address().getAddress().length == 4)
        .toList();
    assertThat(RouteText.ipRoute(ipv4Main)).containsExactlyElementsOf(lines(client.ip("route", "show")));
    assertThat(RouteText.ipRoute(ipv4Main))
        .contains("198.18.0.0/24 dev tl-tun0 proto kernel scope link src 198.18.0.1 linkdown ",
            "203.0.113.89 via 198.51.100.1 dev tl-eth0 ");
  }

  @Test
  void ipv6MainTableEqualsIpDash6Route() {
    List<Route> ipv6Main = routes.stream()
        .filter(r -> r.table().equals(RouteTable.MAIN) && r.destination().address().getAddress().length == 16)
        .toList();
    assertThat(RouteText.ipRoute(ipv6Main)).containsExactlyElementsOf(lines(client.ip("-6", "route", "show")));
  }

  @Test
  void everyTableEqualsIpRouteShowTableAll() {
    assertThat(RouteText.ipRoute(routes)).containsExactlyElementsOf(lines(client.ip("route", "show", "table", "all")));
  }

  @Test
  void aTunThatNoProgramHoldsMarksItsRoutesLinkdown() {
    assertThat(routes).filteredOn(r -> r.device().equals(Optional.of("tl-tun0")) && r.table().equals(RouteTable.MAIN))
        .hasSize(3)
        .allMatch(r -> r.flags().has(RouteFlags.LINKDOWN));
    assertThat(routes).filteredOn(r -> r.device().equals(Optional.of("tl-eth0")))
        .isNotEmpty()
        .noneMatch(r -> r.flags().has(RouteFlags.LINKDOWN));
  }

  @Test
  void windowsRoutePrintNamesTheInterfaceByItsAddress() {
    String table = RouteText.windowsRoutePrint(routes, addresses);
    List<List<String>> rows = lines(table).stream()
        .map(line -> Arrays.asList(line.trim().split(" +")))
        .filter(cells -> cells.size() == 5 && cells.get(0).matches("[0-9.]+"))
        .toList();
    // The source notes' two default routes: the TUN's (metric 0) listed before the physical one (35).
    assertThat(rows).containsSubsequence(
        List.of("0.0.0.0", "0.0.0.0", "198.18.0.2", "198.18.0.1", "0"),
        List.of("0.0.0.0", "0.0.0.0", "198.51.100.1", "198.51.100.2", "35"));
    assertThat(rows).contains(
        List.of("198.18.0.0", "255.255.255.0", "On-link", "198.18.0.1", "0"),
        List.of("203.0.113.89", "255.255.255.255", "198.51.100.1", "198.51.100.2", "0"),
        List.of("198.18.4.0", "255.255.255.0", "On-link", "198.51.100.2", "0"));
    // Neither the kill switch nor another table's route is something route print would show.
    assertThat(rows).noneMatch(row -> row.get(0).equals("203.0.113.0"));
    assertThat(rows.stream().filter(row -> row.get(0).equals("0.0.0.0"))).hasSize(2);
    assertThat(lines(table)).filteredOn(line -> line.matches(" +[0-9].*")).allMatch(line -> line.length() == 75);
  }

  private static List<String> lines(String text) {
    return text.lines().toList();
  }
}
