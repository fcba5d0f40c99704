package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A reusable {@code struct mmsghdr[]} for {@code sendmmsg}/{@code recvmmsg} over one direct buffer
 * cut into equal slots, one datagram per slot. Everything native is allocated once, so a batch of
 * datagrams costs one system call and no allocation. Not thread-safe: one per thread.
 */
public final class MessageVector implements AutoCloseable {
  private static final int MMSGHDR_SIZE = 64;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int MSG_CONTROL = 32;
  private static final int MSG_CONTROLLEN = 40;
  private static final int MSG_LEN = 56;
  private static final int IOVEC_SIZE = 16;
  private static final int SOCKADDR_SIZE = 28;
  private static final int MSG_DONTWAIT = 0x40;
  static final int SOL_UDP = 17;
  private static final int UDP_SEGMENT = 103;
  static final int UDP_GRO = 104;
  /** CMSG_SPACE(sizeof(uint16_t)): a 16-byte cmsghdr and the segment size, padded to 8 bytes. */
  private static final int SEGMENT_CMSG_SPACE = 24;
  /** The most bytes one UDP GSO send may carry: an IP datagram's 65535 less IPv6 and UDP headers, with room to spare. */
  private static final int MAX_GSO_BYTES = 65000;
  /** UDP_MAX_SEGMENTS of Linux 4.18 to 6.x (later kernels allow 128). */
  private static final int MAX_GSO_SEGMENTS = 64;

  private final int capacity;
  private final int slotSize;
  private final ByteBuffer data;
  private final long dataAddress;
  private final Memory headers;
  private final Memory iovecs;
  private final Memory addresses;
  private final Memory controls;
  /** Where a receive's UDP_GRO message (the segment size of a joined run) lands, one per slot. */
  private final Memory receivedControls;
  private final int[] runs;
  private InetSocketAddress encodedTarget;
  /** How the message headers are laid out now: what the next call must reset first. */
  private Layout layout = Layout.PLAIN;

  private enum Layout {
    /** One slot per header, no control data: plain sends. */
    PLAIN,
    /** Runs of slots per header with UDP_SEGMENT control data: a receive must put back one slot per header. */
    GROUPED,
    /** One slot per header with room for UDP_GRO control data: a plain send must clear it. */
    RECEIVING
  }

  public MessageVector(int capacity, int slotSize) {
    if (capacity < 1 || slotSize < 1) {
      throw new IllegalArgumentException("a batch has at least one slot of at least one byte");
    }
    this.capacity = capacity;
    this.slotSize = slotSize;
    this.data = ByteBuffer.allocateDirect(capacity * slotSize);
    this.dataAddress = Syscalls.address(data);
    this.headers = new Memory((long) MMSGHDR_SIZE * capacity);
    this.iovecs = new Memory((long) IOVEC_SIZE * capacity);
    this.addresses = new Memory((long) SOCKADDR_SIZE * capacity);
    this.controls = new Memory((long) SEGMENT_CMSG_SPACE * capacity);
    this.receivedControls = new Memory((long) SEGMENT_CMSG_SPACE * capacity);
    this.runs = new int[capacity];
    headers.clear();
    addresses.clear();
    controls.clear();
    for (int i = 0; i < capacity; i++) {
      iovecs.setLong((long) IOVEC_SIZE * i, dataAddress + (long) slotSize * i);
      iovecs.setLong((long) IOVEC_SIZE * i + 8, slotSize);
      long header = (long) MMSGHDR_SIZE * i;
      headers.setLong(header + MSG_NAME, Pointer.nativeValue(addresses) + (long) SOCKADDR_SIZE * i);
      long control = (long) SEGMENT_CMSG_SPACE * i;
      controls.setLong(control, 16 + 2);
      controls.setInt(control + 8, SOL_UDP);
      controls.setInt(control + 12, UDP_SEGMENT);
    }
    ungroup();
  }

  /** One slot per message header, no control data: the layout plain sends and receives use. */
  private void ungroup() {
    for (int i = 0; i < capacity; i++) {
      long header = (long) MMSGHDR_SIZE * i;
      headers.setLong(header + MSG_IOV, Pointer.nativeValue(iovecs) + (long) IOVEC_SIZE * i);
      headers.setLong(header + MSG_IOVLEN, 1);
      headers.setLong(header + MSG_CONTROL, 0);
      headers.setLong(header + MSG_CONTROLLEN, 0);
    }
    layout = Layout.PLAIN;
  }

  public int capacity() {
    return capacity;
  }

  public int slotSize() {
    return slotSize;
  }

  /** The whole buffer; slot {@code i} starts at {@code i * slotSize()}. */
  public ByteBuffer data() {
    return data;
  }

  /** Sets the length of the datagram slot {@code i} holds, for the next send. */
  public void setLength(int i, int length) {
    if (length < 0 || length > slotSize) {
      throw new IllegalArgumentException("a slot holds 0.." + slotSize + " bytes, not " + length);
    }
    iovecs.setLong((long) IOVEC_SIZE * i + 8, length);
  }

  /** Sends slots {@code 0..count-1} to {@code target}; the number sent, or {@code -errno}. */
  public int sendOrErrno(int fd, int count, InetSocketAddress target) {
    if (layout != Layout.PLAIN) {
      ungroup();
    }
    encode(target);
    int sent = LibC.sendmmsg(fd, Pointer.nativeValue(headers), count, 0);
    return sent < 0 ? -Native.getLastError() : sent;
  }

  /**
   * Sends slots {@code 0..count-1} to {@code target} with UDP segmentation offload (UDP_SEGMENT,
   * udp(7)): each run of consecutive slots of one length (the last may be shorter) travels through
   * the sending stack as one message, which the kernel cuts into those datagrams as late as it
   * can; slots longer than {@code maxSegment} go alone. The number of slots sent, or {@code -errno}
   * if the first message failed.
   */
  public int sendSegmentedOrErrno(int fd, int count, InetSocketAddress target, int maxSegment) {
    encode(target);
    int messages = 0;
    for (int first = 0; first < count; messages++) {
      int length = (int) iovecs.getLong((long) IOVEC_SIZE * first + 8);
      int run = 1;
      long bytes = length;
      if (length <= maxSegment) {
        while (first + run < count && run < MAX_GSO_SEGMENTS) {
          int next = (int) iovecs.getLong((long) IOVEC_SIZE * (first + run) + 8);
          if (next > length || bytes + next > MAX_GSO_BYTES) {
            break;
          }
          run++;
          bytes += next;
          if (next < length) {
            break; // a shorter datagram can only end a run
          }
        }
      }
      long header = (long) MMSGHDR_SIZE * messages;
      headers.setLong(header + MSG_IOV, Pointer.nativeValue(iovecs) + (long) IOVEC_SIZE * first);
      headers.setLong(header + MSG_IOVLEN, run);
      if (run > 1) {
        long control = (long) SEGMENT_CMSG_SPACE * messages;
        controls.setShort(control + 16, (short) length);
        headers.setLong(header + MSG_CONTROL, Pointer.nativeValue(controls) + control);
        headers.setLong(header + MSG_CONTROLLEN, SEGMENT_CMSG_SPACE);
      } else {
        headers.setLong(header + MSG_CONTROL, 0);
        headers.setLong(header + MSG_CONTROLLEN, 0);
      }
      runs[messages] = run;
      first += run;
    }
    layout = Layout.GROUPED;
    int sent = LibC.sendmmsg(fd, Pointer.nativeValue(headers), messages, 0);
    if (sent < 0) {
      return -Native.getLastError();
    }
    int slots = 0;
    for (int m = 0; m < sent; m++) {
      slots += runs[m];
    }
    return slots;
  }

  private void encode(InetSocketAddress target) {
    if (!target.equals(encodedTarget)) {
      for (int i = 0; i < capacity; i++) {
        try (Memory one = new Memory(SOCKADDR_SIZE)) {
          int length = UdpSockets.encode(target, one);
          addresses.write((long) SOCKADDR_SIZE * i, one.getByteArray(0, SOCKADDR_SIZE), 0, SOCKADDR_SIZE);
          headers.setInt((long) MMSGHDR_SIZE * i + MSG_NAMELEN, length);
        }
      }
      encodedTarget = target;
    }
  }

  /**
   * Receives up to {@link #capacity()} datagrams without waiting (each into its whole slot, with
   * room for the segment size of a run the kernel joined); the number received, or {@code -errno}
   * ({@code EAGAIN} when none is waiting).
   */
  public int receiveOrErrno(int fd) {
    encodedTarget = null;
    if (layout == Layout.GROUPED) {
      ungroup();
    }
    for (int i = 0; i < capacity; i++) {
      long header = (long) MMSGHDR_SIZE * i;
      iovecs.setLong((long) IOVEC_SIZE * i + 8, slotSize);
      headers.setInt(header + MSG_NAMELEN, SOCKADDR_SIZE);
      headers.setLong(header + MSG_CONTROL, Pointer.nativeValue(receivedControls) + (long) SEGMENT_CMSG_SPACE * i);
      headers.setLong(header + MSG_CONTROLLEN, SEGMENT_CMSG_SPACE);
    }
    layout = Layout.RECEIVING;
    int received = LibC.recvmmsg(fd, Pointer.nativeValue(headers), capacity, MSG_DONTWAIT, 0);
    return received < 0 ? -Native.getLastError() : received;
  }

  /** The length of the datagram received into slot {@code i}. */
  public int receivedLength(int i) {
    return headers.getInt((long) MMSGHDR_SIZE * i + MSG_LEN);
  }

  /**
   * The size of the datagrams the kernel joined into slot {@code i} (UDP_GRO, udp(7): the slot
   * holds them back to back, the last possibly shorter), or 0 when the slot holds one datagram.
   */
  public int receivedSegmentSize(int i) {
    long controlLength = headers.getLong((long) MMSGHDR_SIZE * i + MSG_CONTROLLEN);
    long control = (long) SEGMENT_CMSG_SPACE * i;
    if (controlLength < 20 || receivedControls.getInt(control + 8) != SOL_UDP
        || receivedControls.getInt(control + 12) != UDP_GRO) {
      return 0;
    }
    return receivedControls.getInt(control + 16);
  }

  /** The sender of the datagram received into slot {@code i}. */
  public InetSocketAddress source(int i) {
    return UdpSockets.decode(addresses.share((long) SOCKADDR_SIZE * i, SOCKADDR_SIZE));
  }

  /** Whether slot {@code i} came from {@code address} (and its port, if {@code samePort}), without building an address object. */
  public boolean isFrom(int i, InetSocketAddress address, boolean samePort) {
    long at = (long) SOCKADDR_SIZE * i;
    int port = ((addresses.getByte(at + 2) & 0xff) << 8) | (addresses.getByte(at + 3) & 0xff);
    if (samePort && port != address.getPort()) {
      return false;
    }
    byte[] expected = address.getAddress().getAddress();
    boolean ipv6 = addresses.getShort(at) == UdpSockets.AF_INET6;
    if (expected.length != (ipv6 ? 16 : 4)) {
      return false;
    }
    for (int b = 0; b < expected.length; b++) {
      if (addresses.getByte(at + (ipv6 ? 8 : 4) + b) != expected[b]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    headers.close();
    iovecs.close();
    addresses.close();
    controls.close();
    receivedControls.close();
  }
}
