package io.github.tuntaplab.tunlib.packet;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Builds well-formed packets byte by byte for tests and the benchmark (lengths filled in, checksums zero). */
public final class TestPackets {
  public static final byte[] MAC_A = mac("02:00:00:00:00:0a");
  public static final byte[] MAC_B = mac("02:00:00:00:00:0b");
  public static final byte[] BROADCAST = mac("ff:ff:ff:ff:ff:ff");

  private TestPackets() {}

  /** Concatenates parts: byte arrays, and Integers written as single bytes. */
  public static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof byte[]) {
        out.writeBytes((byte[]) part);
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }

  public static byte[] u16(int value) {
    return new byte[] {(byte) (value >>> 8), (byte) value};
  }

  public static byte[] u32(long value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  public static byte[] mac(String text) {
    String[] parts = text.split(":");
    byte[] mac = new byte[6];
    for (int i = 0; i < 6; i++) {
      mac[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return mac;
  }

  public static byte[] ip(String address) {
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  public static byte[] ethernet(byte[] dst, byte[] src, int type, byte[] payload) {
    return bytes(dst, src, u16(type), payload);
  }

  public static byte[] vlanTag(int tci, int type, byte[] payload) {
    return bytes(u16(tci), u16(type), payload);
  }

  public static byte[] arpRequest(byte[] senderMac, String senderIp, String targetIp) {
    return bytes(u16(1), u16(0x0800), 6, 4, u16(1), senderMac, ip(senderIp), new byte[6], ip(targetIp));
  }

  public static byte[] ipv4(int protocol, String src, String dst, byte[] options, byte[] payload) {
    int headerLength = 20 + options.length;
    return bytes(0x40 | headerLength / 4, 0, u16(headerLength + payload.length), u16(0x1234), u16(0x4000),
        64, protocol, u16(0), ip(src), ip(dst), options, payload);
  }

  public static byte[] ipv4(int protocol, String src, String dst, byte[] payload) {
    return ipv4(protocol, src, dst, new byte[0], payload);
  }

  public static byte[] ipv6(int next, String src, String dst, byte[] payload) {
    return bytes(0x60, 0, 0, 0, u16(payload.length), next, 64, ip(src), ip(dst), payload);
  }

  public static byte[] icmpEcho(int type, int id, int seq, byte[] data) {
    return bytes(type, 0, u16(0), u16(id), u16(seq), data);
  }

  /**
   * An ICMP echo request as a program behind a device would write it, every checksum right:
   * IPv4 with don't-fragment, TTL 64 and the given identification.
   */
  public static byte[] checkedEchoRequest(String src, String dst, int ipId, int echoId, int seq, byte[] data) {
    byte[] icmp = icmpEcho(8, echoId, seq, data);
    putChecksum(icmp, 2, icmp.length);
    byte[] packet = bytes(0x45, 0, u16(20 + icmp.length), u16(ipId), u16(0x4000), 64, 1, u16(0), ip(src), ip(dst),
        icmp);
    putChecksum(packet, 10, 20);
    return packet;
  }

  private static void putChecksum(byte[] message, int at, int length) {
    int checksum = InternetChecksum.finish(InternetChecksum.add(0, java.nio.ByteBuffer.wrap(message), 0, length));
    message[at] = (byte) (checksum >> 8);
    message[at + 1] = (byte) checksum;
  }

  public static byte[] udp(int sourcePort, int destinationPort, byte[] payload) {
    return bytes(u16(sourcePort), u16(destinationPort), u16(8 + payload.length), u16(0), payload);
  }

  public static byte[] tcp(int sourcePort, int destinationPort, int flags, byte[] options, byte[] payload) {
    int headerLength = 20 + options.length;
    return bytes(u16(sourcePort), u16(destinationPort), u32(1000), u32(0), (headerLength / 4) << 4, flags,
        u16(64240), u16(0), u16(0), options, payload);
  }

  /** MSS 1460, SACK permitted, timestamps, NOP, window scale 7: what Linux puts in a SYN. */
  public static byte[] synOptions() {
    return bytes(2, 4, u16(1460), 4, 2, 8, 10, u32(12345), u32(0), 1, 3, 3, 7);
  }

  public static byte[] dnsName(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.write(0);
    return out.toByteArray();
  }

  public static byte[] dnsQuery(int id, String name) {
    return bytes(u16(id), u16(0x0100), u16(1), u16(0), u16(0), u16(0), dnsName(name), u16(1), u16(1));
  }

  /** A response with the question, an A answer and a CNAME answer, both names compressed to the question. */
  public static byte[] dnsResponse(int id, String name, String address) {
    return bytes(u16(id), u16(0x8180), u16(1), u16(2), u16(0), u16(0), dnsName(name), u16(1), u16(1),
        u16(0xc00c), u16(1), u16(1), u32(60), u16(4), ip(address),
        u16(0xc00c), u16(5), u16(1), u32(60), u16(2), u16(0xc00c));
  }

  public static byte[] vxlan(int vni, byte[] frame) {
    return bytes(0x08, 0, 0, 0, (vni >>> 16) & 0xff, (vni >>> 8) & 0xff, vni & 0xff, 0, frame);
  }

  public static byte[] neighborSolicitation(String target, byte[] sourceMac) {
    return bytes(135, 0, u16(0), u32(0), ip(target), 1, 1, sourceMac);
  }

  /** One frame of each kind the dissector knows, all Ethernet: the mix for property tests and the benchmark. */
  public static List<byte[]> ethernetMix() {
    byte[] ping = icmpEcho(8, 0x1234, 1, new byte[56]);
    return List.of(
        ethernet(BROADCAST, MAC_A, 0x0806, arpRequest(MAC_A, "198.19.0.1", "198.19.0.2")),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(1, "198.19.0.1", "198.19.0.2", ping)),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(6, "198.19.0.1", "198.19.0.2",
            tcp(40000, 80, 0x02, synOptions(), new byte[0]))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(6, "198.19.0.1", "198.19.0.2",
            tcp(40000, 80, 0x18, bytes(1, 1, 8, 10, u32(1), u32(2)), new byte[100]))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "198.19.0.1", "198.19.0.2",
            udp(40000, 53, dnsQuery(0x4242, "www.example.org")))),
        ethernet(MAC_A, MAC_B, 0x0800, ipv4(17, "198.19.0.2", "198.19.0.1",
            udp(53, 40000, dnsResponse(0x4242, "www.example.org", "203.0.113.8")))),
        ethernet(MAC_B, MAC_A, 0x86dd, ipv6(58, "2001:db8:19::1", "ff02::1:ff00:2",
            neighborSolicitation("2001:db8:19::2", MAC_A))),
        ethernet(MAC_B, MAC_A, 0x86dd, ipv6(6, "2001:db8:19::1", "2001:db8:19::2",
            tcp(40000, 443, 0x10, bytes(1, 1, 8, 10, u32(1), u32(2)), new byte[200]))),
        ethernet(MAC_B, MAC_A, 0x8100, vlanTag(100, 0x0800, ipv4(17, "198.19.0.1", "198.19.0.2",
            udp(40000, 9999, new byte[32])))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "203.0.113.1", "203.0.113.89", udp(50000, 4789,
            vxlan(42, ethernet(MAC_B, MAC_A, 0x0800, ipv4(1, "198.18.0.1", "198.18.0.2", ping)))))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(1, "198.19.0.2", "198.19.0.1",
            bytes(3, 3, u16(0), u32(0), ipv4(17, "198.19.0.1", "198.19.0.2", udp(40000, 33434, new byte[12]))))));
  }
}
