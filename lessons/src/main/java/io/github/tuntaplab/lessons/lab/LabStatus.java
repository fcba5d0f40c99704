package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.Link;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteTable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** What {@code tunlab lab status} prints: the topology, and per namespace its links, addresses, routes and counters. */
final class LabStatus {
  private LabStatus() {}

  /** Every link's counters, namespace by namespace in topology order: the {@code stats} request. */
  static List<LinkCounters> counters(Lab lab) throws IOException {
    List<LinkCounters> all = new java.util.ArrayList<>();
    for (String role : lab.roles()) {
      for (Link link : lab.namespace(role).query(NetworkConfig::links)) {
        all.add(LinkCounters.of(role, link));
      }
    }
    return all;
  }

  static String describe(Lab lab) throws IOException {
    StringBuilder text = new StringBuilder();
    text.append("lab ").append(lab.topology().name()).append(", pid ").append(ProcessHandle.current().pid())
        .append(", up since ").append(lab.started()).append(", ").append(lab.packetCount())
        .append(" packets captured\n");
    if (!lab.topology().description().isEmpty()) {
      text.append(lab.topology().description()).append('\n');
    }
    for (String role : lab.roles()) {
      String namespace = lab.namespace(role).name();
      text.append("\nnamespace ").append(namespace).append(" (").append(role).append(")\n");
      List<Link> links = lab.namespace(role).query(NetworkConfig::links);
      List<Address> addresses = lab.namespace(role).query(NetworkConfig::addresses);
      for (Link link : links) {
        text.append(String.format("  %-9s %-6s %-4s %-17s", link.name(), link.kind().isEmpty() ? "-" : link.kind(),
            link.isUp() ? "UP" : "DOWN", link.mac().map(MacAddress::toString).orElse("-")));
        addresses.stream().filter(a -> a.link().equals(link.name())).forEach(a -> text.append(' ').append(a.text()));
        Link.Stats s = link.stats();
        text.append(String.format("%n            rx %d packets %d bytes, tx %d packets %d bytes%n", s.rxPackets(),
            s.rxBytes(), s.txPackets(), s.txBytes()));
      }
      text.append("  routes (ip -n ").append(namespace).append(" route; ip -6 route):\n");
      for (Route route : lab.namespace(role).query(config -> config.routes(RouteTable.MAIN))) {
        text.append("    ").append(route).append('\n');
      }
    }
    Map<String, Long> replies = lab.responderReplies();
    if (!replies.isEmpty()) {
      text.append("\nresponders:");
      replies.forEach((device, count) -> text.append(' ').append(device).append(' ').append(count).append(" replies;"));
      text.setLength(text.length() - 1);
      text.append('\n');
    }
    return text.toString();
  }
}
