package io.github.tuntaplab.tunlib.responder;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Judges a responder's replies with tshark: which requests deserve an answer is decided from
 * tshark's dissection of the requests alone, and each reply must carry, in tshark's reading, good
 * checksums and the fields the protocol demands of an answer to that very request.
 */
final class ReplyOracle {
  static final String MAC = "00:00:5e:00:53:02";
  static final byte[] MAC_BYTES = {0x00, 0x00, 0x5e, 0x00, 0x53, 0x02};
  static final String LINK_LOCAL = "fe80::200:5eff:fe00:5302";
  /** The responder's addresses on the 198.19.0.0/24 and 2001:db8:19::/64 TAP LAN. */
  static final List<String> OWN = List.of("198.19.0.2", "2001:db8:19::2", "2001:db8:19::99", LINK_LOCAL);

  private static final String GOOD = "1"; // Wireshark's PROTO_CHECKSUM_E_GOOD
  private static final int EXPERT_WARNING = 0x600000;

  private static final List<String> FIELDS = List.of(
      "frame.len", "eth.dst", "eth.src",
      "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
      "ip.src", "ip.dst", "ip.ttl", "ip.id", "ip.flags.df", "ip.checksum.status",
      "icmp.type", "icmp.code", "icmp.checksum.status", "icmp.ident", "icmp.seq", "icmp.resp_to", "icmp.data_time",
      "ipv6.src", "ipv6.dst", "ipv6.hlim",
      "icmpv6.type", "icmpv6.code", "icmpv6.checksum.status", "icmpv6.echo.identifier",
      "icmpv6.echo.sequence_number", "icmpv6.resp_to",
      "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.nd.na.flag.r",
      "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.opt.type", "icmpv6.opt.linkaddr",
      "data.data", "_ws.expert.severity", "_ws.expert.message");

  private ReplyOracle() {}

  static Responder tapResponder() {
    return Responder.forTap(MAC_BYTES, addresses());
  }

  static Responder tunResponder() {
    return Responder.forTun(addresses());
  }

  static List<InetAddress> addresses() {
    List<InetAddress> addresses = new ArrayList<>();
    for (String text : OWN) {
      try {
        addresses.add(InetAddress.getByName(text));
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    return addresses;
  }

  /** Per request in the capture: does a host owning {@link #OWN} behind this link answer it? */
  static List<Boolean> deservesAnswer(Path requests, boolean tap) {
    List<Boolean> verdicts = new ArrayList<>();
    for (Map<String, String> request : Tshark.fields(requests, FIELDS)) {
      verdicts.add(deservesAnswer(request, tap));
    }
    return verdicts;
  }

  private static boolean deservesAnswer(Map<String, String> r, boolean tap) {
    if (tap && r.get("arp.opcode").equals("1")) {
      return OWN.contains(r.get("arp.dst.proto_ipv4"));
    }
    if (r.get("icmp.type").equals("8")) {
      return OWN.contains(r.get("ip.dst")) && r.get("icmp.checksum.status").equals(GOOD);
    }
    if (r.get("icmpv6.type").equals("128")) {
      return (OWN.contains(r.get("ipv6.dst")) || r.get("ipv6.dst").equals("ff02::1"))
          && r.get("icmpv6.checksum.status").equals(GOOD);
    }
    if (tap && r.get("icmpv6.type").equals("135")) {
      return OWN.contains(r.get("icmpv6.nd.ns.target_address")) && r.get("ipv6.hlim").equals("255")
          && r.get("icmpv6.checksum.status").equals(GOOD);
    }
    return false;
  }

  /**
   * Writes each request followed by its reply to {@code dir/exchange.pcap} and checks every reply
   * in tshark's reading against its request.
   */
  static void assertRepliesAnswer(Path dir, LinkType linkType, List<byte[]> requests, List<byte[]> replies) {
    List<byte[]> exchange = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      exchange.add(requests.get(i));
      exchange.add(replies.get(i));
    }
    Path capture = dir.resolve("exchange.pcap");
    CaptureFiles.write(capture, linkType, exchange);
    List<Map<String, String>> frames = Tshark.fields(capture, FIELDS);
    assertThat(frames).hasSize(exchange.size());
    for (int i = 0; i < frames.size(); i += 2) {
      assertAnswers(frames.get(i), frames.get(i + 1), i + 1, linkType.equals(LinkType.ETHERNET));
    }
  }

  private static void assertAnswers(Map<String, String> q, Map<String, String> a, int requestFrame, boolean tap) {
    String what = "reply (frame " + (requestFrame + 1) + ") to frame " + requestFrame + ": " + q + "\n  reply: " + a;
    for (String severity : a.get("_ws.expert.severity").split(",")) {
      if (!severity.isEmpty()) {
        assertThat(Integer.parseInt(severity)).as("tshark's expert severity of the %s", what).isLessThan(EXPERT_WARNING);
      }
    }
    if (tap) {
      assertThat(a.get("eth.src")).as(what).isEqualTo(MAC);
    }
    if (!q.get("arp.opcode").isEmpty()) {
      assertThat(a.get("arp.opcode")).as(what).isEqualTo("2");
      assertThat(a.get("frame.len")).as("unpadded, as the kernel sends it: " + what).isEqualTo("42");
      assertThat(a.get("eth.dst")).as(what).isEqualTo(q.get("arp.src.hw_mac"));
      assertThat(a.get("arp.src.hw_mac")).as(what).isEqualTo(MAC);
      assertThat(a.get("arp.src.proto_ipv4")).as(what).isEqualTo(q.get("arp.dst.proto_ipv4"));
      assertThat(a.get("arp.dst.hw_mac")).as(what).isEqualTo(q.get("arp.src.hw_mac"));
      assertThat(a.get("arp.dst.proto_ipv4")).as(what).isEqualTo(q.get("arp.src.proto_ipv4"));
    } else if (!q.get("icmp.type").isEmpty()) {
      assertThat(a.get("icmp.type")).as(what).isEqualTo("0");
      assertThat(a.get("icmp.resp_to")).as("tshark pairs it with its request: " + what).isEqualTo(String.valueOf(requestFrame));
      assertThat(a.get("ip.checksum.status")).as(what).isEqualTo(GOOD);
      assertThat(a.get("icmp.checksum.status")).as(what).isEqualTo(GOOD);
      assertThat(a.get("ip.src")).as(what).isEqualTo(q.get("ip.dst"));
      assertThat(a.get("ip.dst")).as(what).isEqualTo(q.get("ip.src"));
      assertThat(a.get("ip.ttl")).as(what).isEqualTo("64");
      assertThat(a.get("ip.id")).as(what).isEqualTo(q.get("ip.id"));
      assertThat(a.get("ip.flags.df")).as(what).isEqualTo(q.get("ip.flags.df"));
      assertSameEcho(q, a, what, "icmp.code", "icmp.ident", "icmp.seq", "icmp.data_time", "data.data");
      assertLinkDestination(q, a, tap, what);
    } else if (q.get("icmpv6.type").equals("128")) {
      boolean toAllNodes = q.get("ipv6.dst").equals("ff02::1");
      assertThat(a.get("icmpv6.type")).as(what).isEqualTo("129");
      // tshark pairs by addresses too, so only a unicast request finds its reply.
      assertThat(a.get("icmpv6.resp_to")).as("tshark pairs it with its request: " + what)
          .isEqualTo(toAllNodes ? "" : String.valueOf(requestFrame));
      assertThat(a.get("icmpv6.checksum.status")).as(what).isEqualTo(GOOD);
      assertThat(a.get("ipv6.src")).as(what)
          .isEqualTo(toAllNodes ? LINK_LOCAL : q.get("ipv6.dst"));
      assertThat(a.get("ipv6.dst")).as(what).isEqualTo(q.get("ipv6.src"));
      assertThat(a.get("ipv6.hlim")).as(what).isEqualTo("64");
      assertSameEcho(q, a, what, "icmpv6.code", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "data.data");
      assertLinkDestination(q, a, tap, what);
    } else {
      boolean duplicateAddressDetection = q.get("ipv6.src").equals("::");
      assertThat(a.get("icmpv6.type")).as(what).isEqualTo("136");
      assertThat(a.get("icmpv6.code")).as(what).isEqualTo("0");
      assertThat(a.get("icmpv6.checksum.status")).as(what).isEqualTo(GOOD);
      assertThat(a.get("ipv6.hlim")).as("the kernel drops NDP with another hop limit: " + what).isEqualTo("255");
      assertThat(a.get("ipv6.src")).as(what).isEqualTo(q.get("icmpv6.nd.ns.target_address"));
      assertThat(a.get("icmpv6.nd.na.target_address")).as(what).isEqualTo(q.get("icmpv6.nd.ns.target_address"));
      assertThat(a.get("icmpv6.nd.na.flag.r")).as(what).isEqualTo("0");
      assertThat(a.get("icmpv6.nd.na.flag.s")).as(what).isEqualTo(duplicateAddressDetection ? "0" : "1");
      assertThat(a.get("icmpv6.nd.na.flag.o")).as(what).isEqualTo("1");
      assertThat(a.get("icmpv6.opt.type")).as("one target link-layer address option: " + what).isEqualTo("2");
      assertThat(a.get("icmpv6.opt.linkaddr")).as(what).isEqualTo(MAC);
      if (duplicateAddressDetection) {
        assertThat(a.get("ipv6.dst")).as(what).isEqualTo("ff02::1");
        assertThat(a.get("eth.dst")).as(what).isEqualTo("33:33:00:00:00:01");
      } else {
        assertThat(a.get("ipv6.dst")).as(what).isEqualTo(q.get("ipv6.src"));
        assertThat(a.get("eth.dst")).as(what).isEqualTo(q.get("eth.src"));
      }
    }
  }

  private static void assertSameEcho(Map<String, String> q, Map<String, String> a, String what, String... fields) {
    for (String field : fields) {
      assertThat(a.get(field)).as(field + " of the " + what).isEqualTo(q.get(field));
    }
  }

  private static void assertLinkDestination(Map<String, String> q, Map<String, String> a, boolean tap, String what) {
    if (tap) {
      assertThat(a.get("eth.dst")).as(what).isEqualTo(q.get("eth.src"));
    }
  }
}
