package io.github.tuntaplab.tunlib.net;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.internal.CloseGate;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import io.github.tuntaplab.tunlib.internal.UdpSockets;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A UDP socket that can be tied to one link with {@code SO_BINDTODEVICE} — what a VPN client does
 * with its outer socket so the encrypted packets leave through the physical link even when the
 * tunnel has taken over the default route. (JDK channels offer no such option.) The socket belongs
 * to the namespace of the thread that opened it.
 *
 * <p>Binding restricts the kernel's route lookup to routes through that link; {@link #routeQuery}
 * gives the {@code ip route get DEST oif LINK} that shows the same decision from a terminal. Keep
 * a route through the link (the old default at a higher metric): without one the lookup falls back
 * to treating every destination as on-link, and the kernel sends ARP requests for it instead.
 */
public final class UdpSocket implements AutoCloseable {
  /** What {@link #receive(DatagramBatch)} returns once the socket is closed. */
  public static final int CLOSED = -1;

  private final int fd;
  private final boolean ipv6;
  /** In-flight batch receives; closing waits for them. */
  private final CloseGate gate;
  private ByteBuffer scratch = ByteBuffer.allocateDirect(2048);
  private String device;

  private UdpSocket(int fd, CloseGate gate, boolean ipv6) {
    this.fd = fd;
    this.gate = gate;
    this.ipv6 = ipv6;
  }

  /** A UDP socket of {@code family} ({@link AddressFamily#INET} or {@code INET6}) in the calling thread's namespace. */
  public static UdpSocket open(AddressFamily family) throws NativeCallException {
    int fd = UdpSockets.open(family.value());
    try {
      return new UdpSocket(fd, new CloseGate(), family.equals(AddressFamily.INET6));
    } catch (NativeCallException e) {
      Syscalls.closeQuietly(fd);
      throw e;
    }
  }

  /**
   * Lets the kernel fragment a datagram larger than the path MTU instead of refusing it (what a
   * tunnel wants for its outer packets; see {@code IP_PMTUDISC_DONT} in ip(7)).
   */
  public UdpSocket allowFragmentation() throws NativeCallException {
    int result = UdpSockets.allowFragmentationOrErrno(fd, ipv6);
    if (result < 0) {
      throw Errors.newException(ipv6 ? "setsockopt(IPV6_MTU_DISCOVER)" : "setsockopt(IP_MTU_DISCOVER)", -result);
    }
    return this;
  }

  /**
   * Asks the kernel to deliver runs of equal-sized datagrams from one sender as one (UDP receive
   * offload, {@code UDP_GRO}, Linux 5.0+): {@link #receive(DatagramBatch)} then may put a run into
   * one slot, back to back, and {@link DatagramBatch#segmentSize} says how long each is. Saves
   * the kernel's work per datagram, as GRO does on a network card. False where the kernel cannot.
   */
  public boolean receiveJoined() {
    return UdpSockets.receiveJoinedOrErrno(fd) == 0;
  }

  /** Asks for {@code bytes} of receive and send buffer, so bursts wait in the kernel instead of being dropped. */
  public UdpSocket bufferSizes(int bytes) {
    UdpSockets.setBufferSizes(fd, bytes);
    return this;
  }

  /** Sends and receives only through {@code link} from now on. */
  public UdpSocket bindToDevice(String link) throws NativeCallException {
    int result = UdpSockets.bindToDeviceOrErrno(fd, link);
    if (result < 0) {
      String call = "setsockopt(SO_BINDTODEVICE, " + link + ")";
      throw Errors.explained(switch (-result) {
        case Errno.ENODEV -> "cannot bind the socket to " + link + ": there is no such link in the socket's namespace "
            + "(ip link lists them)";
        case Errno.EPERM -> "binding a socket to a link needs CAP_NET_RAW (run as root)";
        default -> "cannot bind the socket to " + link;
      }, call, -result);
    }
    device = link;
    return this;
  }

  /** The link the socket is bound to, if any. */
  public Optional<String> device() {
    return Optional.ofNullable(device);
  }

  /** Binds the local address and port (port 0: any free one). */
  public UdpSocket bind(InetSocketAddress local) throws NativeCallException {
    int result = UdpSockets.bindOrErrno(fd, local);
    if (result < 0) {
      throw Errors.explained("cannot bind the socket to " + local + (-result == Errno.EADDRNOTAVAIL
          ? ": no link in the socket's namespace has that address" : ""), "bind", -result);
    }
    return this;
  }

  public InetSocketAddress localAddress() throws NativeCallException {
    return UdpSockets.localAddress(fd);
  }

  /** Sends {@code data}'s remaining bytes as one datagram to {@code target}; returns the count. */
  public int send(ByteBuffer data, InetSocketAddress target) throws NativeCallException {
    ByteBuffer direct = data;
    if (!data.isDirect()) {
      direct = scratchFor(data.remaining());
      direct.put(data.duplicate()).flip();
    }
    long sent = UdpSockets.sendToOrErrno(fd, direct, target);
    if (sent < 0) {
      throw sendFailure(target, (int) -sent, "sendto");
    }
    if (direct != data) {
      data.position(data.position() + (int) sent);
    }
    return (int) sent;
  }

  /**
   * Sends the first {@code count} buffers' remaining bytes, each as one datagram, to {@code target}
   * with a single system call ({@code sendmmsg}); returns how many were sent, which may be fewer.
   * The buffers must be direct; one buffer may appear several times.
   */
  public int sendBatch(ByteBuffer[] datagrams, int count, InetSocketAddress target) throws NativeCallException {
    if (count < 1 || count > datagrams.length) {
      throw new IllegalArgumentException("count must be 1.." + datagrams.length + ", not " + count);
    }
    for (int i = 0; i < count; i++) {
      if (!datagrams[i].isDirect()) {
        throw new IllegalArgumentException("sendBatch takes direct buffers (ByteBuffer.allocateDirect)");
      }
    }
    int sent = UdpSockets.sendBatchOrErrno(fd, datagrams, count, target);
    if (sent < 0) {
      throw sendFailure(target, -sent, "sendmmsg");
    }
    return sent;
  }

  private NativeCallException sendFailure(InetSocketAddress target, int errno, String call) {
    String destination = Ip.text(target.getAddress()) + ":" + target.getPort();
    return Errors.explained("cannot send to " + destination + ": " + ChangeErrors.routeRefusal(errno)
        + device().map(d -> " (the socket is bound to " + d + ", so only routes through it count)").orElse(""),
        call, errno);
  }

  /**
   * Sends slots {@code 0..count-1} of {@code batch}, each as long as {@link DatagramBatch#setLength}
   * said, to {@code target} in one {@code sendmmsg}; returns how many were sent.
   */
  public int send(DatagramBatch batch, int count, InetSocketAddress target) throws NativeCallException {
    if (count < 1 || count > batch.capacity()) {
      throw new IllegalArgumentException("count must be 1.." + batch.capacity() + ", not " + count);
    }
    int sent = batch.vector.sendOrErrno(fd, count, target);
    if (sent < 0) {
      throw sendFailure(target, -sent, "sendmmsg");
    }
    return sent;
  }

  /**
   * Like {@link #send(DatagramBatch, int, InetSocketAddress)}, with UDP segmentation offload
   * (UDP_SEGMENT, Linux 4.18+): runs of equal-length datagrams pass the sending stack as one
   * message each, and the kernel cuts them into those datagrams as late as it can, which saves
   * most of its per-datagram work. Datagrams longer than {@code maxSegment} (the payload that fits
   * the path MTU) go alone, so the kernel may fragment them. On the wire the datagrams are the same;
   * a capture taken on the sending host may show a run as one large packet, as with TCP
   * segmentation offload. Fails with EIO or EINVAL where the kernel or route cannot segment (then
   * send without).
   */
  public int sendSegmented(DatagramBatch batch, int count, InetSocketAddress target, int maxSegment)
      throws NativeCallException {
    if (count < 1 || count > batch.capacity()) {
      throw new IllegalArgumentException("count must be 1.." + batch.capacity() + ", not " + count);
    }
    int sent = batch.vector.sendSegmentedOrErrno(fd, count, target, maxSegment);
    if (sent < 0) {
      throw sendFailure(target, -sent, "sendmmsg");
    }
    return sent;
  }

  /**
   * Waits for datagrams and receives as many as are waiting, up to the batch's capacity, in one
   * {@code recvmmsg}; returns how many, or {@link #CLOSED} once {@link #close()} is called (from
   * any thread: a waiting receive wakes at once).
   */
  public int receive(DatagramBatch batch) throws NativeCallException {
    if (!gate.enter()) {
      return CLOSED;
    }
    try {
      while (true) {
        int received = batch.vector.receiveOrErrno(fd);
        if (received > 0) {
          return received;
        }
        if (received != -Errno.EAGAIN && received != -Errno.EINTR) {
          throw Errors.newException("recvmmsg", -received);
        }
        if (received == -Errno.EAGAIN && !awaitReadable()) {
          return CLOSED;
        }
      }
    } finally {
      gate.exit();
    }
  }

  private boolean awaitReadable() throws NativeCallException {
    while (true) {
      int ready = Syscalls.awaitReadableOrErrno(fd, gate.signalFd());
      if (ready < 0 && ready != -Errno.EINTR) {
        throw Errors.newException("poll", -ready);
      }
      if (!gate.isOpen()) {
        return false;
      }
      if (ready > 0) {
        return true;
      }
    }
  }

  /** Waits for one datagram, puts it into {@code into} and returns its sender. */
  public InetSocketAddress receive(ByteBuffer into) throws NativeCallException {
    ByteBuffer direct = into.isDirect() ? into : scratchFor(into.remaining());
    int[] errno = new int[1];
    InetSocketAddress from = UdpSockets.receiveFrom(fd, direct, errno);
    if (from == null) {
      throw Errors.newException("recvfrom", errno[0]);
    }
    if (direct != into) {
      into.put(direct.flip());
    }
    return from;
  }

  /** The route lookup this socket's datagram to {@code destination} gets: {@code ip route get … oif LINK}. */
  public RouteQuery routeQuery(String destination) {
    RouteQuery query = RouteQuery.to(destination);
    return device == null ? query : query.oif(device);
  }

  private ByteBuffer scratchFor(int length) {
    if (scratch.capacity() < length) {
      scratch = ByteBuffer.allocateDirect(length);
    }
    return scratch.clear().limit(length);
  }

  /**
   * Closes the socket; later calls do nothing (the descriptor number may already be reused). Batch
   * receives waiting in other threads return {@link #CLOSED} first; the descriptor closes after they
   * have left.
   */
  @Override
  public void close() {
    if (gate.close()) {
      Syscalls.closeQuietly(fd);
      gate.release();
    }
  }
}
