package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.device.DeviceQueue;
import io.github.tuntaplab.tunlib.packet.InternetChecksum;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes inner IP packets into a TUN opened with a virtio-net header, joining consecutive TCP
 * segments of one flow into one large segment, as a network card's receive offload (GRO) does: the
 * kernel then takes one packet through its receiving stack instead of dozens, and its TCP answers
 * the whole run with one ACK, which halves the packets the tunnel carries back. The joined segment
 * carries a virtio-net header with the segment size (GSO), so a kernel that forwards it cuts it
 * back into the original segments; its TCP checksum is left for the kernel (NEEDS_CSUM with the
 * pseudo-header sum). Segments join only when Linux's own GRO would join them: same addresses,
 * ports, TTL, TOS, ACK number, window and TCP options, consecutive sequence numbers, only ACK (and
 * PSH on the last) among the flags, equal sizes (the last may be shorter), no IP options or
 * fragments. Anything else is written as it came, with an empty virtio-net header.
 *
 * <p>Not thread-safe: the one receiving thread uses it.
 */
final class TcpCoalescer {
  static final int VNET_HEADER = 10;
  private static final int MAX_IP_LENGTH = 65535;
  private static final byte FLAG_NEEDS_CSUM = 1;
  private static final byte GSO_TCPV4 = 1;
  private static final byte GSO_TCPV6 = 4;
  private static final int TCP_ACK = 0x10;
  private static final int TCP_PSH = 0x08;

  private final DeviceQueue device;
  private final ByteBuffer out = ByteBuffer.allocateDirect(VNET_HEADER + MAX_IP_LENGTH);
  /** Inner packets held in {@link #out} (0: nothing pending). */
  private int segments;
  private int ipHeader;
  private int tcpHeader;
  private int segmentSize;
  private int lastSize;
  private long nextSequence;

  TcpCoalescer(DeviceQueue device) {
    this.device = device;
  }

  /** Adds the inner packet {@code buffer[at, at + length)}; it is written now or by a later call or {@link #flush}. */
  void add(ByteBuffer buffer, int at, int length) throws IOException {
    if (segments > 0 && joins(buffer, at, length)) {
      int payload = length - ipHeader - tcpHeader;
      int end = VNET_HEADER + ipHeader + tcpHeader + segmentSize * (segments - 1) + lastSize;
      out.put(end, buffer, at + ipHeader + tcpHeader, payload);
      int flags = buffer.get(at + ipHeader + 13) & 0xff;
      out.put(VNET_HEADER + ipHeader + 13, (byte) (out.get(VNET_HEADER + ipHeader + 13) | (flags & TCP_PSH)));
      segments++;
      lastSize = payload;
      nextSequence = (nextSequence + payload) & 0xffffffffL;
      if (payload < segmentSize || (flags & TCP_PSH) != 0) {
        flush();
      }
      return;
    }
    flush();
    int tcp = joinableStart(buffer, at, length);
    if (tcp < 0) {
      writeAlone(buffer, at, length);
      return;
    }
    ipHeader = tcp;
    tcpHeader = ((buffer.get(at + tcp + 12) & 0xff) >>> 4) * 4;
    segmentSize = length - ipHeader - tcpHeader;
    lastSize = segmentSize;
    nextSequence = (buffer.getInt(at + tcp + 4) + (long) segmentSize) & 0xffffffffL;
    out.put(VNET_HEADER, buffer, at, length);
    segments = 1;
    if ((buffer.get(at + tcp + 13) & TCP_PSH) != 0) {
      flush();
    }
  }

  /** Writes what is pending: one packet as it came, or several joined into one. */
  void flush() throws IOException {
    if (segments == 0) {
      return;
    }
    int length = ipHeader + tcpHeader + segmentSize * (segments - 1) + lastSize;
    clearVnetHeader(out);
    if (segments > 1) {
      boolean v4 = (out.get(VNET_HEADER) & 0xf0) == 0x40;
      int ip = VNET_HEADER;
      int tcpLength = length - ipHeader;
      if (v4) {
        out.putShort(ip + 2, (short) length);
        out.putShort(ip + 10, (short) 0);
        out.putShort(ip + 10, (short) InternetChecksum.finish(InternetChecksum.add(0, out, ip, 20)));
      } else {
        out.putShort(ip + 4, (short) tcpLength);
      }
      // The pseudo-header sum, not complemented: the kernel completes the checksum (CHECKSUM_PARTIAL).
      long pseudoHeader = InternetChecksum.add(6 + tcpLength, out, v4 ? ip + 12 : ip + 8, v4 ? 8 : 32);
      out.putShort(ip + ipHeader + 16, (short) ~InternetChecksum.finish(pseudoHeader));
      out.put(0, FLAG_NEEDS_CSUM);
      out.put(1, v4 ? GSO_TCPV4 : GSO_TCPV6);
      // The virtio-net header's 16-bit fields are little-endian (a legacy header on x86, ARM, RISC-V).
      out.putShort(2, Short.reverseBytes((short) (ipHeader + tcpHeader)));
      out.putShort(4, Short.reverseBytes((short) segmentSize));
      out.putShort(6, Short.reverseBytes((short) ipHeader));
      out.putShort(8, Short.reverseBytes((short) 16));
    }
    segments = 0;
    out.limit(VNET_HEADER + length).position(0);
    write(out);
  }

  private void writeAlone(ByteBuffer buffer, int at, int length) throws IOException {
    clearVnetHeader(out);
    out.put(VNET_HEADER, buffer, at, length);
    out.limit(VNET_HEADER + length).position(0);
    write(out);
  }

  private void write(ByteBuffer packet) throws IOException {
    device.write(packet);
    out.clear();
  }

  private static void clearVnetHeader(ByteBuffer out) {
    out.putLong(0, 0);
    out.putShort(8, (short) 0);
  }

  /**
   * The IP header length if the packet may start a joined segment (TCP with data, only ACK or
   * ACK|PSH set, no IP options or fragments), else -1.
   */
  private static int joinableStart(ByteBuffer b, int at, int length) {
    if (length < 40) {
      return -1;
    }
    int version = (b.get(at) & 0xf0) >>> 4;
    int ip;
    if (version == 4) {
      if ((b.get(at) & 0x0f) != 5 || b.get(at + 9) != 6 || (b.getShort(at + 6) & 0x3fff) != 0
          || (b.getShort(at + 2) & 0xffff) != length) {
        return -1;
      }
      ip = 20;
    } else if (version == 6) {
      if (b.get(at + 6) != 6 || (b.getShort(at + 4) & 0xffff) != length - 40 || length < 60) {
        return -1;
      }
      ip = 40;
    } else {
      return -1;
    }
    int tcpLength = ((b.get(at + ip + 12) & 0xff) >>> 4) * 4;
    int flags = b.get(at + ip + 13) & 0xff;
    if (tcpLength < 20 || length - ip - tcpLength <= 0 || (flags & ~TCP_PSH) != TCP_ACK) {
      return -1;
    }
    return ip;
  }

  /** Whether the packet continues the pending segment exactly. */
  private boolean joins(ByteBuffer b, int at, int length) {
    if (joinableStart(b, at, length) != ipHeader || lastSize != segmentSize) {
      return false;
    }
    int first = VNET_HEADER;
    int tcp = at + ipHeader;
    if (((b.get(tcp + 12) & 0xff) >>> 4) * 4 != tcpHeader) {
      return false;
    }
    int payload = length - ipHeader - tcpHeader;
    if (payload > segmentSize || VNET_HEADER + ipHeader + tcpHeader + segmentSize * segments + payload
        > VNET_HEADER + MAX_IP_LENGTH) {
      return false;
    }
    if ((b.getInt(tcp + 4) & 0xffffffffL) != nextSequence) {
      return false;
    }
    if (ipHeader == 20) {
      // Version, IHL, TOS; TTL, protocol; addresses; DF. (Length, id and checksum differ.)
      if (b.getShort(at) != out.getShort(first) || b.getShort(at + 8) != out.getShort(first + 8)
          || b.getLong(at + 12) != out.getLong(first + 12)
          || ((b.getShort(at + 6) ^ out.getShort(first + 6)) & 0x4000) != 0) {
        return false;
      }
    } else {
      // Version, traffic class, flow label; next header, hop limit; addresses.
      if (b.getInt(at) != out.getInt(first) || b.getShort(at + 6) != out.getShort(first + 6)
          || !sameBytes(b, at + 8, first + 8, 32)) {
        return false;
      }
    }
    int pendingTcp = first + ipHeader;
    // Ports; ACK number; window; options (the data offset was compared above, the flags in joinableStart).
    return b.getInt(tcp) == out.getInt(pendingTcp) && b.getInt(tcp + 8) == out.getInt(pendingTcp + 8)
        && b.getShort(tcp + 14) == out.getShort(pendingTcp + 14)
        && sameBytes(b, tcp + 20, pendingTcp + 20, tcpHeader - 20);
  }

  private boolean sameBytes(ByteBuffer b, int at, int outAt, int length) {
    for (int i = 0; i < length; i++) {
      if (b.get(at + i) != out.get(outAt + i)) {
        return false;
      }
    }
    return true;
  }
}
