package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.tuntaplab.tunlib.NativeCallException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A UDP socket tunlib opens itself, for what JDK channels cannot do: {@code SO_BINDTODEVICE}.
 * Addresses travel as {@code struct sockaddr_in} (16 bytes) or {@code sockaddr_in6} (28 bytes):
 * family in native order, port and address in network order. Failures come back as {@code -errno}
 * so the caller can explain them.
 */
public final class UdpSockets {
  private static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_BINDTODEVICE = 25;
  private static final int SO_SNDBUF = 7;
  private static final int SO_RCVBUF = 8;
  private static final int SO_SNDBUFFORCE = 32;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int IPPROTO_IP = 0;
  private static final int IPPROTO_IPV6 = 41;
  private static final int IP_MTU_DISCOVER = 10;
  private static final int IPV6_MTU_DISCOVER = 23;
  private static final int PMTUDISC_DONT = 0;
  private static final int SOCKADDR_MAX = 28;
  // struct mmsghdr on x86-64: struct msghdr (56 bytes) + unsigned msg_len, padded to 64.
  private static final int MMSGHDR_SIZE = 64;
  private static final int MSG_NAME = 0;
  private static final int MSG_NAMELEN = 8;
  private static final int MSG_IOV = 16;
  private static final int MSG_IOVLEN = 24;
  private static final int IOVEC_SIZE = 16;

  private UdpSockets() {}

  /** A datagram socket of {@code family} ({@code AF_INET} 2, {@code AF_INET6} 10). */
  public static int open(int family) throws NativeCallException {
    return Syscalls.socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  }

  /** Restricts the socket to {@code link} (empty: lifts the restriction); 0 or {@code -errno}. */
  public static int bindToDeviceOrErrno(int fd, String link) {
    byte[] name = link.getBytes(StandardCharsets.UTF_8);
    try (Memory value = new Memory(name.length + 1)) {
      value.clear();
      value.write(0, name, 0, name.length);
      return LibC.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, Pointer.nativeValue(value), name.length + 1) < 0
          ? -Native.getLastError() : 0;
    }
  }

  public static int bindOrErrno(int fd, InetSocketAddress local) {
    try (Memory address = new Memory(SOCKADDR_MAX)) {
      int length = encode(local, address);
      return LibC.bind(fd, Pointer.nativeValue(address), length) < 0 ? -Native.getLastError() : 0;
    }
  }

  /** Sends the buffer's remaining bytes to {@code target}; the count sent, or {@code -errno}. */
  public static long sendToOrErrno(int fd, ByteBuffer direct, InetSocketAddress target) {
    try (Memory address = new Memory(SOCKADDR_MAX)) {
      int length = encode(target, address);
      long sent = LibC.sendto(fd, Syscalls.address(direct) + direct.position(), direct.remaining(), 0,
          Pointer.nativeValue(address), length);
      if (sent < 0) {
        return -Native.getLastError();
      }
      direct.position(direct.position() + (int) sent);
      return sent;
    }
  }

  /**
   * Sends {@code count} datagrams, each the remaining bytes of a direct buffer, to {@code target}
   * in one {@code sendmmsg} call; the number sent (each sent buffer's position moves to its limit),
   * or {@code -errno}. One system call for a batch is what lets a sender keep up with a fast reader.
   */
  public static int sendBatchOrErrno(int fd, ByteBuffer[] datagrams, int count, InetSocketAddress target) {
    try (Memory address = new Memory(SOCKADDR_MAX); Memory messages = new Memory((long) MMSGHDR_SIZE * count);
        Memory iovecs = new Memory((long) IOVEC_SIZE * count)) {
      int addressLength = encode(target, address);
      messages.clear();
      for (int i = 0; i < count; i++) {
        ByteBuffer datagram = datagrams[i];
        long iovec = Pointer.nativeValue(iovecs) + (long) IOVEC_SIZE * i;
        iovecs.setLong((long) IOVEC_SIZE * i, Syscalls.address(datagram) + datagram.position());
        iovecs.setLong((long) IOVEC_SIZE * i + 8, datagram.remaining());
        long message = (long) MMSGHDR_SIZE * i;
        messages.setLong(message + MSG_NAME, Pointer.nativeValue(address));
        messages.setInt(message + MSG_NAMELEN, addressLength);
        messages.setLong(message + MSG_IOV, iovec);
        messages.setLong(message + MSG_IOVLEN, 1);
      }
      int sent = LibC.sendmmsg(fd, Pointer.nativeValue(messages), count, 0);
      if (sent < 0) {
        return -Native.getLastError();
      }
      for (int i = 0; i < sent; i++) {
        datagrams[i].position(datagrams[i].limit());
      }
      return sent;
    }
  }

  /** Receives one datagram into the buffer (advancing its position); the sender, or null with {@code errnoOut[0]}. */
  public static InetSocketAddress receiveFrom(int fd, ByteBuffer direct, int[] errnoOut) {
    try (Memory address = new Memory(SOCKADDR_MAX); Memory length = new Memory(4)) {
      length.setInt(0, SOCKADDR_MAX);
      long received = LibC.recvfrom(fd, Syscalls.address(direct) + direct.position(), direct.remaining(), 0,
          Pointer.nativeValue(address), Pointer.nativeValue(length));
      if (received < 0) {
        errnoOut[0] = Native.getLastError();
        return null;
      }
      direct.position(direct.position() + (int) received);
      return decode(address);
    }
  }

  /**
   * Lets the kernel fragment what this socket sends when a datagram exceeds the path MTU
   * ({@code IP_MTU_DISCOVER}/{@code IPV6_MTU_DISCOVER} = {@code *_PMTUDISC_DONT}) instead of
   * refusing it with EMSGSIZE; 0 or {@code -errno}.
   */
  public static int allowFragmentationOrErrno(int fd, boolean ipv6) {
    return ipv6 ? Syscalls.setIntOptionOrErrno(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, PMTUDISC_DONT)
        : Syscalls.setIntOptionOrErrno(fd, IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_DONT);
  }

  /**
   * Asks the kernel to hand this socket runs of equal-sized datagrams from one sender as one
   * (UDP_GRO, udp(7), Linux 5.0+), with their size in a control message; 0 or {@code -errno}.
   */
  public static int receiveJoinedOrErrno(int fd) {
    return Syscalls.setIntOptionOrErrno(fd, MessageVector.SOL_UDP, MessageVector.UDP_GRO, 1);
  }

  /** Sets the receive and send buffer sizes (SO_RCVBUFFORCE/SO_SNDBUFFORCE as root, else the capped ones). */
  public static void setBufferSizes(int fd, int bytes) {
    if (Syscalls.setIntOptionOrErrno(fd, SOL_SOCKET, SO_RCVBUFFORCE, bytes) < 0) {
      Syscalls.setIntOptionOrErrno(fd, SOL_SOCKET, SO_RCVBUF, bytes);
    }
    if (Syscalls.setIntOptionOrErrno(fd, SOL_SOCKET, SO_SNDBUFFORCE, bytes) < 0) {
      Syscalls.setIntOptionOrErrno(fd, SOL_SOCKET, SO_SNDBUF, bytes);
    }
  }

  public static InetSocketAddress localAddress(int fd) throws NativeCallException {
    try (Memory address = new Memory(SOCKADDR_MAX); Memory length = new Memory(4)) {
      length.setInt(0, SOCKADDR_MAX);
      if (LibC.getsockname(fd, Pointer.nativeValue(address), Pointer.nativeValue(length)) < 0) {
        throw Errors.newException("getsockname", Native.getLastError());
      }
      return decode(address);
    }
  }

  static int encode(InetSocketAddress socketAddress, Memory out) {
    out.clear();
    InetAddress address = socketAddress.getAddress();
    byte[] bytes = address.getAddress();
    out.setByte(2, (byte) (socketAddress.getPort() >> 8));
    out.setByte(3, (byte) socketAddress.getPort());
    if (address instanceof Inet6Address inet6) {
      out.setShort(0, (short) AF_INET6);
      out.write(8, bytes, 0, 16);
      out.setInt(24, inet6.getScopeId());
      return 28;
    }
    out.setShort(0, (short) AF_INET);
    out.write(4, bytes, 0, 4);
    return 16;
  }

  static InetSocketAddress decode(Pointer in) {
    int port = ((in.getByte(2) & 0xff) << 8) | (in.getByte(3) & 0xff);
    boolean ipv6 = in.getShort(0) == AF_INET6;
    byte[] bytes = in.getByteArray(ipv6 ? 8 : 4, ipv6 ? 16 : 4);
    try {
      return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
