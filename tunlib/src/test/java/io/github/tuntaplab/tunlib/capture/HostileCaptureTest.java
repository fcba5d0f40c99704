package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that lie: each fails with a {@link CaptureFormatException} that names the offset and the
 * fault, after every good packet before it, and without allocating what a forged length asks for.
 */
class HostileCaptureTest {
  private static final Instant TIME = Instant.parse("2026-11-25T17:00:00Z");
  private static final long MAX_ALLOCATION = 1024 * 1024;

  @TempDir
  Path dir;

  /** A valid pcapng prefix: section header, an Ethernet interface and one ARP packet (offset 100). */
  private static PcapngBlocks validPcapng() {
    PcapngBlocks blocks = new PcapngBlocks().section(ByteOrder.LITTLE_ENDIAN);
    return blocks.interfaceBlock(1, 0, blocks.options(2, "tl-tap0"))
        .enhanced(0, 1, SamplePackets.arpRequest(), 42, blocks.options());
  }

  private static final int AFTER_VALID_PCAPNG = validPcapng().bytes().length;

  private Path pcapWithTwoPackets() throws IOException {
    Path file = dir.resolve("two.pcap");
    try (PcapWriter writer = PcapWriter.create(file)) {
      writer.addInterface(LinkType.RAW, null, 65_535);
      writer.write(0, TIME, SamplePackets.pingIpv4(), 0, 36, 36, null);
      writer.write(0, TIME, SamplePackets.pingIpv6(), 0, 56, 56, null);
    }
    return file;
  }

  /**
   * Reads {@code bytes} and returns the fault, after checking how many packets came before it. The
   * second of two reads has its allocation bounded: the first may include one-time class loading.
   */
  private CaptureFormatException failure(byte[] bytes, int packetsBefore) throws IOException {
    return failure(bytes, packetsBefore, MAX_ALLOCATION);
  }

  private CaptureFormatException failure(byte[] bytes, int packetsBefore, long maxAllocation) throws IOException {
    Path file = dir.resolve("hostile");
    Files.write(file, bytes);
    readUntilFault(file, packetsBefore);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    CaptureFormatException fault = readUntilFault(file, packetsBefore);
    assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(maxAllocation);
    assertThat(fault.getMessage()).contains("offset " + fault.offset());
    return fault;
  }

  private static CaptureFormatException readUntilFault(Path file, int packetsBefore) {
    int[] delivered = {0};
    CaptureFormatException fault = catchThrowableOfType(CaptureFormatException.class, () -> {
      try (CaptureReader reader = CaptureReader.open(file)) {
        while (reader.next() != null) {
          delivered[0]++;
        }
      }
    });
    assertThat(fault).as("a CaptureFormatException").isNotNull();
    assertThat(delivered[0]).isEqualTo(packetsBefore);
    return fault;
  }

  @Test
  void aWrongMagicNumberSaysWhatWasFound() throws IOException {
    CaptureFormatException fault = failure("hello world, not a capture".getBytes(StandardCharsets.US_ASCII), 0);
    assertThat(fault.offset()).isZero();
    assertThat(fault.getMessage()).contains("not a pcap or pcapng file").contains("0x68656c6c");
  }

  @Test
  void anEmptyOrTinyFileIsTruncated() throws IOException {
    assertThat(failure(new byte[0], 0).getMessage()).isEqualTo(
        "truncated file: the file's magic number at offset 0 needs 4 bytes but only 0 remain");
    assertThat(failure(Arrays.copyOf(validPcapng().bytes(), 10), 0).isTruncation()).isTrue();
  }

  @Test
  void aForgedBlockLengthIsRefusedWithoutAllocatingIt() throws IOException {
    byte[] forged = validPcapng().raw(ByteBuffer.allocate(88).order(ByteOrder.LITTLE_ENDIAN).putInt(6)
        .putInt(0xfffffffc).array()).bytes();
    CaptureFormatException fault = failure(forged, 1);
    assertThat(fault.offset()).isEqualTo(AFTER_VALID_PCAPNG);
    assertThat(fault.getMessage()).isEqualTo(
        "truncated file: pcapng block at offset " + AFTER_VALID_PCAPNG + " claims length 4294967292 but 88 bytes remain");
  }

  @Test
  void aForgedCapturedLengthIsRefusedWithoutAllocatingIt() throws IOException {
    byte[] bytes = Files.readAllBytes(pcapWithTwoPackets());
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 16 + 36 + 8, Integer.MIN_VALUE);
    CaptureFormatException fault = failure(bytes, 1);
    assertThat(fault.offset()).isEqualTo(24 + 16 + 36);
    assertThat(fault.getMessage()).contains("claims 2147483648 captured bytes");
  }

  /** A length within libpcap's limit but beyond the file's end is refused before any buffer grows. */
  @Test
  void aCapturedLengthBeyondTheFilesEndCostsNoBuffer() throws IOException {
    byte[] bytes = Files.readAllBytes(pcapWithTwoPackets());
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 16 + 36 + 8, 200_000);
    CaptureFormatException fault = failure(bytes, 1, 100_000);
    assertThat(fault.getMessage()).isEqualTo("truncated file: the packet data of the pcap record at offset 76, from"
        + " offset 92, needs 200000 bytes but only 56 remain");
  }

  /** tcpdump prints every packet before a cut-off one, then says "truncated dump file": so do we. */
  @Test
  void aTruncatedLastPacketComesAfterEveryCompleteOneAsTcpdumpSees() throws IOException {
    Prerequisites.requireTool("tcpdump");
    byte[] pcap = Files.readAllBytes(pcapWithTwoPackets());
    byte[] pcapng = validPcapng().enhanced(0, 2, SamplePackets.pingIpv4(), 36, new byte[4]).bytes();
    for (byte[] whole : new byte[][] {pcap, pcapng}) {
      byte[] cut = Arrays.copyOf(whole, whole.length - 5);
      CaptureFormatException fault = failure(cut, 1);
      assertThat(fault.isTruncation()).isTrue();
      assertThat(fault.getMessage()).startsWith("truncated file:");
      Path file = dir.resolve("cut");
      Files.write(file, cut);
      Cmd.Result tcpdump = Cmd.run("tcpdump", "-nn", "-r", file.toString());
      assertThat(tcpdump.exitCode()).isEqualTo(1);
      assertThat(tcpdump.stderr()).contains("truncated");
      assertThat(tcpdump.stdout().lines()).hasSize(1);
    }
  }

  @Test
  void blockLengthsMustBeHonest() throws IOException {
    byte[] shortBlock = validPcapng().raw(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(8)
        .putInt(8).array()).bytes();
    assertThat(failure(shortBlock, 1).getMessage()).isEqualTo("pcapng block at offset " + AFTER_VALID_PCAPNG
        + " claims length 8, less than the 12 bytes of its own type and lengths");

    byte[] odd = validPcapng().raw(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(6).putInt(14).array())
        .bytes();
    assertThat(failure(odd, 1).getMessage()).endsWith("claims length 14, not a multiple of 4");

    byte[] trailer = validPcapng().bytes();
    ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN).putInt(trailer.length - 4, 0x40);
    CaptureFormatException fault = failure(trailer, 0);
    assertThat(fault.getMessage()).contains("in its trailer at offset " + (trailer.length - 4));
  }

  @Test
  void packetBlocksMustNameAnInterfaceAndFitTheirData() throws IOException {
    PcapngBlocks blocks = validPcapng();
    byte[] unknownInterface = blocks.enhanced(3, 2, SamplePackets.pingIpv4(), 36, blocks.options()).bytes();
    assertThat(failure(unknownInterface, 1).getMessage()).isEqualTo("enhanced packet block at offset "
        + AFTER_VALID_PCAPNG + " names interface 3, but its section describes only 1");

    byte[] overlong = validPcapng().enhanced(0, 2, SamplePackets.pingIpv4(), 36, new byte[4]).bytes();
    ByteBuffer.wrap(overlong).order(ByteOrder.LITTLE_ENDIAN).putInt(AFTER_VALID_PCAPNG + 20, 4000);
    assertThat(failure(overlong, 1).getMessage()).endsWith("claims 4000 captured bytes but holds only 40");

    PcapngBlocks withOption = validPcapng();
    byte[] badOption = withOption.enhanced(0, 2, SamplePackets.pingIpv4(), 36, withOption.options(1, "hi")).bytes();
    ByteBuffer.wrap(badOption).order(ByteOrder.LITTLE_ENDIAN).putShort(AFTER_VALID_PCAPNG + 28 + 36 + 2, (short) 999);
    assertThat(failure(badOption, 1).getMessage()).contains("has option 1 of length 999 but only");
  }

  @Test
  void headersMustBeWhatTheyClaim() throws IOException {
    byte[] magic = validPcapng().bytes();
    ByteBuffer.wrap(magic).putInt(8, 0x12345678);
    assertThat(failure(magic, 0).getMessage()).contains("byte-order magic 0x12345678 at offset 8");

    byte[] version = Files.readAllBytes(pcapWithTwoPackets());
    version[4] = 3;
    assertThat(failure(version, 0).getMessage()).contains("has version 3.4; only version 2 exists");

    PcapngBlocks blocks = new PcapngBlocks().section(ByteOrder.BIG_ENDIAN);
    byte[] clock = blocks.interfaceBlock(1, 0, blocks.options(9, new byte[] {0x7f})).bytes();
    assertThat(failure(clock, 0).getMessage()).contains("if_tsresol 0x7f");
  }

  @Test
  void theIndexKeepsWhatPrecedesAFault() throws IOException {
    byte[] cut = Arrays.copyOf(Files.readAllBytes(pcapWithTwoPackets()), 24 + 16 + 36 + 20);
    Path file = dir.resolve("cut.pcap");
    Files.write(file, cut);
    try (CaptureIndex index = CaptureIndex.open(file)) {
      assertThat(index.size()).isEqualTo(1);
      assertThat(index.packet(0).capturedLength()).isEqualTo(36);
      assertThat(index.problem()).hasValueSatisfying(fault -> assertThat(fault.offset()).isEqualTo(24 + 16 + 36));
    }
  }
}
