package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tunlab print FILE [EXPRESSION]}: what {@code tcpdump -nn -r FILE [EXPRESSION]} prints, from
 * our own dissection; the expression is compiled by libpcap. Unlike tcpdump, a pcapng file with
 * several link types is printed too, each line prefixed with its interface's name.
 */
@Command(name = "print", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print a capture as tcpdump -nn -r FILE [EXPRESSION] does, line for line.",
        "The filter EXPRESSION is tcpdump's (compiled by libpcap). A pcapng file with several link",
        "types (which tcpdump refuses) is printed with each line prefixed by its interface name."})
final class PrintCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "-e", description = "print the link-level header")
  boolean linkHeader;

  @Option(names = "-v", description = "more detail: IP fields, checksum verdicts (repeatable: -vv)")
  boolean[] verbose = new boolean[0];

  @Option(names = "-q", description = "less protocol detail")
  boolean quiet;

  @Option(names = "-t", description = "-t: no timestamp; -tt: seconds since the epoch")
  boolean[] timestamps = new boolean[0];

  @Option(names = "-x", description = "hex dump without (-x) or with (-xx) the link-level header")
  boolean[] hex = new boolean[0];

  @Option(names = "-X", description = "hex and ASCII dump without (-X) or with (-XX) the link-level header")
  boolean[] hexAscii = new boolean[0];

  @Option(names = "-c", paramLabel = "N", description = "stop after N packets (that pass the filter)")
  long count = -1;

  @Mixin
  DecodeAsOption decodeAs;

  @Parameters(index = "0", paramLabel = "FILE", description = "a pcap or pcapng file")
  Path file;

  @Parameters(index = "1..*", paramLabel = "EXPRESSION", description = "a tcpdump filter expression")
  List<String> expression = List.of();

  @Override
  public Integer call() {
    return Printing.print(file, String.join(" ", expression), options(), count, decodeAs.dissector(),
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  private TcpdumpOptions options() {
    if (hex.length > 0 && hexAscii.length > 0) {
      throw new ParameterException(spec.commandLine(), "give one of -x, -xx, -X, -XX");
    }
    return Printing.options(linkHeader, verbose.length, quiet, timestamps.length, hex.length, hexAscii.length);
  }
}
