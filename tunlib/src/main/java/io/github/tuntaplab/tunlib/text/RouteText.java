package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteFlags;
import io.github.tuntaplab.tunlib.net.RouteLookup;
import io.github.tuntaplab.tunlib.net.RoutePreference;
import io.github.tuntaplab.tunlib.net.RouteProtocol;
import io.github.tuntaplab.tunlib.net.RouteTable;
import io.github.tuntaplab.tunlib.net.RouteType;
import io.github.tuntaplab.tunlib.net.Scope;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

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

  /**
   * What {@code ip route get fibmatch DESTINATION} prints for {@code decision}, trailing spaces
   * removed: the winning route's line, or the error {@code ip} reports when the kernel refuses the
   * destination. An IPv4 route of the local table prints without {@code table local}: the kernel's
   * IPv4 local and main tables share one trie, and it answers from main.
   */
  public static String fibmatch(RouteLookup.Decision decision) {
    if (decision.winner().isEmpty()) {
      return "RTNETLINK answers: Network is unreachable";
    }
    if (decision.refusal().isPresent()) {
      return "RTNETLINK answers: " + decision.refusal().get().kernelAnswer();
    }
    Route route = decision.winner().get();
    if (route.family().equals(AddressFamily.INET) && route.table().equals(RouteTable.LOCAL)) {
      route = route.table(RouteTable.MAIN);
    }
    return ipRouteLine(route).stripTrailing();
  }

  /**
   * Reads back a line {@link #ipRoute} printed (the kernel's routes crossing a socket as text, as
   * the lab's {@code routes} request sends them). {@code ip route} prints an IPv6 default route as
   * {@code default}, like an IPv4 one, so the caller names the family.
   *
   * @throws IllegalArgumentException for a word {@link #ipRoute} never prints
   */
  public static Route parseIpRoute(AddressFamily family, String line) {
    List<String> words = List.of(line.strip().split(" +"));
    int i = 0;
    RouteType type = RouteType.UNICAST;
    if (!words.get(0).equals("default") && !Character.isDigit(words.get(0).charAt(0)) && !words.get(0).contains(":")) {
      type = RouteType.parse(words.get(i++));
    }
    String destination = words.get(i++);
    Route route = Route.to(destination.equals("default") ? IpPrefix.any(family) : IpPrefix.parse(destination))
        .type(type).scope(Scope.UNIVERSE);
    int flags = 0;
    Optional<RoutePreference> preference = Optional.empty();
    while (i < words.size()) {
      String word = words.get(i++);
      OptionalInt flag = RouteFlags.bit(word);
      if (flag.isPresent()) {
        flags |= flag.getAsInt();
        continue;
      }
      if (i >= words.size()) {
        throw new IllegalArgumentException("'" + word + "' without a value in: " + line);
      }
      String value = words.get(i++);
      route = switch (word) {
        case "via" -> route.via(value);
        case "dev" -> route.dev(value);
        case "table" -> route.table(RouteTable.parse(value));
        case "proto" -> route.protocol(RouteProtocol.parse(value));
        case "scope" -> route.scope(Scope.parse(value));
        case "src" -> route.src(value);
        case "metric" -> route.metric(Integer.parseUnsignedInt(value));
        case "pref" -> {
          preference = Optional.of(RoutePreference.parse(value));
          yield route;
        }
        default -> throw new IllegalArgumentException("not a word of ip route: '" + word + "' in: " + line);
      };
    }
    return new Route(route.type(), route.destination(), route.gateway(), route.device(), route.metric(),
        route.source(), route.table(), route.protocol(), route.scope(), new RouteFlags(flags), preference);
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
