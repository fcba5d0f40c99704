package io.github.tuntaplab.tunlib.testsupport;

import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.net.RouteType;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing tables for the tests of route lookups (tunlib's and the window's routing panel): the VPN
 * client's, and one whose lookups give every reason a route wins or loses for.
 */
public final class RouteExamples {
  /** The VPN client: a default route each way, the VPN server's /32 outside the tunnel, IPv6 too. */
  public static final List<Route> CLIENT = List.of(
      Route.to("default").via("198.51.100.1").dev("tl-eth0").metric(35),
      Route.to("default").via("198.18.0.2").dev("tl-tun0"),
      Route.to("203.0.113.89/32").via("198.51.100.1").dev("tl-eth0"),
      Route.to("203.0.113.0/24").via("198.18.0.2").dev("tl-tun0").metric(9),
      Route.to("2001:db8:18::/64").dev("tl-tun0"),
      Route.to("2001:db8::/32").dev("tl-eth0").metric(1000));
  /** The client's own address, in table local (decided before main). */
  public static final Route LOCAL = Route.to("198.51.100.2/32").type(RouteType.LOCAL).dev("tl-eth0")
      .table(RouteTable.LOCAL);
  /** Sends lookups for 198.19.0.0/16 on from main to the next table. */
  public static final Route THROWN = Route.to("198.19.0.0/16").type(RouteType.THROW);
  /** Table default's route, which takes what main threw. */
  public static final Route FALLBACK = Route.to("default").via("198.51.100.1").table(RouteTable.DEFAULT);

  /**
   * The client's routes and more: an IPv6 local route (IPv4 ones print as main's), a throw route and
   * table default's, a blackhole, an unreachable and a prohibit route, two routes alike but for
   * their device.
   */
  public static final List<Route> EVERY_REASON = every();
  /**
   * Destinations whose lookups in {@link #EVERY_REASON} give every reason and refusal, one of them no
   * route at all: by prefix, by metric, by table local, by table default after a throw, refused three
   * ways, listed after the winner, none.
   */
  public static final List<String> EVERY_REASON_DESTINATIONS = List.of("203.0.113.89", "198.18.99.1",
      "2001:db8:100::2", "198.19.1.1", "198.18.66.1", "198.18.67.1", "198.18.68.1", "198.18.70.1", "fe80::1");

  private RouteExamples() {}

  private static List<Route> every() {
    List<Route> routes = new ArrayList<>(CLIENT);
    routes.add(Route.to("2001:db8:100::2/128").type(RouteType.LOCAL).dev("tl-eth0").table(RouteTable.LOCAL));
    routes.add(THROWN);
    routes.add(FALLBACK);
    routes.add(Route.blackhole("198.18.66.0/24"));
    routes.add(Route.unreachable("198.18.67.0/24"));
    routes.add(Route.to("198.18.68.0/24").type(RouteType.PROHIBIT));
    routes.add(Route.to("198.18.70.0/24").dev("tl-tun0"));
    routes.add(Route.to("198.18.70.0/24").dev("tl-eth0"));
    return List.copyOf(routes);
  }
}
