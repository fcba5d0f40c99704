package io.github.tuntaplab.tunlib.device;

import io.github.tuntaplab.tunlib.internal.Syscalls;
import io.github.tuntaplab.tunlib.internal.TunControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Can this machine and this process use TUN/TAP devices? Asks without creating anything, so a
 * program can explain what is missing before it tries.
 */
public final class TunTapSupport {
  private static final int CAP_NET_ADMIN = 12;

  /** The IFF_ flags the kernel driver supports, as TUNGETFEATURES reports them. */
  public record Features(int flags) {
    public boolean tun() {
      return (flags & TunControl.IFF_TUN) != 0;
    }

    public boolean tap() {
      return (flags & TunControl.IFF_TAP) != 0;
    }

    public boolean multiQueue() {
      return (flags & TunControl.IFF_MULTI_QUEUE) != 0;
    }

    public boolean vnetHeader() {
      return (flags & TunControl.IFF_VNET_HDR) != 0;
    }

    public boolean withoutPacketInformation() {
      return (flags & TunControl.IFF_NO_PI) != 0;
    }
  }

  private TunTapSupport() {}

  /** True if {@code /dev/net/tun} can be opened. */
  public static boolean isAvailable() {
    return unavailabilityCause().isEmpty();
  }

  /** Why TUN/TAP cannot be used here, with the fix; empty if it can. */
  public static Optional<String> unavailabilityCause() {
    try {
      features();
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** What the driver supports, asked through {@code /dev/net/tun}. */
  public static Features features() throws IOException {
    int fd = -1;
    try {
      fd = DeviceOpener.openCloneDevice();
      return new Features(TunControl.features(fd));
    } finally {
      Syscalls.closeQuietly(fd);
    }
  }

  /**
   * True if this process may create devices (CAP_NET_ADMIN in its effective set). Without it, it
   * can still attach to a device whose owner or group it is.
   */
  public static boolean canCreateDevices() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << CAP_NET_ADMIN)) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }
}
