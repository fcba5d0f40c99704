package io.github.tuntaplab.tunlib.text;

import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Not a test: counts, over CORE and over every capture of tcpdump's corpus, the packets we print
 * only partially (tcpdump decodes a protocol we do not; we stop at the highest layer we understand,
 * {@link TcpdumpPrinter#lastWasPartial()}), and checks that count against {@code TZ=UTC tcpdump -nn}:
 * each packet's text is compared with tcpdump's (split where a line starts with a timestamp), and
 * classed as identical, partial (flagged, so expected to differ), or other difference.
 *
 * <pre>mvn -B -ntp -q -pl tunlib test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.tuntaplab.tunlib.text.PartialPrintCount</pre>
 */
public final class PartialPrintCount {
  private static final Pattern PACKET_START = Pattern.compile("(?m)^(?=\\d\\d:\\d\\d:\\d\\d\\.\\d{6} )");
  /** The link types our printer renders; a packet of another is all partial (a timestamp only). */
  private static final Set<LinkType> PRINTED_LINKS = Set.of(LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4,
      LinkType.IPV6, LinkType.LINUX_SLL);

  private PartialPrintCount() {}

  /** Per set of files: packets, identical, partial (of which at an unprinted link type, and identical anyway), other. */
  private static final class Tally {
    long files;
    long unreadable;
    long packets;
    long identical;
    long partial;
    long partialLink;
    long partialIdentical;
    long otherDifferences;
    /** Per file, its packets that differ without being flagged partial. */
    final java.util.Map<String, Long> differing = new java.util.TreeMap<>();

    @Override
    public String toString() {
      return String.format("%d files (%d refused by tcpdump or us), %d packets: %d identical to tcpdump; "
              + "%d printed partially (%d of them at a link type we do not print, %d identical anyway); "
              + "%d other differences", files, unreadable, packets, identical, partial, partialLink,
          partialIdentical, otherDifferences);
    }
  }

  public static void main(String[] args) throws IOException {
    List<Path> all = Prerequisites.corpusCaptures();
    Tally core = new Tally();
    Tally whole = new Tally();
    for (Path file : TcpdumpOracle.coreCaptures()) {
      count(file, core);
    }
    for (Path file : all) {
      count(file, whole);
    }
    System.out.println("CORE:   " + core);
    System.out.println("corpus: " + whole);
    System.out.println("files with the most other differences:");
    whole.differing.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
        .forEach(e -> System.out.println("  " + e.getValue() + " " + e.getKey()));
  }

  private static void count(Path file, Tally tally) {
    tally.files++;
    List<String> ours = new ArrayList<>();
    List<Boolean> partial = new ArrayList<>();
    List<Boolean> atLink = new ArrayList<>();
    TcpdumpPrinter printer = new TcpdumpPrinter(TcpdumpOracle.options());
    try (CaptureReader reader = CaptureReader.open(file)) {
      for (CapturedPacket packet; (packet = reader.next()) != null; ) {
        StringBuilder text = new StringBuilder();
        byte[] data = packet.data();
        printer.print(text, packet.timestamp(),
            Dissector.standard().dissect(packet.linkType(), data, 0, data.length, packet.originalLength()), data, 0);
        ours.add(text.toString());
        partial.add(printer.lastWasPartial());
        atLink.add(!PRINTED_LINKS.contains(packet.linkType()));
      }
    } catch (IOException | RuntimeException e) {
      // A corrupt file: count the packets read before the fault.
    }
    Cmd.Result tcpdump = Cmd.run("env", "TZ=UTC", "tcpdump", "-nn", "-r", file.toString());
    List<String> theirs = tcpdump.stdout().isEmpty() ? List.of() : List.of(PACKET_START.split(tcpdump.stdout()));
    if (ours.isEmpty() || theirs.isEmpty()) {
      tally.unreadable++;
    }
    for (int i = 0; i < ours.size(); i++) {
      tally.packets++;
      boolean same = i < theirs.size() && theirs.get(i).equals(ours.get(i));
      if (partial.get(i)) {
        tally.partial++;
        tally.partialLink += atLink.get(i) ? 1 : 0;
        tally.partialIdentical += same ? 1 : 0;
      } else if (same) {
        tally.identical++;
      } else {
        tally.otherDifferences++;
        tally.differing.merge(file.getFileName().toString(), 1L, Long::sum);
      }
    }
  }
}
