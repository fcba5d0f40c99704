package io.github.tuntaplab.tunlib.packet;

import static io.github.tuntaplab.tunlib.packet.TestPackets.*;

import java.util.Arrays;
import java.util.List;

/** Ethernet frames that exercise the awkward corners: options, extension chains, quotes, stacked tags. */
final class TrickyFrames {
  private TrickyFrames() {}

  static List<byte[]> all() {
    byte[] routerAlert = bytes(0x94, 4, 0, 0);
    byte[] quotedUdp = Arrays.copyOf(ipv4(17, "198.19.0.1", "203.0.113.8", udp(40000, 33434, new byte[92])), 28);
    byte[] quotedTcp = Arrays.copyOf(ipv4(6, "198.19.0.1", "203.0.113.8", tcp(40000, 80, 0x02, new byte[0], new byte[0])), 28);
    byte[] extensionChain = bytes(bytes(43, 0, 5, 2, 0, 0, 1, 0), bytes(44, 0, 4, 0, 0, 0, 0, 0),
        bytes(60, 0, u16(0x0001), u32(0xcafe)), bytes(58, 0, 1, 4, 0, 0, 0, 0), icmpEcho(128, 7, 1, new byte[8]));
    byte[] routerAdvertisement = bytes(134, 0, u16(0), 64, 0x40, u16(1800), u32(0), u32(0),
        bytes(3, 4, 64, 0xc0, u32(86400), u32(14400), u32(0), ip("2001:db8:19::")), bytes(1, 1, MAC_A), bytes(5, 1, u16(0), u32(1500)));
    return List.of(
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "198.19.0.1", "198.19.0.2", bytes(1, 1, 1, 1, routerAlert),
            udp(1000, 2000, new byte[4]))),
        ethernet(MAC_B, MAC_A, 0x86dd, ipv6(0, "2001:db8:19::1", "2001:db8:19::2", extensionChain)),
        ethernet(MAC_A, MAC_B, 0x0800, ipv4(1, "198.19.0.2", "198.19.0.1", bytes(3, 3, u16(0), u32(0), quotedUdp))),
        ethernet(MAC_A, MAC_B, 0x0800, ipv4(1, "198.19.0.2", "198.19.0.1", bytes(11, 0, u16(0), u32(0), quotedTcp))),
        ethernet(MAC_B, MAC_A, 0x88a8, vlanTag(0x2000 | 100, 0x8100, vlanTag(200, 0x0800,
            ipv4(17, "198.19.0.1", "198.19.0.2", udp(1, 2, new byte[0]))))),
        ethernet(MAC_B, MAC_A, 0x86dd, ipv6(58, "fe80::1", "ff02::1", routerAdvertisement)),
        ethernet(MAC_B, MAC_A, 0x86dd, ipv6(58, "fe80::1", "fe80::2",
            bytes(136, 0, u16(0), u32(0x60000000L), ip("fe80::1"), bytes(2, 1, MAC_B)))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(6, "198.19.0.1", "198.19.0.2",
            tcp(40000, 80, 0x10, bytes(1, 1, 5, 10, u32(100), u32(200)), new byte[10]))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "203.0.113.1", "203.0.113.89", udp(40000, 51820,
            bytes(1, 0, 0, 0, u32(0x55667788), new byte[140])))),
        ethernet(MAC_A, MAC_B, 0x0800, ipv4(17, "203.0.113.89", "203.0.113.1", udp(51820, 40000,
            bytes(2, 0, 0, 0, u32(0x01020304), u32(0x55667788), new byte[84])))),
        ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "203.0.113.1", "203.0.113.89", udp(40000, 51820,
            bytes(4, 0, 0, 0, u32(0x01020304), u32(0), u32(7), new byte[48])))));
  }
}
