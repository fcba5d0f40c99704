package io.github.tuntaplab.tunlib.capture;

import java.util.HexFormat;

/** A few hand-made packets a TAP, a TUN and an underlay would carry. */
final class SamplePackets {
  private SamplePackets() {}

  /** An ARP request from 198.19.0.1 for 198.19.0.2, as the kernel sends it on a TAP: 42 bytes. */
  static byte[] arpRequest() {
    return HexFormat.of().parseHex("ffffffffffff" + "020000000001" + "0806"
        + "0001" + "0800" + "06" + "04" + "0001" + "020000000001" + "c6130001" + "000000000000" + "c6130002");
  }

  /** An ICMP echo request 198.18.0.1 → 198.18.0.2 with 8 payload bytes: what a TUN reads. */
  static byte[] pingIpv4() {
    return HexFormat.of().parseHex("45000024" + "12340000" + "4001" + "0000" + "c6120001" + "c6120002"
        + "0800" + "0000" + "0042" + "0001" + "0001020304050607");
  }

  /** An IPv6 echo request 2001:db8:18::1 → 2001:db8:18::2. */
  static byte[] pingIpv6() {
    return HexFormat.of().parseHex("60000000" + "0010" + "3a" + "40"
        + "20010db8001800000000000000000001" + "20010db8001800000000000000000002"
        + "8000" + "0000" + "0042" + "0001" + "0001020304050607");
  }

  /** {@code ip} wrapped in Ethernet from 02:00:00:00:00:01 to 02:00:00:00:00:02. */
  static byte[] inEthernet(byte[] ip) {
    byte[] frame = new byte[14 + ip.length];
    byte[] header = HexFormat.of().parseHex("020000000002" + "020000000001" + (ip[0] >> 4 == 6 ? "86dd" : "0800"));
    System.arraycopy(header, 0, frame, 0, 14);
    System.arraycopy(ip, 0, frame, 14, ip.length);
    return frame;
  }
}
