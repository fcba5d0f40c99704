package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.packet.InternetChecksum;
import java.nio.ByteBuffer;

/**
 * What a router answers when a packet does not fit the next link and may not be fragmented: ICMP
 * "fragmentation needed" (type 3 code 4, RFC 1191) for an IPv4 packet with DF set, ICMPv6 "packet
 * too big" (type 2, RFC 8201) for any IPv6 packet, each carrying the MTU that does fit. The reply
 * goes back into the TUN, so the sender's kernel lowers its path MTU and resends smaller packets.
 *
 * <p>Its source is the original packet's destination: the tunnel endpoint has no address of its own
 * inside the tunnel, and the kernel drops an arriving packet whose source is one of its own
 * addresses (a "martian"). The path MTU cache is keyed by that destination anyway.
 */
final class TooBig {
  private static final int IPV4_QUOTE_LIMIT = 576;
  private static final int IPV6_QUOTE_LIMIT = 1280;

  private TooBig() {}

  /**
   * Writes the reply to the packet {@code [at, at + length)} of {@code packet} into {@code reply}
   * from position 0 (flipped, ready to write); false when no reply is due: an IPv4 packet without
   * DF (the tunnel sends it anyway and the kernel fragments the outer packet), an ICMP error (never
   * answered with another), or something that is no IP packet.
   */
  static boolean reply(ByteBuffer packet, int at, int length, int mtu, ByteBuffer reply) {
    reply.clear();
    int version = length > 0 ? (packet.get(at) & 0xff) >>> 4 : 0;
    if (version == 4 && length >= 20 && (packet.get(at + 6) & 0x40) != 0 && !isIcmpError(packet, at, length, 4)) {
      int quote = Math.min(length, IPV4_QUOTE_LIMIT - 28);
      reply.put((byte) 0x45).put((byte) 0).putShort((short) (28 + quote)).putInt(0)
          .put((byte) 64).put((byte) 1).putShort((short) 0);
      reply.put(packet.duplicate().limit(at + 20).position(at + 16)); // source = original destination
      reply.put(packet.duplicate().limit(at + 16).position(at + 12)); // destination = original source
      reply.putShort(10, (short) InternetChecksum.finish(InternetChecksum.add(0, reply, 0, 20)));
      reply.put((byte) 3).put((byte) 4).putShort((short) 0).putShort((short) 0).putShort((short) mtu);
      reply.put(packet.duplicate().limit(at + quote).position(at));
      reply.putShort(22, (short) InternetChecksum.finish(InternetChecksum.add(0, reply, 20, 8 + quote)));
      reply.flip();
      return true;
    }
    if (version == 6 && length >= 40 && !isIcmpError(packet, at, length, 6)) {
      int quote = Math.min(length, IPV6_QUOTE_LIMIT - 48);
      reply.putInt(0x60000000).putShort((short) (8 + quote)).put((byte) 58).put((byte) 64);
      reply.put(packet.duplicate().limit(at + 40).position(at + 24));
      reply.put(packet.duplicate().limit(at + 24).position(at + 8));
      reply.put((byte) 2).put((byte) 0).putShort((short) 0).putInt(mtu);
      reply.put(packet.duplicate().limit(at + quote).position(at));
      long sum = InternetChecksum.add(0, reply, 8, 32) + 8 + quote + 58;
      reply.putShort(42, (short) InternetChecksum.finish(InternetChecksum.add(sum, reply, 40, 8 + quote)));
      reply.flip();
      return true;
    }
    return false;
  }

  /** ICMP errors are not answered (RFC 1122 3.2.2, RFC 4443 2.4); ICMPv6 errors are types below 128. */
  private static boolean isIcmpError(ByteBuffer packet, int at, int length, int version) {
    if (version == 4) {
      int headerLength = (packet.get(at) & 0x0f) * 4;
      if (packet.get(at + 9) != 1 || length <= headerLength) {
        return false;
      }
      int type = packet.get(at + headerLength) & 0xff;
      return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
    return packet.get(at + 6) == 58 && length > 40 && (packet.get(at + 40) & 0xff) < 128;
  }
}
