package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.capture.PacketFilter;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.text.LineBuffer;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import io.github.tuntaplab.tunlib.text.TcpdumpPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
  /** Printed lines go out in blocks of about this many bytes. */
  private static final int OUTPUT_BUFFER = 1 << 16;

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
    TcpdumpOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OutputStream stdout = StandardOutput.bytes(out);
    LineBuffer lines = new LineBuffer(OUTPUT_BUFFER + 64 * 1024);
    try (CaptureReader reader = CaptureReader.open(file)) {
      CapturedPacket packet = reader.next();
      if (packet == null) {
        return ExitCode.OK;
      }
      LinkType first = packet.linkType();
      err.println("reading from file " + file + ", link-type " + first.name() + " (" + first.description()
          + "), snapshot length " + reader.snapLength());
      err.flush();
      TcpdumpPrinter printer = new TcpdumpPrinter(options);
      try (Dissecting dissecting = new Dissecting(reader, packet, decodeAs.dissector(), String.join(" ", expression))) {
        long printed = 0;
        for (Batch batch = dissecting.next(); printed != count; batch = dissecting.next()) {
          for (int i = 0; i < batch.size() && printed != count; i++, printed++) {
            CapturedPacket next = batch.packets()[i];
            if (!next.linkType().equals(first)) {
              // Our extension: tcpdump refuses files with several link types.
              lines.appendText(next.interfaceName() == null ? "if" + next.interfaceIndex() : next.interfaceName())
                  .append(' ');
            }
            printer.print(lines, next.timestamp(), batch.dissections()[i], next.data(), 0);
            if (lines.length() >= OUTPUT_BUFFER && !write(lines, stdout)) {
              return ExitCode.FAILED;
            }
          }
          if (batch.failure() != null) {
            throw batch.failure();
          }
          if (batch.last()) {
            break;
          }
        }
      }
      if (!write(lines, stdout)) {
        return ExitCode.FAILED;
      }
      stdout.flush();
      return ExitCode.OK;
    } catch (PacketFilter.FilterException e) {
      write(lines, stdout);
      err.println("tunlab: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (IOException e) {
      write(lines, stdout);
      err.println("tunlab: " + file + ": " + describe(e));
      return ExitCode.FAILED;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Packets that passed the filter, dissected; the last batch of a file, or one that failed, says so. */
  private record Batch(CapturedPacket[] packets, Dissection[] dissections, int size, boolean last, Exception failure) {}

  /**
   * Reads, filters and dissects on a thread of its own, a batch ahead, while the caller prints:
   * two cores share the work and the packets keep their order. The filter (compiled by libpcap per
   * link type) lives on that thread.
   */
  private static final class Dissecting implements AutoCloseable {
    private static final int BATCH = 512;
    private final BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(4);
    private final Thread thread;

    Dissecting(CaptureReader reader, CapturedPacket first, Dissector dissector, String filter) {
      thread = new Thread(() -> run(reader, first, dissector, filter), "tunlab-dissect");
      thread.setDaemon(true);
      thread.start();
    }

    Batch next() throws InterruptedException {
      return batches.take();
    }

    private void run(CaptureReader reader, CapturedPacket first, Dissector dissector, String filter) {
      Map<Integer, PacketFilter> filters = new HashMap<>();
      try {
        CapturedPacket packet = first;
        while (true) {
          CapturedPacket[] packets = new CapturedPacket[BATCH];
          Dissection[] dissections = new Dissection[BATCH];
          int size = 0;
          try {
            for (; size < BATCH && packet != null; packet = reader.next()) {
              byte[] data = packet.data();
              if (filter.isEmpty() || filter(filters, packet, reader.snapLength(), filter)
                  .matches(data, data.length, packet.originalLength())) {
                packets[size] = packet;
                dissections[size++] = dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
              }
            }
          } catch (IOException | PacketFilter.FilterException e) {
            batches.put(new Batch(packets, dissections, size, true, e));
            return;
          }
          batches.put(new Batch(packets, dissections, size, packet == null, null));
          if (packet == null) {
            return;
          }
        }
      } catch (InterruptedException e) {
        // The printer stopped early (-c N, a closed output).
      } finally {
        filters.values().forEach(PacketFilter::close);
      }
    }

    private static PacketFilter filter(Map<Integer, PacketFilter> filters, CapturedPacket packet, int snapLength,
        String expression) throws PacketFilter.FilterException {
      PacketFilter compiled = filters.get(packet.linkType().value());
      if (compiled == null) {
        compiled = PacketFilter.compile(packet.linkType(), snapLength, expression);
        filters.put(packet.linkType().value(), compiled);
      }
      return compiled;
    }

    /** Stops the thread (it may be a batch ahead) before the reader closes. */
    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join();
    }
  }

  /** Writes out what was printed; false when the output is gone (a closed pipe: `tunlab print big | head`). */
  private static boolean write(LineBuffer lines, OutputStream stdout) {
    try {
      lines.writeTo(stdout);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private TcpdumpOptions options() {
    if (hex.length > 0 && hexAscii.length > 0) {
      throw new ParameterException(spec.commandLine(), "give one of -x, -xx, -X, -XX");
    }
    TcpdumpOptions.HexDump dump = TcpdumpOptions.HexDump.NONE;
    if (hexAscii.length > 0) {
      dump = hexAscii.length > 1 ? TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK : TcpdumpOptions.HexDump.HEX_ASCII;
    } else if (hex.length > 0) {
      dump = hex.length > 1 ? TcpdumpOptions.HexDump.HEX_WITH_LINK : TcpdumpOptions.HexDump.HEX;
    }
    TcpdumpOptions.Timestamps style = timestamps.length == 0 ? TcpdumpOptions.Timestamps.TIME_OF_DAY
        : timestamps.length == 1 ? TcpdumpOptions.Timestamps.NONE : TcpdumpOptions.Timestamps.EPOCH;
    return new TcpdumpOptions(linkHeader, verbose.length, quiet, style, dump, ZoneId.systemDefault());
  }

  /** tcpdump's wording for the usual failures. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
