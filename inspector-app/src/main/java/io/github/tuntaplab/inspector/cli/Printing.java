package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
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
      if (!reader.advance()) {
        return ExitCode.OK;
      }
      LinkType first = reader.packetLinkType();
      err.println("reading from file " + file + ", link-type " + first.name() + " (" + first.description()
          + "), snapshot length " + reader.snapLength());
      err.flush();
      TcpdumpPrinter printer = new TcpdumpPrinter(options);
      // The printer reads the values from the bytes: it needs to know only what lies where.
      try (Dissecting dissecting = new Dissecting(reader, dissector.layersOnly(), expression, count)) {
        long printed = 0;
        while (printed != count) {
          Batch batch = dissecting.next();
          for (int i = 0; i < batch.size && printed != count; i++, printed++) {
            if (!batch.linkTypes[i].equals(first)) {
              // Our extension: tcpdump refuses files with several link types.
              String name = batch.interfaceNames[i];
              lines.appendText(name == null ? "if" + batch.interfaceIndexes[i] : name).append(' ');
            }
            printer.print(lines, batch.seconds[i], batch.nanos[i], batch.dissections[i], batch.bytes, batch.starts[i]);
            if (lines.length() >= OUTPUT_BUFFER && !write(lines, stdout)) {
              return ExitCode.FAILED;
            }
          }
          if (printed == count) {
            break; // tcpdump -c N reads no further than packet N: an error after it is not reported
          }
          if (batch.failure instanceof Error error) {
            throw error;
          }
          if (batch.failure != null) {
            throw (Exception) batch.failure;
          }
          if (batch.last) {
            break;
          }
          dissecting.recycle(batch);
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
   * Packets that passed the filter, their bytes copied one after the other into one array, with
   * their timestamps and dissections; the last batch of a file, or one that failed, says so.
   * Batches go round between the two threads and are filled again once printed: a packet's bytes
   * and header take no memory of their own (only its dissection does), which spares the garbage
   * collector most of its work.
   */
  private static final class Batch {
    static final int PACKETS = 512;
    /** Room for at least the largest packet a capture may hold: a batch always takes one more. */
    final byte[] bytes = new byte[CaptureReader.MAX_PACKET_LENGTH];
    final int[] starts = new int[PACKETS];
    final long[] seconds = new long[PACKETS];
    final int[] nanos = new int[PACKETS];
    final LinkType[] linkTypes = new LinkType[PACKETS];
    final int[] interfaceIndexes = new int[PACKETS];
    final String[] interfaceNames = new String[PACKETS];
    final Dissection[] dissections = new Dissection[PACKETS];
    int size;
    int used;
    boolean last;
    /** What stopped the reading thread: an unreadable file, a bad filter, or anything unexpected. */
    Throwable failure;

    void clear() {
      size = 0;
      used = 0;
      last = false;
      failure = null;
    }

    boolean hasRoomFor(CaptureReader reader) {
      return size < PACKETS && used + reader.packetCapturedLength() <= bytes.length;
    }

    /** Takes the packet the reader is on. */
    void add(CaptureReader reader, Dissector dissector) {
      int length = reader.packetCapturedLength();
      reader.copyPacket(bytes, used);
      starts[size] = used;
      seconds[size] = reader.packetSecond();
      nanos[size] = reader.packetNanos();
      linkTypes[size] = reader.packetLinkType();
      interfaceIndexes[size] = reader.packetInterfaceIndex();
      interfaceNames[size] = reader.packetInterfaceName();
      dissections[size++] = dissector.dissect(reader.packetLinkType(), bytes, used, length,
          reader.packetOriginalLength());
      used += length;
    }
  }

  /**
   * Reads, filters and dissects on a thread of its own, a few batches ahead, while the caller
   * prints: two cores share the work and the packets keep their order. The filter (compiled by
   * libpcap per link type) lives on that thread.
   */
  private static final class Dissecting implements AutoCloseable {
    /** Filled batches waiting, plus the one being printed and the one being filled. */
    private static final int BATCHES = 6;
    private final BlockingQueue<Batch> filled = new ArrayBlockingQueue<>(BATCHES);
    private final BlockingQueue<Batch> empty = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;

    /** Starts with the packet {@code reader} is on; stops after {@code count} packets pass (-1: none). */
    Dissecting(CaptureReader reader, Dissector dissector, String filter, long count) {
      thread = new Thread(() -> run(reader, dissector, filter, count), "tunlab-dissect");
      thread.setDaemon(true);
      thread.start();
    }

    Batch next() throws InterruptedException {
      return filled.take();
    }

    /** Hands a printed batch back to be filled again. */
    void recycle(Batch batch) {
      empty.add(batch);
    }

    private void run(CaptureReader reader, Dissector dissector, String filter, long count) {
      Map<Integer, PacketFilter> filters = new HashMap<>();
      int created = 0;
      long passed = 0;
      try {
        boolean more = true;
        while (more) {
          Batch batch = empty.poll();
          if (batch == null && created < BATCHES) {
            batch = new Batch();
            created++;
          } else if (batch == null) {
            batch = empty.take();
          }
          batch.clear();
          try {
            while (more && batch.hasRoomFor(reader)) {
              if (filter.isEmpty() || passes(filters, reader, filter)) {
                batch.add(reader, dissector);
                passed++;
              }
              // Like tcpdump -c N, no read past the Nth packet that passes (nor its errors).
              more = passed != count && reader.advance();
            }
          } catch (Exception | Error e) {
            // Handed to the printing thread, which would otherwise wait for a batch for ever.
            batch.failure = e;
            more = false;
          }
          batch.last = !more;
          filled.put(batch);
        }
      } catch (InterruptedException e) {
        // The printer stopped early (-c N, a closed output).
      } finally {
        filters.values().forEach(PacketFilter::close);
      }
    }

    /** Whether the packet the reader is on passes the filter (libpcap takes it as an array of its own). */
    private static boolean passes(Map<Integer, PacketFilter> filters, CaptureReader reader, String expression)
        throws PacketFilter.FilterException {
      LinkType linkType = reader.packetLinkType();
      PacketFilter compiled = filters.get(linkType.value());
      if (compiled == null) {
        compiled = PacketFilter.compile(linkType, reader.snapLength(), expression);
        filters.put(linkType.value(), compiled);
      }
      byte[] data = new byte[reader.packetCapturedLength()];
      reader.copyPacket(data, 0);
      return compiled.matches(data, data.length, reader.packetOriginalLength());
    }

    /** Stops the thread (it may be a few batches ahead) before the reader closes. */
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
