package io.github.tuntaplab.tunlib.packet;

import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Not a test (it takes minutes): every capture of tcpdump's suite against tshark, printing each
 * file's match rate and the mismatches; give file names to check only those. Run it after changing the parser:
 *
 * <pre>mvn -pl tunlib -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.github.tuntaplab.tunlib.packet.FullCorpusOracle</pre>
 */
public final class FullCorpusOracle {
  private FullCorpusOracle() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Prerequisites.sharedDir().resolve("corpus/tcpdump-tests");
    List<Path> files;
    try (Stream<Path> list = args.length > 0 ? Stream.of(args).map(corpus::resolve) : Files.list(corpus)) {
      files = list.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap)$")).sorted().collect(Collectors.toList());
    }
    TsharkOracle.Score total = new TsharkOracle.Score();
    for (Path file : files) {
      try {
        TsharkOracle.Score score = TsharkOracle.score(file, CaptureFiles.packets(file), Dissector.standard());
        total.add(score);
        if (!score.mismatches.isEmpty()) {
          // A field we place differently is a bug; one we lack is usually a protocol we do not dissect.
          List<String> wrong = score.mismatches.stream().filter(m -> !m.contains("ours missing"))
              .collect(Collectors.toList());
          System.out.println(file.getFileName() + ": " + score + ", " + wrong.size() + " placed differently");
          (wrong.isEmpty() ? score.mismatches : wrong).stream().limit(5).forEach(m -> System.out.println("    " + m));
        }
      } catch (Exception | AssertionError e) {
        System.out.println(file.getFileName() + ": tshark failed: " + e.getMessage());
      }
    }
    System.out.println("all corpus files: " + total);
  }
}
