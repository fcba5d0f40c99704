package io.github.tuntaplab.tunlib.device;

import io.github.tuntaplab.tunlib.net.LinkFlags;
import io.github.tuntaplab.tunlib.net.MacAddress;
import java.util.Optional;

/**
 * A device as the kernel sees it right now: what {@code ip -d -s link show DEV} would print.
 *
 * @param mac the Ethernet address of a TAP; empty for a TUN, which has none
 * @param txDropped packets the kernel could not hand to user space because the reader was too slow
 *     (from the kernel's point of view it transmits into the device)
 */
public record LinkInfo(int index, String name, LinkFlags flags, int mtu, Optional<MacAddress> mac,
    long rxPackets, long txPackets, long rxBytes, long txBytes, long rxDropped, long txDropped) {}
