package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What we write, we and the tools read back unchanged; what the tools read, we read the same. */
class CaptureRoundTripTest {
  private static final Instant START = Instant.parse("2026-11-25T17:00:00.123456789Z");

  @TempDir
  Path dir;

  /** The lab's three panes in one file: TAP as Ethernet, TUN as raw IP, the underlay as Ethernet. */
  private List<CapturedPacket> writeLabCapture(Path file) throws IOException {
    List<CapturedPacket> written = new ArrayList<>();
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      int tap = writer.addInterface(LinkType.ETHERNET, "tl-tap0", 262_144);
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", 262_144);
      int underlay = writer.addInterface(LinkType.ETHERNET, "tl-eth0", 0);
      written.add(write(writer, tap, "tl-tap0", LinkType.ETHERNET, 0, SamplePackets.arpRequest(), 42, "who has .2?"));
      written.add(write(writer, tun, "tl-tun0", LinkType.RAW, 1, SamplePackets.pingIpv4(), 36, null));
      written.add(write(writer, tun, "tl-tun0", LinkType.RAW, 2, SamplePackets.pingIpv6(), 56, "grüße, ping 6"));
      byte[] outer = SamplePackets.inEthernet(SamplePackets.pingIpv4());
      written.add(write(writer, underlay, "tl-eth0", LinkType.ETHERNET, 3, java.util.Arrays.copyOf(outer, 34), 50,
          "first line\nsecond line"));
      written.add(write(writer, tap, "tl-tap0", LinkType.ETHERNET, 4, SamplePackets.inEthernet(SamplePackets.pingIpv6()),
          70, null));
    }
    return written;
  }

  private static CapturedPacket write(CaptureWriter writer, int id, String name, LinkType type, int index, byte[] data,
      int originalLength, String comment) throws IOException {
    Instant time = START.plusMillis(index * 1001L).plusNanos(index);
    writer.write(id, time, data, 0, data.length, originalLength, comment);
    return new CapturedPacket(id, type, name, time, data, originalLength, comment, -1);
  }

  @Test
  void aMixedEthernetAndRawPcapngReadsBackAsWrittenAndTsharkAgrees() throws IOException {
    Path file = dir.resolve("lab.pcapng");
    List<CapturedPacket> written = writeLabCapture(file);

    List<CapturedPacket> read = readAll(file);
    assertThat(read).usingRecursiveFieldByFieldElementComparatorIgnoringFields("fileOffset").isEqualTo(written);

    List<List<String>> frames = Oracles.tshark(file, "frame.interface_id", "frame.interface_name", "frame.len",
        "frame.cap_len", "frame.time_epoch", "frame.comment", "frame.protocols");
    assertThat(frames).hasSameSizeAs(read);
    for (int i = 0; i < read.size(); i++) {
      CapturedPacket packet = read.get(i);
      List<String> frame = frames.get(i);
      assertThat(frame.get(0)).isEqualTo(String.valueOf(packet.interfaceIndex()));
      assertThat(frame.get(1)).isEqualTo(packet.interfaceName());
      assertThat(frame.get(2)).isEqualTo(String.valueOf(packet.originalLength()));
      assertThat(frame.get(3)).isEqualTo(String.valueOf(packet.capturedLength()));
      assertThat(frame.get(4)).isEqualTo(Oracles.epoch(packet.timestamp()));
      // tshark prints a newline inside a comment as the two characters \n.
      assertThat(frame.get(5)).isEqualTo(packet.comment() == null ? "" : packet.comment().replace("\n", "\\n"));
      assertThat(frame.get(6)).startsWith(packet.linkType().equals(LinkType.RAW) ? "raw:ip" : "eth:ethertype:");
    }
  }

  /** TUN packets read with the 4-byte packet-information header are stored as raw IP (see CaptureWriter). */
  @Test
  void tunPacketsWithPacketInformationAreStoredAsRawIpThatTsharkReads() throws IOException {
    Path file = dir.resolve("tun-pi.pcapng");
    byte[] v4 = withPacketInformation(0x0000, 0x0800, SamplePackets.pingIpv4());
    byte[] stripFlag = withPacketInformation(0x0001, 0x86dd, SamplePackets.pingIpv6());
    byte[] mismatch = withPacketInformation(0x0000, 0x86dd, SamplePackets.pingIpv4());
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", 0);
      writer.writeWithPacketInformation(tun, START, v4, 0, v4.length, null);
      writer.writeWithPacketInformation(tun, START, stripFlag, 0, stripFlag.length, "lesson 2");
      writer.writeWithPacketInformation(tun, START, mismatch, 0, mismatch.length, null);
    }
    List<CapturedPacket> read = readAll(file);
    assertThat(read).extracting(CapturedPacket::data)
        .containsExactly(SamplePackets.pingIpv4(), SamplePackets.pingIpv6(), SamplePackets.pingIpv4());
    assertThat(read).extracting(CapturedPacket::comment).containsExactly(null,
        "lesson 2\nTUN packet information: flags 0x0001, protocol 0x86dd",
        "TUN packet information: flags 0x0000, protocol 0x86dd");
    assertThat(Oracles.tshark(file, "frame.protocols", "frame.len")).containsExactly(
        List.of("raw:ip:icmp:data", "36"), List.of("raw:ipv6:icmpv6:data", "56"), List.of("raw:ip:icmp:data", "36"));
  }

  private static byte[] withPacketInformation(int flags, int etherType, byte[] ip) {
    byte[] packet = new byte[4 + ip.length];
    packet[0] = (byte) (flags >> 8);
    packet[1] = (byte) flags;
    packet[2] = (byte) (etherType >> 8);
    packet[3] = (byte) etherType;
    System.arraycopy(ip, 0, packet, 4, ip.length);
    return packet;
  }

  @ParameterizedTest
  @ValueSource(strings = {"of13_ericsson.pcapng", "babel_rtt.pcap", "OSPFv2_Capture_FINAL.pcapng",
      "tcp-handshake-nano.pcap", "bgp-role.pcapng", "802_15_4_beacon.pcap"})
  void corpusFilesSurviveReadWriteReadAndTsharkSeesTheSameFrames(String name) throws IOException {
    Path original = Prerequisites.requireShared("corpus/tcpdump-tests").resolve(name);
    Path copy = dir.resolve("copy.pcapng");
    List<CapturedPacket> read = readAll(original);
    try (PcapngWriter writer = PcapngWriter.create(copy)) {
      writer.addInterface(read.get(0).linkType(), read.get(0).interfaceName(), 0);
      for (CapturedPacket packet : read) {
        writer.write(0, packet);
      }
    }
    assertThat(readAll(copy)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("fileOffset").isEqualTo(read);
    String[] fields = {"frame.time_epoch", "frame.len", "frame.cap_len", "frame.protocols", "frame.comment"};
    assertThat(Oracles.tshark(copy, fields)).isEqualTo(Oracles.tshark(original, fields));
  }

  @ParameterizedTest
  @ValueSource(strings = {"OSPFv2_Capture_FINAL.pcapng", "mptcp-tcprst.pcap", "isup.pcap", "tcp-handshake-nano.pcap"})
  void aPcapWeWriteReadsBackIdenticallyInTcpdump(String name) throws IOException {
    Path original = Prerequisites.requireShared("corpus/tcpdump-tests").resolve(name);
    Path copy = dir.resolve("copy.pcap");
    List<CapturedPacket> read = readAll(original);
    try (PcapWriter writer = PcapWriter.create(copy, ByteOrder.LITTLE_ENDIAN, true)) {
      writer.addInterface(read.get(0).linkType(), null, 262_144);
      for (CapturedPacket packet : read) {
        writer.write(0, packet);
      }
    }
    assertThat(tcpdumpText(copy)).isEqualTo(tcpdumpText(original));
    assertThat(Oracles.tcpdumpTimestamps(copy)).containsExactlyElementsOf(
        read.stream().map(p -> Oracles.epoch(p.timestamp())).toList());
  }

  /**
   * Every combination of byte order and resolution, written by us and checked against tcpdump and
   * tshark. The seconds field is unsigned (as tshark and the format's description read it): a time
   * after 2038 still reads right, though this tcpdump cannot print it ("Error converting time").
   */
  @ParameterizedTest
  @CsvSource({"BIG_ENDIAN,true,a1b23c4d", "BIG_ENDIAN,false,a1b2c3d4", "LITTLE_ENDIAN,true,4d3cb2a1",
      "LITTLE_ENDIAN,false,d4c3b2a1"})
  void pcapInBothByteOrdersAndResolutionsMatchesTcpdumpsTimestamps(String order, boolean nanos, String magic)
      throws IOException {
    Path file = dir.resolve("orders.pcap");
    ByteOrder byteOrder = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    List<Instant> times = List.of(START, START.plusNanos(999), Instant.ofEpochSecond(0xffff_f000L, 1_000));
    try (PcapWriter writer = PcapWriter.create(file, byteOrder, nanos)) {
      writer.addInterface(LinkType.RAW, null, 65_535);
      for (Instant time : times) {
        writer.write(0, time, SamplePackets.pingIpv4(), 0, 36, 36, null);
      }
    }
    assertThat(java.util.HexFormat.of().formatHex(Files.readAllBytes(file), 0, 4)).isEqualTo(magic);
    List<String> expected = times.stream()
        .map(t -> Oracles.epoch(nanos ? t : t.minusNanos(t.getNano() % 1000))).toList();
    assertThat(readAll(file).stream().map(p -> Oracles.epoch(p.timestamp()))).containsExactlyElementsOf(expected);
    assertThat(Oracles.tshark(file, "frame.time_epoch").stream().map(row -> row.get(0)))
        .containsExactlyElementsOf(expected);
    assertThat(Oracles.tcpdumpTimestamps(file)).containsExactlyElementsOf(expected.subList(0, 2));
  }

  /** Big-endian and nanosecond files made by other tools. */
  @ParameterizedTest
  @ValueSource(strings = {"isup.pcap", "pptp.pcap", "802_15_4_beacon.pcap", "tcp-handshake-nano.pcap",
      "timestamp_invalid_nano.pcap"})
  void corpusTimestampsInEitherByteOrderAgreeWithTcpdump(String name) throws IOException {
    Path file = Prerequisites.requireShared("corpus/tcpdump-tests").resolve(name);
    assertThat(readAll(file).stream().map(p -> Oracles.epoch(p.timestamp())))
        .containsExactlyElementsOf(Oracles.tcpdumpTimestamps(file));
  }

  private static String tcpdumpText(Path file) {
    return Cmd.ok("tcpdump", "-tt", "-nn", "-r", file.toString());
  }

  static List<CapturedPacket> readAll(Path file) throws IOException {
    List<CapturedPacket> packets = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        packets.add(packet);
      }
    }
    return packets;
  }
}
