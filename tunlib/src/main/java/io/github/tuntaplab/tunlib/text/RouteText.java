package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteProtocol;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.net.RouteType;
import io.github.tuntaplab.tunlib.net.Scope;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A routing table as the two tools of the source notes print it: Linux's {@code ip route}, which
 * names the exit <em>device</em>, and Windows' {@code route print}, which names the exit
 * interface by its own <em>address</em>. The same routes, two ways of reading them.
 */
public final class RouteText {
  private static final String RULE = "=".repeat(75);

  private RouteText() {}

  /**
   * The lines {@code ip route show} prints for {@code routes}, in the order given (the kernel's
   * dump order from {@code NetworkConfig.routes()}), each with iproute2's trailing space. A route
   * outside the main table names its table, so all of {@code NetworkConfig.routes()} prints as
   * {@code ip route show table all} does.
   */
  public static List<String> ipRoute(List<Route> routes) {
    return routes.stream().map(RouteText::ipRouteLine).toList();
  }

  static String ipRouteLine(Route route) {
    StringBuilder line = new StringBuilder();
    if (!route.type().equals(RouteType.UNICAST)) {
      line.append(route.type().name()).append(' ');
    }
    boolean host = route.destination().length() == route.destination().address().getAddress().length * 8;
    line.append(host ? Ip.text(route.destination().address()) : route.destination().routeText()).append(' ');
    route.gateway().ifPresent(gateway -> line.append("via ").append(Ip.text(gateway)).append(' '));
    route.device().ifPresent(device -> line.append("dev ").append(device).append(' '));
    if (!route.table().equals(RouteTable.MAIN)) {
      line.append("table ").append(route.table().name()).append(' ');
    }
    if (!route.protocol().equals(RouteProtocol.BOOT)) {
      line.append("proto ").append(route.protocol().name()).append(' ');
    }
    Scope scope = route.effectiveScope();
    if (!scope.equals(Scope.UNIVERSE)) {
      line.append("scope ").append(scope.name()).append(' ');
    }
    route.source().ifPresent(source -> line.append("src ").append(Ip.text(source)).append(' '));
    route.metric().ifPresent(metric -> line.append("metric ").append(Integer.toUnsignedString(metric)).append(' '));
    route.flags().names().forEach(flag -> line.append(flag).append(' '));
    route.preference().ifPresent(preference -> line.append("pref ").append(preference.name()));
    return line.toString();
  }

  /**
   * The "IPv4 Route Table" part of Windows' {@code route print} for the unicast IPv4 routes of the
   * main table: destination and netmask, the gateway ({@code On-link} for a route without one),
   * the interface as the address this host has on the route's device (the route's preferred
   * source when it names one), and the route's metric. Windows adds an interface metric to the
   * route's; here the column shows the route's own, as the source notes' table does. Windows has
   * no blackhole or unreachable routes, so they are left out, as are routes whose device has no
   * IPv4 address. Sorted by destination, then netmask, then metric, as Windows lists them.
   */
  public static String windowsRoutePrint(List<Route> routes, List<Address> addresses) {
    StringBuilder out = new StringBuilder();
    out.append(RULE).append('\n').append("IPv4 Route Table\n").append(RULE).append('\n').append("Active Routes:\n");
    out.append(String.format("%s%15s%17s%16s%8s%n", "Network Destination", "Netmask", "Gateway", "Interface",
        "Metric"));
    routes.stream()
        .filter(route -> route.family().equals(AddressFamily.INET) && route.table().equals(RouteTable.MAIN)
            && route.type().equals(RouteType.UNICAST))
        .sorted(Comparator.comparing((Route route) -> ipv4Number(route.destination().address()))
            .thenComparing(route -> route.destination().length())
            .thenComparing(route -> Integer.toUnsignedLong(route.metric().orElse(0))))
        .forEach(route -> interfaceAddress(route, addresses).ifPresent(local -> out.append(String.format(
            "%17s%17s%17s%17s%7s%n", Ip.text(route.destination().address()), netmask(route.destination().length()),
            route.gateway().map(Ip::text).orElse("On-link"), Ip.text(local),
            Integer.toUnsignedString(route.metric().orElse(0))))));
    out.append(RULE).append('\n').append("Persistent Routes:\n  None\n");
    return out.toString();
  }

  private static Optional<InetAddress> interfaceAddress(Route route, List<Address> addresses) {
    if (route.source().isPresent()) {
      return route.source();
    }
    return route.device().flatMap(device -> addresses.stream()
        .filter(address -> address.link().equals(device) && address.family().equals(AddressFamily.INET))
        .map(Address::local)
        .findFirst());
  }

  private static String netmask(int length) {
    long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
    return (mask >>> 24) + "." + ((mask >>> 16) & 0xff) + "." + ((mask >>> 8) & 0xff) + "." + (mask & 0xff);
  }

  private static long ipv4Number(InetAddress address) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(address.getAddress()).getInt());
  }
}
