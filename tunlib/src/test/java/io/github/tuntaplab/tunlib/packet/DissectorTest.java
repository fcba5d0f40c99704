package io.github.tuntaplab.tunlib.packet;

import static io.github.tuntaplab.tunlib.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tricky cases, each checked against the protocol's layout (offsets computed from the RFC headers). */
class DissectorTest {
  private static final Dissector STANDARD = Dissector.standard();

  private static Dissection ethernet(byte[] frame) {
    return STANDARD.dissect(LinkType.ETHERNET, frame, 0, frame.length, frame.length);
  }

  private static Field field(Dissection d, String name) {
    return d.field(name).orElseThrow(() -> new AssertionError(name + " missing in " + d));
  }

  private static void assertRange(Dissection d, String name, int offset, int length) {
    Field field = field(d, name);
    assertThat(new int[] {field.offset(), field.length()}).as(name).containsExactly(offset, length);
  }

  private static List<String> layerNames(Dissection d) {
    return d.layers().stream().map(l -> l.name() + ":" + l.depth()).collect(Collectors.toList());
  }

  @Test
  void ipv4OptionsShiftTheTransportHeader() {
    byte[] routerAlert = bytes(0x94, 4, 0, 0);
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x0800,
        ipv4(17, "198.19.0.1", "198.19.0.2", bytes(1, 1, 1, 1, routerAlert), udp(1000, 2000, new byte[4])));
    Dissection d = ethernet(frame);
    assertThat(d.isMalformed()).isFalse();
    assertThat(field(d, "ip.hdr_len").value()).isEqualTo(28L);
    assertThat(field(d, "ip.hdr_len").mask()).isEqualTo(0x0fL);
    assertRange(d, "ip.options", 34, 8);
    List<Field> options = field(d, "ip.options").children();
    assertThat(options).extracting(Field::offset).containsExactly(34, 35, 36, 37, 38);
    assertThat(options.get(4).length()).isEqualTo(4);
    assertThat(field(d, "ip.opt.type").text()).contains("No Operation");
    assertThat(d.layers().get(1).length()).isEqualTo(28);
    assertRange(d, "udp.srcport", 14 + 28, 2);
  }

  @Test
  void ipv6ExtensionChainIsWalkedToTheTransport() {
    byte[] hopByHop = bytes(43, 0, 5, 2, 0, 0, 1, 0);         // router alert, PadN(0)
    byte[] routing = bytes(44, 0, 4, 0, 0, 0, 0, 0);          // type 4, no segments left
    byte[] fragment = bytes(60, 0, u16(0x0001), u32(0xcafe)); // offset 0, more fragments
    byte[] destination = bytes(58, 0, 1, 4, 0, 0, 0, 0);      // PadN(4)
    byte[] echo = icmpEcho(128, 7, 1, new byte[8]);
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x86dd, ipv6(0, "2001:db8:19::1", "2001:db8:19::2",
        bytes(hopByHop, routing, fragment, destination, echo)));
    Dissection d = ethernet(frame);
    assertThat(d.isMalformed()).isFalse();
    assertThat(layerNames(d)).containsExactly("eth:0", "ipv6:0", "icmpv6:0");
    assertThat(d.layers().get(1).length()).isEqualTo(40 + 32);
    assertRange(d, "ipv6.hopopts", 54, 8);
    assertRange(d, "ipv6.routing.type", 64, 1);
    assertRange(d, "ipv6.fraghdr.ident", 74, 4);
    assertThat(field(d, "ipv6.fraghdr.more").value()).isEqualTo(1L);
    assertRange(d, "ipv6.dstopts.nxt", 78, 1);
    assertRange(d, "icmpv6.type", 86, 1);
    assertRange(d, "icmpv6.echo.identifier", 90, 2);
  }

  @Test
  void aLaterIpv6FragmentIsData() {
    byte[] fragment = bytes(17, 0, u16(185 << 3), u32(1));
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x86dd, ipv6(44, "2001:db8:19::1", "2001:db8:19::2",
        bytes(fragment, new byte[16])));
    assertThat(layerNames(ethernet(frame))).containsExactly("eth:0", "ipv6:0", "data:0");
    assertThat(field(ethernet(frame), "ipv6.fraghdr.offset").value()).isEqualTo(185L);
  }

  @Test
  void icmpErrorQuotesATruncatedPacketWithoutCallingItMalformed() {
    // The quoted UDP header claims 100 bytes, and the quoted IP packet 128: only 28 are quoted.
    byte[] quotedIp = ipv4(17, "198.19.0.1", "203.0.113.8", udp(40000, 33434, new byte[92]));
    byte[] quote = java.util.Arrays.copyOf(quotedIp, 28);
    byte[] frame = TestPackets.ethernet(MAC_A, MAC_B, 0x0800,
        ipv4(1, "198.19.0.2", "198.19.0.1", bytes(3, 3, u16(0), u32(0), quote)));
    Dissection d = ethernet(frame);
    assertThat(layerNames(d)).containsExactly("eth:0", "ip:0", "icmp:0", "ip:1", "udp:1");
    assertThat(d.isMalformed()).isFalse();
    assertThat(d.isTruncated()).isFalse();
    assertThat(field(d, "icmp.type").text()).isEqualTo("Type: Destination unreachable (3)");
    List<Field> ports = d.fields("udp.dstport");
    assertThat(ports).hasSize(1);
    assertThat(ports.get(0).offset()).isEqualTo(14 + 20 + 8 + 20 + 2);
    assertThat(ports.get(0).value()).isEqualTo(33434L);
  }

  @Test
  void icmpErrorQuotingEightBytesOfTcpShowsPortsAndSequence() {
    byte[] quotedTcp = java.util.Arrays.copyOf(tcp(40000, 80, 0x02, new byte[0], new byte[0]), 8);
    byte[] quote = bytes(java.util.Arrays.copyOf(ipv4(6, "198.19.0.1", "203.0.113.8", new byte[20]), 20), quotedTcp);
    byte[] frame = TestPackets.ethernet(MAC_A, MAC_B, 0x0800,
        ipv4(1, "198.19.0.2", "198.19.0.1", bytes(11, 0, u16(0), u32(0), quote)));
    Dissection d = ethernet(frame);
    assertThat(layerNames(d)).containsExactly("eth:0", "ip:0", "icmp:0", "ip:1", "tcp:1");
    assertThat(d.isMalformed() || d.isTruncated()).isFalse();
    assertRange(d, "tcp.seq", 14 + 20 + 8 + 20 + 4, 4);
    assertThat(d.field("tcp.ack")).isEmpty();
  }

  @Test
  void aFirstFragmentCarriesTheStartOfALongerDatagram() {
    byte[] packet = ipv4(17, "198.19.0.1", "198.19.0.2", udp(40000, 9999, new byte[1992]));
    byte[] firstFragment = java.util.Arrays.copyOf(packet, 20 + 1480);
    firstFragment[2] = (byte) (1500 >>> 8);
    firstFragment[3] = (byte) 1500;
    firstFragment[6] = 0x20; // more fragments, offset 0
    Dissection d = STANDARD.dissect(LinkType.RAW, firstFragment, 0, firstFragment.length, firstFragment.length);
    assertThat(layerNames(d)).containsExactly("ip:0", "udp:0", "data:0");
    assertThat(d.isMalformed()).isFalse();
    assertThat(field(d, "udp.length").value()).isEqualTo(2000L);
    assertThat(d.layers().get(2).length()).isEqualTo(1472);
  }

  @Test
  void qinqTagsAreBothDissected() {
    byte[] inner = vlanTag(200, 0x0800, ipv4(17, "198.19.0.1", "198.19.0.2", udp(1, 2, new byte[0])));
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x88a8, vlanTag(0x2000 | 100, 0x8100, inner));
    Dissection d = ethernet(frame);
    assertThat(layerNames(d)).containsExactly("eth:0", "ieee8021ad:0", "vlan:0", "ip:0", "udp:0");
    assertThat(field(d, "ieee8021ad.id").value()).isEqualTo(100L);
    assertThat(field(d, "ieee8021ad.priority").value()).isEqualTo(1L);
    assertRange(d, "vlan.id", 18, 2);
    assertThat(field(d, "vlan.id").mask()).isEqualTo(0x0fffL);
    assertThat(field(d, "vlan.id").value()).isEqualTo(200L);
    assertRange(d, "ip.src", 14 + 8 + 12, 4);
  }

  @Test
  void vxlanCarriesTheInnerFrameOneLevelDeeper() {
    byte[] inner = TestPackets.ethernet(MAC_B, MAC_A, 0x0800,
        ipv4(1, "198.18.0.1", "198.18.0.2", icmpEcho(8, 1, 1, new byte[8])));
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x0800,
        ipv4(17, "203.0.113.1", "203.0.113.89", udp(50000, 4789, vxlan(0x123456, inner))));
    Dissection d = ethernet(frame);
    assertThat(layerNames(d)).containsExactly("eth:0", "ip:0", "udp:0", "vxlan:0", "eth:1", "ip:1", "icmp:1");
    assertRange(d, "vxlan.vni", 46, 3);
    assertThat(field(d, "vxlan.vni").value()).isEqualTo(0x123456L);
    assertThat(field(d, "vxlan.flags").children()).extracting(Field::name).contains("vxlan.flag_i");
    assertThat(d.fields("eth.dst").get(1).offset()).isEqualTo(50);
    assertThat(d.fields("ip.src").get(1).value()).isEqualTo("198.18.0.1");
  }

  @Test
  void decodeAsRawIpAndEthernetOnChosenPorts() {
    byte[] innerIp = ipv6(58, "2001:db8:18::1", "2001:db8:18::2", icmpEcho(128, 1, 1, new byte[0]));
    Dissector dissector = Dissector.standard().withDecodeAs(5555, DecodeAs.RAW_IP).withDecodeAs(6666, DecodeAs.ETHERNET);
    byte[] rawTunnel = ipv4(17, "203.0.113.1", "203.0.113.89", udp(5555, 40000, innerIp));
    Dissection raw = dissector.dissect(LinkType.RAW, rawTunnel, 0, rawTunnel.length, rawTunnel.length);
    assertThat(layerNames(raw)).containsExactly("ip:0", "udp:0", "ipv6:1", "icmpv6:1");
    byte[] ethTunnel = ipv4(17, "203.0.113.1", "203.0.113.89",
        udp(40000, 6666, TestPackets.ethernet(MAC_B, MAC_A, 0x86dd, innerIp)));
    Dissection eth = dissector.dissect(LinkType.IPV4, ethTunnel, 0, ethTunnel.length, ethTunnel.length);
    assertThat(layerNames(eth)).containsExactly("ip:0", "udp:0", "eth:1", "ipv6:1", "icmpv6:1");
    assertThat(layerNames(Dissector.standard().dissect(LinkType.RAW, rawTunnel, 0, rawTunnel.length, rawTunnel.length)))
        .containsExactly("ip:0", "udp:0", "data:0");
  }

  @Test
  void dnsCompressionLoopsTerminateAsMalformed() {
    // The answer's name points at itself; a second message has two names pointing at each other.
    byte[] selfLoop = bytes(u16(1), u16(0x8180), u16(0), u16(1), u16(0), u16(0), u16(0xc00c), u16(1), u16(1),
        u32(60), u16(4), ip("198.51.100.1"));
    byte[] pingPong = bytes(u16(2), u16(0x8180), u16(1), u16(0), u16(0), u16(0), 1, (int) 'a', u16(0xc00c), u16(1), u16(1));
    for (byte[] message : List.of(selfLoop, pingPong)) {
      byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x0800, ipv4(17, "198.51.100.1", "198.51.100.2", udp(53, 53, message)));
      Dissection d = ethernet(frame);
      assertThat(d.isMalformed()).isTrue();
      assertThat(d.layers().get(3).malformedReason()).contains("loops");
      assertThat(DissectionInvariants.violations(d)).isEmpty();
    }
  }

  @Test
  void dnsNamesFollowCompressionPointers() {
    byte[] frame = TestPackets.ethernet(MAC_A, MAC_B, 0x0800, ipv4(17, "198.51.100.2", "198.51.100.1",
        udp(53, 40000, dnsResponse(7, "www.example.org", "203.0.113.8"))));
    Dissection d = ethernet(frame);
    int dns = 14 + 20 + 8;
    assertRange(d, "dns.qry.name", dns + 12, 17);
    assertThat(field(d, "dns.qry.name").value()).isEqualTo("www.example.org");
    assertThat(field(d, "dns.resp.name").value()).isEqualTo("www.example.org");
    assertThat(field(d, "dns.resp.name").length()).isEqualTo(2);
    assertThat(field(d, "dns.a").value()).isEqualTo("203.0.113.8");
    assertThat(field(d, "dns.cname").value()).isEqualTo("www.example.org");
    assertThat(field(d, "dns.count.answers").value()).isEqualTo(2L);
  }

  @Test
  void tcpOptionsAreEachDissected() {
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x0800,
        ipv4(6, "198.19.0.1", "198.19.0.2", tcp(40000, 80, 0x02, synOptions(), new byte[0])));
    Dissection d = ethernet(frame);
    int tcp = 34;
    assertRange(d, "tcp.options", tcp + 20, 20);
    assertThat(field(d, "tcp.options").children()).extracting(Field::name).containsExactly(
        "tcp.options.mss", "tcp.options.sack_perm", "tcp.options.timestamp", "tcp.options.nop", "tcp.options.wscale");
    assertThat(field(d, "tcp.options.mss_val").value()).isEqualTo(1460L);
    assertRange(d, "tcp.options.timestamp.tsval", tcp + 28, 4);
    assertThat(field(d, "tcp.options.wscale.shift").value()).isEqualTo(7L);
    assertThat(field(d, "tcp.flags").text()).isEqualTo(".... 0000 0000 0010 = Flags: 0x002");
    assertThat(field(d, "tcp.flags.syn").value()).isEqualTo(1L);

    byte[] bad = TestPackets.ethernet(MAC_B, MAC_A, 0x0800,
        ipv4(6, "198.19.0.1", "198.19.0.2", tcp(40000, 80, 0x02, bytes(2, 40, 0, 0), new byte[0])));
    Dissection broken = ethernet(bad);
    assertThat(broken.layers().get(2).malformedReason()).contains("TCP option 2 has length 40");
  }

  @Test
  void snapshotLengthIsTruncatedWhileAShortPacketIsMalformed() {
    byte[] frame = TestPackets.ethernet(MAC_B, MAC_A, 0x0800,
        ipv4(6, "198.19.0.1", "198.19.0.2", tcp(40000, 80, 0x10, new byte[0], new byte[20])));
    Dissection cut = STANDARD.dissect(LinkType.ETHERNET, frame, 0, 44, frame.length);
    assertThat(cut.isMalformed()).isFalse();
    assertThat(cut.isTruncated()).isTrue();
    assertThat(cut.layers().get(2).truncatedReason())
        .isEqualTo("the capture kept 10 of the 20 bytes of the TCP header (snapshot length)");
    assertThat(cut.field("tcp.seq")).isPresent();
    assertThat(cut.field("tcp.ack")).isEmpty();

    byte[] shortFrame = java.util.Arrays.copyOf(frame, 60);
    Dissection lying = STANDARD.dissect(LinkType.ETHERNET, shortFrame, 0, 60, 60);
    assertThat(lying.isMalformed()).isTrue();
    assertThat(lying.layers().get(1).malformedReason()).isEqualTo("IPv4 total length 60 > 46 bytes in the frame");
  }

  @Test
  void arpFieldsSitWhereRfc826PutsThem() {
    byte[] frame = TestPackets.ethernet(BROADCAST, MAC_A, 0x0806, arpRequest(MAC_A, "198.19.0.1", "198.19.0.2"));
    Dissection d = ethernet(frame);
    assertThat(layerNames(d)).containsExactly("eth:0", "arp:0");
    assertRange(d, "arp.opcode", 20, 2);
    assertThat(field(d, "arp.opcode").text()).isEqualTo("Opcode: request (1)");
    assertRange(d, "arp.src.hw_mac", 22, 6);
    assertRange(d, "arp.dst.proto_ipv4", 38, 4);
    assertThat(field(d, "arp.dst.proto_ipv4").value()).isEqualTo("198.19.0.2");
    assertThat(field(d, "eth.type").text()).isEqualTo("Type: ARP (0x0806)");
  }

  @Test
  void wireGuardHeadersAndCiphertext() {
    byte[] data = bytes(4, 0, 0, 0, u32(0x11223344), 9, 0, 0, 0, u32(0), new byte[48]);
    byte[] initiation = bytes(1, 0, 0, 0, u32(0x55667788), new byte[140]);
    for (byte[] message : List.of(data, initiation)) {
      byte[] packet = ipv4(17, "203.0.113.1", "203.0.113.89", udp(40000, 51820, message));
      Dissection d = STANDARD.dissect(LinkType.RAW, packet, 0, packet.length, packet.length);
      assertThat(layerNames(d)).containsExactly("ip:0", "udp:0", "wg:0");
      assertThat(d.isMalformed()).isFalse();
      assertRange(d, "wg.type", 28, 1);
    }
    byte[] packet = ipv4(17, "203.0.113.1", "203.0.113.89", udp(40000, 51820, data));
    Dissection d = STANDARD.dissect(LinkType.RAW, packet, 0, packet.length, packet.length);
    // Little-endian on the wire, as tshark shows them: bytes 09 00 00 00 00 00 00 00 are counter 9.
    assertThat(field(d, "wg.counter").value()).isEqualTo(9L);
    assertThat(field(d, "wg.receiver").value()).isEqualTo(0x44332211L);
    assertRange(d, "wg.encrypted_packet", 28 + 16, 48);
  }

  @Test
  void tunPacketInformationHeaderPrecedesTheIpPacket() {
    byte[] packet = bytes(0, 0, 0x86, 0xdd, ipv6(58, "2001:db8:18::1", "2001:db8:18::2", icmpEcho(128, 1, 1, new byte[0])));
    Dissection d = STANDARD.dissectTunPacketInfo(packet, 0, packet.length, packet.length);
    assertThat(layerNames(d)).containsExactly("tun:0", "ipv6:0", "icmpv6:0");
    assertThat(field(d, "tun.proto").text()).isEqualTo("Protocol: IPv6 (0x86dd)");
    assertRange(d, "ipv6.src", 4 + 8, 16);
    assertThat(field(d, "ipv6.src").value()).isEqualTo("2001:db8:18::1");
  }

  @Test
  void linuxCookedHeadersLeadToTheirPayload() {
    byte[] ip = ipv4(1, "198.19.0.1", "198.19.0.2", icmpEcho(8, 1, 1, new byte[0]));
    byte[] sll = bytes(u16(4), u16(1), u16(6), MAC_A, 0, 0, u16(0x0800), ip);
    byte[] sll2 = bytes(u16(0x0800), u16(0), u32(3), u16(1), 4, 6, MAC_A, 0, 0, ip);
    Dissection one = STANDARD.dissect(LinkType.LINUX_SLL, sll, 0, sll.length, sll.length);
    Dissection two = STANDARD.dissect(LinkType.LINUX_SLL2, sll2, 0, sll2.length, sll2.length);
    assertThat(layerNames(one)).containsExactly("sll:0", "ip:0", "icmp:0");
    assertThat(layerNames(two)).containsExactly("sll:0", "ip:0", "icmp:0");
    assertRange(one, "ip.src", 16 + 12, 4);
    assertRange(two, "ip.src", 20 + 12, 4);
    assertThat(field(two, "sll.ifindex").value()).isEqualTo(3L);
  }

  @Test
  void namedNumbersStayOpen() {
    assertThat(EtherType.of(0x0800)).isSameAs(EtherType.IPV4);
    assertThat(EtherType.of(0x1234).isKnown()).isFalse();
    assertThat(EtherType.of(0x1234)).isEqualTo(EtherType.of(0x1234)).hasToString("Unknown (0x1234)");
    assertThat(IpProtocol.of(58).name()).isEqualTo("ICMPv6");
    assertThat(IcmpType.of(11).quotesPacket()).isTrue();
    assertThat(Icmpv6Type.of(135)).isEqualTo(Icmpv6Type.NEIGHBOR_SOLICITATION);
    assertThat(ArpOperation.of(2)).isNotEqualTo(IcmpType.of(2));
  }
}
