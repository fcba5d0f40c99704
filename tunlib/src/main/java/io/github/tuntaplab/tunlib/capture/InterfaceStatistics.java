package io.github.tuntaplab.tunlib.capture;

import java.time.Instant;

/**
 * A capture's counters for one interface at one moment: a pcapng Interface Statistics Block, as
 * dumpcap writes one when it stops. Counts run from the start of the capture.
 *
 * @param interfaceIndex the interface, numbered as packets' {@link CapturedPacket#interfaceIndex()}
 * @param received packets the capture received on the interface ({@code isb_ifrecv}, libpcap's
 *     {@code ps_recv}), or -1 when the block does not say
 * @param dropped packets it received but could not pass on because its reader did not keep up
 *     ({@code isb_ifdrop}, libpcap's {@code ps_drop}), or -1 when the block does not say
 */
public record InterfaceStatistics(int interfaceIndex, Instant timestamp, long received, long dropped) {}
