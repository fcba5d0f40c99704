package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.capture.CaptureIndex;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * Not a test: writes a pcapng of 1,000,000 Ethernet frames on two interfaces, then prints, in one
 * run, how fast we write it, read it whole, index it and read packets at random, beside
 * {@code tcpdump --count}, {@code capinfos} and Pcap4J 1.8.2 (libpcap) reading the same file.
 *
 * <pre>mvn -pl tunlib -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.CaptureBenchmark</pre>
 */
public final class CaptureBenchmark {
  private static final int PACKETS = 1_000_000;
  private static final int RANDOM_READS = 100_000;

  private CaptureBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path file = Files.createTempFile("tl-bench", ".pcapng");
    try {
      run(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void run(Path file) throws Exception {
    byte[] arp = HexFormat.of().parseHex("ffffffffffff0200000000010806000108000604000102000000000"
        + "1c6130001000000000000c6130002");
    byte[] ping = HexFormat.of().parseHex("0200000000020200000000010800450000541234400040010000c6130001c6130002"
        + "08000000004200010000000000000000" + "00".repeat(48));
    long started = System.nanoTime();
    try (PcapngWriter writer = PcapngWriter.create(file)) {
      int tap = writer.addInterface(LinkType.ETHERNET, "tl-tap0", 0);
      int underlay = writer.addInterface(LinkType.ETHERNET, "tl-eth0", 0);
      Instant time = Instant.parse("2026-11-25T17:00:00Z");
      for (int i = 0; i < PACKETS; i++) {
        byte[] frame = i % 10 == 0 ? arp : ping;
        writer.write(i % 3 == 0 ? underlay : tap, time.plusNanos(i * 1000L), frame, 0, frame.length, frame.length,
            i % 1000 == 0 ? "packet " + i : null);
      }
    }
    long size = Files.size(file);
    print("tunlib PcapngWriter, write", started, size);

    for (int round = 0; round < 5; round++) {
      started = System.nanoTime();
      try (CaptureReader reader = CaptureReader.open(file)) {
        while (reader.next() != null) {
          // read only
        }
      }
      print("tunlib CaptureReader, read all (round " + (round + 1) + ")", started, size);
    }
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (int i = 0; i < PACKETS / 2; i++) {
        reader.next();
      }
      System.out.printf("  heap in use half-way through reading the file, after a GC: %,d KB%n", liveHeapAfterGc() >> 10);
    }
    for (int round = 0; round < 3; round++) {
      started = System.nanoTime();
      CaptureIndex.open(file).close();
      print("tunlib CaptureIndex, index (round " + (round + 1) + ")", started, size);
    }
    long heapBefore = liveHeapAfterGc();
    try (CaptureIndex index = CaptureIndex.open(file)) {
      System.out.printf("  heap held by the index of %,d packets: %,d KB%n", index.size(),
          (liveHeapAfterGc() - heapBefore) >> 10);
      Random random = new Random(1);
      started = System.nanoTime();
      for (int i = 0; i < RANDOM_READS; i++) {
        index.packet(random.nextInt(index.size()));
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("%-70s %,12.0f packets/s%n", "tunlib CaptureIndex, packet(n) at random", RANDOM_READS / seconds);
    }

    for (int round = 0; round < 2; round++) {
      started = System.nanoTime();
      try (PcapHandle handle = Pcaps.openOffline(file.toString())) {
        while (handle.getNextRawPacket() != null) {
          // read only
        }
      }
      print("Pcap4J 1.8.2 getNextRawPacket (libpcap), read all", started, size);
    }
    started = System.nanoTime();
    String tcpdump = Cmd.ok("tcpdump", "--count", "-r", file.toString()).strip();
    print("tcpdump --count (libpcap): " + tcpdump, started, size);
    started = System.nanoTime();
    Cmd.ok("capinfos", "-c", file.toString());
    print("capinfos -c (Wireshark's wiretap)", started, size);
  }

  private static long liveHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void print(String what, long started, long bytes) throws IOException {
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("%-70s %,12.0f packets/s %8.1f MB/s%n", what, PACKETS / seconds, bytes / seconds / 1e6);
  }
}
