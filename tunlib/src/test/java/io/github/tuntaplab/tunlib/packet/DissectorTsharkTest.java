package io.github.tuntaplab.tunlib.packet;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our byte ranges against tshark's on the core captures of tcpdump's test suite. */
class DissectorTsharkTest {
  /** The tricky cases of {@link DissectorTest} and the benchmark mix, as tshark sees them. */
  @Test
  void generatedPacketsMatchTsharkByteForByte(@TempDir Path dir) throws Exception {
    Prerequisites.requireTool("tshark");
    List<byte[]> frames = new ArrayList<>(TestPackets.ethernetMix());
    frames.addAll(TrickyFrames.all());
    Path file = dir.resolve("generated.pcap");
    CaptureFiles.write(file, LinkType.ETHERNET, frames);
    TsharkOracle.Score score = TsharkOracle.score(file, CaptureFiles.packets(file), Dissector.standard());
    System.out.println("generated frames: " + score);
    assertThat(score.compared).as("fields compared").isGreaterThan(300);
    assertThat(score.mismatches).as(score.toString()).isEmpty();
  }

  /**
   * Mutated frames (cut by a snapshot length or short, bits flipped, lengths forged), as tshark
   * sees them: wherever tshark still shows a checked field, ours sits on the same bytes.
   */
  @Test
  void mutatedPacketsMatchTsharkByteForByte(@TempDir Path dir) throws Exception {
    Prerequisites.requireTool("tshark");
    List<byte[]> valid = new ArrayList<>(TestPackets.ethernetMix());
    valid.addAll(TrickyFrames.all());
    Random random = new Random(4);
    List<CapturedPacket> mutated = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      byte[] frame = valid.get(i % valid.size()).clone();
      int original = frame.length;
      switch (random.nextInt(3)) {
        case 0:
          frame[14 + random.nextInt(frame.length - 14)] ^= (byte) (1 << random.nextInt(8));
          break;
        case 1:
          int at = 14 + random.nextInt(frame.length - 15);
          frame[at] = (byte) random.nextInt(256);
          frame[at + 1] = (byte) random.nextInt(256);
          break;
        default:
          break;
      }
      int captured = 14 + random.nextInt(frame.length - 13);
      mutated.add(CaptureFiles.packet(LinkType.ETHERNET, java.util.Arrays.copyOf(frame, captured),
          random.nextBoolean() ? original : captured));
    }
    Path file = dir.resolve("mutated.pcap");
    CaptureFiles.write(file, mutated);
    TsharkOracle.Score score = TsharkOracle.score(file, CaptureFiles.packets(file), Dissector.standard());
    System.out.println("mutated frames: " + score);
    assertThat(score.compared).as("fields compared").isGreaterThan(3000);
    assertThat(score.mismatches).as(score.toString()).isEmpty();
  }

  @Test
  void coreCapturesMatchTsharkByteForByte() throws Exception {
    Prerequisites.requireTool("tshark");
    Path corpus = Prerequisites.requireShared("corpus/tcpdump-tests");
    List<String> core = Files.readAllLines(corpus.resolve("CORE.txt")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .collect(Collectors.toList());
    TsharkOracle.Score total = new TsharkOracle.Score();
    for (String name : core) {
      Path file = corpus.resolve(name);
      TsharkOracle.Score score = TsharkOracle.score(file, CaptureFiles.packets(file), Dissector.standard());
      System.out.println(name + ": " + score);
      total.add(score);
    }
    System.out.println("CORE captures: " + total);
    assertThat(total.compared).as("fields compared").isGreaterThan(900);
    assertThat(total.mismatches).as(total.toString()).isEmpty();
  }
}
