package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.testsupport.CaptureFiles;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted DNS messages, malformed the ways that once made the printer loop (compression pointers to
 * themselves, forwards, in a cycle), printed by us and by the real tcpdump from the same pcap.
 */
class DnsTextTcpdumpTest {
  private static final int[] SELF = {0xc0, 12};

  @Test
  void malformedNamesPrintAsTcpdumpPrintsThem(@TempDir Path dir) throws Exception {
    Prerequisites.requireTool("tcpdump");
    List<byte[]> frames = new ArrayList<>();
    // A query whose name is a pointer to itself, and one pointing forwards to a good name.
    frames.add(dns(0x1234, 0x0100, 1, 0, 0, 0, SELF, typeAndClass(1, 1)));
    frames.add(dns(0x1234, 0x0100, 1, 0, 0, 0, new int[] {0xc0, 18}, typeAndClass(1, 1), label("ab"), new int[] {0}));
    // A response with two questions, the second pointing back to the first (allowed); a CNAME answer
    // whose data (at 47) points to itself, and an answer (at 49) whose owner name does.
    frames.add(dns(0x1234, 0x8180, 2, 2, 0, 0, label("www"), label("example"), new int[] {0}, typeAndClass(1, 1),
        new int[] {0xc0, 12}, typeAndClass(28, 1),
        new int[] {0xc0, 12}, typeAndClass(5, 1), ttlAndLength(2), new int[] {0xc0, 47},
        new int[] {0xc0, 49}, typeAndClass(1, 1), ttlAndLength(4), new int[] {198, 51, 100, 7}));
    // A name longer than 255 characters; labels with unprintable bytes; pointers to a label of a
    // reserved type and of an unknown extended type (the message ids 0x81.. and 0x42..); a class and
    // types by name and by number.
    List<int[]> longName = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      longName.add(label("a".repeat(60)));
    }
    longName.add(new int[] {0});
    longName.add(typeAndClass(99, 3));
    frames.add(dns(0x1234, 0x0100, 1, 0, 0, 0, longName.toArray(int[][]::new)));
    frames.add(dns(0x1234, 0x0100, 1, 0, 0, 0, new int[] {3, 0x01, 0x7f, 0xe9, 0}, typeAndClass(64999, 255)));
    frames.add(dns(0x8100, 0x0100, 1, 0, 0, 0, new int[] {0xc0, 0}, typeAndClass(1, 1)));
    frames.add(dns(0x4200, 0x0100, 1, 0, 0, 0, new int[] {0xc0, 0}, typeAndClass(1, 1)));
    // A response whose rcode an OPT record extends (BADVERS), with the AD bit.
    frames.add(dns(0x1234, 0x81a0, 1, 0, 0, 1, new int[] {0}, typeAndClass(6, 1), new int[] {0},
        typeAndClass(41, 4096), new int[] {1, 0, 0x80, 0}, new int[] {0, 0}));
    Path file = dir.resolve("dns.pcap");
    CaptureFiles.write(file, LinkType.RAW, frames);
    // The crafted faults reach tcpdump's loop and length guards (else this test would prove little).
    assertThat(String.join("\n", TcpdumpOracle.tcpdump(file, "-v")))
        .contains("<BAD PTR>", "<DOMAIN NAME TOO LONG>", "<BAD LABEL TYPE>", "<ELT 2>", "BadVers");
    for (String[] flags : new String[][] {{}, {"-v"}, {"-vv"}}) {
      List<String> expected = TcpdumpOracle.tcpdump(file, flags);
      assertThat(expected).hasSize(frames.size() * (flags.length == 0 ? 1 : 2));
      assertThat(TcpdumpOracle.ours(file, flags).lines()).as("flags %s", String.join(" ", flags))
          .containsExactlyElementsOf(expected);
    }
  }

  private static int[] label(String text) {
    int[] bytes = new int[text.length() + 1];
    bytes[0] = text.length();
    for (int i = 0; i < text.length(); i++) {
      bytes[i + 1] = text.charAt(i);
    }
    return bytes;
  }

  private static int[] typeAndClass(int type, int recordClass) {
    return new int[] {type >> 8, type & 0xff, recordClass >> 8, recordClass & 0xff};
  }

  private static int[] ttlAndLength(int length) {
    return new int[] {0, 0, 0, 60, length >> 8, length & 0xff};
  }

  /** An IPv4 packet from 198.51.100.1:53 to 198.51.100.2:5300 carrying the DNS message. */
  private static byte[] dns(int id, int flags, int questions, int answers, int authority, int additional, int[]... parts) {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    for (int value : new int[] {id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, questions, 0, answers, 0, authority,
        0, additional}) {
      message.write(value);
    }
    for (int[] part : parts) {
      for (int value : part) {
        message.write(value);
      }
    }
    byte[] dns = message.toByteArray();
    byte[] packet = new byte[28 + dns.length];
    int[] header = {0x45, 0, packet.length >> 8, packet.length & 0xff, 0, 1, 0, 0, 64, 17, 0, 0,
        198, 51, 100, 1, 198, 51, 100, 2, 0, 53, 0x14, 0xb4, (8 + dns.length) >> 8, (8 + dns.length) & 0xff, 0, 0};
    for (int i = 0; i < header.length; i++) {
      packet[i] = (byte) header[i];
    }
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += (packet[i] & 0xff) << 8 | packet[i + 1] & 0xff;
    }
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
    packet[10] = (byte) (sum >> 8);
    packet[11] = (byte) sum;
    System.arraycopy(dns, 0, packet, 28, dns.length);
    return packet;
  }
}
