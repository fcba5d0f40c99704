package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Valid files with bytes flipped, lengths forged and tails cut: reading them, from a file or from a
 * stream, and indexing them, never throws anything but {@link CaptureFormatException} and never
 * allocates more than a bound.
 */
class CaptureMutationProperties {
  /** The reader's buffer may grow to one maximal block; a forged length must not get more. */
  private static final long MAX_ALLOCATION = 2L * 1024 * 1024;

  private final List<byte[]> validFiles = new ArrayList<>();
  private Path scratch;

  @BeforeProperty
  void writeValidFiles() throws IOException {
    scratch = Files.createTempFile("tl-mutated", ".cap");
    Instant time = Instant.parse("2026-11-25T17:00:00.5Z");
    ByteArrayOutputStream pcapng = new ByteArrayOutputStream();
    try (PcapngWriter writer = PcapngWriter.to(pcapng, false)) {
      int tap = writer.addInterface(LinkType.ETHERNET, "tl-tap0", 0);
      int tun = writer.addInterface(LinkType.RAW, "tl-tun0", 1500);
      writer.write(tap, time, SamplePackets.arpRequest(), 0, 42, 42, "arp");
      writer.write(tun, time, SamplePackets.pingIpv4(), 0, 36, 36, null);
      writer.write(tun, time, SamplePackets.pingIpv6(), 0, 56, 56, "v6");
    }
    validFiles.add(pcapng.toByteArray());
    ByteArrayOutputStream pcap = new ByteArrayOutputStream();
    try (PcapWriter writer = PcapWriter.to(pcap, false)) {
      writer.addInterface(LinkType.ETHERNET, null, 0);
      writer.write(0, time, SamplePackets.arpRequest(), 0, 42, 60, null);
      writer.write(0, time, SamplePackets.inEthernet(SamplePackets.pingIpv6()), 0, 70, 70, null);
    }
    validFiles.add(pcap.toByteArray());
    PcapngBlocks blocks = new PcapngBlocks().section(ByteOrder.BIG_ENDIAN);
    validFiles.add(blocks.interfaceBlock(101, 0, blocks.options(2, "tl-tun0", 9, new byte[] {(byte) 0x8a}))
        .enhanced(0, 77, SamplePackets.pingIpv4(), 36, blocks.options(1, "x"))
        .simple(SamplePackets.pingIpv6(), 56)
        .block(5, ByteBuffer.allocate(12))
        .bytes());
  }

  @AfterProperty
  void removeScratch() throws IOException {
    Files.deleteIfExists(scratch);
  }

  @Property(tries = 400)
  void mutatedFilesFailOnlyWithCaptureFormatExceptionAndBoundedAllocation(
      @ForAll @IntRange(min = 0, max = 2) int which,
      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 1 << 20) Integer> flipAt,
      @ForAll @Size(max = 6) List<Byte> flipTo,
      @ForAll @IntRange(min = 0, max = 1 << 20) int forgeAt,
      @ForAll int forged,
      @ForAll boolean forge,
      @ForAll @IntRange(min = 0, max = 100) int keepPercent) throws IOException {
    byte[] bytes = validFiles.get(which).clone();
    for (int i = 0; i < Math.min(flipAt.size(), flipTo.size()); i++) {
      bytes[flipAt.get(i) % bytes.length] = flipTo.get(i);
    }
    if (forge) {
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((forgeAt % (bytes.length / 4)) * 4, forged);
    }
    byte[] mutated = java.util.Arrays.copyOf(bytes, bytes.length * keepPercent / 100);
    Files.write(scratch, mutated);

    long fromFile = readAllowingOnlyFormatErrors(() -> CaptureReader.open(scratch));
    long fromStream = readAllowingOnlyFormatErrors(
        () -> CaptureReader.open(Channels.newChannel(new ByteArrayInputStream(mutated))));
    assertThat(fromStream).isEqualTo(fromFile);
    indexAgreesWithSequentialReading();
  }

  private interface Opener {
    CaptureReader open() throws IOException;
  }

  /**
   * Reads every packet; returns how many, or minus one minus how many after a format error. Reads
   * twice and bounds the second read's allocation: the first may include the JVM's one-time class
   * initialization (a first String.format), which no input causes.
   */
  private static long readAllowingOnlyFormatErrors(Opener opener) {
    readCounting(opener);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    long count = readCounting(opener);
    assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(MAX_ALLOCATION);
    return count;
  }

  private static long readCounting(Opener opener) {
    long count = 0;
    try (CaptureReader reader = opener.open()) {
      while (reader.next() != null) {
        count++;
      }
    } catch (CaptureFormatException e) {
      assertThat(e.getMessage()).contains("offset " + e.offset());
      count = -1 - count;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }

  private void indexAgreesWithSequentialReading() throws IOException {
    CaptureIndex index;
    try {
      index = CaptureIndex.open(scratch);
    } catch (CaptureFormatException e) {
      return; // not even a file header: nothing to index
    }
    try (index; CaptureReader reader = CaptureReader.open(scratch)) {
      for (int i = 0; i < index.size(); i++) {
        assertThat(index.packet(i)).isEqualTo(reader.next());
      }
    }
  }
}
