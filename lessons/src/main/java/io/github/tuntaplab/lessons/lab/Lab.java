package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.lessons.lab.Topology.Device;
import io.github.tuntaplab.lessons.lab.Topology.DeviceKind;
import io.github.tuntaplab.lessons.lab.Topology.End;
import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.LiveCapture;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.net.AddressChange;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.net.LinkChange;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.net.NamespaceChange;
import io.github.tuntaplab.tunlib.net.NetChange;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.net.Route;
import io.github.tuntaplab.tunlib.net.RouteChange;
import io.github.tuntaplab.tunlib.net.Sysctl;
import io.github.tuntaplab.tunlib.net.TxChecksum;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.responder.DeviceResponder;
import io.github.tuntaplab.tunlib.responder.Responder;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import io.github.tuntaplab.tunlib.packet.AddressText;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A topology built in network namespaces, in this process: its namespaces (each with a thread of
 * ours inside), its TUN and TAP devices with their responders, and a live capture of every device.
 * {@link #close()} takes it all down again. The privileged lab process ({@link LabProcess}) holds
 * one; a GUI running as root or a test may hold one directly:
 *
 * <pre>{@code
 * try (Lab lab = Lab.up(Topology.load("default"))) {
 *   lab.commands().forEach(System.out::println);         // ip -n tl-client link add tl-eth0 type veth …
 *   try (AutoCloseable s = lab.subscribe(p -> System.out.println(p.device().link() + " " + p.length()))) {
 *     lab.step("1: ping the TAP's responder");             // a comment on the next packet
 *     ActionResult ping = lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "198.19.0.2");
 *   }
 * }
 * }</pre>
 *
 * Nothing is created in the caller's own namespace: every veth is made inside a lab namespace.
 */
public final class Lab implements AutoCloseable {
  private final Topology topology;
  private final LabSettings settings;
  private final Instant started = Instant.now();
  private final Map<String, NetworkNamespace> namespaces = new LinkedHashMap<>();
  /** The namespaces this lab created, to delete on close even if entering one failed. */
  private final List<String> created = new ArrayList<>();
  private final List<String> commands = new ArrayList<>();
  private final List<LabDevice> devices = new ArrayList<>();
  private final List<TunTapDevice> openDevices = new ArrayList<>();
  private final List<DeviceResponder> responders = new ArrayList<>();
  private final List<Responder> responderLogic = new ArrayList<>();
  private final List<LiveCapture> captures = new ArrayList<>();
  private final List<LabTunnel> tunnels = new ArrayList<>();
  /** The key every aead tunnel of this lab shares, made for the lab alone; none without such a tunnel. */
  private final Optional<TunnelKey> tunnelKey;
  /** A TAP's responder that answers no address never sends, so its MAC never shows. */
  private static final MacAddress UNUSED_MAC = MacAddress.parse("02:00:00:00:00:00");

  private volatile LabCapture capture;
  private boolean closed;

  private Lab(Topology topology, LabSettings settings) {
    this.topology = topology;
    this.settings = settings;
    this.tunnelKey = topology.tunnels().stream().anyMatch(t -> t.format() == Topology.TunnelFormat.AEAD)
        ? Optional.of(TunnelKey.generate()) : Optional.empty();
  }

  /** Builds {@code topology} with the default (or system-property) settings. */
  public static Lab up(Topology topology) throws IOException {
    return up(topology, LabSettings.fromSystemProperties());
  }

  /**
   * Builds {@code topology}: namespaces, links, devices, addresses, routes, responders, captures.
   * Refuses, before creating anything, when one of its namespaces exists already. A failure part
   * way removes what was built.
   *
   * @throws LabConflictException when a namespace it would create exists (run {@code tunlab cleanup})
   */
  public static Lab up(Topology topology, LabSettings settings) throws IOException {
    List<String> existing = new ArrayList<>();
    for (Topology.Namespace ns : topology.namespaces()) {
      if (NetworkNamespace.list().contains(settings.namespace(ns.role()))) {
        existing.add(settings.namespace(ns.role()));
      }
    }
    if (!existing.isEmpty()) {
      throw new LabConflictException("the namespace" + (existing.size() > 1 ? "s " : " ") + String.join(", ", existing)
          + (existing.size() > 1 ? " exist" : " exists") + " already (a lab running, or left over after a crash): "
          + "stop the running lab with 'tunlab lab down', or remove leftovers with 'sudo tunlab cleanup'");
    }
    Lab lab = new Lab(topology, settings);
    boolean built = false;
    try {
      lab.build();
      built = true;
      return lab;
    } finally {
      if (!built) {
        lab.close(); // whatever went wrong, an Error included: no namespace is left behind
      }
    }
  }

  private void build() throws IOException {
    for (Topology.Namespace ns : topology.namespaces()) {
      String name = settings.namespace(ns.role());
      NetworkNamespace.create(name);
      created.add(name);
      commands.add(NamespaceChange.add(name).commandLine());
      namespaces.put(ns.role(), NetworkNamespace.enter(name));
      // Without duplicate address detection IPv6 addresses work at once, not a second later.
      // No IGMP reports for 224.0.0.x groups (a forwarding namespace joins 224.0.0.106 on every link):
      // kernel chatter a lesson never asks about, sent at random moments.
      apply(ns.role(), LinkChange.up("lo"), new Sysctl("net.ipv6.conf.all.accept_dad", "0"),
          new Sysctl("net.ipv6.conf.default.accept_dad", "0"), new Sysctl("net.ipv4.igmp_link_local_mcast_reports", "0"));
      if (!ns.ipv6()) {
        // Before any link exists, so that every link it gets inherits the setting.
        apply(ns.role(), new Sysctl("net.ipv6.conf.all.disable_ipv6", "1"),
            new Sysctl("net.ipv6.conf.default.disable_ipv6", "1"));
      }
      if (ns.forwarding()) {
        // A router that forwards a packet back out of the link it came in on would send an ICMP
        // redirect: the lessons' routers are transit points, and their captures stay about the lesson.
        apply(ns.role(), Sysctl.ipv4Forwarding(true), new Sysctl("net.ipv6.conf.all.forwarding", "1"),
            new Sysctl("net.ipv4.conf.all.send_redirects", "0"), new Sysctl("net.ipv4.conf.default.send_redirects", "0"));
      }
    }
    for (Topology.Veth veth : topology.veths()) {
      End a = veth.a();
      End b = veth.b();
      apply(a.namespace(), LinkChange.veth(a.link(), b.link()), LinkChange.mac(a.link(), a.mac()),
          new TxChecksum(a.link(), false));
      if (!a.namespace().equals(b.namespace())) {
        apply(a.namespace(), LinkChange.moveTo(b.link(), settings.namespace(b.namespace())));
      }
      apply(b.namespace(), LinkChange.mac(b.link(), b.mac()), new TxChecksum(b.link(), false));
    }
    for (Topology.Bridge bridge : topology.bridges()) {
      End end = bridge.bridge();
      apply(end.namespace(), LinkChange.bridge(end.link()), LinkChange.mac(end.link(), end.mac()));
    }
    for (Topology.Port port : topology.ports()) {
      apply(port.namespace(), LinkChange.master(port.link(), port.bridge()));
    }
    for (Device device : topology.devices()) {
      openDevice(device);
    }
    // The underlay is up and addressed before the tunnels start: each finds the MTU of the link its
    // outer packets leave by. A tunnel's own link exists only once it runs (and it brings it up).
    Set<List<String>> tunnelLinks = topology.tunnels().stream().map(t -> List.of(t.namespace(), t.link()))
        .collect(Collectors.toSet());
    for (Topology.Namespace ns : topology.namespaces()) {
      for (String link : topology.linksIn(ns.role())) {
        if (!tunnelLinks.contains(List.of(ns.role(), link))) {
          apply(ns.role(), LinkChange.up(link));
        }
      }
    }
    addAddresses(address -> !tunnelLinks.contains(List.of(address.namespace(), address.address().link())));
    startTunnels();
    addAddresses(address -> tunnelLinks.contains(List.of(address.namespace(), address.address().link())));
    for (Topology.PlacedRoute route : topology.routes()) {
      apply(route.namespace(), RouteChange.add(route.route()));
    }
    startCapture();
  }

  private void addAddresses(Predicate<Topology.PlacedAddress> which) throws IOException {
    for (Topology.PlacedAddress address : topology.addresses()) {
      if (which.test(address)) {
        apply(address.namespace(), AddressChange.add(address.address()));
      }
    }
  }

  private void startTunnels() throws IOException {
    for (Topology.TunnelEndpoint endpoint : topology.tunnels()) {
      LabTunnel tunnel = new LabTunnel(endpoint, namespaces.get(endpoint.namespace()), tunnelKey);
      tunnels.add(tunnel);
      tunnel.start();
      commands.add(tunnel.command());
    }
  }

  private void openDevice(Device device) throws IOException {
    NetworkNamespace ns = namespaces.get(device.namespace());
    boolean tap = device.kind() == DeviceKind.TAP;
    TunTapDevice opened = ns.call(() -> (tap ? TunTapDevice.tap(device.link()) : TunTapDevice.tun(device.link()))
        .packetInformation(device.packetInformation()).createOnly().open());
    openDevices.add(opened);
    commands.add("ip -n " + ns.name() + " tuntap add dev " + device.link() + " mode " + (tap ? "tap" : "tun")
        + (device.packetInformation() ? " pi" : "") + "   # the lab holds it open; its responder answers "
        + device.responderAddresses().stream().map(Lab::addressText).collect(Collectors.joining(", ")));
    if (tap) {
      apply(device.namespace(), LinkChange.mac(device.link(), device.mac().orElseThrow()));
    }
  }

  /** Names every device first (the stream's interfaces are fixed), then starts capturing on each. */
  private void startCapture() throws IOException {
    List<End> vethEnds = new ArrayList<>();
    for (Topology.Veth veth : topology.veths()) {
      vethEnds.add(veth.a());
      vethEnds.add(veth.b());
    }
    for (End end : vethEnds) {
      addDevice(end.namespace(), end.link(), "veth", LinkType.ETHERNET);
    }
    List<Device> tunTaps = topology.devices();
    for (int i = 0; i < tunTaps.size(); i++) {
      addDevice(tunTaps.get(i).namespace(), tunTaps.get(i).link(),
          tunTaps.get(i).kind() == DeviceKind.TAP ? "tap" : "tun", openDevices.get(i).linkType());
    }
    List<LabDevice> tunnelDevices = new ArrayList<>();
    for (LabTunnel tunnel : tunnels) {
      boolean tap = tunnel.endpoint().format() == Topology.TunnelFormat.VXLAN;
      tunnelDevices.add(addDevice(tunnel.endpoint().namespace(), tunnel.endpoint().link(), tap ? "tap" : "tun",
          tap ? LinkType.ETHERNET : LinkType.RAW));
    }
    LabCapture hub = new LabCapture(devices, decryptionSecrets());
    for (int i = 0; i < tunnels.size(); i++) {
      tunnels.get(i).captureInto(hub, tunnelDevices.get(i));
    }
    capture = hub;
    for (int i = 0; i < vethEnds.size(); i++) {
      LabDevice device = devices.get(i);
      captures.add(namespaces.get(device.role()).call(() -> LiveCapture.start(device.link(),
          LabCapture.OBSERVER_NICENESS, (time, data, length) -> hub.record(device, time, data, length,
              Direction.UNKNOWN))));
    }
    for (int i = 0; i < tunTaps.size(); i++) {
      Device spec = tunTaps.get(i);
      LabDevice device = devices.get(vethEnds.size() + i);
      Responder responder = spec.kind() == DeviceKind.TAP
          ? Responder.forTap(spec.responderMac().orElse(UNUSED_MAC).toByteArray(), spec.responderAddresses())
          : Responder.forTun(spec.responderAddresses());
      responderLogic.add(responder);
      // What the program behind the device reads, the kernel sent out of it: outbound; its writes come in.
      boolean header = spec.packetInformation();
      responders.add(DeviceResponder.serve(openDevices.get(i), responder,
          read -> record(hub, device, read, Direction.OUTBOUND, header),
          written -> record(hub, device, written, Direction.INBOUND, header)));
    }
  }

  /**
   * The packet-information header belongs to the file descriptor, not to the packet (tcpdump on the
   * device never shows it): the capture keeps it beside the packet.
   */
  static void record(LabCapture hub, LabDevice device, ByteBuffer view, Direction direction,
      boolean packetInformation) {
    ByteBuffer packet = view.duplicate();
    PacketInformation header = null;
    if (packetInformation && packet.remaining() >= PacketInformation.LENGTH) {
      header = PacketInformation.readFrom(packet);
      packet.position(packet.position() + PacketInformation.LENGTH);
    }
    hub.record(device, Instant.now(), bytes(packet), packet.remaining(), direction, header);
  }

  private LabCapture capture() {
    if (capture == null) {
      throw new IllegalStateException("the lab is not up");
    }
    return capture;
  }

  private LabDevice addDevice(String role, String link, String kind, LinkType linkType) {
    LabDevice device = new LabDevice(devices.size(), role, settings.namespace(role), link, kind, linkType);
    devices.add(device);
    return device;
  }

  private static String addressText(InetAddress address) {
    return address instanceof Inet6Address ? AddressText.ipv6(address.getAddress(), 0) : address.getHostAddress();
  }

  private static byte[] bytes(ByteBuffer view) {
    byte[] data = new byte[view.remaining()];
    view.duplicate().get(data);
    return data;
  }

  private void apply(String role, NetChange... changes) throws IOException {
    commands.addAll(namespaces.get(role).apply(changes));
  }

  public Topology topology() {
    return topology;
  }

  public LabSettings settings() {
    return settings;
  }

  public Instant started() {
    return started;
  }

  /** What was done, in order, as the commands a terminal would use ({@code ip -n tl-client …}). */
  public List<String> commands() {
    return Collections.unmodifiableList(commands);
  }

  /** The namespace playing {@code role}, entered by a thread of ours: query or change it from Java. */
  public NetworkNamespace namespace(String role) {
    NetworkNamespace ns = namespaces.get(role);
    if (ns == null) {
      throw new IllegalArgumentException("no namespace " + role + " in topology " + topology.name() + " (there are "
          + namespaces.keySet() + ")");
    }
    return ns;
  }

  /** The namespaces' roles, in topology order. */
  public List<String> roles() {
    return List.copyOf(namespaces.keySet());
  }

  /** Every captured device, in pcapng interface order. */
  public List<LabDevice> devices() {
    return Collections.unmodifiableList(devices);
  }

  /** The device {@code link} in the namespace playing {@code role}. */
  public LabDevice device(String role, String link) {
    return devices.stream().filter(d -> d.role().equals(role) && d.link().equals(link)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no captured device " + link + " in " + role));
  }

  /**
   * The key the lab's aead tunnels share, if it has any: generated for this lab, never stored in a
   * file, and carried in the pcapng stream ({@link #decryptionSecrets()}).
   */
  public Optional<TunnelKey> tunnelKey() {
    return tunnelKey;
  }

  /**
   * The Decryption Secrets Blocks the lab's pcapng stream carries after its interfaces: the tunnel
   * key's key log ({@link TunnelKey#keyLogLine()}), so that a saved capture can be decrypted later.
   */
  public List<DecryptionSecrets> decryptionSecrets() {
    return tunnelKey.map(key -> List.of(new DecryptionSecrets(TunnelKey.SECRETS_TYPE,
        (key.keyLogLine() + "\n").getBytes(StandardCharsets.US_ASCII)))).orElse(List.of());
  }

  /**
   * Stops the tunnel endpoint whose TUN is {@code link} in the namespace playing {@code role}, as a
   * VPN process exits: its TUN closes and the kernel removes the device with its addresses and
   * routes. Returns the twin of what happened, for the student.
   *
   * @throws IllegalArgumentException when there is no such tunnel, or it is not running
   */
  public String stopTunnel(String role, String link) {
    LabTunnel tunnel = tunnel(role, link);
    if (!tunnel.stop()) {
      throw new IllegalArgumentException("the tunnel " + link + " in " + role + " is not running");
    }
    return "kill the tunnel process in " + namespace(role).name() + "   # its TUN " + link
        + " closes: the kernel removes the device, its addresses and its routes";
  }

  /**
   * Starts a stopped tunnel endpoint again, as a VPN client reconnects: a new TUN {@code link}, up,
   * with the topology's addresses on it and the topology's routes through it (those naming it with
   * {@code dev}, or via a gateway on one of its subnets). Returns the command, for the student.
   *
   * @throws IllegalArgumentException when there is no such tunnel, or it runs already
   */
  public String startTunnel(String role, String link) throws IOException {
    LabTunnel tunnel = tunnel(role, link);
    if (!tunnel.start()) {
      throw new IllegalArgumentException("the tunnel " + link + " in " + role + " runs already");
    }
    List<Topology.PlacedAddress> addresses = topology.addresses().stream()
        .filter(a -> a.namespace().equals(role) && a.address().link().equals(link)).toList();
    for (Topology.PlacedAddress address : addresses) {
      apply(role, AddressChange.add(address.address()));
    }
    for (Topology.PlacedRoute route : topology.routes()) {
      if (route.namespace().equals(role) && throughLink(route.route(), link, addresses)) {
        apply(role, RouteChange.add(route.route()));
      }
    }
    return tunnel.command();
  }

  private static boolean throughLink(Route route, String link, List<Topology.PlacedAddress> addresses) {
    if (route.device().isPresent()) {
      return route.device().get().equals(link);
    }
    return route.gateway().isPresent() && addresses.stream().map(Topology.PlacedAddress::address).anyMatch(a ->
        a.family().equals(AddressFamily.of(route.gateway().get()))
            && new IpPrefix(route.gateway().get(), a.prefixLength()).network()
                .equals(new IpPrefix(a.local(), a.prefixLength()).network()));
  }

  private LabTunnel tunnel(String role, String link) {
    return tunnels.stream().filter(t -> t.endpoint().namespace().equals(role) && t.endpoint().link().equals(link))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no tunnel " + link + " in " + role
            + " (the topology's tunnels: " + tunnels.stream().map(t -> t.endpoint().namespace() + "/"
            + t.endpoint().link()).toList() + ")"));
  }

  /** How many replies each responder sent, by device. */
  public Map<String, Long> responderReplies() {
    Map<String, Long> replies = new LinkedHashMap<>();
    List<Device> specs = topology.devices();
    for (int i = 0; i < responderLogic.size(); i++) {
      replies.put(specs.get(i).namespace() + "/" + specs.get(i).link(), responderLogic.get(i).stats().total());
    }
    return replies;
  }

  /** Packets captured so far, over all devices. */
  public long packetCount() {
    return capture().packetCount();
  }

  /**
   * Shows {@code subscriber} every packet captured from now on, on the capturing thread: keep it
   * quick (a lesson's checkpoint tests a predicate and hands over). Close the result to stop.
   */
  public AutoCloseable subscribe(Consumer<LabPacket> subscriber) {
    return capture().subscribe(subscriber);
  }

  /** Collects the packets that satisfy {@code condition} from now on: a lesson's checkpoint. Close it when done. */
  public PacketWatch watch(Predicate<LabPacket> condition) {
    PacketWatch watch = new PacketWatch(condition);
    watch.subscribeTo(this);
    return watch;
  }

  /**
   * Writes {@code packet} into the TUN or TAP {@code link} as the program behind it would (an IP
   * packet for a TUN, an Ethernet frame for a TAP): the kernel receives it, and the capture records
   * it inbound. For a lesson's hand-made packet.
   */
  public void inject(String role, String link, byte[] packet) throws IOException {
    List<Device> specs = topology.devices();
    for (int i = 0; i < specs.size(); i++) {
      if (specs.get(i).namespace().equals(role) && specs.get(i).link().equals(link)) {
        // Recorded first: the kernel may answer before write() returns, and the answer must not come first.
        capture().record(device(role, link), Instant.now(), packet, packet.length, Direction.INBOUND);
        openDevices.get(i).write(ByteBuffer.wrap(packet));
        return;
      }
    }
    throw new IllegalArgumentException("no TUN or TAP " + link + " in " + role);
  }

  /** Puts {@code comment} on the next packet captured (Wireshark shows it): what a lesson step is doing. */
  public void step(String comment) {
    capture().step(comment);
  }

  /**
   * Writes the live pcapng stream to {@code out} until the reader goes away or the lab closes, then
   * returns why it ended (null when the lab closed). Blocks the caller for that time.
   */
  public String streamPcapng(WritableByteChannel out) throws InterruptedException {
    return capture().stream(out).await();
  }

  /**
   * Runs {@code command} inside the namespace playing {@code role} (spawned from our thread there,
   * as {@code ip netns exec tl-client …} would) and waits up to {@code timeout} for it.
   */
  public ActionResult run(String role, Duration timeout, String... command) throws IOException {
    return run(role, timeout, List.of(command));
  }

  public ActionResult run(String role, Duration timeout, List<String> command) throws IOException {
    NetworkNamespace ns = namespace(role);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to run in " + role);
    }
    Process process = ns.call(() -> new ProcessBuilder(command).redirectErrorStream(true).start());
    process.getOutputStream().close();
    byte[][] output = new byte[1][];
    Thread reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        output[0] = in.readAllBytes();
      } catch (IOException e) {
        output[0] = new byte[0];
      }
    }, "output of " + command.get(0));
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.destroyForcibly().waitFor();
      }
      reader.join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command, e);
    }
    List<String> twin = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    twin.addAll(command);
    return new ActionResult(twin, finished ? process.exitValue() : -1, !finished,
        new String(output[0], StandardCharsets.UTF_8));
  }

  /** Stops the captures and responders, closes the devices and deletes the namespaces (with all their links). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    captures.forEach(LiveCapture::close);
    tunnels.forEach(LabTunnel::stop);
    openDevices.forEach(TunTapDevice::close);
    for (DeviceResponder responder : responders) {
      try {
        responder.await(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (capture != null) {
      capture.close();
    }
    for (NetworkNamespace ns : namespaces.values()) {
      ns.close();
    }
    for (String name : created) {
      try {
        NetworkNamespace.delete(name);
      } catch (IOException e) {
        // Already gone: nothing to remove.
      }
    }
  }
}
