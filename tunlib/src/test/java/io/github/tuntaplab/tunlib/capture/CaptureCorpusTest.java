package io.github.tuntaplab.tunlib.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * tcpdump's 830 test captures, read by tcpdump (the oracle: {@code tcpdump --count}) and by us:
 * wherever tcpdump reads a file without error we read exactly as many packets; elsewhere we may
 * only fail with a {@link CaptureFormatException}. The index agrees. Each file within 10 s and a
 * bounded allocation.
 */
class CaptureCorpusTest {
  private static final Pattern COUNT = Pattern.compile("(\\d+) packets?");
  private static final long SECONDS_PER_FILE = 10;

  @Test
  void weReadEveryPacketTcpdumpReadsAndFailOnlyWithAnOffset() throws Exception {
    List<Path> files = Prerequisites.corpusCaptures();
    Prerequisites.requireTool("tcpdump");
    assertThat(files).hasSizeGreaterThanOrEqualTo(830);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    for (Path file : files) {
      pool.execute(() -> check(file, problems, refused));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    System.out.println("corpus: " + files.size() + " files, " + refused.size() + " refused as tcpdump refuses them: "
        + refused);
    assertThat(new ArrayList<>(problems)).isEmpty();
  }

  /** The index finds as many packets as sequential reading, and reads the last one back. */
  private static void checkIndex(Path file, long read, ConcurrentLinkedQueue<String> problems) {
    try (CaptureIndex index = CaptureIndex.open(file)) {
      if (index.size() != read) {
        problems.add(file.getFileName() + ": the index holds " + index.size() + " packets, reading gave " + read);
      } else if (read > 0 && index.packet((int) read - 1).fileOffset() < 0) {
        problems.add(file.getFileName() + ": the last packet has no offset");
      }
    } catch (CaptureFormatException e) {
      if (read > 0) {
        problems.add(file.getFileName() + ": the index failed after " + read + " packets could be read: " + e);
      }
    } catch (IOException | RuntimeException e) {
      problems.add(file.getFileName() + ": indexing threw " + e);
    }
  }

  private static void check(Path file, ConcurrentLinkedQueue<String> problems, ConcurrentLinkedQueue<String> refused) {
    String name = file.getFileName().toString();
    Cmd.Result oracle = Cmd.run(SECONDS_PER_FILE, "tcpdump", "--count", "-nn", "-r", file.toString());
    Matcher counted = COUNT.matcher(oracle.stdout());
    long expected = oracle.exitCode() == 0 && counted.find() ? Long.parseLong(counted.group(1)) : -1;
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
    long started = System.nanoTime();
    long read = 0;
    try (CaptureReader reader = CaptureReader.open(file)) {
      while (reader.next() != null) {
        read++;
      }
      if (expected >= 0 && read != expected) {
        problems.add(name + ": read " + read + " packets, tcpdump " + expected);
      }
    } catch (CaptureFormatException e) {
      if (expected >= 0) {
        problems.add(name + ": tcpdump reads " + expected + " packets, we failed after " + read + ": " + e.getMessage());
      } else if (!e.getMessage().contains("offset " + e.offset())) {
        problems.add(name + ": message does not name the offset: " + e.getMessage());
      } else {
        refused.add(name + " (" + e.getMessage() + ")");
      }
    } catch (IOException | RuntimeException e) {
      problems.add(name + ": unexpected " + e);
    }
    checkIndex(file, read, problems);
    long elapsed = System.nanoTime() - started;
    long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
    long size = file.toFile().length();
    if (elapsed > TimeUnit.SECONDS.toNanos(SECONDS_PER_FILE)) {
      problems.add(name + ": took " + elapsed / 1_000_000 + " ms");
    }
    // A copy of every packet plus small per-packet objects and the reader's buffer: never a forged length.
    if (allocated > 4 * size + 2 * 1024 * 1024) {
      problems.add(name + ": allocated " + allocated + " bytes for a " + size + "-byte file");
    }
  }
}
