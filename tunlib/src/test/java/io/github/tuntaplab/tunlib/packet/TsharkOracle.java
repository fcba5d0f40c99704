package io.github.tuntaplab.tunlib.packet;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Compares our byte ranges with tshark's: {@code tshark -T pdml} gives each field's {@code pos}
 * and {@code size}. For every field of {@link #CHECKED} that tshark shows (not hidden, size > 0),
 * the n-th occurrence in a packet must have the same offset and length as our n-th one.
 */
final class TsharkOracle {
  /** The fields the issue requires, by Wireshark name. */
  static final Set<String> CHECKED = Set.of(("eth.dst eth.src eth.type vlan.id arp.hw.type arp.proto.type"
      + " arp.hw.size arp.proto.size arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac"
      + " arp.dst.proto_ipv4 ip.version ip.hdr_len ip.dsfield ip.len ip.id ip.flags ip.frag_offset ip.ttl"
      + " ip.proto ip.checksum ip.src ip.dst ipv6.tclass ipv6.flow ipv6.plen ipv6.nxt ipv6.hlim ipv6.src"
      + " ipv6.dst icmp.type icmp.code icmp.checksum icmp.ident icmp.seq icmpv6.type icmpv6.code"
      + " icmpv6.checksum udp.srcport udp.dstport udp.length udp.checksum tcp.srcport tcp.dstport tcp.seq"
      + " tcp.ack tcp.hdr_len tcp.flags tcp.window_size_value tcp.checksum tcp.urgent_pointer tcp.options"
      + " dns.id dns.flags dns.count.queries dns.count.answers dns.qry.name vxlan.flags vxlan.vni"
      // Beyond the list, where the names are the same in both.
      + " ipv6.version vlan.etype ieee8021ad.id icmpv6.echo.identifier icmpv6.echo.sequence_number"
      + " icmpv6.nd.ns.target_address icmpv6.nd.na.target_address icmpv6.opt.type icmpv6.opt.length"
      + " icmpv6.opt.linkaddr tcp.options.mss_val tcp.options.timestamp.tsval dns.qry.type dns.a dns.aaaa"
      + " dns.cname ipv6.hopopts.nxt ipv6.fraghdr.ident wg.type wg.receiver wg.sender wg.counter wg.encrypted_packet wg.mac1 eth.padding").split(" "));

  /** The outcome for one capture. */
  static final class Score {
    int compared;
    int matched;
    final List<String> mismatches = new ArrayList<>();

    void add(Score other) {
      compared += other.compared;
      matched += other.matched;
      mismatches.addAll(other.mismatches);
    }

    double rate() {
      return compared == 0 ? 1 : (double) matched / compared;
    }

    @Override
    public String toString() {
      return String.format("%d of %d field ranges match tshark (%.3f %%)", matched, compared, 100 * rate());
    }
  }

  private TsharkOracle() {}

  /** Scores {@code packets} (read from {@code file}) against tshark's view of the same file. */
  static Score score(Path file, List<CapturedPacket> packets, Dissector dissector, String... tsharkOptions)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "pdml",
        "-o", "tcp.desegment_tcp_streams:FALSE",
        // We dissect each fragment as it is; tshark must not reassemble them into another frame.
        "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"));
    command.addAll(List.of(tsharkOptions));
    Cmd.Result result = Cmd.run(120, command.toArray(String[]::new)).orThrow();
    List<Map<String, List<int[]>>> theirs = parsePdml(result.stdout());
    Score score = new Score();
    for (int i = 0; i < Math.min(theirs.size(), packets.size()); i++) {
      CapturedPacket packet = packets.get(i);
      Dissection ours = dissector.dissect(packet.linkType(), packet.data(), 0, packet.data().length,
          packet.originalLength());
      Map<String, List<int[]>> ourRanges = ranges(ours);
      for (Map.Entry<String, List<int[]>> entry : theirs.get(i).entrySet()) {
        List<int[]> mine = ourRanges.getOrDefault(entry.getKey(), List.of());
        List<int[]> expected = entry.getValue();
        for (int k = 0; k < expected.size(); k++) {
          score.compared++;
          int[] want = expected.get(k);
          int[] got = k < mine.size() ? mine.get(k) : null;
          if (got != null && got[0] == want[0] && got[1] == want[1]) {
            score.matched++;
          } else {
            score.mismatches.add(String.format("%s frame %d: %s #%d tshark %d+%d, ours %s (%s)",
                file.getFileName(), i + 1, entry.getKey(), k + 1, want[0], want[1],
                got == null ? "missing" : got[0] + "+" + got[1], ours));
          }
        }
      }
    }
    if (theirs.size() != packets.size()) {
      score.mismatches.add(file.getFileName() + ": tshark shows " + theirs.size() + " packets, we read " + packets.size());
    }
    return score;
  }

  static Map<String, List<int[]>> ranges(Dissection dissection) {
    Map<String, List<int[]>> ranges = new LinkedHashMap<>();
    for (int i = 0; i < dissection.fieldCount(); i++) {
      String name = dissection.fieldName(i);
      if (CHECKED.contains(name)) {
        ranges.computeIfAbsent(name, n -> new ArrayList<>())
            .add(new int[] {dissection.fieldOffset(i), dissection.fieldLength(i)});
      }
    }
    return ranges;
  }

  /** Per packet, the checked fields tshark shows, in document order. */
  static List<Map<String, List<int[]>>> parsePdml(String pdml) throws Exception {
    List<Map<String, List<int[]>>> packets = new ArrayList<>();
    SAXParserFactory factory = SAXParserFactory.newInstance();
    factory.newSAXParser().parse(new ByteArrayInputStream(pdml.getBytes(StandardCharsets.UTF_8)), new DefaultHandler() {
      @Override
      public void startElement(String uri, String localName, String qName, Attributes attributes) {
        if (qName.equals("packet")) {
          packets.add(new LinkedHashMap<>());
        } else if (qName.equals("field") && !packets.isEmpty()) {
          String name = attributes.getValue("name");
          String size = attributes.getValue("size");
          String pos = attributes.getValue("pos");
          if (name != null && CHECKED.contains(name) && size != null && pos != null
              && !"yes".equals(attributes.getValue("hide")) && Integer.parseInt(size) > 0) {
            packets.get(packets.size() - 1).computeIfAbsent(name, n -> new ArrayList<>())
                .add(new int[] {Integer.parseInt(pos), Integer.parseInt(size)});
          }
        }
      }
    });
    return packets;
  }
}
