package io.github.tuntaplab.tunlib.device;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.internal.Errno;
import io.github.tuntaplab.tunlib.internal.Errors;
import io.github.tuntaplab.tunlib.internal.LinkMessage;
import io.github.tuntaplab.tunlib.internal.LinkQuery;
import io.github.tuntaplab.tunlib.internal.Syscalls;
import io.github.tuntaplab.tunlib.internal.TunControl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a device as {@link DeviceOptions} describe it. Before attaching to an existing device it
 * compares the device's settings with the request: the kernel refuses a TUN/TAP or multi-queue
 * mismatch with a bare EINVAL, and silently overwrites a packet-information or vnet-header
 * difference under whoever else is using the device — both deserve a message that names the
 * difference.
 */
final class DeviceOpener {
  private static final long UNSET_ID = 0xffffffffL;

  /** The descriptors and facts a {@link TunTapDevice} is built from. */
  record Opened(String name, DeviceKind kind, int index, boolean packetInformation, boolean vnetHeader,
      int[] queueFds, int closeSignalFd, LinkQuery links, int readAhead) {}

  private DeviceOpener() {}

  static Opened open(DeviceOptions options) throws IOException {
    List<Integer> fds = new ArrayList<>();
    LinkQuery links = null;
    int closeSignal = -1;
    try {
      fds.add(openCloneDevice());
      links = new LinkQuery();
      Optional<LinkMessage> existing = DeviceName.isTemplate(options.name)
          ? Optional.empty() : links.byName(options.name);
      DeviceKind kind = checkExisting(options, existing);
      boolean multiQueue = options.queues > 1
          || existing.map(e -> e.info(LinkMessage.TUN_MULTI_QUEUE, 0) != 0).orElse(false);
      int flags = (kind == DeviceKind.TUN ? TunControl.IFF_TUN : TunControl.IFF_TAP)
          | (options.packetInformation ? 0 : TunControl.IFF_NO_PI)
          | (options.vnetHeader ? TunControl.IFF_VNET_HDR : 0)
          | (multiQueue ? TunControl.IFF_MULTI_QUEUE : 0)
          | (options.existence == DeviceOptions.Existence.CREATE_ONLY ? TunControl.IFF_TUN_EXCL : 0);
      String name = attach(fds.get(0), options.name, flags, kind, existing);
      for (int i = 1; i < options.queues; i++) {
        fds.add(openCloneDevice());
        attach(fds.get(i), name, flags, kind, existing);
      }
      int control = fds.get(0);
      int offloadBits = options.offloads.stream().mapToInt(Offload::bit).reduce(0, (a, b) -> a | b);
      if (options.vnetHeader || existing.isPresent()) {
        TunControl.setOffload(control, offloadBits);
      }
      if (options.owner != null) {
        TunControl.setOwner(control, options.owner);
      }
      if (options.group != null) {
        TunControl.setGroup(control, options.group);
      }
      if (options.persistent != null) {
        TunControl.setPersist(control, options.persistent);
      }
      for (int fd : fds) {
        Syscalls.setNonBlocking(fd, true);
      }
      closeSignal = Syscalls.eventfd();
      int index = links.byName(name).map(LinkMessage::index).orElseThrow(
          () -> new IOException(name + " vanished right after it was opened"));
      return new Opened(name, kind, index, options.packetInformation, options.vnetHeader,
          fds.stream().mapToInt(Integer::intValue).toArray(), closeSignal, links, options.readAhead);
    } catch (IOException | RuntimeException e) {
      fds.forEach(Syscalls::closeQuietly);
      Syscalls.closeQuietly(closeSignal);
      if (links != null) {
        links.close();
      }
      throw e;
    }
  }

  static int openCloneDevice() throws NativeCallException {
    int fd = Syscalls.openOrErrno(TunControl.CLONE_DEVICE, Syscalls.O_RDWR | Syscalls.O_CLOEXEC);
    if (fd >= 0) {
      return fd;
    }
    int errno = -fd;
    String call = "open(" + TunControl.CLONE_DEVICE + ")";
    if (errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ENXIO) {
      throw Errors.explained("no TUN/TAP support here: " + TunControl.CLONE_DEVICE + " is missing; load the "
          + "tun module (modprobe tun), or in a container pass /dev/net/tun and CAP_NET_ADMIN "
          + "(docker run --device /dev/net/tun --cap-add NET_ADMIN)", call, errno);
    }
    if (errno == Errno.EACCES || errno == Errno.EPERM) {
      throw Errors.explained("cannot open " + TunControl.CLONE_DEVICE + ": its permissions do not let this "
          + "user in (it is normally crw-rw-rw-; check ls -l /dev/net/tun)", call, errno);
    }
    throw Errors.explained("cannot open " + TunControl.CLONE_DEVICE, call, errno);
  }

  /** Refuses what the kernel would refuse or silently change; returns the kind to open. */
  private static DeviceKind checkExisting(DeviceOptions options, Optional<LinkMessage> existing)
      throws IOException {
    String name = options.name;
    if (existing.isEmpty()) {
      if (options.existence == DeviceOptions.Existence.ATTACH_ONLY) {
        throw new IOException("no TUN/TAP device named " + name + " in this network namespace: create it "
            + "with `ip tuntap add dev " + name + " mode " + (options.kind == null ? "tap" : options.kind.iproute2Mode())
            + " user " + currentUser() + "` (as root), or open it with TunTapDevice.tun/tap to create it");
      }
      return options.kind;
    }
    LinkMessage link = existing.get();
    if (!"tun".equals(link.kind())) {
      throw new IOException(name + " exists and is " + (link.kind().isEmpty() ? "a device" : "a " + link.kind()
          + " device") + ", not a TUN/TAP: choose another name");
    }
    if (options.existence == DeviceOptions.Existence.CREATE_ONLY) {
      throw new IOException(name + " exists already: remove it (ip link del " + name
          + ") or attach to it instead of creating it");
    }
    DeviceKind actual = link.info(LinkMessage.TUN_TYPE, 0) == TunControl.IFF_TAP ? DeviceKind.TAP : DeviceKind.TUN;
    if (options.kind != null && options.kind != actual) {
      throw new IOException(name + " is a " + actual + " device, but a " + options.kind + " was asked for; the "
          + "kernel would refuse with EINVAL: open it as a " + actual + ", or choose another name");
    }
    boolean multiQueue = link.info(LinkMessage.TUN_MULTI_QUEUE, 0) != 0;
    if (options.queues > 1 && !multiQueue) {
      throw new IOException(name + " is a single-queue device, but " + options.queues + " queues were asked for;"
          + " the kernel would refuse with EINVAL: recreate it with multiple queues (ip tuntap add dev " + name
          + " mode " + actual.iproute2Mode() + " multi_queue)");
    }
    List<String> differences = new ArrayList<>();
    boolean hasPi = link.info(LinkMessage.TUN_PI, 0) != 0;
    if (hasPi != options.packetInformation) {
      differences.add("packet information " + (hasPi ? "on" : "off") + " (asked: " + (options.packetInformation ? "on" : "off") + ")");
    }
    boolean hasVnet = link.info(LinkMessage.TUN_VNET_HDR, 0) != 0;
    if (hasVnet != options.vnetHeader) {
      differences.add("vnet header " + (hasVnet ? "on" : "off") + " (asked: " + (options.vnetHeader ? "on" : "off") + ")");
    }
    if (!differences.isEmpty() && !options.overrideFlags) {
      throw new IOException(name + " exists with " + String.join(" and ", differences) + "; attaching would "
          + "silently switch the device under its other users: ask for the same settings, or call overrideFlags()");
    }
    return actual;
  }

  private static String attach(int fd, String name, int flags, DeviceKind kind, Optional<LinkMessage> existing)
      throws NativeCallException {
    int[] errno = new int[1];
    String real = TunControl.setInterface(fd, name, flags, errno);
    if (real != null) {
      return real;
    }
    String call = "ioctl(TUNSETIFF)";
    String mode = kind.iproute2Mode();
    switch (errno[0]) {
      case Errno.EPERM, Errno.EACCES -> {
        if (existing.isPresent()) {
          long owner = existing.get().info(LinkMessage.TUN_OWNER, UNSET_ID);
          long group = existing.get().info(LinkMessage.TUN_GROUP, UNSET_ID);
          throw Errors.explained("cannot attach to " + name + ": it belongs to "
              + (owner == UNSET_ID ? "no user" : "uid " + owner) + (group == UNSET_ID ? "" : " and group " + group)
              + ", and this process (uid " + ProcessUser.uid() + ") lacks CAP_NET_ADMIN: run as that user, or "
              + "recreate it with `ip tuntap add dev " + name + " mode " + mode + " user " + currentUser() + "`",
              call, errno[0]);
        }
        throw Errors.explained("cannot create " + kind + " device " + name + ": needs CAP_NET_ADMIN: run as root, "
            + "or create the device once with `ip tuntap add dev " + name.replace("%d", "0") + " mode " + mode
            + " user " + currentUser() + "` and attach as that user", call, errno[0]);
      }
      case Errno.EBUSY -> throw Errors.explained(existing.isPresent()
          ? name + " is already attached to another descriptor (a single-queue device takes one at a time): "
              + "close the other program, or recreate the device with multiple queues"
          : name + " exists already and createOnly() was asked for", call, errno[0]);
      case Errno.EINVAL -> throw Errors.explained("the kernel refused to attach to " + name + ": its TUN/TAP "
          + "kind or multi-queue setting differs from the request (ip -d link show " + name + ")", call, errno[0]);
      default -> throw Errors.explained("cannot open " + kind + " device " + name, call, errno[0]);
    }
  }

  /** The name {@code ip tuntap add … user} accepts for this process's user: its uid when it has no account ("?"). */
  private static String currentUser() {
    String name = System.getProperty("user.name", "?");
    long uid = ProcessUser.uid();
    return name.equals("?") && uid >= 0 ? Long.toString(uid) : name;
  }
}
