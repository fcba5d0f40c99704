package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.Ethtool;
import io.github.tuntaplab.tunlib.internal.LinkMessage;
import io.github.tuntaplab.tunlib.internal.LinkQuery;
import io.github.tuntaplab.tunlib.internal.NetlinkAttributes;
import io.github.tuntaplab.tunlib.internal.NetlinkMessage;
import io.github.tuntaplab.tunlib.internal.NetlinkRequest;
import io.github.tuntaplab.tunlib.internal.RtNetlink;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The network configuration of one namespace, read and changed through rtnetlink: links,
 * addresses, routes, neighbours, and the kernel's own route lookup. It belongs to the namespace of
 * the thread that opened it (open it inside {@link NetworkNamespace#call} to configure a lab host),
 * and keeps that namespace whichever thread uses it later.
 *
 * <p>Every change is a {@link NetChange} value whose {@link NetChange#command()} is the iproute2
 * command with the same effect. A refused change throws a {@link NativeCallException} that keeps
 * the errno and says what to fix.
 */
public final class NetworkConfig implements AutoCloseable {
  private static final int AF_INET = AddressFamily.INET.value();
  private static final int AF_INET6 = AddressFamily.INET6.value();
  private static final int ACK = RtNetlink.NLM_F_ACK;
  private static final int CREATE = RtNetlink.NLM_F_CREATE | RtNetlink.NLM_F_EXCL;

  private static final int RTM_NEWLINK = 16;
  private static final int RTM_DELLINK = 17;
  private static final int IFLA_ADDRESS = 1;
  private static final int IFLA_IFNAME = 3;
  private static final int IFLA_MTU = 4;
  private static final int IFLA_MASTER = 10;
  private static final int IFLA_LINKINFO = 18;
  private static final int IFLA_NET_NS_FD = 28;
  private static final int IFLA_INFO_KIND = 1;
  private static final int IFLA_INFO_DATA = 2;
  private static final int VETH_INFO_PEER = 1;

  private static final int RTM_NEWADDR = 20;
  private static final int RTM_DELADDR = 21;
  private static final int RTM_GETADDR = 22;
  private static final int IFADDRMSG = 8;
  private static final int IFA_ADDRESS = 1;
  private static final int IFA_LOCAL = 2;

  private static final int RTM_NEWROUTE = 24;
  private static final int RTM_DELROUTE = 25;
  private static final int RTM_GETROUTE = 26;
  private static final int RTMSG = 12;
  private static final int RTA_DST = 1;
  private static final int RTA_OIF = 4;
  private static final int RTA_GATEWAY = 5;
  private static final int RTA_PRIORITY = 6;
  private static final int RTA_PREFSRC = 7;
  private static final int RTA_TABLE = 15;
  private static final int RTA_MARK = 16;
  private static final int RTA_PREF = 20;
  private static final int RTM_F_CLONED = 0x200;
  /** Report the table the answer came from (policy routing), not always main. */
  private static final int RTM_F_LOOKUP_TABLE = 0x1000;

  private static final int RTM_NEWRULE = 32;
  private static final int RTM_DELRULE = 33;
  private static final int RTM_GETRULE = 34;
  private static final int FIB_RULE_HDR = 12;
  private static final int FR_ACT_TO_TBL = 1;
  private static final int FRA_DST = 1;
  private static final int FRA_SRC = 2;
  private static final int FRA_PRIORITY = 6;
  private static final int FRA_FWMARK = 10;
  private static final int FRA_TABLE = 15;

  private static final int RTM_NEWNEIGH = 28;
  private static final int RTM_DELNEIGH = 29;
  private static final int RTM_GETNEIGH = 30;
  private static final int NDMSG = 12;
  private static final int NDA_DST = 1;
  private static final int NDA_LLADDR = 2;

  private final RtNetlink netlink;
  private final LinkQuery linkQuery;
  private final Ethtool ethtool;
  private final Thread owner;

  private NetworkConfig(RtNetlink netlink, Ethtool ethtool) {
    this.netlink = netlink;
    this.linkQuery = new LinkQuery(netlink);
    this.ethtool = ethtool;
    this.owner = Thread.currentThread();
  }

  /** Opens the configuration of the calling thread's network namespace. */
  public static NetworkConfig open() throws NativeCallException {
    RtNetlink netlink = new RtNetlink();
    try {
      return new NetworkConfig(netlink, new Ethtool());
    } catch (NativeCallException | RuntimeException e) {
      netlink.close();
      throw e;
    }
  }

  // ---- reading ----

  /** What {@link #links()} reads, as a terminal shows it. */
  public static final IpTwin SHOW_LINKS = twin("ip", "-s", "link", "show");
  /** What {@link #addresses()} reads. */
  public static final IpTwin SHOW_ADDRESSES = twin("ip", "address", "show");
  /** What {@link #routes()} reads: every table, both families. */
  public static final IpTwin SHOW_ROUTES = twin("ip", "route", "show", "table", "all");
  /** What {@link #neighbours()} reads, entries of every state included. */
  public static final IpTwin SHOW_NEIGHBOURS = twin("ip", "neigh", "show", "nud", "all");

  private static IpTwin twin(String... command) {
    List<String> fixed = List.of(command);
    return () -> fixed;
  }

  /** Every link, in index order, with flags, MTU, MAC and counters ({@code ip -s link}). */
  public List<Link> links() throws NativeCallException {
    List<Link> links = new ArrayList<>();
    for (LinkMessage message : linkQuery.all()) {
      links.add(link(message));
    }
    return links;
  }

  /** The link named {@code name}, if this namespace has one. */
  public Optional<Link> link(String name) throws NativeCallException {
    Optional<LinkMessage> message = linkQuery.byName(name);
    return message.isPresent() ? Optional.of(link(message.get())) : Optional.empty();
  }

  /** Every IPv4 and IPv6 address on every link ({@code ip address}). */
  public List<Address> addresses() throws NativeCallException {
    Map<Integer, String> names = linkNames();
    List<Address> addresses = new ArrayList<>();
    for (NetlinkMessage message : dump(new NetlinkRequest(RTM_GETADDR, RtNetlink.NLM_F_DUMP)
        .u8(0).u8(0).u8(0).u8(0).u32(0), "RTM_GETADDR")) {
      ByteBuffer header = message.body();
      int family = header.get(0);
      if (message.type() != RTM_NEWADDR || (family != AF_INET && family != AF_INET6)) {
        continue;
      }
      NetlinkAttributes attributes = message.attributes(IFADDRMSG);
      Optional<InetAddress> address = attributes.address(IFA_ADDRESS);
      Optional<InetAddress> local = attributes.address(IFA_LOCAL);
      if (local.isEmpty() && address.isEmpty()) {
        continue;
      }
      InetAddress here = local.or(() -> address).get();
      Optional<InetAddress> peer = local.isPresent() ? address.filter(a -> !a.equals(here)) : Optional.empty();
      addresses.add(new Address(nameOf(names, header.getInt(4)), here,
          Byte.toUnsignedInt(header.get(1)), peer, new Scope(Byte.toUnsignedInt(header.get(3)))));
    }
    return addresses;
  }

  /** Every IPv4 and IPv6 route in every table, without the kernel's cached clones. */
  public List<Route> routes() throws NativeCallException {
    Map<Integer, String> names = linkNames();
    List<Route> routes = new ArrayList<>();
    for (NetlinkMessage message : dump(routeHeader(new NetlinkRequest(RTM_GETROUTE, RtNetlink.NLM_F_DUMP), 0, 0,
        RouteTable.UNSPEC, RouteProtocol.UNSPEC, Scope.UNIVERSE, RouteType.UNSPEC, 0), "RTM_GETROUTE")) {
      int family = message.body().get(0);
      if (message.type() == RTM_NEWROUTE && (family == AF_INET || family == AF_INET6)
          && (message.body().getInt(8) & RTM_F_CLONED) == 0) {
        routes.add(route(message, names));
      }
    }
    return routes;
  }

  /** The routes of one table, such as {@link RouteTable#MAIN} ({@code ip route show table main}). */
  public List<Route> routes(RouteTable table) throws NativeCallException {
    return routes().stream().filter(r -> r.table().equals(table)).toList();
  }

  /** Every ARP and NDP entry ({@code ip neigh}). */
  public List<Neighbour> neighbours() throws NativeCallException {
    Map<Integer, String> names = linkNames();
    List<Neighbour> neighbours = new ArrayList<>();
    for (NetlinkMessage message : dump(neighbourHeader(new NetlinkRequest(RTM_GETNEIGH, RtNetlink.NLM_F_DUMP), 0, 0,
        NeighbourState.NONE), "RTM_GETNEIGH")) {
      ByteBuffer header = message.body();
      int family = header.get(0);
      NetlinkAttributes attributes = message.attributes(NDMSG);
      if (message.type() != RTM_NEWNEIGH || (family != AF_INET && family != AF_INET6)
          || attributes.address(NDA_DST).isEmpty()) {
        continue;
      }
      neighbours.add(new Neighbour(nameOf(names, header.getInt(4)),
          attributes.address(NDA_DST).get(),
          attributes.bytes(NDA_LLADDR).filter(b -> b.length == MacAddress.LENGTH).map(MacAddress::of),
          new NeighbourState(Short.toUnsignedInt(header.getShort(8)))));
    }
    return neighbours;
  }

  /**
   * The kernel's routing decision for {@code query}, as {@code ip route get} shows it: the type,
   * table, gateway, output device and preferred source of the route a packet would take. A
   * destination that matches a blackhole, unreachable or prohibit route, or no route at all, is
   * refused the way the kernel refuses a socket's packet: with its errno, explained.
   */
  public Route lookup(RouteQuery query) throws NativeCallException {
    NetlinkRequest request = routeHeader(new NetlinkRequest(RTM_GETROUTE, 0), query.family().value(),
        query.destination().getAddress().length * 8, RouteTable.UNSPEC, RouteProtocol.UNSPEC, Scope.UNIVERSE,
        RouteType.UNSPEC, RTM_F_LOOKUP_TABLE).attributeAddress(RTA_DST, query.destination());
    if (query.outputDevice().isPresent()) {
      request.attributeU32(RTA_OIF, index(query.outputDevice().get(), query));
    }
    query.mark().ifPresent(mark -> request.attributeU32(RTA_MARK, mark));
    RtNetlink.Reply reply = netlink.exchange(request, "RTM_GETROUTE");
    if (!reply.ok()) {
      throw Errors.explained(query.commandLine() + ": " + ChangeErrors.routeRefusal(reply.errno()) + kernelSays(reply),
          "RTM_GETROUTE", reply.errno());
    }
    return route(reply.messages().get(0), linkNames());
  }

  // ---- changing ----

  /** Performs {@code change} in this namespace. */
  public void apply(NetChange change) throws IOException {
    if (change instanceof LinkChange link) {
      applyLink(link);
    } else if (change instanceof AddressChange address) {
      applyAddress(address);
    } else if (change instanceof RouteChange route) {
      applyRoute(route);
    } else if (change instanceof NeighbourChange neighbour) {
      applyNeighbour(neighbour);
    } else if (change instanceof RuleChange rule) {
      applyRule(rule);
    } else if (change instanceof TxChecksum checksum) {
      applyTxChecksum(checksum);
    } else if (change instanceof Sysctl sysctl) {
      applySysctl(sysctl);
    } else if (change instanceof NamespaceChange namespace) {
      if (namespace.add()) {
        NetworkNamespace.create(namespace.name());
      } else {
        NetworkNamespace.delete(namespace.name());
      }
    } else {
      throw new IllegalArgumentException("NetworkConfig cannot apply " + change.getClass().getName());
    }
  }

  private void applyLink(LinkChange change) throws IOException {
    if (change instanceof LinkChange.AddVeth veth) {
      NetlinkRequest request = linkHeader(new NetlinkRequest(RTM_NEWLINK, ACK | CREATE), 0, 0, 0)
          .attributeString(IFLA_IFNAME, veth.link())
          .beginNested(IFLA_LINKINFO).attributeString(IFLA_INFO_KIND, "veth")
          .beginNested(IFLA_INFO_DATA).beginNested(VETH_INFO_PEER);
      linkHeader(request, 0, 0, 0).attributeString(IFLA_IFNAME, veth.peer()).endNested().endNested().endNested();
      send(request, change, "RTM_NEWLINK");
      return;
    }
    if (change instanceof LinkChange.AddBridge bridge) {
      send(linkHeader(new NetlinkRequest(RTM_NEWLINK, ACK | CREATE), 0, 0, 0)
          .attributeString(IFLA_IFNAME, bridge.link())
          .beginNested(IFLA_LINKINFO).attributeString(IFLA_INFO_KIND, "bridge").endNested(), change, "RTM_NEWLINK");
      return;
    }
    int index = index(change.link(), change);
    if (change instanceof LinkChange.Delete) {
      send(linkHeader(new NetlinkRequest(RTM_DELLINK, ACK), index, 0, 0), change, "RTM_DELLINK");
      return;
    }
    if (change instanceof LinkChange.SetUp setUp) {
      send(linkHeader(new NetlinkRequest(RTM_NEWLINK, ACK), index, setUp.up() ? LinkFlags.UP : 0, LinkFlags.UP),
          change, "RTM_NEWLINK");
      return;
    }
    NetlinkRequest request = linkHeader(new NetlinkRequest(RTM_NEWLINK, ACK), index, 0, 0);
    if (change instanceof LinkChange.SetMtu mtu) {
      send(request.attributeU32(IFLA_MTU, mtu.mtu()), change, "RTM_NEWLINK");
    } else if (change instanceof LinkChange.SetMac mac) {
      send(request.attribute(IFLA_ADDRESS, mac.mac().toByteArray()), change, "RTM_NEWLINK");
    } else if (change instanceof LinkChange.Rename rename) {
      send(request.attributeString(IFLA_IFNAME, rename.newName()), change, "RTM_NEWLINK");
    } else if (change instanceof LinkChange.SetMaster master) {
      send(request.attributeU32(IFLA_MASTER, index(master.bridge(), change)), change, "RTM_NEWLINK");
    } else if (change instanceof LinkChange.MoveToNamespace move) {
      int nsFd = NetworkNamespace.openHandle(move.namespace());
      try {
        send(request.attributeU32(IFLA_NET_NS_FD, nsFd), change, "RTM_NEWLINK");
      } finally {
        Syscalls.closeQuietly(nsFd);
      }
    }
  }

  private void applyAddress(AddressChange change) throws NativeCallException {
    Address address = change.address();
    NetlinkRequest request = new NetlinkRequest(change.add() ? RTM_NEWADDR : RTM_DELADDR, ACK | (change.add() ? CREATE : 0))
        .u8(address.family().value()).u8(address.prefixLength()).u8(0).u8(address.scope().value())
        .u32(index(address.link(), change))
        .attributeAddress(IFA_LOCAL, address.local())
        .attributeAddress(IFA_ADDRESS, address.peer().orElse(address.local()));
    send(request, change, change.add() ? "RTM_NEWADDR" : "RTM_DELADDR");
  }

  private void applyRoute(RouteChange change) throws NativeCallException {
    Route route = change.route();
    boolean delete = change.action() == RouteChange.Action.DELETE;
    int flags = ACK | switch (change.action()) {
      case ADD -> CREATE;
      case REPLACE -> RtNetlink.NLM_F_CREATE | RtNetlink.NLM_F_REPLACE;
      case DELETE -> 0;
    };
    // Deleting, the kernel matches only what is given: what ip sends when the rendered command omits a default.
    RouteType type = delete && route.type().equals(RouteType.UNICAST) ? RouteType.UNSPEC : route.type();
    RouteProtocol protocol = delete && route.protocol().equals(RouteProtocol.BOOT) ? RouteProtocol.UNSPEC
        : route.protocol();
    Scope scope = delete ? route.scope().orElse(Scope.NOWHERE) : route.effectiveScope();
    NetlinkRequest request = routeHeader(new NetlinkRequest(delete ? RTM_DELROUTE : RTM_NEWROUTE, flags),
        route.family().value(), route.destination().length(), route.table(), protocol, scope, type, 0)
        .attributeU32(RTA_TABLE, route.table().value());
    if (route.destination().length() > 0) {
      request.attributeAddress(RTA_DST, route.destination().address());
    }
    route.gateway().ifPresent(gateway -> request.attributeAddress(RTA_GATEWAY, gateway));
    if (route.device().isPresent()) {
      request.attributeU32(RTA_OIF, index(route.device().get(), change));
    }
    route.metric().ifPresent(metric -> request.attributeU32(RTA_PRIORITY, metric));
    route.source().ifPresent(source -> request.attributeAddress(RTA_PREFSRC, source));
    send(request, change, delete ? "RTM_DELROUTE" : "RTM_NEWROUTE");
  }

  private void applyRule(RuleChange change) throws NativeCallException {
    Rule rule = change.rule();
    NetlinkRequest request = ruleHeader(new NetlinkRequest(change.add() ? RTM_NEWRULE : RTM_DELRULE,
        ACK | (change.add() ? CREATE : 0)), rule.family().value(),
        rule.to().map(IpPrefix::length).orElse(0), rule.from().map(IpPrefix::length).orElse(0), rule.table())
        .attributeU32(FRA_TABLE, rule.table().value());
    rule.to().ifPresent(p -> request.attributeAddress(FRA_DST, p.address()));
    rule.from().ifPresent(p -> request.attributeAddress(FRA_SRC, p.address()));
    rule.priority().ifPresent(p -> request.attributeU32(FRA_PRIORITY, p));
    rule.fwmark().ifPresent(m -> request.attributeU32(FRA_FWMARK, m));
    send(request, change, change.add() ? "RTM_NEWRULE" : "RTM_DELRULE");
  }

  /** The policy-routing rules of both families, in the kernel's order ({@code ip rule}, {@code ip -6 rule}). */
  public List<Rule> rules() throws NativeCallException {
    List<Rule> rules = new ArrayList<>();
    for (NetlinkMessage message : dump(ruleHeader(new NetlinkRequest(RTM_GETRULE, RtNetlink.NLM_F_DUMP), 0, 0, 0,
        RouteTable.UNSPEC), "RTM_GETRULE")) {
      ByteBuffer header = message.body();
      int family = header.get(0);
      if (message.type() != RTM_NEWRULE || (family != AF_INET && family != AF_INET6)) {
        continue;
      }
      NetlinkAttributes attributes = message.attributes(FIB_RULE_HDR);
      int toLength = Byte.toUnsignedInt(header.get(1));
      int fromLength = Byte.toUnsignedInt(header.get(2));
      // The kernel leaves the priority out when it is 0 (the rule for table local).
      rules.add(new Rule(new AddressFamily(family), OptionalInt.of(attributes.u32(FRA_PRIORITY).orElse(0)),
          attributes.address(FRA_SRC).map(a -> new IpPrefix(a, fromLength)),
          attributes.address(FRA_DST).map(a -> new IpPrefix(a, toLength)),
          attributes.u32(FRA_FWMARK),
          new RouteTable(attributes.u32(FRA_TABLE).orElse(Byte.toUnsignedInt(header.get(4))))));
    }
    return rules;
  }

  private static NetlinkRequest ruleHeader(NetlinkRequest request, int family, int toLength, int fromLength,
      RouteTable table) {
    int shortTable = Integer.compareUnsigned(table.value(), 256) < 0 ? table.value() : RouteTable.UNSPEC.value();
    return request.u8(family).u8(toLength).u8(fromLength).u8(0).u8(shortTable).u8(0).u8(0)
        .u8(table.equals(RouteTable.UNSPEC) ? 0 : FR_ACT_TO_TBL).u32(0);
  }

  private void applyNeighbour(NeighbourChange change) throws NativeCallException {
    Neighbour neighbour = change.neighbour();
    NetlinkRequest request = neighbourHeader(
        new NetlinkRequest(change.add() ? RTM_NEWNEIGH : RTM_DELNEIGH, ACK | (change.add() ? CREATE : 0)),
        AddressFamily.of(neighbour.address()).value(), index(neighbour.link(), change),
        change.add() ? neighbour.state() : NeighbourState.NONE)
        .attributeAddress(NDA_DST, neighbour.address());
    if (change.add()) {
      neighbour.mac().ifPresent(mac -> request.attribute(NDA_LLADDR, mac.toByteArray()));
    }
    send(request, change, change.add() ? "RTM_NEWNEIGH" : "RTM_DELNEIGH");
  }

  private void applyTxChecksum(TxChecksum change) throws NativeCallException {
    index(change.link(), change);
    int result = ethtool.setTxChecksumOrErrno(change.link(), change.on());
    if (result < 0) {
      throw Errors.explained(change.commandLine() + ": " + (-result == Errno.EOPNOTSUPP
          ? "the driver of " + change.link() + " cannot switch checksum offload" : ChangeErrors.fix(change, -result)),
          "ioctl(SIOCETHTOOL ETHTOOL_STXCSUM)", -result);
    }
  }

  /** Whether {@code link} leaves TCP/UDP checksums to the hardware on transmit ({@code ethtool -k}). */
  public boolean txChecksum(String link) throws NativeCallException {
    return ethtool.txChecksum(link);
  }

  private void applySysctl(Sysctl change) throws IOException {
    checkOwnerThread(change);
    try {
      Files.writeString(Path.of(change.path()), change.value() + "\n");
    } catch (NoSuchFileException e) {
      throw new IOException(change.commandLine() + ": no such setting (" + change.path()
          + " is absent; a link-specific key needs the link to exist)", e);
    }
  }

  /** The current value of a network sysctl in this namespace, such as {@code net.ipv4.ip_forward}. */
  public String sysctl(String key) throws IOException {
    Sysctl setting = new Sysctl(key, "");
    checkOwnerThread(setting);
    return Files.readString(Path.of(setting.path())).strip();
  }

  /** /proc/sys/net shows the namespace of the thread that opens the file, not the socket's. */
  private void checkOwnerThread(Sysctl setting) {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(setting.key() + " must be read or written on the thread that opened this "
          + "NetworkConfig (" + owner.getName() + "): /proc/sys/net follows the calling thread's namespace");
    }
  }

  @Override
  public void close() {
    netlink.close();
    ethtool.close();
  }

  // ---- messages ----

  private static NetlinkRequest linkHeader(NetlinkRequest request, int index, int flags, int change) {
    return request.u8(0).u8(0).u16(0).u32(index).u32(flags).u32(change);
  }

  private static NetlinkRequest routeHeader(NetlinkRequest request, int family, int destinationLength,
      RouteTable table, RouteProtocol protocol, Scope scope, RouteType type, int flags) {
    int shortTable = Integer.compareUnsigned(table.value(), 256) < 0 ? table.value() : RouteTable.UNSPEC.value();
    return request.u8(family).u8(destinationLength).u8(0).u8(0).u8(shortTable).u8(protocol.value())
        .u8(scope.value()).u8(type.value()).u32(flags);
  }

  private static NetlinkRequest neighbourHeader(NetlinkRequest request, int family, int index, NeighbourState state) {
    return request.u8(family).u8(0).u16(0).u32(index).u16(state.bits()).u8(0).u8(0);
  }

  private Route route(NetlinkMessage message, Map<Integer, String> names) {
    ByteBuffer header = message.body();
    NetlinkAttributes attributes = message.attributes(RTMSG);
    InetAddress destination = attributes.address(RTA_DST)
        .orElse(IpPrefix.any(new AddressFamily(Byte.toUnsignedInt(header.get(0)))).address());
    OptionalInt oif = attributes.u32(RTA_OIF);
    return new Route(new RouteType(Byte.toUnsignedInt(header.get(7))),
        new IpPrefix(destination, Byte.toUnsignedInt(header.get(1))),
        attributes.address(RTA_GATEWAY),
        oif.isPresent() ? Optional.of(nameOf(names, oif.getAsInt())) : Optional.empty(),
        attributes.u32(RTA_PRIORITY),
        attributes.address(RTA_PREFSRC),
        new RouteTable(attributes.u32(RTA_TABLE).orElse(Byte.toUnsignedInt(header.get(4)))),
        new RouteProtocol(Byte.toUnsignedInt(header.get(5))),
        Optional.of(new Scope(Byte.toUnsignedInt(header.get(6)))),
        new RouteFlags(header.getInt(8)),
        preference(attributes.u32(RTA_PREF)));
  }

  private static Optional<RoutePreference> preference(OptionalInt value) {
    return value.isPresent() ? Optional.of(new RoutePreference(value.getAsInt())) : Optional.empty();
  }

  private static Link link(LinkMessage message) {
    Optional<MacAddress> mac = message.address().length == MacAddress.LENGTH
        && !java.util.Arrays.equals(message.address(), new byte[MacAddress.LENGTH])
        ? Optional.of(MacAddress.of(message.address())) : Optional.empty();
    return new Link(message.index(), message.name(), new LinkFlags(message.flags()), message.mtu(), mac,
        message.kind(), new Link.Stats(message.stat(LinkMessage.RX_PACKETS), message.stat(LinkMessage.TX_PACKETS),
        message.stat(LinkMessage.RX_BYTES), message.stat(LinkMessage.TX_BYTES),
        message.stat(LinkMessage.RX_ERRORS), message.stat(LinkMessage.TX_ERRORS),
        message.stat(LinkMessage.RX_DROPPED), message.stat(LinkMessage.TX_DROPPED)));
  }

  private Map<Integer, String> linkNames() throws NativeCallException {
    Map<Integer, String> names = new HashMap<>();
    for (LinkMessage link : linkQuery.all()) {
      names.put(link.index(), link.name());
    }
    return names;
  }

  /** The link's name; {@code if7} for an index that vanished between the two dumps. */
  private static String nameOf(Map<Integer, String> names, int index) {
    return names.getOrDefault(index, "if" + index);
  }

  private int index(String name, IpTwin change) throws NativeCallException {
    return linkQuery.byName(name).map(LinkMessage::index).orElseThrow(() -> Errors.explained(
        change.commandLine() + ": there is no link named " + name + " in this namespace (ip link lists the links "
            + "there are; a link moved to another namespace or a TUN whose last descriptor closed is gone)",
        "RTM_GETLINK(" + name + ")", Errno.ENODEV));
  }

  private List<NetlinkMessage> dump(NetlinkRequest request, String call) throws NativeCallException {
    RtNetlink.Reply reply = netlink.exchange(request, call);
    if (!reply.ok()) {
      throw Errors.newException(call, reply.errno());
    }
    return reply.messages();
  }

  private void send(NetlinkRequest request, NetChange change, String call) throws NativeCallException {
    RtNetlink.Reply reply = netlink.exchange(request, call);
    if (!reply.ok()) {
      throw Errors.explained(change.commandLine() + ": " + ChangeErrors.fix(change, reply.errno())
          + kernelSays(reply), call, reply.errno());
    }
  }

  private static String kernelSays(RtNetlink.Reply reply) {
    return reply.kernelMessage().isEmpty() ? "" : " [kernel: " + reply.kernelMessage() + "]";
  }
}
