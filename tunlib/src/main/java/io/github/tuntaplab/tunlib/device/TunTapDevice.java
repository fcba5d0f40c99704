package io.github.tuntaplab.tunlib.device;

import io.github.tuntaplab.tunlib.ClosedDeviceException;
import io.github.tuntaplab.tunlib.internal.LinkMessage;
import io.github.tuntaplab.tunlib.internal.LinkQuery;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import io.github.tuntaplab.tunlib.internal.TunControl;
import io.github.tuntaplab.tunlib.net.LinkFlags;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TUN or TAP device opened from Java: the kernel hands it every packet routed to the device, and
 * takes every packet written to it as if it came off the wire.
 *
 * <pre>{@code
 * try (TunTapDevice tun = TunTapDevice.tun("tl-tun%d").open()) {
 *   ByteBuffer packet = ByteBuffer.allocateDirect(tun.maxPacketSize());
 *   while (tun.read(packet.clear()) > 0) {
 *     System.out.println(tun.name() + ": IPv" + (packet.get(0) >> 4) + ", " + packet.position() + " bytes");
 *   }
 * }
 * }</pre>
 *
 * A device is created in the network namespace of the thread that opens it and stays there. It
 * disappears when its last descriptor closes, unless it was made persistent.
 */
public final class TunTapDevice implements AutoCloseable {
  private static final int CLOSED_BIT = 1 << 30;
  private static final int VNET_HEADER_LENGTH = 10;
  private static final int VLAN_TAG_LENGTH = 4;

  private final String name;
  private final DeviceKind kind;
  private final int index;
  private final boolean packetInformation;
  private final boolean vnetHeader;
  private final List<DeviceQueue> queues;
  private final int closeSignalFd;
  private final LinkQuery links;
  /** In-flight reads and writes, plus {@link #CLOSED_BIT} once closing has begun. */
  private final AtomicInteger state = new AtomicInteger();

  private TunTapDevice(DeviceOpener.Opened opened) {
    this.name = opened.name();
    this.kind = opened.kind();
    this.index = opened.index();
    this.packetInformation = opened.packetInformation();
    this.vnetHeader = opened.vnetHeader();
    this.closeSignalFd = opened.closeSignalFd();
    this.links = opened.links();
    DeviceQueue[] built = new DeviceQueue[opened.queueFds().length];
    for (int i = 0; i < built.length; i++) {
      built[i] = new DeviceQueue(this, i, opened.queueFds()[i], closeSignalFd, opened.readAhead());
    }
    this.queues = List.of(built);
  }

  static TunTapDevice from(DeviceOpener.Opened opened) {
    return new TunTapDevice(opened);
  }

  /** Starts describing a TUN named {@code name}, or a template such as {@code tl-tun%d}. */
  public static DeviceOptions tun(String name) {
    return new DeviceOptions(DeviceKind.TUN, name);
  }

  /** Starts describing a TAP named {@code name}, or a template such as {@code tl-tap%d}. */
  public static DeviceOptions tap(String name) {
    return new DeviceOptions(DeviceKind.TAP, name);
  }

  /**
   * Attaches to an existing device (typically a persistent one an administrator created with
   * {@code ip tuntap add … user <you>}), whatever its kind; fails if there is none.
   */
  public static DeviceOptions existing(String name) {
    return new DeviceOptions(null, name).attachOnly();
  }

  /** The real name, with a template's number filled in by the kernel. */
  public String name() {
    return name;
  }

  public DeviceKind kind() {
    return kind;
  }

  /** The link type for capture files: RAW (101) for a TUN, ETHERNET (1) for a TAP. */
  public LinkType linkType() {
    return kind.linkType();
  }

  /** Bytes before the IP header in what {@link #read} returns, not counting packet information. */
  public int linkHeaderLength() {
    return kind.linkHeaderLength();
  }

  /** The interface index, as {@code ip link} numbers it in the device's namespace. */
  public int index() {
    return index;
  }

  public boolean hasPacketInformation() {
    return packetInformation;
  }

  public boolean hasVnetHeader() {
    return vnetHeader;
  }

  public int queueCount() {
    return queues.size();
  }

  public DeviceQueue queue(int i) {
    return queues.get(i);
  }

  public List<DeviceQueue> queues() {
    return queues;
  }

  /** Reads one packet from the first queue; see {@link DeviceQueue#read}. */
  public int read(ByteBuffer into) throws IOException {
    return queues.get(0).read(into);
  }

  /** Writes one packet through the first queue; see {@link DeviceQueue#write}. */
  public int write(ByteBuffer from) throws IOException {
    return queues.get(0).write(from);
  }

  /** A buffer size that holds any packet at the current MTU, with every header this device adds. */
  public int maxPacketSize() throws IOException {
    return info().mtu() + kind.linkHeaderLength() + (kind == DeviceKind.TAP ? VLAN_TAG_LENGTH : 0)
        + (packetInformation ? PacketInformation.LENGTH : 0) + (vnetHeader ? VNET_HEADER_LENGTH : 0);
  }

  /** Asks the kernel for the device's flags, MTU, MAC and counters now. */
  public LinkInfo info() throws IOException {
    LinkMessage link = control(fd -> links.byIndex(index)).orElseThrow(() -> new IOException(
        name + " no longer exists in the namespace it was created in (deleted, or moved with ip link set netns)"));
    Optional<MacAddress> mac = link.address().length == MacAddress.LENGTH
        ? Optional.of(MacAddress.of(link.address())) : Optional.empty();
    return new LinkInfo(link.index(), link.name(), new LinkFlags(link.flags()), link.mtu(), mac,
        link.stat(LinkMessage.RX_PACKETS), link.stat(LinkMessage.TX_PACKETS),
        link.stat(LinkMessage.RX_BYTES), link.stat(LinkMessage.TX_BYTES),
        link.stat(LinkMessage.RX_DROPPED), link.stat(LinkMessage.TX_DROPPED));
  }

  /** Keeps the device after the last descriptor closes ({@code ip tuntap add} makes such devices). */
  public void setPersistent(boolean persistent) throws IOException {
    control(fd -> {
      TunControl.setPersist(fd, persistent);
      return null;
    });
  }

  /** Lets the user {@code uid} attach without CAP_NET_ADMIN; -1 removes the restriction. */
  public void setOwner(long uid) throws IOException {
    control(fd -> {
      TunControl.setOwner(fd, uid);
      return null;
    });
  }

  /** Lets members of {@code gid} attach without CAP_NET_ADMIN; -1 removes the restriction. */
  public void setGroup(long gid) throws IOException {
    control(fd -> {
      TunControl.setGroup(fd, gid);
      return null;
    });
  }

  public boolean isOpen() {
    return (state.get() & CLOSED_BIT) == 0;
  }

  /**
   * Closes every queue. Readers blocked in other threads wake at once and get
   * {@link DeviceQueue#CLOSED}; the descriptors close after they have left, so no call ever uses a
   * descriptor number the process may already have reused.
   */
  @Override
  public void close() {
    int before = state.getAndUpdate(s -> s | CLOSED_BIT);
    if ((before & CLOSED_BIT) != 0) {
      return;
    }
    try {
      Syscalls.signal(closeSignalFd);
    } catch (IOException cannotSignal) {
      // Only a poller would miss the wake-up, and every poller re-checks isOpen() when it returns.
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((state.get() & ~CLOSED_BIT) != 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
    }
    for (DeviceQueue queue : queues) {
      queue.closeDescriptor();
    }
    Syscalls.closeQuietly(closeSignalFd);
    links.close();
  }

  @Override
  public String toString() {
    return kind + " " + name + (isOpen() ? "" : " (closed)");
  }

  /** Counts a read or write in; false once closing has begun. */
  boolean enter() {
    while (true) {
      int s = state.get();
      if ((s & CLOSED_BIT) != 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  void exit() {
    state.decrementAndGet();
  }

  /** Runs a control call on the first queue's descriptor, which stays open until the call returns. */
  private <T> T control(ControlCall<T> call) throws IOException {
    if (!enter()) {
      throw new ClosedDeviceException(name + " is closed: open it again to use it");
    }
    try {
      return call.apply(queues.get(0).descriptor());
    } finally {
      exit();
    }
  }

  private interface ControlCall<T> {
    T apply(int fd) throws IOException;
  }
}
