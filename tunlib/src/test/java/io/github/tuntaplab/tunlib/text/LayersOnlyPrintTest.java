package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.capture.CaptureFormatException;
import io.github.tuntaplab.tunlib.capture.CaptureReader;
import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Dissection;
import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tunlab print} dissects with {@link Dissector#layersOnly()}; the conformance tests hold the
 * printer to tcpdump with whole dissections. Here the two agree, line for line, on every packet of
 * tcpdump's whole corpus and of the sample captures: the printer needs nothing that a
 * layers-only dissection leaves out. The layers themselves and their problems are the same too.
 */
class LayersOnlyPrintTest {
  private static final Dissector WHOLE = Dissector.standard();
  private static final Dissector LAYERS_ONLY = WHOLE.layersOnly();

  @Test
  void printingFromLayersOnlyIsPrintingFromWholeDissections() throws IOException {
    List<Path> files = new ArrayList<>(Prerequisites.corpusCaptures());
    files.addAll(TcpdumpOracle.sampleCaptures());
    List<String> differences = new ArrayList<>();
    long packets = 0;
    // -vv takes every path that reads the dissection (the IPv6 extension headers' options too).
    String[] flags = {"-e", "-vv"};
    for (Path file : files) {
      TcpdumpPrinter whole = new TcpdumpPrinter(TcpdumpOracle.options(flags));
      TcpdumpPrinter layersOnly = new TcpdumpPrinter(TcpdumpOracle.options(flags));
      try (CaptureReader reader = CaptureReader.open(file)) {
        for (CapturedPacket packet; (packet = reader.next()) != null && differences.size() < 10; packets++) {
          byte[] data = packet.data();
          Dissection full = WHOLE.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
          Dissection layers = LAYERS_ONLY.dissect(packet.linkType(), data, 0, data.length, packet.originalLength());
          StringBuilder expected = new StringBuilder();
          StringBuilder actual = new StringBuilder();
          whole.print(expected, packet.timestamp(), full, data, 0);
          layersOnly.print(actual, packet.timestamp(), layers, data, 0);
          if (!actual.toString().equals(expected.toString()) || !layout(layers).equals(layout(full))) {
            differences.add(file.getFileName() + " packet at offset " + packet.fileOffset() + ":\n  whole:       "
                + layout(full) + "\n  " + expected + "  layers only: " + layout(layers) + "\n  " + actual);
          }
        }
      } catch (CaptureFormatException e) {
        // A broken file: the packets before the fault were compared.
      }
    }
    assertThat(differences).isEmpty();
    assertThat(packets).isGreaterThan(500);
  }

  /** The layers, where they lie, and their problems. */
  private static String layout(Dissection dissection) {
    StringBuilder out = new StringBuilder(dissection.toString());
    for (int i = 0; i < dissection.layerCount(); i++) {
      out.append(' ').append(dissection.layerOffset(i)).append('+').append(dissection.layerLength(i));
    }
    return out.toString();
  }
}
