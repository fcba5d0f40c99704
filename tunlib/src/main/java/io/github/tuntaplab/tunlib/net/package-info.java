/**
 * Network configuration of Linux namespaces through rtnetlink, ethtool and {@code /proc/sys} — no
 * process is ever spawned — with the iproute2 command that does the same beside every change.
 *
 * <pre>{@code
 * NetworkNamespace.create("tl-client");                       // ip netns add tl-client
 * try (NetworkNamespace client = NetworkNamespace.enter("tl-client")) {
 *   List<String> done = client.apply(
 *       LinkChange.veth("tl-eth0", "tl-lan"), LinkChange.up("tl-eth0"),
 *       AddressChange.add(Address.of("tl-eth0", "198.51.100.2/24")),
 *       RouteChange.add(Route.to("203.0.113.89/32").via("198.51.100.1").dev("tl-eth0").metric(5)));
 *   // done: "ip -n tl-client link add tl-eth0 type veth peer name tl-lan", …
 *   Route chosen = client.query(config -> config.lookup(RouteQuery.to("203.0.113.89")));
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link io.github.tuntaplab.tunlib.net.NetworkConfig}: reads links, addresses, routes and
 *       neighbours, asks the kernel's route lookup, applies changes. It belongs to the namespace of
 *       the thread that opened it.
 *   <li>Changes are values ({@link io.github.tuntaplab.tunlib.net.NetChange}) whose
 *       {@code command()} is their twin: {@code ip link|address|route|neigh|netns …},
 *       {@code ethtool -K}, {@code sysctl -w}.
 *   <li>{@link io.github.tuntaplab.tunlib.net.NetworkNamespace}: named namespaces compatible with
 *       {@code ip netns}, each entered on a dedicated thread.
 *   <li>{@link io.github.tuntaplab.tunlib.net.UdpSocket}: {@code SO_BINDTODEVICE}.
 *   <li>Numbered fields are open value types ({@link io.github.tuntaplab.tunlib.net.RouteType},
 *       {@link io.github.tuntaplab.tunlib.net.RouteProtocol}, {@link io.github.tuntaplab.tunlib.net.Scope},
 *       {@link io.github.tuntaplab.tunlib.net.RouteTable}): a number without a name stays representable.
 * </ul>
 *
 * <p>A refused change throws a {@link io.github.tuntaplab.tunlib.NativeCallException} that keeps the
 * errno, names the netlink request, quotes the twin and says what to fix (and adds the kernel's own
 * extended-ack sentence when it sends one).
 */
package io.github.tuntaplab.tunlib.net;
