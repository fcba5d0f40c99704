package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The printer on every capture of tcpdump's suite (830 files, many crafted against dissectors),
 * with no flags and with {@code -v}: no exception, no file slower than a few seconds, and no line
 * much longer than the packet it describes. The conformance tests compare text only for CORE.txt;
 * a DNS name whose compression pointers loop, outside it, once made 674 MB of text in 20 s.
 */
class PrintCorpusRobustnessTest {
  /** tcpdump's longest line per captured byte in the corpus is well under this. */
  private static final int CHARACTERS_PER_BYTE = 4;
  private static final int CHARACTERS_PER_LINE = 2048;
  private static final long MILLIS_PER_FILE = 3000;

  @Test
  void everyCorpusPacketPrintsQuicklyAndBriefly() throws Exception {
    Dissector dissector = Dissector.standard().layersOnly();
    List<String> problems = new ArrayList<>();
    long started = System.nanoTime();
    long packets = 0;
    for (Path file : Prerequisites.corpusCaptures()) {
      long fileStarted = System.nanoTime();
      for (String flag : new String[] {"", "-v"}) {
        TcpdumpPrinter printer = new TcpdumpPrinter(flag.isEmpty() ? TcpdumpOracle.options() : TcpdumpOracle.options(flag));
        StringBuilder line = new StringBuilder();
        for (CapturedPacket packet : CaptureFiles.packets(file)) {
          packets++;
          byte[] data = packet.data();
          line.setLength(0);
          try {
            printer.print(line, packet.timestamp(),
                dissector.dissect(packet.linkType(), data, 0, data.length, packet.originalLength()), data, 0);
          } catch (RuntimeException e) {
            problems.add(file.getFileName() + " " + flag + " at offset " + packet.fileOffset() + ": " + e);
            continue;
          }
          if (line.length() > CHARACTERS_PER_LINE + CHARACTERS_PER_BYTE * data.length) {
            problems.add(file.getFileName() + " " + flag + " at offset " + packet.fileOffset() + ": "
                + line.length() + " characters for " + data.length + " bytes");
          }
        }
      }
      long millis = (System.nanoTime() - fileStarted) / 1_000_000;
      if (millis > MILLIS_PER_FILE) {
        problems.add(file.getFileName() + " took " + millis + " ms to print twice");
      }
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000;
    System.out.printf("printed the corpus twice: %d packets in %d s%n", packets, seconds);
    assertThat(problems).isEmpty();
    assertThat(packets).isGreaterThan(10_000);
    assertThat(seconds).isLessThan(60);
  }
}
