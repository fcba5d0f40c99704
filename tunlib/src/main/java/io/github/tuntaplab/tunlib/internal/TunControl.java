package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.tuntaplab.tunlib.NativeCallException;
import java.nio.charset.StandardCharsets;

/**
 * The TUN/TAP control calls on a {@code /dev/net/tun} file descriptor. TUNSETIFF and TUNGETIFF take
 * a 40-byte {@code struct ifreq} (name in bytes 0–15, flags at 16); the other setters take their
 * value directly as the ioctl argument, not a pointer to it.
 */
public final class TunControl {
  public static final String CLONE_DEVICE = "/dev/net/tun";

  public static final int IFF_TUN = 0x0001;
  public static final int IFF_TAP = 0x0002;
  public static final int IFF_MULTI_QUEUE = 0x0100;
  public static final int IFF_NO_PI = 0x1000;
  public static final int IFF_VNET_HDR = 0x4000;
  public static final int IFF_TUN_EXCL = 0x8000;

  private static final long TUNSETIFF = 0x400454caL;
  private static final long TUNSETPERSIST = 0x400454cbL;
  private static final long TUNSETOWNER = 0x400454ccL;
  private static final long TUNSETGROUP = 0x400454ceL;
  private static final long TUNGETFEATURES = 0x800454cfL;
  private static final long TUNSETOFFLOAD = 0x400454d0L;

  private static final int IFREQ_SIZE = 40;
  private static final int IFREQ_FLAGS = 16;
  public static final int IFNAMSIZ = 16;

  private TunControl() {}

  /**
   * Creates or attaches the device {@code name} (or a template such as {@code tl-tun%d}) with
   * {@code flags}; returns the device's real name, or {@code -errno} through {@code errnoOut[0]}.
   */
  public static String setInterface(int fd, String name, int flags, int[] errnoOut) {
    try (Memory ifreq = new Memory(IFREQ_SIZE)) {
      ifreq.clear();
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      ifreq.write(0, bytes, 0, bytes.length);
      ifreq.setShort(IFREQ_FLAGS, (short) flags);
      int result = Syscalls.ioctlOrErrno(fd, TUNSETIFF, Pointer.nativeValue(ifreq));
      if (result < 0) {
        errnoOut[0] = -result;
        return null;
      }
      return ifreq.getString(0, StandardCharsets.UTF_8.name());
    }
  }

  /** The IFF_ flags this kernel's TUN driver supports (TUNGETFEATURES). */
  public static int features(int fd) throws NativeCallException {
    try (Memory features = new Memory(4)) {
      features.setInt(0, 0);
      Syscalls.ioctl(fd, TUNGETFEATURES, "TUNGETFEATURES", Pointer.nativeValue(features));
      return features.getInt(0);
    }
  }

  public static void setPersist(int fd, boolean persist) throws NativeCallException {
    Syscalls.ioctl(fd, TUNSETPERSIST, "TUNSETPERSIST", persist ? 1 : 0);
  }

  public static void setOwner(int fd, long uid) throws NativeCallException {
    Syscalls.ioctl(fd, TUNSETOWNER, "TUNSETOWNER", uid);
  }

  public static void setGroup(int fd, long gid) throws NativeCallException {
    Syscalls.ioctl(fd, TUNSETGROUP, "TUNSETGROUP", gid);
  }

  public static void setOffload(int fd, int offloadFlags) throws NativeCallException {
    Syscalls.ioctl(fd, TUNSETOFFLOAD, "TUNSETOFFLOAD", offloadFlags);
  }
}
