package io.github.tuntaplab.tunlib.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route: where packets to {@code destination} go. Build one with {@link #to} and the
 * {@code with…}-style methods, e.g. {@code Route.to("203.0.113.89/32").via("198.51.100.1")
 * .dev("tl-eth0").metric(5)}; read the kernel's with {@link NetworkConfig#routes}.
 *
 * @param scope empty: let it follow from the route, as {@code ip route add} does (link for a
 *     unicast route without gateway, host for local, global otherwise)
 * @param metric empty: none given (IPv6 then gets the kernel's 1024)
 * @param flags what the kernel reports about a route it holds, such as {@code linkdown}; not
 *     part of a route one adds
 * @param preference an IPv6 route's preference as the kernel reports it; empty for IPv4
 */
public record Route(RouteType type, IpPrefix destination, Optional<InetAddress> gateway, Optional<String> device,
    OptionalInt metric, Optional<InetAddress> source, RouteTable table, RouteProtocol protocol,
    Optional<Scope> scope, RouteFlags flags, Optional<RoutePreference> preference) {

  /** A unicast route to {@code prefix} ({@code 203.0.113.0/24}, {@code default}) in the main table. */
  public static Route to(String prefix) {
    return to(prefix.equals("default") ? IpPrefix.any(AddressFamily.INET) : IpPrefix.parse(prefix));
  }

  public static Route to(IpPrefix destination) {
    return new Route(RouteType.UNICAST, destination, Optional.empty(), Optional.empty(), OptionalInt.empty(),
        Optional.empty(), RouteTable.MAIN, RouteProtocol.BOOT, Optional.empty(), RouteFlags.NONE, Optional.empty());
  }

  /** Packets to {@code prefix} are dropped silently. */
  public static Route blackhole(String prefix) {
    return to(prefix).type(RouteType.BLACKHOLE);
  }

  /** Packets to {@code prefix} are refused with "no route to host". */
  public static Route unreachable(String prefix) {
    return to(prefix).type(RouteType.UNREACHABLE);
  }

  public Route type(RouteType newType) {
    return new Route(newType, destination, gateway, device, metric, source, table, protocol, scope, flags,
        preference);
  }

  public Route via(String newGateway) {
    return new Route(type, destination, Optional.of(Ip.parse(newGateway)), device, metric, source, table, protocol,
        scope, flags, preference);
  }

  public Route dev(String newDevice) {
    return new Route(type, destination, gateway, Optional.of(newDevice), metric, source, table, protocol, scope,
        flags, preference);
  }

  public Route metric(int newMetric) {
    return new Route(type, destination, gateway, device, OptionalInt.of(newMetric), source, table, protocol, scope,
        flags, preference);
  }

  public Route src(String newSource) {
    return new Route(type, destination, gateway, device, metric, Optional.of(Ip.parse(newSource)), table, protocol,
        scope, flags, preference);
  }

  public Route table(RouteTable newTable) {
    return new Route(type, destination, gateway, device, metric, source, newTable, protocol, scope, flags,
        preference);
  }

  public Route protocol(RouteProtocol newProtocol) {
    return new Route(type, destination, gateway, device, metric, source, table, newProtocol, scope, flags,
        preference);
  }

  public Route scope(Scope newScope) {
    return new Route(type, destination, gateway, device, metric, source, table, protocol, Optional.of(newScope),
        flags, preference);
  }

  public AddressFamily family() {
    return destination.family();
  }

  /** The scope {@code ip route add} gives a route that names none. */
  public Scope effectiveScope() {
    return scope.orElseGet(() -> {
      if (family().equals(AddressFamily.INET6)) {
        return Scope.UNIVERSE;
      }
      if (type.equals(RouteType.LOCAL) || type.equals(RouteType.NAT)) {
        return Scope.HOST;
      }
      if (type.equals(RouteType.BROADCAST) || type.equals(RouteType.MULTICAST) || type.equals(RouteType.ANYCAST)) {
        return Scope.LINK;
      }
      return type.equals(RouteType.UNICAST) && gateway.isEmpty() ? Scope.LINK : Scope.UNIVERSE;
    });
  }

  /**
   * The route's part of an {@code ip route} command line: {@code blackhole 203.0.113.0/24},
   * {@code 203.0.113.89/32 via 198.51.100.1 dev tl-eth0 metric 5}. Defaults are left out.
   */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    if (!type.equals(RouteType.UNICAST)) {
      args.add(type.name());
    }
    args.add(destination.length() == 0 && family().equals(AddressFamily.INET6) ? "::/0" : destination.routeText());
    gateway.ifPresent(g -> args.addAll(List.of("via", Ip.text(g))));
    device.ifPresent(d -> args.addAll(List.of("dev", d)));
    if (!table.equals(RouteTable.MAIN)) {
      args.addAll(List.of("table", table.name()));
    }
    if (!protocol.equals(RouteProtocol.BOOT)) {
      args.addAll(List.of("proto", protocol.name()));
    }
    scope.ifPresent(s -> args.addAll(List.of("scope", s.name())));
    metric.ifPresent(m -> args.addAll(List.of("metric", Integer.toUnsignedString(m))));
    source.ifPresent(s -> args.addAll(List.of("src", Ip.text(s))));
    return args;
  }

  @Override
  public String toString() {
    return String.join(" ", arguments());
  }
}
