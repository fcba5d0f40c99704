/**
 * Capture files: pcap and pcapng, read and written in pure Java (no libpcap needed).
 *
 * <ul>
 *   <li>{@link io.github.tuntaplab.tunlib.capture.CaptureReader} streams the packets of a file or a
 *       live stream, one {@link io.github.tuntaplab.tunlib.capture.CapturedPacket} at a time;
 *   <li>{@link io.github.tuntaplab.tunlib.capture.CaptureIndex} remembers where each packet starts
 *       and reads any one of them directly (the inspector's packet list);
 *   <li>{@link io.github.tuntaplab.tunlib.capture.PcapngWriter} and
 *       {@link io.github.tuntaplab.tunlib.capture.PcapWriter} write files or live streams that
 *       tshark, Wireshark and tcpdump read;
 *   <li>{@link io.github.tuntaplab.tunlib.capture.CaptureFormatException} says what is wrong with a
 *       file and at which byte offset.
 * </ul>
 *
 * <p>Files are untrusted input: every length is checked against what remains and against libpcap's
 * limits before anything is allocated for it, so a forged length costs nothing.
 */
package io.github.tuntaplab.tunlib.capture;
