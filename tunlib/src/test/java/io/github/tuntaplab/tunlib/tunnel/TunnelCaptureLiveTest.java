package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The underlay as tcpdump captures it, dissected by our Dissector: outer Ethernet, IP and UDP at
 * depth 0, then the tunnel's own header and the inner packet one level deeper. For the AEAD format
 * the key travels in a pcapng Decryption Secrets Block, and only with it does the inner packet appear.
 */
@LiveTest
class TunnelCaptureLiveTest {
  @BeforeAll
  static void tools() {
    Prerequisites.requireTool("tcpdump");
    Prerequisites.requireTool("tshark");
    Prerequisites.requireTool("ping");
  }

  @Test
  void plainUnderlayShowsOuterAndInnerLayers(@TempDir Path dir) throws Exception {
    List<CapturedPacket> packets = pingAndCapture(Encapsulation.plain(), dir);
    Dissector dissector = Dissector.standard().withDecodeAs(5555, Encapsulation.plain().decodeAs());
    List<String> echoes = innerEchoes(packets, dissector);
    assertThat(echoes).contains("eth/0 ip/0 udp/0 ip/1 icmp/1 203.0.113.2>203.0.113.89 198.18.0.1>198.18.0.2 type 8",
        "eth/0 ip/0 udp/0 ip/1 icmp/1 203.0.113.89>203.0.113.2 198.18.0.2>198.18.0.1 type 0");
  }

  @Test
  void vxlanUnderlayShowsTheInnerFrame(@TempDir Path dir) throws Exception {
    List<CapturedPacket> packets = pingAndCapture(Encapsulation.vxlan(42), dir);
    List<String> echoes = innerEchoes(packets, Dissector.standard());
    assertThat(echoes).contains(
        "eth/0 ip/0 udp/0 vxlan/0 eth/1 ip/1 icmp/1 203.0.113.2>203.0.113.89 198.19.0.1>198.19.0.2 type 8",
        "eth/0 ip/0 udp/0 vxlan/0 eth/1 ip/1 icmp/1 203.0.113.89>203.0.113.2 198.19.0.2>198.19.0.1 type 0");
  }

  @Test
  void aeadUnderlayDecryptsWithTheKeyFromTheSecretsBlock(@TempDir Path dir) throws Exception {
    TunnelKey key = TunnelKey.generate();
    List<CapturedPacket> withoutKey = pingAndCapture(Encapsulation.aead(key), dir);
    assertThat(withoutKey).isNotEmpty();

    // Save the capture as pcapng with the key in a Decryption Secrets Block, then read it back cold.
    Path pcap = dir.resolve("underlay.pcap");
    Path saved = dir.resolve("underlay-with-key.pcapng");
    try (CaptureReader in = CaptureReader.open(pcap); PcapngWriter out = PcapngWriter.create(saved)) {
      out.writeDecryptionSecrets(new DecryptionSecrets(TunnelKey.SECRETS_TYPE,
          (key.keyLogLine() + "\n").getBytes(StandardCharsets.US_ASCII)));
      int id = out.addInterface(LinkType.ETHERNET, Underlay.SERVER_LINK, 0);
      for (CapturedPacket packet; (packet = in.next()) != null; ) {
        out.write(id, packet);
      }
    }
    assertThat(Cmd.ok("tshark", "-r", saved.toString(), "-T", "fields", "-e", "frame.number").lines().count())
        .as("tshark reads the file with our secrets block").isEqualTo(withoutKey.size());
    List<TunnelKey> keys;
    List<CapturedPacket> packets = new ArrayList<>();
    try (CaptureReader in = CaptureReader.open(saved)) {
      for (CapturedPacket packet; (packet = in.next()) != null; ) {
        packets.add(packet);
      }
      keys = TunnelKey.fromSecrets(in.decryptionSecrets());
    }
    assertThat(keys).extracting(TunnelKey::id).containsExactly(key.id());

    Dissector blind = Dissector.standard().withDecodeAs(5556, Encapsulation.aead(key).decodeAs());
    Dissector seeing = blind.withDecryption(TunnelKey.decryption(keys));
    List<Dissection> sealed = dissect(packets, blind);
    List<Dissection> opened = dissect(packets, seeing);
    assertThat(innerEchoes(packets, blind)).as("without the key the inner packet stays ciphertext").isEmpty();
    assertThat(sealed.stream().filter(d -> d.field("tunlab.ciphertext").isPresent()).count()).isGreaterThan(4);
    assertThat(innerEchoes(packets, seeing)).contains(
        "eth/0 ip/0 udp/0 tunlab/0 ip/1 icmp/1 203.0.113.2>203.0.113.89 198.18.0.1>198.18.0.2 type 8",
        "eth/0 ip/0 udp/0 tunlab/0 ip/1 icmp/1 203.0.113.89>203.0.113.2 198.18.0.2>198.18.0.1 type 0");
    Dissection request = opened.stream().filter(d -> d.field("icmp.type").isPresent()).findFirst().orElseThrow();
    assertThat(request.field("tunlab.key_id").orElseThrow().value()).isEqualTo((long) key.id() & 0xffffffffL);
    assertThat(request.field("tunlab.tag").orElseThrow().length()).isEqualTo(16);
    Layer inner = request.layers().stream().filter(l -> l.depth() == 1).findFirst().orElseThrow();
    Layer tunlab = request.layers().stream().filter(l -> l.name().equals("tunlab")).findFirst().orElseThrow();
    assertThat(inner.offset()).as("the inner packet starts after the 24-byte header").isEqualTo(tunlab.offset() + 24);
  }

  /** Pings through a tunnel of this format (both directions) while tcpdump records the server's underlay link. */
  private static List<CapturedPacket> pingAndCapture(Encapsulation encapsulation, Path dir) throws Exception {
    boolean tap = encapsulation instanceof Encapsulation.Vxlan;
    String prefix = tap ? "198.19.0." : "198.18.0.";
    Path pcap = dir.resolve("underlay.pcap");
    try (Underlay underlay = new Underlay();
        Tunnel server = Underlay.in(underlay.server, () -> Tunnel.start(
            TunnelConfig.server(encapsulation, tap ? "tl-tap0" : "tl-tun0", Underlay.server(encapsulation.defaultPort()))
                .withAddresses(List.of(IpPrefix.parse(prefix + "2/24")))));
        Tunnel client = Underlay.in(underlay.client, () -> Tunnel.start(
            TunnelConfig.client(encapsulation, tap ? "tl-tap0" : "tl-tun0", Underlay.server(encapsulation.defaultPort()))
                .withListen(new java.net.InetSocketAddress(Underlay.CLIENT_IP, encapsulation.defaultPort()))
                .withAddresses(List.of(IpPrefix.parse(prefix + "1/24")))))) {
      Process tcpdump = Underlay.tcpdump(underlay.server, Underlay.SERVER_LINK, pcap);
      underlay.client.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", prefix + "2").orThrow();
      Underlay.stop(tcpdump);
    }
    List<CapturedPacket> packets = new ArrayList<>();
    try (CaptureReader in = CaptureReader.open(pcap)) {
      for (CapturedPacket packet; (packet = in.next()) != null; ) {
        packets.add(packet);
      }
    }
    return packets;
  }

  private static List<Dissection> dissect(List<CapturedPacket> packets, Dissector dissector) {
    return packets.stream().map(p -> dissector.dissect(p.linkType(), p.data(), 0, p.capturedLength(),
        p.originalLength())).collect(Collectors.toList());
  }

  /**
   * One line per packet that carries an ICMP echo one level deep: its layers with depths, the outer
   * and inner IPv4 addresses and the ICMP type. The dissections are redone with {@code dissector}.
   */
  private static List<String> innerEchoes(List<CapturedPacket> packets, Dissector dissector) {
    List<String> lines = new ArrayList<>();
    for (Dissection d : dissect(packets, dissector)) {
      List<Layer> layers = d.layers();
      if (layers.stream().noneMatch(l -> l.name().equals("icmp") && l.depth() == 1)) {
        continue;
      }
      StringBuilder line = new StringBuilder();
      line.append(layers.stream().map(l -> l.name() + "/" + l.depth()).collect(Collectors.joining(" ")));
      for (Layer layer : layers) {
        if (layer.name().equals("ip")) {
          line.append(' ').append(value(layer, "ip.src")).append('>').append(value(layer, "ip.dst"));
        } else if (layer.name().equals("icmp")) {
          line.append(" type ").append(value(layer, "icmp.type"));
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static Object value(Layer layer, String name) {
    return layer.fields().stream().filter(f -> f.name().equals(name)).map(Field::value).findFirst().orElse(null);
  }
}
