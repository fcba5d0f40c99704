package io.github.tuntaplab.lessons.lesson;

import io.github.tuntaplab.tunlib.packet.Dissector;
import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.text.TcpdumpOptions;
import io.github.tuntaplab.tunlib.text.TcpdumpPrinter;
import java.time.Instant;

/** A packet as {@code tcpdump -nn -t [-e]} prints it, on one line. */
final class PacketLine {
  private static final Dissector DISSECTOR = Dissector.standard();

  private PacketLine() {}

  /** The line for {@code data[offset, offset + length)}, a packet of a link of type {@code type}. */
  static String of(LinkType type, byte[] data, int offset, int length, int originalLength, boolean linkHeader) {
    TcpdumpOptions options = TcpdumpOptions.defaults().withLinkHeader(linkHeader)
        .withTimestamps(TcpdumpOptions.Timestamps.NONE);
    StringBuilder text = new StringBuilder();
    new TcpdumpPrinter(options).print(text, Instant.EPOCH, DISSECTOR.dissect(type, data, offset, length,
        originalLength), data, offset);
    return text.toString().strip().replace("\n", " ");
  }
}
