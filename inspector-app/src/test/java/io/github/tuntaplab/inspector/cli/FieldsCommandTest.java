package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.SAXParserFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

class FieldsCommandTest {
  /** Fields whose byte ranges in our JSON are compared with tshark's pdml {@code pos} and {@code size}. */
  private static final Set<String> COMPARED = Set.of("eth.dst", "eth.src", "eth.type", "vlan.id", "arp.opcode",
      "arp.src.proto_ipv4", "ip.len", "ip.ttl", "ip.checksum", "ip.src", "ip.dst", "ipv6.plen", "ipv6.src",
      "ipv6.dst", "icmp.type", "icmp.seq", "icmpv6.type", "udp.srcport", "udp.dstport", "tcp.seq", "tcp.flags",
      "dns.id", "dns.qry.name", "vxlan.vni");
  /** Real captures of several link types, merged into one pcapng as the lab's panes would be. */
  private static final List<String> CAPTURES = List.of("dns_udp.pcap", "LINKTYPE_RAW_ipv4.pcap", "vxlan.pcap",
      "LINKTYPE_RAW_ipv6.pcap", "icmpv6.pcap", "802.1ad_QinQ.pcap", "tcp-handshake-nano.pcap");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void everyPacketOfAMixedCaptureIsOneJsonLineWithTsharksByteRanges() throws Exception {
    Path corpus = Prerequisites.requireShared("corpus/tcpdump-tests");
    Prerequisites.requireTool("tshark");
    Path merged = dir.resolve("lab.pcapng");
    List<CapturedPacket> packets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (PcapngWriter writer = PcapngWriter.create(merged)) {
      for (String capture : CAPTURES) {
        try (CaptureReader reader = CaptureReader.open(corpus.resolve(capture))) {
          int id = -1;
          for (CapturedPacket packet; (packet = reader.next()) != null; ) {
            if (id < 0) {
              id = writer.addInterface(packet.linkType(), "tl-" + capture, 0);
            }
            writer.write(id, packet);
            packets.add(packet);
            names.add("tl-" + capture);
          }
        }
      }
    }

    Tunlab tunlab = Tunlab.run("fields", merged.toString());
    assertThat(tunlab.stderr()).isEmpty();
    assertThat(tunlab.exitCode()).isZero();
    List<String> lines = tunlab.stdout().lines().toList();
    assertThat(lines).hasSameSizeAs(packets);

    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      assertThat(line.get("frame").asLong()).isEqualTo(i + 1);
      assertThat(line.get("linktype").asInt()).isEqualTo(packets.get(i).linkType().value());
      assertThat(line.get("interface").asText()).isEqualTo(names.get(i));
    }
    int compared = rangesAgreeWithTshark(lines, merged);
    System.out.println("tunlab fields: " + compared + " byte ranges agree with tshark on " + lines.size() + " packets");
    assertThat(compared).isGreaterThan(300);
  }

  /** An IP-in-UDP tunnel on a port nothing else claims: its inner packet is dissected only when asked. */
  @Test
  void decodeAsDissectsATunnelsInnerPacketAsTsharksDashDDoes() throws Exception {
    Prerequisites.requireTool("tshark");
    byte[] inner = java.util.HexFormat.of().parseHex("4500001c00010000400100000a0000010a0000020800f7ff00000000");
    byte[] frame = java.util.HexFormat.of().parseHex("020000000002020000000001" + "0800"
        + "4500" + String.format("%04x", 20 + 8 + inner.length) + "00000000" + "4011" + "0000" + "cb007159" + "cb007101"
        + "9c40" + "15b3" + String.format("%04x", 8 + inner.length) + "0000"
        + java.util.HexFormat.of().formatHex(inner));
    Path file = dir.resolve("tunnel.pcap");
    try (io.github.tuntaplab.tunlib.capture.PcapWriter writer = io.github.tuntaplab.tunlib.capture.PcapWriter.create(file)) {
      writer.addInterface(LinkType.ETHERNET, null, 0);
      writer.write(0, java.time.Instant.EPOCH, frame, 0, frame.length, frame.length, null);
    }

    assertThat(innerDepths(Tunlab.run("fields", file.toString()))).isEmpty();
    Tunlab decoded = Tunlab.run("fields", "--decode-as", "5555=raw_ip", file.toString());
    assertThat(innerDepths(decoded)).contains("ip", "icmp");
    assertThat(rangesAgreeWithTshark(decoded.stdout().lines().toList(), file, "-d", "udp.port==5555,ip"))
        .isGreaterThanOrEqualTo(12);

    Tunlab badPort = Tunlab.run("fields", "-d", "70000=raw_ip", file.toString());
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.stderr()).contains("--decode-as").contains("a UDP port is 0..65535, not 70000");
  }

  /** The names of the layers below the outermost encapsulation. */
  private static List<String> innerDepths(Tunlab tunlab) throws IOException {
    assertThat(tunlab.exitCode()).isZero();
    List<String> names = new ArrayList<>();
    for (JsonNode layer : JSON.readTree(tunlab.stdout()).get("layers")) {
      if (layer.get("depth").asInt() > 0) {
        names.add(layer.get("name").asText());
      }
    }
    return names;
  }

  /** Checks every compared field tshark shows against our JSON; returns how many were compared. */
  private static int rangesAgreeWithTshark(List<String> lines, Path file, String... tsharkOptions) throws Exception {
    List<Map<String, List<List<Integer>>>> theirs = pdmlRanges(file, tsharkOptions);
    assertThat(theirs).hasSameSizeAs(lines);
    int compared = 0;
    for (int i = 0; i < lines.size(); i++) {
      Map<String, List<List<Integer>>> ours = new LinkedHashMap<>();
      JSON.readTree(lines.get(i)).get("layers").forEach(layer -> collectRanges(layer.get("fields"), ours));
      for (Map.Entry<String, List<List<Integer>>> field : theirs.get(i).entrySet()) {
        assertThat(ours.get(field.getKey())).as("frame %d %s", i + 1, field.getKey())
            .startsWith(field.getValue().toArray(List[]::new));
        compared += field.getValue().size();
      }
    }
    return compared;
  }

  private static void collectRanges(JsonNode fields, Map<String, List<List<Integer>>> into) {
    for (JsonNode field : fields) {
      String name = field.get("name").asText();
      if (COMPARED.contains(name)) {
        into.computeIfAbsent(name, n -> new ArrayList<>())
            .add(List.of(field.get("offset").asInt(), field.get("length").asInt()));
      }
      collectRanges(field.get("fields"), into);
    }
  }

  /** Per frame, the compared fields' {@code [pos, size]} in tshark's pdml, in document order. */
  private static List<Map<String, List<List<Integer>>>> pdmlRanges(Path file, String... tsharkOptions)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "pdml",
        "-o", "tcp.desegment_tcp_streams:FALSE"));
    command.addAll(List.of(tsharkOptions));
    String pdml = Cmd.ok(command.toArray(String[]::new));
    List<Map<String, List<List<Integer>>>> frames = new ArrayList<>();
    SAXParserFactory.newInstance().newSAXParser().parse(new ByteArrayInputStream(pdml.getBytes(StandardCharsets.UTF_8)),
        new DefaultHandler() {
          @Override
          public void startElement(String uri, String localName, String element, Attributes attributes) {
            if (element.equals("packet")) {
              frames.add(new LinkedHashMap<>());
            } else if (element.equals("field") && COMPARED.contains(attributes.getValue("name"))
                && !"yes".equals(attributes.getValue("hide"))) {
              frames.get(frames.size() - 1).computeIfAbsent(attributes.getValue("name"), n -> new ArrayList<>())
                  .add(List.of(Integer.parseInt(attributes.getValue("pos")), Integer.parseInt(attributes.getValue("size"))));
            }
          }
        });
    return frames;
  }

  /** Two packets, then the second cut short: the first is printed, then the error with its offset. */
  @Test
  void aTruncatedFilePrintsWhatPrecedesTheCutThenFailsNamingTheOffset() throws IOException {
    Path file = dir.resolve("cut.pcapng");
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", 0);
      byte[] ping = java.util.HexFormat.of().parseHex("4500001c00010000400100000a0000010a0000020800f7ff00000000");
      writer.write(tun, java.time.Instant.EPOCH, ping, 0, ping.length, ping.length, null);
      writer.write(tun, java.time.Instant.EPOCH, ping, 0, ping.length, ping.length, null);
    }
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 6));

    Tunlab tunlab = Tunlab.run("fields", file.toString());
    assertThat(tunlab.exitCode()).isEqualTo(1);
    assertThat(tunlab.stdout().lines()).hasSize(1);
    assertThat(tunlab.stderr()).matches("tunlab: " + file + ": truncated file: pcapng block at offset \\d+ claims"
        + " length \\d+ but \\d+ bytes remain\\R");
  }

  @Test
  void aDashReadsTheCaptureFromStandardInput() throws IOException {
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
    byte[] ping = java.util.HexFormat.of().parseHex("4500001c00010000400100000a0000010a0000020800f7ff00000000");
    try (PcapngWriter writer = PcapngWriter.to(stream, true)) {
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", 0);
      writer.write(tun, java.time.Instant.EPOCH, ping, 0, ping.length, ping.length, null);
      writer.write(tun, java.time.Instant.EPOCH, ping, 0, ping.length, ping.length, null);
    }
    java.io.InputStream stdin = System.in;
    System.setIn(new ByteArrayInputStream(stream.toByteArray()));
    try {
      Tunlab tunlab = Tunlab.run("fields", "-");
      assertThat(tunlab.exitCode()).isZero();
      assertThat(tunlab.stdout().lines()).hasSize(2)
          .allSatisfy(line -> assertThat(JSON.readTree(line).get("interface").asText()).isEqualTo("tl-tun0"));
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void aFileThatIsNoCaptureFailsWithWhatItStartsWith() throws IOException {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "not a capture\n");
    Tunlab tunlab = Tunlab.run("fields", file.toString());
    assertThat(tunlab.exitCode()).isEqualTo(1);
    assertThat(tunlab.stdout()).isEmpty();
    assertThat(tunlab.stderr()).startsWith("tunlab: " + file + ": not a pcap or pcapng file: it starts with 0x6e6f7420"
        + " at offset 0").doesNotContain("Exception");
  }

  @Test
  void aMissingFileFailsWithoutAStackTrace() {
    Tunlab tunlab = Tunlab.run("fields", dir.resolve("absent.pcap").toString());
    assertThat(tunlab.exitCode()).isEqualTo(1);
    assertThat(tunlab.stderr()).isEqualTo("tunlab: " + dir.resolve("absent.pcap") + ": no such file" + System.lineSeparator());
  }

  @Test
  void usageErrorsExitWithTwoAndTheUsage() {
    Tunlab noFile = Tunlab.run("fields");
    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.stderr()).contains("Missing required parameter: 'FILE'").contains("Usage: tunlab fields");

    Tunlab unknown = Tunlab.run("fields", "--colour", "x.pcap");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("Unknown option: '--colour'");
  }

  @Test
  void withoutASubcommandAndWithoutADisplayTheWindowCannotOpenAndSaysWhy() {
    Assumptions.assumeTrue(System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null,
        "a display is set: tunlab would open its window");
    Tunlab noCommand = Tunlab.run();
    assertThat(noCommand.exitCode()).isEqualTo(3);
    assertThat(noCommand.stderr()).startsWith("tunlab: no display to open the inspector window on");
  }

  @Test
  void helpAndVersionSucceed() {
    Tunlab help = Tunlab.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("fields").contains("Exit codes:");
    assertThat(Tunlab.run("--version").stdout()).startsWith("tunlab ");
  }
}
