package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.Scope;
import io.github.tuntaplab.tunlib.text.RouteText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A namespace's routes (every table, in the kernel's order) and addresses, as the {@code routes}
 * request carries them (LAB-PROTOCOL.md): one line each, fields separated by tabs,
 * {@code route FAMILY LINE} with the line {@code ip route} prints, and {@code address LINK ADDRESS SCOPE}.
 * Enough for a client to print the table as {@code ip route} and as Windows' {@code route print},
 * and to work out a route lookup ({@code RouteLookup}) without privileges.
 */
public record LabRoutes(List<Route> routes, List<Address> addresses) {
  public LabRoutes {
    routes = List.copyOf(routes);
    addresses = List.copyOf(addresses);
  }

  /** The namespace playing {@code role} in {@code lab}, read through netlink now. */
  static LabRoutes of(Lab lab, String role) throws IOException {
    return new LabRoutes(lab.namespace(role).query(NetworkConfig::routes),
        lab.namespace(role).query(NetworkConfig::addresses));
  }

  /** The body of the {@code routes} answer. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (Route route : routes) {
      text.append("route\t").append(route.family().name()).append('\t')
          .append(RouteText.ipRoute(List.of(route)).get(0).stripTrailing()).append('\n');
    }
    for (Address address : addresses) {
      text.append("address\t").append(address.link()).append('\t').append(address.text()).append('\t')
          .append(address.scope().name()).append('\n');
    }
    return text.toString();
  }

  /** Reads a {@code routes} answer's body back. */
  public static LabRoutes parse(String text) {
    List<Route> routes = new ArrayList<>();
    List<Address> addresses = new ArrayList<>();
    for (String line : text.lines().toList()) {
      String[] fields = line.split("\t");
      if (fields[0].equals("route") && fields.length == 3) {
        routes.add(RouteText.parseIpRoute(AddressFamily.parse(fields[1]), fields[2]));
      } else if (fields[0].equals("address") && fields.length == 4) {
        addresses.add(address(fields[1], fields[2], Scope.parse(fields[3])));
      } else {
        throw new IllegalArgumentException("not a line of a routes answer: " + line);
      }
    }
    return new LabRoutes(routes, addresses);
  }

  /** {@code 198.51.100.2/24}, or {@code 198.18.0.1 peer 198.18.0.2/32}, as {@link Address#text()} writes it. */
  private static Address address(String link, String text, Scope scope) {
    int peer = text.indexOf(" peer ");
    if (peer < 0) {
      IpPrefix prefix = IpPrefix.parse(text);
      return new Address(link, prefix.address(), prefix.length(), Optional.empty(), scope);
    }
    IpPrefix remote = IpPrefix.parse(text.substring(peer + " peer ".length()));
    return new Address(link, Ip.parse(text.substring(0, peer)), remote.length(), Optional.of(remote.address()), scope);
  }
}
