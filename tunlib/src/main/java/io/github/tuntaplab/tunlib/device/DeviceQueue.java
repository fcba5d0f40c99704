package io.github.tuntaplab.tunlib.device;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.tuntaplab.tunlib.ClosedDeviceException;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.ReadAheadRing;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One queue of a device: its own file descriptor, reading and writing whole packets. A
 * single-queue device has one; a multi-queue device spreads flows over several, each read by its
 * own thread.
 *
 * <p>The descriptor is always non-blocking underneath. A blocking read tries once and, only if
 * nothing is waiting, sleeps in {@code poll()} on the descriptor together with the device's close
 * signal (an eventfd): an idle reader uses no CPU, and {@link TunTapDevice#close()} wakes it at
 * once — closing the descriptor alone would not (DESIGN §4). With read-ahead (the default, see
 * {@link DeviceOptions#readAhead}) the same holds, but the kernel reads into an io_uring ring of
 * buffers and a read takes the next packet from there, entering the kernel only when it is empty.
 */
public final class DeviceQueue {
  /** What {@link #read} returns when the device has been closed. */
  public static final int CLOSED = -1;

  private static final int POLLFD_SIZE = 8;
  private static final int EVENTS = 4;
  private static final int REVENTS = 6;

  private final TunTapDevice device;
  private final int index;
  private final int fd;
  private final int closeSignalFd;
  private final int readAheadPackets;
  /** Guarded by {@link #readLock}. */
  private ReadAheadRing readAhead;
  private boolean readAheadTried;
  private volatile boolean readingAhead;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Memory readPoll;
  private final Memory writePoll;
  private final Direction reads = new Direction();
  private final Direction writes = new Direction();
  private volatile boolean blocking = true;

  DeviceQueue(TunTapDevice device, int index, int fd, int closeSignalFd, int readAheadPackets) {
    this.device = device;
    this.index = index;
    this.fd = fd;
    this.closeSignalFd = closeSignalFd;
    this.readAheadPackets = readAheadPackets;
    this.readPoll = pollFds(fd, Syscalls.POLLIN, closeSignalFd);
    this.writePoll = pollFds(fd, Syscalls.POLLOUT, closeSignalFd);
  }

  public int index() {
    return index;
  }

  public TunTapDevice device() {
    return device;
  }

  /** In non-blocking mode {@link #read} returns 0 instead of waiting for a packet. */
  public void setBlocking(boolean blocking) {
    this.blocking = blocking;
  }

  public boolean isBlocking() {
    return blocking;
  }

  /**
   * Reads one packet into {@code into} from its position, advancing the position by the packet's
   * length. A TAP yields an Ethernet frame, a TUN an IP packet; with packet information on, the
   * 4-byte {@link PacketInformation} comes first. A packet longer than the space remaining is cut
   * to fit (and flagged in the packet information, when that is on).
   *
   * @return the packet's length; 0 if non-blocking and nothing is waiting; {@link #CLOSED} once the
   *     device is closed, including when it is closed while this call waits
   */
  public int read(ByteBuffer into) throws IOException {
    if (!device.enter()) {
      return CLOSED;
    }
    readLock.lock();
    try {
      return readAhead() != null ? readAhead(into) : readOne(into);
    } finally {
      readLock.unlock();
      device.exit();
    }
  }

  /**
   * Whether this queue reads packets ahead of its caller through io_uring (one system call for a
   * burst of packets) rather than one {@code read()} each: asked for with
   * {@link DeviceOptions#readAhead}, and possible from Linux 6.7. Decided at the first read.
   */
  public boolean readsAhead() {
    return readingAhead;
  }

  private ReadAheadRing readAhead() {
    if (!readAheadTried) {
      readAheadTried = true;
      readAhead = readAheadPackets > 0 ? ReadAheadRing.openOrNull(fd, closeSignalFd, readAheadPackets) : null;
      readingAhead = readAhead != null;
    }
    return readAhead;
  }

  private int readAhead(ByteBuffer into) throws IOException {
    int n = readAhead.next(into, blocking);
    if (n == ReadAheadRing.SIGNALLED) {
      return CLOSED;
    }
    if (n < 0) {
      throw Errors.explained("reading a packet from " + device.name() + " failed", "read", -n);
    }
    int room = into.remaining();
    if (n > room && device.hasPacketInformation() && room >= PacketInformation.LENGTH) {
      // What the kernel does when its reader's buffer is too small, done here for ours.
      PacketInformation.markTruncated(into, into.position());
    }
    return taken(into, into.position(), n);
  }

  private int readOne(ByteBuffer into) throws IOException {
    while (true) {
      int position = into.position();
      long n = transfer(true, into);
      if (n >= 0) {
        return taken(into, position, n);
      }
      if (n != -Errno.EAGAIN && n != -Errno.EINTR) {
        throw Errors.explained("reading a packet from " + device.name() + " failed", "read", (int) -n);
      }
      if (n == -Errno.EAGAIN && (!blocking || !await(readPoll))) {
        return blocking ? CLOSED : 0;
      }
    }
  }

  /** Moves past the part of a {@code length}-byte packet that fitted (the kernel reports it whole). */
  private static int taken(ByteBuffer into, int position, long length) {
    int taken = (int) Math.min(length, into.limit() - position);
    into.position(position + taken);
    return taken;
  }

  /**
   * Writes the bytes from {@code from}'s position to its limit as one packet (a TAP takes an
   * Ethernet frame, a TUN an IP packet, each after the packet information when that is on) and
   * advances the position. The kernel then receives it as if it arrived on the wire.
   */
  public int write(ByteBuffer from) throws IOException {
    if (!device.enter()) {
      throw new ClosedDeviceException(device.name() + " is closed: open it again to write");
    }
    writeLock.lock();
    try {
      while (true) {
        long n = transfer(false, from);
        if (n >= 0) {
          return (int) n;
        }
        if (n == -Errno.EAGAIN) {
          if (!await(writePoll)) {
            throw new ClosedDeviceException(device.name() + " was closed while a write waited");
          }
        } else if (n != -Errno.EINTR) {
          throw writeFailure((int) -n, from.remaining());
        }
      }
    } finally {
      writeLock.unlock();
      device.exit();
    }
  }

  private long transfer(boolean read, ByteBuffer buffer) {
    int position = buffer.position();
    int count = buffer.remaining();
    long n;
    if (buffer.isDirect()) {
      long address = (read ? reads : writes).addressOf(buffer) + position;
      n = read ? Syscalls.readOrErrno(fd, address, count) : Syscalls.writeOrErrno(fd, address, count);
    } else {
      ByteBuffer scratch = (read ? reads : writes).scratch(count);
      if (!read) {
        scratch.put(0, buffer, position, count);
      }
      long address = (read ? reads : writes).addressOf(scratch);
      n = read ? Syscalls.readOrErrno(fd, address, count) : Syscalls.writeOrErrno(fd, address, count);
      if (read && n > 0) {
        buffer.put(position, scratch, 0, (int) Math.min(n, count));
      }
    }
    if (n > 0 && !read) {
      buffer.position(position + (int) n);
    }
    return n;
  }

  /** Sleeps until the descriptor is ready; false if the device was closed meanwhile. */
  private boolean await(Memory pollFds) throws IOException {
    while (true) {
      int ready = Syscalls.pollOrErrno(Pointer.nativeValue(pollFds), 2, -1);
      if (ready < 0 && ready != -Errno.EINTR) {
        throw Errors.explained("waiting for " + device.name() + " failed", "poll", -ready);
      }
      if (!device.isOpen() || pollFds.getShort(POLLFD_SIZE + REVENTS) != 0) {
        return false;
      }
      if (ready > 0) {
        return true;
      }
    }
  }

  private IOException writeFailure(int errno, int length) {
    String why;
    if (errno == Errno.EINVAL) {
      why = device.kind() == DeviceKind.TUN
          ? "the kernel refused the packet: a TUN takes an IPv4 or IPv6 packet, first byte 0x4_ or 0x6_"
              + (device.hasPacketInformation() ? " after the 4-byte packet information" : "")
          : "the kernel refused the frame: a TAP takes an Ethernet frame of at least 14 bytes";
    } else if (errno == Errno.EIO) {
      why = "the kernel refused the packet: " + device.name() + " is down or not attached (ip link set "
          + device.name() + " up)";
    } else {
      why = "writing a " + length + "-byte packet to " + device.name() + " failed";
    }
    return Errors.explained(why, "write", errno);
  }

  int descriptor() {
    return fd;
  }

  void closeDescriptor() {
    if (readAhead != null) {
      readAhead.close();
    }
    Syscalls.closeQuietly(fd);
    readPoll.close();
    writePoll.close();
  }

  private static Memory pollFds(int fd, short events, int closeSignalFd) {
    Memory fds = new Memory(2L * POLLFD_SIZE);
    fds.clear();
    fds.setInt(0, fd);
    fds.setShort(EVENTS, events);
    fds.setInt(POLLFD_SIZE, closeSignalFd);
    fds.setShort(POLLFD_SIZE + EVENTS, Syscalls.POLLIN);
    return fds;
  }

  /** Per-direction caches, so the hot path looks a buffer's address up once, not per packet. */
  private static final class Direction {
    private ByteBuffer lastBuffer;
    private long lastAddress;
    private ByteBuffer scratch;

    long addressOf(ByteBuffer direct) {
      if (direct != lastBuffer) {
        lastAddress = Syscalls.address(direct);
        lastBuffer = direct;
      }
      return lastAddress;
    }

    ByteBuffer scratch(int capacity) {
      if (scratch == null || scratch.capacity() < capacity) {
        scratch = ByteBuffer.allocateDirect(Math.max(capacity, 2048));
      }
      return scratch;
    }
  }
}
