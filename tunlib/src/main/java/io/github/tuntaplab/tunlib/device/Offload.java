package io.github.tuntaplab.tunlib.device;

/**
 * Offloads a reader with a virtio-net header can accept (TUNSETOFFLOAD): the kernel may then hand
 * over packets with unfinished checksums or larger than the MTU, described by that header.
 */
public enum Offload {
  CHECKSUM(0x01),
  TSO4(0x02),
  TSO6(0x04),
  TSO_ECN(0x08),
  UFO(0x10),
  USO4(0x20),
  USO6(0x40);

  private final int bit;

  Offload(int bit) {
    this.bit = bit;
  }

  /** The TUN_F_* bit. */
  public int bit() {
    return bit;
  }
}
