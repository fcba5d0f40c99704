package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What tshark and tcpdump say about a capture file, in forms our packets can be compared with. */
final class Oracles {
  private Oracles() {}

  /** One row per frame with the given tshark fields, tab-separated as tshark prints them. */
  static List<List<String>> tshark(Path file, String... fields) {
    Prerequisites.requireTool("tshark");
    List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(), "-T", "fields",
        "-E", "occurrence=a", "-E", "aggregator=|"));
    for (String field : fields) {
      command.add("-e");
      command.add(field);
    }
    String out = Cmd.ok(command.toArray(String[]::new));
    List<List<String>> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty()) {
        rows.add(Arrays.asList(line.split("\t", -1)));
      }
    }
    return rows;
  }

  /**
   * The timestamp of every packet tcpdump prints ({@code -tt --nano}), normalized: tcpdump prints
   * an out-of-range fraction as is ({@code 1418145370.1000000000}), which is one second later.
   */
  static List<String> tcpdumpTimestamps(Path file) {
    Prerequisites.requireTool("tcpdump");
    String out = Cmd.ok("tcpdump", "-tt", "--nano", "-nn", "-r", file.toString());
    List<String> stamps = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
        String[] parts = line.substring(0, line.indexOf(' ')).split("\\.");
        stamps.add(epoch(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]))));
      }
    }
    return stamps;
  }

  /** An instant as tcpdump {@code -tt --nano} and tshark {@code frame.time_epoch} print it. */
  static String epoch(Instant time) {
    return new BigDecimal(time.getEpochSecond()).add(BigDecimal.valueOf(time.getNano(), 9)).setScale(9).toPlainString();
  }
}
