package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.packet.TestPackets;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: writes a 1,000,000-packet mixed Ethernet capture (generated ARP, ICMP, TCP, UDP, DNS,
 * IPv6/NDP, VLAN, VXLAN frames and every Ethernet frame of tcpdump's CORE captures), then prints it,
 * side by side in one run, with {@code tcpdump -nn -e -r} and with {@code ./tunlab print -e} (the
 * launcher a user runs: JVM start, class loading and JIT included), then both with {@code -e -XX};
 * all to /dev/null, each the best of {@value #RUNS} runs, with the ratios. {@code java -jar tunlab.jar
 * print} (no launcher options) is timed too. Build the jar first ({@code mvn -B -ntp -q install -DskipTests}).
 *
 * <pre>mvn -B -ntp -q -pl tunlib test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.PrintBenchmark</pre>
 *
 * <p>{@code -Dexec.args="--write FILE"} only writes the capture (to profile the printer on it).
 */
public final class PrintBenchmark {
  private static final int PACKETS = 1_000_000;
  private static final int RUNS = 3;

  private PrintBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[0].equals("--write")) {
      writeCapture(Path.of(args[1]));
      return;
    }
    Prerequisites.requireTool("tcpdump");
    Path root = Prerequisites.repositoryRoot();
    Path launcher = root.resolve("tunlab");
    Path jar = root.resolve("inspector-app/target/tunlab.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: mvn -B -ntp -q install -DskipTests");
    }
    Path file = Files.createTempFile("tl-print-bench", ".pcap");
    try {
      writeCapture(file);
      System.out.printf("%d packets, %d MB: %s; %d cores; best of %d runs each%n", PACKETS, Files.size(file) >> 20,
          file, Runtime.getRuntime().availableProcessors(), RUNS);
      for (List<String> flags : List.of(List.of("-e"), List.of("-e", "-XX"))) {
        String shown = String.join(" ", flags);
        double reference = best(command(List.of("tcpdump", "-nn"), flags, List.of("-r", file.toString())));
        report("tcpdump -nn " + shown + " -r", reference, reference);
        report("./tunlab print " + shown,
            best(command(List.of(launcher.toString(), "print"), flags, List.of(file.toString()))), reference);
        report("java -jar tunlab.jar print " + shown,
            best(command(List.of(javaBinary(), "-jar", jar.toString(), "print"), flags, List.of(file.toString()))),
            reference);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static List<String> command(List<String> program, List<String> flags, List<String> rest) {
    List<String> command = new ArrayList<>(program);
    command.addAll(flags);
    command.addAll(rest);
    return command;
  }

  private static void report(String what, double seconds, double reference) {
    System.out.printf("  %-36s %6.2f s  %,9.0f packets/s  (%.2f x tcpdump's rate)%n", what, seconds,
        PACKETS / seconds, reference / seconds);
  }

  private static double best(List<String> command) throws Exception {
    double best = Double.MAX_VALUE;
    for (int run = 0; run < RUNS; run++) {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(new File("/dev/null"))
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("TZ", "UTC");
      long start = System.nanoTime();
      int exit = builder.start().waitFor();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
      }
    }
    return best;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void writeCapture(Path file) throws Exception {
    List<byte[]> templates = new ArrayList<>(TestPackets.ethernetMix());
    Path corpus = Prerequisites.sharedDir().resolve("corpus/tcpdump-tests");
    for (String name : Files.readAllLines(corpus.resolve("CORE.txt"))) {
      if (name.isBlank() || name.startsWith("#")) {
        continue;
      }
      try (CaptureReader reader = CaptureReader.open(corpus.resolve(name.strip()))) {
        for (CapturedPacket packet; (packet = reader.next()) != null; ) {
          if (packet.linkType().equals(LinkType.ETHERNET) && packet.capturedLength() == packet.originalLength()
              && packet.capturedLength() <= 1514) {
            templates.add(packet.data());
          }
        }
      }
    }
    try (PcapWriter writer = PcapWriter.create(file)) {
      writer.addInterface(LinkType.ETHERNET, null, 262_144);
      Instant time = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < PACKETS; i++) {
        byte[] frame = templates.get(i % templates.size());
        writer.write(0, time.plusNanos(i * 1000L), frame, 0, frame.length, frame.length, null);
      }
    }
  }
}
