/**
 * Packet dissection with exact byte ranges: our own zero-copy parser, pure Java, no I/O.
 *
 * <p>{@link io.github.tuntaplab.tunlib.packet.Dissector#dissect Dissector.dissect} takes the bytes
 * of one frame with its {@link io.github.tuntaplab.tunlib.packet.LinkType} and returns an immutable
 * {@link io.github.tuntaplab.tunlib.packet.Dissection}: layers (depth 0 outermost, one more inside
 * each tunnel or ICMP-quoted packet), each with fields and sub-fields named as in Wireshark, every
 * one with its offset and length in the frame (bit fields also carry their mask). The parser records
 * fields as packed {@code long}s; {@code Layer} and {@code Field} objects, values and text are made
 * only when asked for, and the flat accessors walk every range without creating objects.
 *
 * <p>Problems are never exceptions. A layer is <em>malformed</em> when the packet contradicts itself
 * (a length beyond the bytes the packet has, a header length below the minimum, a looping DNS
 * name), and <em>truncated</em> when the capture kept fewer bytes than the packet had (a snapshot
 * length): tshark's "Malformed Packet" versus "Packet size limited during capture". Inside what an
 * ICMP error quotes, and after a first fragment, short headers and long lengths are expected and
 * flagged as neither. Fields that do not fit the captured bytes are left out, never cut.
 */
package io.github.tuntaplab.tunlib.packet;
