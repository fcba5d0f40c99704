package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tuntaplab.tunlib.capture.CaptureFormatException;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * All of tcpdump's test captures through {@code tunlab fields}: each within 10 s, without an
 * exception, one parseable JSON line per packet the capture reader reads (whose packet counts the
 * tunlib corpus test holds against tcpdump's), and exit 1 with an offset exactly where the reader
 * reports a format error.
 */
class FieldsCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyCorpusFileGoesThroughTunlabFields() throws Exception {
    List<Path> files = Prerequisites.corpusCaptures();
    assertThat(files).hasSizeGreaterThanOrEqualTo(830);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> runs = new ArrayList<>();
    for (Path file : files) {
      runs.add(pool.submit(() -> check(file, problems)));
    }
    pool.shutdown();
    for (int i = 0; i < runs.size(); i++) {
      try {
        runs.get(i).get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        problems.add(files.get(i).getFileName() + ": took more than 10 s");
        runs.get(i).cancel(true);
      }
    }
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(new ArrayList<>(problems)).isEmpty();
  }

  private static void check(Path file, ConcurrentLinkedQueue<String> problems) {
    String name = file.getFileName().toString();
    long started = System.nanoTime();
    Tunlab tunlab = Tunlab.run("fields", file.toString());
    long millis = (System.nanoTime() - started) / 1_000_000;
    if (millis > 10_000) {
      problems.add(name + ": took " + millis + " ms");
    }
    List<String> linkTypes = new ArrayList<>();
    String readerFault = null;
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        linkTypes.add(String.valueOf(packet.linkType().value()));
      }
    } catch (CaptureFormatException e) {
      readerFault = e.getMessage();
    } catch (IOException e) {
      problems.add(name + ": " + e);
    }
    int expectedExit = readerFault == null ? 0 : 1;
    if (tunlab.exitCode() != expectedExit) {
      problems.add(name + ": exit " + tunlab.exitCode() + ", expected " + expectedExit + ": " + tunlab.stderr());
    }
    String expectedErr = readerFault == null ? "" : "tunlab: " + file + ": " + readerFault + System.lineSeparator();
    if (!tunlab.stderr().equals(expectedErr)) {
      problems.add(name + ": stderr " + tunlab.stderr());
    }
    List<String> lines = tunlab.stdout().lines().toList();
    if (lines.size() != linkTypes.size()) {
      problems.add(name + ": " + lines.size() + " lines for " + linkTypes.size() + " packets");
      return;
    }
    for (int i = 0; i < lines.size(); i++) {
      try {
        JsonNode line = JSON.readTree(lines.get(i));
        if (line.get("frame").asLong() != i + 1 || !line.get("linktype").asText().equals(linkTypes.get(i))
            || !line.get("layers").isArray()) {
          problems.add(name + " line " + (i + 1) + ": " + lines.get(i));
        }
      } catch (IOException e) {
        problems.add(name + " line " + (i + 1) + " is not JSON: " + e.getMessage());
      }
    }
  }
}
