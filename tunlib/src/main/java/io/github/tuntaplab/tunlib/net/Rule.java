package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A policy-routing rule: packets that match (by source, destination or firewall mark) are routed by
 * {@code table} instead of the tables of later rules. A VPN's kill switch marks its own tunnel
 * packets and sends everything else to a table with the tunnel as default.
 *
 * @param priority empty: the kernel picks one just before the previous rule, as {@code ip rule add} does
 */
public record Rule(AddressFamily family, OptionalInt priority, Optional<IpPrefix> from, Optional<IpPrefix> to,
    OptionalInt fwmark, RouteTable table) {

  /** An IPv4 rule that sends everything it matches to {@code table}; narrow it with the methods below. */
  public static Rule lookup(RouteTable table) {
    return new Rule(AddressFamily.INET, OptionalInt.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), table);
  }

  /** The same rule for IPv6 ({@code ip -6 rule}); give IPv6 prefixes with it. */
  public Rule forIpv6() {
    return new Rule(AddressFamily.INET6, priority, from, to, fwmark, table);
  }

  public Rule priority(int newPriority) {
    return new Rule(family, OptionalInt.of(newPriority), from, to, fwmark, table);
  }

  public Rule from(String prefix) {
    return new Rule(family, priority, Optional.of(IpPrefix.parse(prefix)), to, fwmark, table);
  }

  public Rule to(String prefix) {
    return new Rule(family, priority, from, Optional.of(IpPrefix.parse(prefix)), fwmark, table);
  }

  public Rule fwmark(int mark) {
    return new Rule(family, priority, from, to, OptionalInt.of(mark), table);
  }

  /** The rule's part of an {@code ip rule} command line, after {@code add} or {@code del}. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    from.ifPresent(p -> args.addAll(List.of("from", p.toString())));
    to.ifPresent(p -> args.addAll(List.of("to", p.toString())));
    fwmark.ifPresent(m -> args.addAll(List.of("fwmark", Integer.toUnsignedString(m))));
    priority.ifPresent(p -> args.addAll(List.of("priority", Integer.toUnsignedString(p))));
    args.addAll(List.of("table", table.name()));
    return args;
  }

  @Override
  public String toString() {
    return String.join(" ", arguments());
  }
}
