package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The real {@code TZ=UTC tcpdump -nn FLAGS -r FILE} beside our printer, for the same file and flags. */
public final class TcpdumpOracle {
  private TcpdumpOracle() {}

  /** The captures of tcpdump's corpus listed in its CORE.txt (skips, or fails in CI, without the corpus). */
  public static List<Path> coreCaptures() throws IOException {
    Path corpus = Prerequisites.requireShared("corpus/tcpdump-tests");
    List<Path> core = new ArrayList<>();
    for (String line : Files.readAllLines(corpus.resolve("CORE.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        core.add(corpus.resolve(line.strip()));
      }
    }
    return core;
  }

  /**
   * The captures of the repository's {@code sample-captures/} (what the inspector opens without
   * privileges). They are committed, so a missing or empty directory fails rather than skips.
   */
  public static List<Path> sampleCaptures() throws IOException {
    Path dir = Prerequisites.repositoryRoot();
    if (!Files.isDirectory(dir.resolve("sample-captures"))) {
      throw new AssertionError("no sample-captures/ in " + dir + "; scripts/regenerate-sample-captures records them");
    }
    try (var listing = Files.list(dir.resolve("sample-captures"))) {
      List<Path> files = listing.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng"))
          .sorted().toList();
      if (files.isEmpty()) {
        throw new AssertionError("sample-captures/ holds no .pcap or .pcapng file");
      }
      return files;
    }
  }

  /** The link types of a capture's packets, in order of appearance. */
  public static List<io.github.tuntaplab.tunlib.packet.LinkType> linkTypes(Path file) throws IOException {
    List<io.github.tuntaplab.tunlib.packet.LinkType> types = new ArrayList<>();
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        if (!types.contains(packet.linkType())) {
          types.add(packet.linkType());
        }
      }
    }
    return types;
  }

  /**
   * Whether tcpdump refuses the file for holding several interfaces, as it does for a lesson's
   * pcapng even when all its packets share one link type: libpcap 1.10 compares a second raw-IP
   * interface's LINKTYPE_RAW (101) with the first's DLT_RAW (12) and calls them different.
   */
  static boolean refusesSeveralInterfaces(Path file) {
    Cmd.Result result = Cmd.run("tcpdump", "-nn", "-c", "1", "-r", file.toString());
    return result.exitCode() != 0 && result.stderr().contains("different from the type of the first interface");
  }

  /** tcpdump's standard output lines. */
  static List<String> tcpdump(Path file, String... flags) {
    List<String> command = new ArrayList<>(List.of("env", "TZ=UTC", "tcpdump", "-nn"));
    command.addAll(Arrays.asList(flags));
    command.addAll(List.of("-r", file.toString()));
    Cmd.Result result = Cmd.run(command.toArray(String[]::new));
    return lines(result.stdout());
  }

  /** The options our printer takes for tcpdump's flags (of those the conformance tests use). */
  static TcpdumpOptions options(String... flags) {
    TcpdumpOptions options = TcpdumpOptions.defaults().withZone(ZoneOffset.UTC);
    for (String flag : flags) {
      switch (flag) {
        case "-e": options = options.withLinkHeader(true); break;
        case "-v": options = options.withVerbosity(options.verbosity() + 1); break;
        case "-vv": options = options.withVerbosity(options.verbosity() + 2); break;
        case "-q": options = options.withQuiet(true); break;
        case "-t": options = options.withTimestamps(TcpdumpOptions.Timestamps.NONE); break;
        case "-tt": options = options.withTimestamps(TcpdumpOptions.Timestamps.EPOCH); break;
        case "-x": options = options.withHexDump(TcpdumpOptions.HexDump.HEX); break;
        case "-xx": options = options.withHexDump(TcpdumpOptions.HexDump.HEX_WITH_LINK); break;
        case "-X": options = options.withHexDump(TcpdumpOptions.HexDump.HEX_ASCII); break;
        case "-XX": options = options.withHexDump(TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK); break;
        default: throw new IllegalArgumentException(flag);
      }
    }
    return options;
  }

  /** Our lines for the file, and how many packets were printed only partially. */
  record Printed(List<String> lines, int partial) {}

  static Printed ours(Path file, String... flags) throws IOException {
    TcpdumpPrinter printer = new TcpdumpPrinter(options(flags));
    StringBuilder out = new StringBuilder();
    int partial = 0;
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        byte[] data = packet.data();
        printer.print(out, packet.timestamp(),
            Dissector.standard().dissect(packet.linkType(), data, 0, data.length, packet.originalLength()), data, 0);
        partial += printer.lastWasPartial() ? 1 : 0;
      }
    }
    return new Printed(lines(out.toString()), partial);
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0, text.split("\n", -1).length - 1);
  }
}
