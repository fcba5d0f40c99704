package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.tuntaplab.tunlib.NativeCallException;
import java.nio.charset.StandardCharsets;

/**
 * The ethtool ioctl ({@code SIOCETHTOOL}) on a datagram socket: a 40-byte {@code struct ifreq}
 * names the link, and its {@code ifr_data} (offset 16) points at the command, here a
 * {@code struct ethtool_value {u32 cmd; u32 data;}}. The socket is created on the calling thread,
 * so it reaches the links of that thread's namespace for its whole life.
 */
public final class Ethtool implements AutoCloseable {
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final long SIOCETHTOOL = 0x8946;
  private static final int ETHTOOL_GTXCSUM = 0x16;
  private static final int ETHTOOL_STXCSUM = 0x17;
  private static final int IFREQ_SIZE = 40;
  private static final int IFREQ_DATA = 16;

  private final int fd;

  public Ethtool() throws NativeCallException {
    this.fd = Syscalls.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  }

  /** Whether the link computes TCP/UDP checksums on transmit (or leaves them partial for the NIC). */
  public boolean txChecksum(String link) throws NativeCallException {
    return call(link, ETHTOOL_GTXCSUM, 0, "ETHTOOL_GTXCSUM") != 0;
  }

  /** Switches tx checksum offload; 0 or {@code -errno}, so the caller can explain the errno. */
  public int setTxChecksumOrErrno(String link, boolean on) {
    try (Memory ifreq = new Memory(IFREQ_SIZE); Memory value = new Memory(8)) {
      prepare(ifreq, value, link, ETHTOOL_STXCSUM, on ? 1 : 0);
      int result = Syscalls.ioctlOrErrno(fd, SIOCETHTOOL, Pointer.nativeValue(ifreq));
      return Math.min(result, 0);
    }
  }

  private int call(String link, int command, int data, String name) throws NativeCallException {
    try (Memory ifreq = new Memory(IFREQ_SIZE); Memory value = new Memory(8)) {
      prepare(ifreq, value, link, command, data);
      Syscalls.ioctl(fd, SIOCETHTOOL, "SIOCETHTOOL " + name + " " + link, Pointer.nativeValue(ifreq));
      return value.getInt(4);
    }
  }

  private static void prepare(Memory ifreq, Memory value, String link, int command, int data) {
    byte[] name = link.getBytes(StandardCharsets.UTF_8);
    if (name.length >= TunControl.IFNAMSIZ) {
      throw new IllegalArgumentException("a link name has at most 15 bytes: " + link);
    }
    ifreq.clear();
    ifreq.write(0, name, 0, name.length);
    value.setInt(0, command);
    value.setInt(4, data);
    ifreq.setLong(IFREQ_DATA, Pointer.nativeValue(value));
  }

  @Override
  public void close() {
    Syscalls.closeQuietly(fd);
  }
}
