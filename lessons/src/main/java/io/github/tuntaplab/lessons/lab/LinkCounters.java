package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.net.Link;
import java.util.List;

/**
 * One link's counters as the lab's {@code stats} request reports them (LAB-PROTOCOL.md): one line,
 * tab-separated, {@code ROLE LINK KIND STATE RX_PACKETS RX_BYTES TX_PACKETS TX_BYTES}, the counters
 * as the kernel keeps them ({@code ip -s link}).
 */
public record LinkCounters(String role, String link, String kind, boolean up, long rxPackets, long rxBytes,
    long txPackets, long txBytes) {

  static LinkCounters of(String role, Link link) {
    Link.Stats s = link.stats();
    return new LinkCounters(role, link.name(), link.kind().isEmpty() ? "-" : link.kind(), link.isUp(),
        s.rxPackets(), s.rxBytes(), s.txPackets(), s.txBytes());
  }

  /** The line {@code stats} sends. */
  public String line() {
    return String.join("\t", role, link, kind, up ? "UP" : "DOWN", Long.toString(rxPackets), Long.toString(rxBytes),
        Long.toString(txPackets), Long.toString(txBytes));
  }

  /** Reads a line {@link #line()} wrote. */
  public static LinkCounters parse(String line) {
    List<String> f = List.of(line.split("\t", -1));
    if (f.size() != 8) {
      throw new IllegalArgumentException("a stats line has 8 fields, not " + f.size() + ": " + line);
    }
    return new LinkCounters(f.get(0), f.get(1), f.get(2), f.get(3).equals("UP"), Long.parseLong(f.get(4)),
        Long.parseLong(f.get(5)), Long.parseLong(f.get(6)), Long.parseLong(f.get(7)));
  }
}
