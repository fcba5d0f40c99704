package io.github.tuntaplab.inspector.ui;

/**
 * One row of a packet list, computed only when the row is shown.
 *
 * @param number the frame number in the file, from 1 (as tcpdump's and Wireshark's)
 * @param time the time of day as tcpdump prints it
 * @param direction as the file records it (pcapng {@code epb_flags}): "out" sent by the interface (on a
 *     TUN or TAP: read by the program behind it), "in" received (written by the program); where the
 *     file does not say, "→" from and "←" to the pane's first sender, else empty
 * @param line the {@code tcpdump -nn -e} line after its timestamp
 */
public record PacketSummary(int number, String time, String direction, String source, String destination,
    String protocol, int length, String line) {}
