package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PcapWriter;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.packet.TestPackets;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import io.github.tuntaplab.tunlib.text.TcpdumpPrinter;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: writes a 1,000,000-packet mixed Ethernet capture (generated ARP, ICMP, TCP, UDP, DNS,
 * IPv6/NDP, VLAN, VXLAN frames and every Ethernet frame of tcpdump's CORE captures), then prints it,
 * side by side in one run, with {@code tcpdump -nn -e -r} and with our printer in a fresh JVM
 * ({@code -e}; then both with {@code -e -XX}), all to /dev/null, JVM start included. When
 * {@code inspector-app/target/tunlab.jar} exists, {@code java -jar tunlab.jar print} is timed too.
 *
 * <pre>mvn -pl tunlib -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.PrintBenchmark</pre>
 */
public final class PrintBenchmark {
  private static final int PACKETS = 1_000_000;

  private PrintBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--print")) {
      printToStdout(args[1], args.length > 2 && args[2].equals("-XX"));
      return;
    }
    if (args.length > 0 && args[0].equals("--write")) {
      // Keep the capture, e.g. to profile: --write FILE, then --print FILE under a profiler.
      writeCapture(Path.of(args[1]));
      return;
    }
    Prerequisites.requireTool("tcpdump");
    Path file = Files.createTempFile("tl-print-bench", ".pcap");
    try {
      writeCapture(file);
      System.out.printf("%d packets, %d MB: %s%n", PACKETS, Files.size(file) >> 20, file);
      Path jar = Path.of("inspector-app/target/tunlab.jar").toAbsolutePath();
      if (!Files.exists(jar)) {
        jar = Path.of("../inspector-app/target/tunlab.jar").toAbsolutePath();
      }
      for (String[] flags : new String[][] {{"-e"}, {"-e", "-XX"}}) {
        String shown = String.join(" ", flags);
        List<String> tcpdump = new ArrayList<>(List.of("tcpdump", "-nn"));
        tcpdump.addAll(List.of(flags));
        tcpdump.addAll(List.of("-r", file.toString()));
        double reference = seconds(tcpdump);
        report("tcpdump -nn " + shown + " -r", reference, reference);
        List<String> ours = new ArrayList<>(List.of(javaBinary(), "-cp", classPath(),
            PrintBenchmark.class.getName(), "--print", file.toString()));
        if (flags.length > 1) {
          ours.add("-XX");
        }
        report("TcpdumpPrinter " + shown + " (fresh JVM)", seconds(ours), reference);
        if (Files.exists(jar)) {
          List<String> tunlab = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString(), "print"));
          tunlab.addAll(List.of(flags));
          tunlab.add(file.toString());
          report("tunlab print " + shown, seconds(tunlab), reference);
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void report(String what, double seconds, double reference) {
    System.out.printf("  %-40s %6.2f s  %,9.0f packets/s  (%.2f x tcpdump's rate)%n", what, seconds,
        PACKETS / seconds, reference / seconds);
  }

  private static double seconds(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(new File("/dev/null"))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("TZ", "UTC");
    long start = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
    }
    return seconds;
  }

  /** The test class path: exec:java loads classes through its own class loader, not java.class.path. */
  private static String classPath() throws Exception {
    ClassLoader loader = PrintBenchmark.class.getClassLoader();
    if (loader instanceof java.net.URLClassLoader urls) {
      List<String> entries = new ArrayList<>();
      for (java.net.URL url : urls.getURLs()) {
        entries.add(Path.of(url.toURI()).toString());
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
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

  /** The print loop of {@code tunlab print}, without the command-line parsing: the child JVM's work. */
  private static void printToStdout(String file, boolean hex) throws Exception {
    TcpdumpOptions options = TcpdumpOptions.defaults().withLinkHeader(true).withZone(ZoneId.systemDefault())
        .withHexDump(hex ? TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK : TcpdumpOptions.HexDump.NONE);
    TcpdumpPrinter printer = new TcpdumpPrinter(options);
    Dissector dissector = Dissector.standard();
    StringBuilder line = new StringBuilder(4096);
    byte[] bytes = new byte[4096];
    try (CaptureReader reader = CaptureReader.open(Path.of(file));
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        byte[] data = packet.data();
        line.setLength(0);
        printer.print(line, packet.timestamp(),
            dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength()), data, 0);
        if (bytes.length < line.length()) {
          bytes = new byte[line.length() * 2];
        }
        for (int i = 0; i < line.length(); i++) {
          bytes[i] = (byte) line.charAt(i);
        }
        out.write(bytes, 0, line.length());
      }
    }
  }
}
