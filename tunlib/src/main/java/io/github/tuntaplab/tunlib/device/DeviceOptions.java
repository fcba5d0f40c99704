package io.github.tuntaplab.tunlib.device;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * What to open: kind, name, and options. Mutable while being described, then
 * {@link #open()} checks it all and opens the device.
 */
public final class DeviceOptions {
  /** Packets each queue may read ahead of its caller unless told otherwise (see {@link #readAhead}). */
  public static final int DEFAULT_READ_AHEAD = 64;
  private static final int MAX_READ_AHEAD = 4096;

  /** Whether the device may, must, or must not exist already. */
  enum Existence { CREATE_OR_ATTACH, CREATE_ONLY, ATTACH_ONLY }

  final DeviceKind kind;
  final String name;
  boolean packetInformation;
  int queues = 1;
  int readAhead = DEFAULT_READ_AHEAD;
  boolean vnetHeader;
  final Set<Offload> offloads = EnumSet.noneOf(Offload.class);
  Boolean persistent;
  Long owner;
  Long group;
  boolean overrideFlags;
  Existence existence = Existence.CREATE_OR_ATTACH;

  DeviceOptions(DeviceKind kind, String name) {
    this.kind = kind;
    this.name = DeviceName.check(name);
  }

  /**
   * Puts the 4-byte packet information (flags + EtherType) before each packet read and expects it
   * before each packet written. Off by default, as with {@code ip tuntap add}.
   */
  public DeviceOptions packetInformation(boolean on) {
    this.packetInformation = on;
    return this;
  }

  /** Opens a multi-queue device with {@code count} queues, each its own descriptor. */
  public DeviceOptions queues(int count) {
    if (count < 1 || count > 256) {
      throw new IllegalArgumentException("a device has 1 to 256 queues, not " + count);
    }
    this.queues = count;
    return this;
  }

  /**
   * Lets each queue take up to {@code packets} packets from the kernel ahead of its reader, in one
   * system call per burst (io_uring, Linux 6.7+; elsewhere each read is one {@code read()} as with 0).
   * A system call is most of what reading a packet costs, so this is what lets one thread keep up
   * with a flood. The price: packets read ahead have left the kernel's queue (its counters show them
   * sent) and are lost if the device is closed before they are read, and each queue reserves
   * 68 KiB of address space per packet (only the pages packets use become memory).
   * {@value #DEFAULT_READ_AHEAD} by default; 0 reads exactly one packet per {@code read()}.
   */
  public DeviceOptions readAhead(int packets) {
    if (packets < 0 || packets > MAX_READ_AHEAD) {
      throw new IllegalArgumentException("read-ahead is 0 to " + MAX_READ_AHEAD + " packets, not " + packets);
    }
    this.readAhead = packets;
    return this;
  }

  /** Prefixes each packet with a 10-byte virtio-net header (needed for {@link #offloads}). */
  public DeviceOptions vnetHeader(boolean on) {
    this.vnetHeader = on;
    return this;
  }

  /** The offloads the reader accepts; none by default, and any a previous user set are cleared. */
  public DeviceOptions offloads(Set<Offload> accepted) {
    this.offloads.clear();
    this.offloads.addAll(accepted);
    return this;
  }

  /** Keeps the device after the last descriptor closes (true), or lets it go then (false). */
  public DeviceOptions persistent(boolean keep) {
    this.persistent = keep;
    return this;
  }

  /** Lets the user {@code uid} attach later without CAP_NET_ADMIN. */
  public DeviceOptions owner(long uid) {
    this.owner = uid;
    return this;
  }

  /** Lets members of the group {@code gid} attach later without CAP_NET_ADMIN. */
  public DeviceOptions group(long gid) {
    this.group = gid;
    return this;
  }

  /**
   * Attaches even if the existing device was set up with other packet-information or vnet-header
   * settings. The kernel then silently switches the device to ours, under whoever else uses it.
   */
  public DeviceOptions overrideFlags() {
    this.overrideFlags = true;
    return this;
  }

  /** Fails if a device of that name exists already, instead of attaching to it. */
  public DeviceOptions createOnly() {
    this.existence = Existence.CREATE_ONLY;
    return this;
  }

  /** Fails if no device of that name exists, instead of creating one. */
  public DeviceOptions attachOnly() {
    if (DeviceName.isTemplate(name)) {
      throw new IllegalArgumentException("attach needs a device's name, not the template " + name);
    }
    this.existence = Existence.ATTACH_ONLY;
    return this;
  }

  /** Opens the device in the calling thread's network namespace. */
  public TunTapDevice open() throws IOException {
    if (!offloads.isEmpty() && !vnetHeader) {
      throw new IllegalArgumentException("offloads need the vnet header: without it the kernel cannot "
          + "tell the reader that a packet's checksum is unfinished or that it must be segmented");
    }
    return TunTapDevice.from(DeviceOpener.open(this));
  }
}
