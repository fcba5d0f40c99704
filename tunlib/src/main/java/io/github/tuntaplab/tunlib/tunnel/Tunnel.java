package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.device.DeviceKind;
import io.github.tuntaplab.tunlib.device.DeviceOptions;
import io.github.tuntaplab.tunlib.device.DeviceQueue;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.net.Address;
import io.github.tuntaplab.tunlib.net.AddressChange;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.DatagramBatch;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.net.LinkChange;
import io.github.tuntaplab.tunlib.net.NetworkConfig;
import io.github.tuntaplab.tunlib.net.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A running tunnel endpoint: the flow of a VPN. Each queue's thread reads packet A from the TUN
 * (or TAP), wraps it ({@link Encapsulation}) and sends it as the payload of packet B through a UDP
 * socket to the peer; a receiving thread takes packet B off the socket, checks and unwraps it and
 * writes packet A into the device, where the kernel receives it as if it had arrived on a wire.
 *
 * <pre>{@code
 * TunnelConfig config = TunnelConfig.client(Encapsulation.plain(), "tl-tun0",
 *         new InetSocketAddress("203.0.113.89", 5555))
 *     .withAddresses(List.of(IpPrefix.parse("198.18.0.1/24")));
 * try (Tunnel tunnel = Tunnel.start(config)) {
 *   System.out.println("MTU " + tunnel.mtu().arithmetic());   // 1500 − 20 (IPv4) − 8 (UDP) = 1472
 *   ...
 * }
 * }</pre>
 *
 * <p>The device and the socket are made in the namespace of the thread that calls {@link #start}.
 * Batches: the sender reads every packet waiting in its queue (up to 64) and sends them with one
 * {@code sendmmsg}; the receiver takes up to 64 datagrams with one {@code recvmmsg}. The plain and
 * VXLAN formats allocate nothing per packet; AEAD allocates what the JDK's cipher asks for (a nonce
 * object and two buffer views per message). With {@link TunnelConfig#withOffload offloads} runs of outer datagrams
 * are sent with UDP segmentation offload and received joined (UDP receive offload), and TCP
 * segments are joined on their way into a TUN ({@code TcpCoalescer}).
 *
 * <p>Over-size packets are handled as a router handles them (docs/tunnel.md): an IPv4 packet
 * without DF is sent whole and the kernel fragments the outer packet; an IPv4 packet with DF and
 * any IPv6 packet above the tunnel MTU is answered with ICMP "fragmentation needed" or ICMPv6
 * "packet too big" written back into the TUN. Such packets reach the tunnel only when the device's
 * MTU was raised above {@link #mtu()}: the kernel itself keeps the rest within the MTU.
 *
 * <p>A packet read from the TUN that is one of our own outer packets (UDP to the peer's address and
 * port) means the route to the peer leads into the tunnel itself: it is dropped and counted as
 * {@code looped} rather than wrapped again and again ({@link RoutingLoop}).
 */
public final class Tunnel implements AutoCloseable {
  private static final int BATCH = 64;
  private static final int MAX_INNER = 65535 + DeviceKind.TAP.linkHeaderLength();
  private static final int SOCKET_BUFFER = 8 << 20;
  /** The largest ICMP error we write back: RFC 8201 caps quotes at the IPv6 minimum MTU. */
  private static final int IPV6_MIN_MTU = 1280;

  private enum Count {
    SENT_PACKETS, SENT_BYTES, RECEIVED_PACKETS, RECEIVED_BYTES, MALFORMED, UNKNOWN_KEY, TAMPERED, REPLAYED,
    TOO_OLD, UNKNOWN_SENDER, NO_PEER, TOO_BIG, SEND_FAILURES, LOOPED
  }

  private final TunnelConfig config;
  private final TunnelMtu mtu;
  private final List<String> notices;
  private final TunTapDevice device;
  private final UdpSocket socket;
  private final Codec codec;
  private final Optional<InetSocketAddress> fixedPeer;
  private final boolean peerPortMatters;
  private volatile InetSocketAddress peer;
  /** Recognises our own outer packets to the current peer coming back in (null without a peer). */
  private volatile RoutingLoop loop;
  private final Consumer<ByteBuffer> onRead;
  private final Consumer<ByteBuffer> onWrite;
  /** Cleared when the kernel refuses segmentation offload (then every batch goes without). */
  private volatile boolean segmenting;
  private final int maxSegment;
  /** Whether the TUN carries a virtio-net header, for joining TCP segments on their way in ({@link TcpCoalescer}). */
  private final boolean vnetHeader;
  private final LongAdder[] counts = new LongAdder[Count.values().length];
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Thread> senders = new ArrayList<>();
  private final Thread receiver;
  private volatile boolean closing;

  private Tunnel(TunnelConfig config, TunnelMtu mtu, TunTapDevice device, UdpSocket socket,
      Consumer<ByteBuffer> onRead, Consumer<ByteBuffer> onWrite, List<String> notices) {
    this.config = config;
    this.mtu = mtu;
    this.notices = List.copyOf(notices);
    this.device = device;
    this.socket = socket;
    this.codec = codecFor(config);
    this.fixedPeer = config.role() == TunnelRole.CLIENT ? config.peer() : Optional.empty();
    this.peerPortMatters = !(config.encapsulation() instanceof Encapsulation.Vxlan);
    this.peer = config.peer().orElse(null);
    this.loop = RoutingLoop.towards(peer);
    this.onRead = onRead;
    this.onWrite = onWrite;
    this.segmenting = config.offload();
    this.maxSegment = mtu.underlayMtu() - mtu.outerIpHeader() - TunnelMtu.UDP_HEADER;
    this.vnetHeader = device.hasVnetHeader();
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
    for (DeviceQueue queue : device.queues()) {
      senders.add(thread("tunnel " + device.name() + " device→udp " + queue.index(), () -> sendLoop(queue)));
    }
    receiver = thread("tunnel " + device.name() + " udp→device", this::receiveLoop);
  }

  /**
   * Creates the device (MTU set from the underlay, addresses added, up) and the outer socket in the
   * calling thread's namespace, and starts moving packets.
   */
  public static Tunnel start(TunnelConfig config) throws IOException {
    return start(config, null, null);
  }

  /**
   * As {@link #start(TunnelConfig)}, also showing {@code onRead} every packet read from the device
   * and {@code onWrite} every packet written into it (unwrapped packets, ICMP "too big" replies),
   * each as a view valid during the call only, on the tunnel's threads: a capture of the device
   * as the program behind it sees it (the lab's). Either may be null.
   */
  public static Tunnel start(TunnelConfig config, Consumer<ByteBuffer> onRead, Consumer<ByteBuffer> onWrite)
      throws IOException {
    List<String> notices = new ArrayList<>();
    TunTapDevice device = open(config, notices);
    UdpSocket socket = null;
    TunnelMtu mtu;
    try {
      try (NetworkConfig net = NetworkConfig.open()) {
        mtu = UnderlayMtu.of(config, net, notices);
        net.apply(LinkChange.mtu(device.name(), mtu.value()));
        for (IpPrefix prefix : config.addresses()) {
          net.apply(AddressChange.add(Address.of(device.name(), prefix.toString())));
        }
        net.apply(LinkChange.up(device.name()));
      }
      socket = UdpSocket.open(AddressFamily.of(config.listen().getAddress()));
      if (config.bindDevice().isPresent()) {
        socket.bindToDevice(config.bindDevice().get());
      }
      socket.bind(config.listen()).allowFragmentation().bufferSizes(SOCKET_BUFFER);
      if (config.offload() && !socket.receiveJoined()) {
        notices.add("no UDP receive offload (UDP_GRO needs Linux 5.0): each outer datagram is received alone");
      }
    } catch (IOException | RuntimeException e) {
      if (socket != null) {
        socket.close();
      }
      device.close();
      throw e;
    }
    Tunnel tunnel = new Tunnel(config, mtu, device, socket, onRead, onWrite, notices);
    tunnel.senders.forEach(Thread::start);
    tunnel.receiver.start();
    return tunnel;
  }

  /**
   * Opens the device; with offloads, a TUN with a virtio-net header, or without one (and a notice)
   * when the kernel refuses it.
   */
  private static TunTapDevice open(TunnelConfig config, List<String> notices) throws IOException {
    boolean tun = config.encapsulation().deviceKind() == DeviceKind.TUN;
    if (config.offload() && tun) {
      try {
        return TunTapDevice.tun(config.deviceName()).queues(config.queues()).vnetHeader(true).open();
      } catch (NativeCallException refused) {
        notices.add("offloads off on " + config.deviceName() + ": the kernel refused a TUN with a virtio-net header ("
            + refused.getMessage() + ")");
      }
    }
    DeviceOptions options = tun ? TunTapDevice.tun(config.deviceName()) : TunTapDevice.tap(config.deviceName());
    return options.queues(config.queues()).open();
  }

  private static Codec codecFor(TunnelConfig config) {
    Encapsulation encapsulation = config.encapsulation();
    if (encapsulation instanceof Encapsulation.Aead aead) {
      return new AeadCodec(aead.key(), config.role() == TunnelRole.CLIENT ? 0 : 1);
    }
    if (encapsulation instanceof Encapsulation.Vxlan vxlan) {
      return new VxlanCodec(vxlan.vni());
    }
    return new PlainCodec();
  }

  public TunnelConfig config() {
    return config;
  }

  /** The device's name (a template's number filled in). */
  public String deviceName() {
    return device.name();
  }

  /** The device's MTU, its arithmetic and where the underlay's figure came from. */
  public TunnelMtu mtu() {
    return mtu;
  }

  /**
   * What did not go as configured at start, one line each: offloads the kernel refused, an
   * underlay MTU that had to be assumed. Empty when everything did.
   */
  public List<String> notices() {
    return notices;
  }

  /** The outer socket's local address (the port the kernel chose, for port 0). */
  public InetSocketAddress localAddress() throws NativeCallException {
    return socket.localAddress();
  }

  /** Where outer packets go now: the fixed peer, the one a server learnt, or empty. */
  public Optional<InetSocketAddress> peer() {
    return Optional.ofNullable(peer);
  }

  /** The first error that stopped a thread of this tunnel, if any. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  public TunnelStats stats() {
    return new TunnelStats(count(Count.SENT_PACKETS), count(Count.SENT_BYTES), count(Count.RECEIVED_PACKETS),
        count(Count.RECEIVED_BYTES), count(Count.MALFORMED), count(Count.UNKNOWN_KEY), count(Count.TAMPERED),
        count(Count.REPLAYED), count(Count.TOO_OLD), count(Count.UNKNOWN_SENDER), count(Count.NO_PEER),
        count(Count.TOO_BIG), count(Count.SEND_FAILURES), count(Count.LOOPED));
  }

  private long count(Count which) {
    return counts[which.ordinal()].sum();
  }

  private void add(Count which, long amount) {
    counts[which.ordinal()].add(amount);
  }

  private Thread thread(String name, ThrowingRunnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (IOException | RuntimeException e) {
        if (!closing) {
          failure.compareAndSet(null, e);
        }
      }
    }, name);
    thread.setDaemon(true);
    return thread;
  }

  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  /** Device → socket: read every waiting packet (the first one blocking), wrap each, send them in one call. */
  private void sendLoop(DeviceQueue queue) throws IOException {
    int header = codec.headerLength();
    // With a virtio-net header it comes first; it is read into the codec's header room (which the
    // codec then overwrites) or, for a format with less room, into a scratch buffer.
    int lead = vnetHeader ? TcpCoalescer.VNET_HEADER : 0;
    int slot = header + MAX_INNER + codec.trailerLength();
    // A TUN carries IP packets: they can be too big for the tunnel, or our own outer packets.
    boolean ipPackets = config.encapsulation().deviceKind() == DeviceKind.TUN;
    try (DatagramBatch batch = new DatagramBatch(BATCH, slot)) {
      ByteBuffer buffer = batch.buffer();
      ByteBuffer view = buffer.duplicate();
      ByteBuffer scratch = lead > header ? ByteBuffer.allocateDirect(lead + MAX_INNER) : null;
      ByteBuffer reply = ByteBuffer.allocateDirect(lead + IPV6_MIN_MTU); // an empty virtio-net header, then ICMP
      ByteBuffer replyBody = reply.slice(lead, IPV6_MIN_MTU);
      while (true) {
        int n = 0;
        long bytes = 0;
        queue.setBlocking(true);
        while (n < BATCH) {
          int at = batch.offset(n);
          int length;
          if (scratch == null) {
            view.limit(at + header + MAX_INNER).position(at + header - lead);
            length = queue.read(view);
          } else {
            scratch.clear();
            length = queue.read(scratch);
            if (length > lead) {
              buffer.put(at + header, scratch, lead, length - lead);
            }
          }
          if (length == DeviceQueue.CLOSED) {
            return;
          }
          if (length == 0) {
            break;
          }
          length -= lead;
          queue.setBlocking(false);
          if (length <= 0) {
            continue;
          }
          if (onRead != null) {
            onRead.accept(buffer.duplicate().limit(at + header + length).position(at + header));
          }
          RoutingLoop looping = loop;
          if (ipPackets && looping != null && looping.isOuterPacket(buffer, at + header, length)) {
            add(Count.LOOPED, 1);
            continue;
          }
          if (ipPackets && length > mtu.value()) {
            if (TooBig.reply(buffer, at + header, length, mtu.value(), replyBody)) {
              reply.limit(lead + replyBody.limit()).position(0);
              if (onWrite != null) {
                onWrite.accept(replyBody.duplicate().position(0));
              }
              queue.write(reply);
              add(Count.TOO_BIG, 1);
              continue;
            }
          }
          batch.setLength(n, codec.seal(buffer, at, length));
          bytes += length;
          n++;
        }
        if (n > 0) {
          send(batch, n, bytes);
        }
      }
    }
  }

  private void send(DatagramBatch batch, int n, long bytes) {
    InetSocketAddress target = peer;
    if (target == null) {
      add(Count.NO_PEER, n);
      return;
    }
    try {
      int sent = segmenting ? sendSegmented(batch, n, target) : socket.send(batch, n, target);
      add(Count.SENT_PACKETS, sent);
      add(Count.SENT_BYTES, sent == n ? bytes : 0);
      add(Count.SEND_FAILURES, n - sent);
    } catch (NativeCallException refused) {
      // No route to the peer for now (a link down, a route being changed): a tunnel carries on, as UDP does.
      add(Count.SEND_FAILURES, n);
    }
  }

  /** With segmentation offload; without, from now on, if the kernel cannot segment on this path. */
  private int sendSegmented(DatagramBatch batch, int n, InetSocketAddress target) throws NativeCallException {
    try {
      return socket.sendSegmented(batch, n, target, maxSegment);
    } catch (NativeCallException e) {
      if (e.errno() != Errno.EIO && e.errno() != Errno.EINVAL) {
        throw e;
      }
      segmenting = false;
      return socket.send(batch, n, target);
    }
  }

  /** Socket → device: take every waiting datagram, check and unwrap each, write the inner packets. */
  private void receiveLoop() throws IOException {
    int header = codec.headerLength();
    DeviceQueue out = device.queue(0);
    TcpCoalescer coalescer = vnetHeader ? new TcpCoalescer(out) : null;
    try (DatagramBatch batch = new DatagramBatch(BATCH, header + MAX_INNER + codec.trailerLength())) {
      ByteBuffer buffer = batch.buffer();
      ByteBuffer view = buffer.duplicate();
      while (true) {
        int n = socket.receive(batch);
        if (n == UdpSocket.CLOSED) {
          return;
        }
        long delivered = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
          int length = batch.length(i);
          // A run the kernel joined (UDP receive offload) holds its datagrams back to back.
          int joined = batch.segmentSize(i);
          int segment = joined > 0 ? joined : length;
          if (fixedPeer.isPresent() && !(peerPortMatters ? batch.isFrom(i, fixedPeer.get())
              : batch.isFromHost(i, fixedPeer.get()))) {
            add(Count.UNKNOWN_SENDER, (length + segment - 1) / segment);
            continue;
          }
          // The datagrams of a joined run share one sender: it is looked at once per slot.
          boolean senderSeen = fixedPeer.isPresent();
          for (int from = 0; from < length; from += segment) {
            int at = batch.offset(i) + from;
            int inner = codec.open(buffer, at, Math.min(segment, length - from));
            if (inner < 0) {
              add(verdictCount(inner), 1);
              continue;
            }
            if (!senderSeen) {
              InetSocketAddress current = peer;
              if (current == null || !batch.isFrom(i, current)) {
                peer = batch.sender(i);
                loop = RoutingLoop.towards(peer);
              }
              senderSeen = true;
            }
            if (onWrite != null) {
              onWrite.accept(buffer.duplicate().limit(at + header + inner).position(at + header));
            }
            if (coalescer != null) {
              coalescer.add(buffer, at + header, inner);
            } else {
              view.limit(at + header + inner).position(at + header);
              out.write(view);
            }
            delivered++;
            bytes += inner;
          }
        }
        if (coalescer != null) {
          coalescer.flush();
        }
        add(Count.RECEIVED_PACKETS, delivered);
        add(Count.RECEIVED_BYTES, bytes);
      }
    }
  }

  private static Count verdictCount(int verdict) {
    return switch (verdict) {
      case Codec.UNKNOWN_KEY -> Count.UNKNOWN_KEY;
      case Codec.TAMPERED -> Count.TAMPERED;
      case Codec.REPLAYED -> Count.REPLAYED;
      case Codec.TOO_OLD -> Count.TOO_OLD;
      default -> Count.MALFORMED;
    };
  }

  /** Stops both directions and removes the device (unless someone else holds it open). */
  @Override
  public void close() {
    closing = true;
    device.close();
    join(senders);
    socket.close();
    join(List.of(receiver));
  }

  private static void join(List<Thread> threads) {
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "Tunnel[" + config.role() + " " + config.encapsulation().name() + " " + device.name() + " mtu "
        + mtu.value() + (peer == null ? "" : " peer " + peer) + "]";
  }
}
