package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import static io.github.tuntaplab.tunlib.packet.TestPackets.*;

import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.Field;
import io.github.tuntaplab.tunlib.packet.Layer;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.Packet;

/**
 * Not a test: dissects 1,000,000 mixed Ethernet frames, twice (generated ARP, ICMP, TCP, UDP, DNS,
 * IPv6/NDP, VLAN, VXLAN; then also every Ethernet frame of tcpdump's CORE captures) and prints, in
 * one run, our warm rate reading every field's range, the same through the object tree, and
 * Pcap4J 1.8.2 decoding the same frames (without ranges).
 *
 * <pre>mvn -pl tunlib -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.DissectBenchmark</pre>
 */
public final class DissectBenchmark {
  private static final int PACKETS = 1_000_000;
  private static final int ROUNDS = 5;

  private DissectBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<byte[]> generated = ethernetMix();
    List<byte[]> withCorpus = new ArrayList<>(generated);
    withCorpus.addAll(coreFrames());
    measure("generated mix (ARP, ICMP, TCP, UDP, DNS, IPv6/NDP, VLAN, VXLAN, ICMP error)", generated);
    measure("generated mix plus every Ethernet frame of the CORE captures", withCorpus);
  }

  private static void measure(String title, List<byte[]> templates) {
    System.out.printf("%n== %s%n", title);
    byte[][] frames = new byte[PACKETS][];
    for (int i = 0; i < PACKETS; i++) {
      byte[] frame = templates.get(i % templates.size()).clone();
      // Vary the IPv4 identification so no two frames are identical.
      if (frame.length > 20 && frame[12] == 0x08 && frame[13] == 0x00) {
        frame[18] = (byte) (i >>> 8);
        frame[19] = (byte) i;
      }
      frames[i] = frame;
    }
    long bytes = 0;
    for (byte[] frame : frames) {
      bytes += frame.length;
    }
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    System.out.printf("%,d frames from %d templates, %,d bytes, heap used after building: %,d MB%n",
        PACKETS, templates.size(), bytes, (runtime.totalMemory() - runtime.freeMemory()) >> 20);

    Dissector dissector = Dissector.standard();
    double flat = 0;
    double tree = 0;
    double pcap4j = 0;
    for (int round = 0; round < ROUNDS; round++) {
      flat = Math.max(flat, rate("tunlib, every field range (flat accessors)", frames, () -> flat(dissector, frames)));
      tree = Math.max(tree, rate("tunlib, every field through Layer/Field objects", frames, () -> tree(dissector, frames)));
      pcap4j = Math.max(pcap4j, rate("Pcap4J 1.8.2 EthernetPacket.newPacket (no ranges)", frames, () -> pcap4j(frames)));
    }
    System.out.printf("best of %d rounds, one core:%n", ROUNDS);
    System.out.printf("  tunlib flat ranges : %,.0f packets/s%n", flat);
    System.out.printf("  tunlib object tree : %,.0f packets/s%n", tree);
    System.out.printf("  Pcap4J 1.8.2       : %,.0f packets/s%n", pcap4j);
    System.out.printf("  ratio tunlib flat / Pcap4J: %.2f, tree / Pcap4J: %.2f%n", flat / pcap4j, tree / pcap4j);
    System.out.printf("  allocation per packet: tunlib flat %,d B, tunlib tree %,d B, Pcap4J %,d B%n",
        allocated(() -> flat(dissector, frames)) / PACKETS,
        allocated(() -> tree(dissector, frames)) / PACKETS,
        allocated(() -> pcap4j(frames)) / PACKETS);
    System.gc();
    System.out.printf("  heap used with the frames still held: %,d MB (max %,d MB)%n",
        (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20);
    Reference.reachabilityFence(frames);
  }

  private static long flat(Dissector dissector, byte[][] frames) {
    long sum = 0;
    for (byte[] frame : frames) {
      Dissection d = dissector.dissect(LinkType.ETHERNET, frame, 0, frame.length, frame.length);
      for (int i = 0; i < d.fieldCount(); i++) {
        sum += d.fieldOffset(i) + d.fieldLength(i) + d.fieldName(i).length();
      }
    }
    return sum;
  }

  private static long tree(Dissector dissector, byte[][] frames) {
    long sum = 0;
    for (byte[] frame : frames) {
      Dissection d = dissector.dissect(LinkType.ETHERNET, frame, 0, frame.length, frame.length);
      for (Layer layer : d.layers()) {
        sum += layer.offset() + layer.length() + walk(layer.fields());
      }
    }
    return sum;
  }

  private static long walk(List<Field> fields) {
    long sum = 0;
    for (Field field : fields) {
      sum += field.offset() + field.length() + field.name().length() + walk(field.children());
    }
    return sum;
  }

  private static long pcap4j(byte[][] frames) {
    long sum = 0;
    for (byte[] frame : frames) {
      try {
        for (Packet p = EthernetPacket.newPacket(frame, 0, frame.length); p != null; p = p.getPayload()) {
          sum += p.length();
        }
      } catch (Exception e) {
        sum--;
      }
    }
    return sum;
  }

  private static double rate(String what, byte[][] frames, java.util.function.LongSupplier run) {
    long start = System.nanoTime();
    long sink = run.getAsLong();
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = frames.length / seconds;
    System.out.printf("%-52s %,12.0f packets/s  (%.2f s, checksum %d)%n", what, rate, seconds, sink);
    return rate;
  }

  private static long allocated(java.util.function.LongSupplier run) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    run.getAsLong();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  /** Every Ethernet frame of tcpdump's CORE captures (none when the shared corpus is absent). */
  private static List<byte[]> coreFrames() throws Exception {
    List<byte[]> frames = new ArrayList<>();
    Path corpus = Prerequisites.sharedDir().resolve("corpus/tcpdump-tests");
    if (Files.isDirectory(corpus)) {
      for (String name : Files.readAllLines(corpus.resolve("CORE.txt"))) {
        if (!name.isBlank() && !name.startsWith("#")) {
          for (CapturedPacket packet : CaptureFiles.packets(corpus.resolve(name.strip()))) {
            if (packet.linkType().equals(LinkType.ETHERNET) && packet.data().length < 2000) {
              frames.add(packet.data());
            }
          }
        }
      }
    }
    return frames;
  }
}
