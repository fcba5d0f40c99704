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
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The work of {@code tunlab print}, apart from its command line (picocli's, or {@link QuickPrint}'s
 * for the usual short ones): read, filter, dissect and print as tcpdump does.
 */
final class Printing {
  /** Printed lines go out in blocks of about this many bytes. */
  private static final int OUTPUT_BUFFER = 1 << 16;

  private Printing() {}

  /**
   * tcpdump's options from its flags, each given as how often it was given ({@code -vv}: 2); at
   * most one of {@code hex} and {@code hexAscii} may be non-zero.
   */
  static TcpdumpOptions options(boolean linkHeader, int verbose, boolean quiet, int timestamps, int hex,
      int hexAscii) {
    TcpdumpOptions.HexDump dump = TcpdumpOptions.HexDump.NONE;
    if (hexAscii > 0) {
      dump = hexAscii > 1 ? TcpdumpOptions.HexDump.HEX_ASCII_WITH_LINK : TcpdumpOptions.HexDump.HEX_ASCII;
    } else if (hex > 0) {
      dump = hex > 1 ? TcpdumpOptions.HexDump.HEX_WITH_LINK : TcpdumpOptions.HexDump.HEX;
    }
    TcpdumpOptions.Timestamps style = timestamps == 0 ? TcpdumpOptions.Timestamps.TIME_OF_DAY
        : timestamps == 1 ? TcpdumpOptions.Timestamps.NONE : TcpdumpOptions.Timestamps.EPOCH;
    return new TcpdumpOptions(linkHeader, verbose, quiet, style, dump, ZoneId.systemDefault());
  }

  /**
   * Prints {@code file} (the packets passing {@code expression}, at most {@code count} of them, -1
   * for all) to {@code out}, tcpdump's "reading from file" line and failures to {@code err}.
   *
   * @return the exit code
   */
  static int print(Path file, String expression, TcpdumpOptions options, long count, Dissector dissector,
      PrintWriter out, PrintWriter err) {
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
      try (Dissecting dissecting = new Dissecting(reader, packet, dissector, expression)) {
        long printed = 0;
        for (Batch batch = dissecting.next(); printed != count; batch = dissecting.next()) {
          for (int i = 0; i < batch.size() && printed != count; i++, printed++) {
            CapturedPacket next = batch.packets()[i];
            if (!next.linkType().equals(first)) {
              // Our extension: tcpdump refuses files with several link types.
              lines.appendText(next.interfaceName() == null ? "if" + next.interfaceIndex() : next.interfaceName())
                  .append(' ');
            }
            printer.print(lines, next.timestamp(), batch.dissections()[i], batch.data()[i], 0);
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

  /**
   * Packets that passed the filter, their bytes (the copy that was dissected, so the printer needs
   * no copy of its own) and dissections; the last batch of a file, or one that failed, says so.
   */
  private record Batch(CapturedPacket[] packets, byte[][] data, Dissection[] dissections, int size, boolean last,
      Exception failure) {}

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
          byte[][] bytes = new byte[BATCH][];
          Dissection[] dissections = new Dissection[BATCH];
          int size = 0;
          try {
            for (; size < BATCH && packet != null; packet = reader.next()) {
              byte[] data = packet.data();
              if (filter.isEmpty() || filter(filters, packet, reader.snapLength(), filter)
                  .matches(data, data.length, packet.originalLength())) {
                packets[size] = packet;
                bytes[size] = data;
                dissections[size++] = dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
              }
            }
          } catch (IOException | PacketFilter.FilterException e) {
            batches.put(new Batch(packets, bytes, dissections, size, true, e));
            return;
          }
          batches.put(new Batch(packets, bytes, dissections, size, packet == null, null));
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
