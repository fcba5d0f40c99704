package io.github.tuntaplab.tunlib.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.net.Ip;
import io.github.tuntaplab.tunlib.net.MacAddress;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates and edits judged by tshark: every checksum it verifies must come out good (or bad
 * where the student pinned it), and the lengths and values it decodes must be the ones we meant.
 */
class PacketEditorTsharkTest {
  private static final MacAddress CLIENT_TAP = MacAddress.parse("02:54:4c:19:00:01");
  private static final MacAddress RESPONDER = MacAddress.parse("02:54:4c:19:00:02");
  private static final String[] FIELDS = {"ip.checksum.status", "icmp.checksum.status", "icmpv6.checksum.status",
      "udp.checksum.status", "tcp.checksum.status", "ip.len", "ipv6.plen", "udp.length", "ip.ttl", "icmp.seq",
      "ipv6.src", "data.len", "arp.dst.proto_ipv4", "_ws.malformed"};

  @TempDir
  Path dir;

  @BeforeAll
  static void needTshark() {
    Prerequisites.requireTool("tshark");
  }

  @Test
  void templatesAreWellFormed() {
    List<byte[]> raw = List.of(
        PacketTemplates.icmpEcho(Ip.parse("198.18.0.2"), Ip.parse("198.18.0.1"), 0x77, 1, "tuntap".getBytes()),
        PacketTemplates.icmpEcho(Ip.parse("2001:db8:18::2"), Ip.parse("2001:db8:18::1"), 0x77, 2, new byte[0]),
        PacketTemplates.udp(Ip.parse("198.18.0.2"), 5000, Ip.parse("198.18.0.1"), 9, "hello".getBytes()),
        PacketTemplates.udp(Ip.parse("2001:db8:18::2"), 5000, Ip.parse("2001:db8:18::1"), 9, new byte[3]));
    assertThat(tshark(LinkType.RAW, raw)).containsExactly(
        row("1", "1", "", "", "", "34", "", "", "64", "1", "", "6", "", ""),
        row("", "", "1", "", "", "", "8", "", "", "", "2001:db8:18::2", "", "", ""),
        row("1", "", "", "1", "", "33", "", "13", "64", "", "", "5", "", ""),
        row("", "", "", "1", "", "", "11", "11", "", "", "2001:db8:18::2", "3", "", ""));
    byte[] arp = PacketTemplates.arpRequest(CLIENT_TAP, Ip.parse("198.19.0.1"), Ip.parse("198.19.0.2"));
    assertThat(arp).hasSize(42);
    byte[] echoOnTap = PacketTemplates.ethernet(RESPONDER, CLIENT_TAP, raw.get(0));
    assertThat(tshark(LinkType.ETHERNET, List.of(arp, echoOnTap))).containsExactly(
        row("", "", "", "", "", "", "", "", "", "", "", "", "198.19.0.2", ""),
        row("1", "1", "", "", "", "34", "", "", "64", "1", "", "6", "", ""));
  }

  @Test
  void editsKeepLengthsAndChecksumsRightUnlessPinned() {
    byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.18.0.2"), Ip.parse("198.18.0.1"), 0x77, 1, new byte[4]);
    byte[] ttl = edit(LinkType.RAW, echo, "ip.ttl", "1", Set.of());
    byte[] seq = edit(LinkType.RAW, ttl, "icmp.seq", "0x0102", Set.of());
    byte[] longer = edit(LinkType.RAW, seq, "data.data", "de ad be ef 01 02 03 04 05 06", Set.of());
    byte[] pinned = edit(LinkType.RAW, longer, "ip.ttl", "9", Set.of("ip.checksum"));
    byte[] v6 = PacketTemplates.udp(Ip.parse("2001:db8:18::2"), 5000, Ip.parse("2001:db8:18::1"), 9, new byte[3]);
    byte[] v6source = edit(LinkType.RAW, v6, "ipv6.src", "2001:db8:18::99", Set.of());
    byte[] v6shorter = edit(LinkType.RAW, v6source, "data.data", "", Set.of());
    byte[] v6keepLength = edit(LinkType.RAW, v6source, "data.data", "01 02 03 04 05", Set.of("udp.length"));
    // A TCP segment built with zero checksums: fixing sets both.
    byte[] tcp = PacketEditor.fixChecksums(LinkType.RAW, TestPackets.ipv4(6, "198.18.0.1", "198.18.0.2",
        TestPackets.tcp(40000, 80, 0x02, TestPackets.synOptions(), new byte[0])), Set.of());
    assertThat(tshark(LinkType.RAW, List.of(ttl, seq, longer, pinned, v6source, v6shorter, v6keepLength, tcp)))
        .containsExactly(
            row("1", "1", "", "", "", "32", "", "", "1", "1", "", "4", "", ""),
            row("1", "1", "", "", "", "32", "", "", "1", "258", "", "4", "", ""),
            row("1", "1", "", "", "", "38", "", "", "1", "258", "", "10", "", ""),
            row("0", "1", "", "", "", "38", "", "", "9", "258", "", "10", "", ""),
            row("", "", "", "1", "", "", "11", "11", "", "", "2001:db8:18::99", "3", "", ""),
            row("", "", "", "1", "", "", "8", "8", "", "", "2001:db8:18::99", "", "", ""),
            row("", "", "", "0", "", "", "13", "11", "", "", "2001:db8:18::99", "3", "", ""),
            row("1", "", "", "", "1", "60", "", "", "64", "", "", "", "", ""));
  }

  @Test
  void anEditInsideATunnelFixesTheInnerAndTheOuterChecksums() {
    byte[] inner = PacketTemplates.icmpEcho(Ip.parse("198.18.0.1"), Ip.parse("198.18.0.2"), 1, 1, new byte[8]);
    byte[] outer = PacketTemplates.udp(Ip.parse("203.0.113.2"), 40000, Ip.parse("203.0.113.89"), 4789,
        TestPackets.vxlan(42, PacketTemplates.ethernet(RESPONDER, CLIENT_TAP, inner)));
    byte[] frame = PacketTemplates.ethernet(CLIENT_TAP, RESPONDER, outer);
    Dissection dissection = Dissector.standard().dissect(LinkType.ETHERNET, frame, 0, frame.length, frame.length);
    Field innerTtl = dissection.fields("ip.ttl").get(1);
    byte[] edited = PacketEditor.setField(LinkType.ETHERNET, frame, innerTtl, "3", Set.of());
    List<String> rows = tshark(LinkType.ETHERNET, List.of(edited), "-E", "occurrence=a");
    assertThat(rows).containsExactly(row("1,1", "1", "", "1", "", "86,36", "", "66", "64,3", "1", "", "8", "", ""));
  }

  @Test
  void aValueThatDoesNotFitIsRefusedWithTheReason() {
    byte[] echo = PacketTemplates.icmpEcho(Ip.parse("198.18.0.2"), Ip.parse("198.18.0.1"), 1, 1, new byte[4]);
    assertThatThrownBy(() -> edit(LinkType.RAW, echo, "ip.ttl", "256", Set.of()))
        .hasMessage("ip.ttl takes 0..255, not 256");
    assertThatThrownBy(() -> edit(LinkType.RAW, echo, "ip.src", "2001:db8::1", Set.of()))
        .hasMessage("this field holds a 4-byte address, and '2001:db8::1' has 16");
    assertThatThrownBy(() -> edit(LinkType.RAW, echo, "ip.flags.df", "2", Set.of()))
        .hasMessage("ip.flags.df takes 0..1, not 2");
    byte[] noDf = edit(LinkType.RAW, echo, "ip.flags.df", "0", Set.of());
    assertThat(noDf[6] & 0xff).isEqualTo(0);
    assertThat(edit(LinkType.RAW, noDf, "ip.dsfield.ecn", "3", Set.of())[1] & 0xff).isEqualTo(3);
  }

  private static byte[] edit(LinkType linkType, byte[] packet, String field, String text, Set<String> pinned) {
    Dissection dissection = Dissector.standard().dissect(linkType, packet, 0, packet.length, packet.length);
    Field target = dissection.field(field).orElseThrow(() -> new AssertionError("no " + field + " in " + dissection));
    return PacketEditor.setField(linkType, packet, target, text, pinned);
  }

  private List<String> tshark(LinkType linkType, List<byte[]> packets, String... options) {
    Path file = dir.resolve("crafted-" + linkType.value() + "-" + System.nanoTime() + ".pcap");
    CaptureFiles.write(file, linkType, packets);
    List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(),
        "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-d", "udp.port==4789,vxlan", "-T", "fields", "-E", "separator=|"));
    command.addAll(List.of(options));
    for (String field : FIELDS) {
      command.addAll(List.of("-e", field));
    }
    return Cmd.ok(command.toArray(String[]::new)).lines().toList();
  }

  private static String row(String... values) {
    return String.join("|", values);
  }
}
