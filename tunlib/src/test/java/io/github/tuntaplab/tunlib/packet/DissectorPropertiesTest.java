package io.github.tuntaplab.tunlib.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.text.FieldsJson;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Mutated packets (cut short, bits flipped, lengths forged): the dissector never throws, keeps every
 * range inside the captured bytes and its parent, and never looks past the captured length.
 */
class DissectorPropertiesTest {
  private static final List<byte[]> MIX = TestPackets.ethernetMix();
  private static final Dissector DISSECTOR = Dissector.standard()
      .withDecodeAs(9999, DecodeAs.RAW_IP).withDecodeAs(33434, DecodeAs.ETHERNET);

  @Property(tries = 3000)
  void mutatedPacketsDissectSoundly(@ForAll @IntRange(min = 0, max = 10) int template,
      @ForAll @IntRange(min = 0, max = 6) int flips, @ForAll @IntRange(min = 0, max = 3) int forgedWords,
      @ForAll @IntRange(min = 0, max = 400) int cut, @ForAll boolean snapshotLength, @ForAll long seed) {
    Random random = new Random(seed);
    byte[] packet = MIX.get(template).clone();
    for (int i = 0; i < flips; i++) {
      packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
    }
    for (int i = 0; i < forgedWords; i++) {
      int at = random.nextInt(packet.length - 1);
      int value = random.nextBoolean() ? random.nextInt(0x10000) : random.nextBoolean() ? 0 : 0xffff;
      packet[at] = (byte) (value >>> 8);
      packet[at + 1] = (byte) value;
    }
    int captured = Math.max(0, packet.length - cut);
    int original = snapshotLength ? packet.length : captured;
    for (LinkType linkType : List.of(LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL, LinkType.LINUX_SLL2)) {
      assertSound(linkType, packet, captured, original);
    }
  }

  @Property(tries = 1000)
  void randomBytesDissectSoundly(@ForAll byte[] bytes, @ForAll @IntRange(min = 0, max = 5) int linkTypeIndex) {
    LinkType linkType = List.of(LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4, LinkType.IPV6,
        LinkType.LINUX_SLL, LinkType.LINUX_SLL2).get(linkTypeIndex);
    assertSound(linkType, bytes, bytes.length, bytes.length);
  }

  /**
   * Sound ranges, and the same dissection whether the bytes sit at offset 0 with nothing after them
   * or in the middle of a larger buffer full of junk: nothing outside the captured bytes is read.
   */
  private static void assertSound(LinkType linkType, byte[] packet, int captured, int original) {
    byte[] exact = Arrays.copyOf(packet, captured);
    Dissection alone = DISSECTOR.dissect(linkType, exact, 0, captured, original);
    assertThat(DissectionInvariants.violations(alone)).as("%s %s", linkType, alone).isEmpty();

    byte[] padded = new byte[captured + 64];
    Arrays.fill(padded, (byte) 0xa5);
    System.arraycopy(exact, 0, padded, 17, captured);
    Dissection embedded = DISSECTOR.dissect(linkType, padded, 17, captured, original);
    assertThat(json(linkType, embedded)).isEqualTo(json(linkType, alone));
    assertThat(DISSECTOR.dissectTunPacketInfo(exact, 0, captured, original).layers()).isNotNull();
  }

  private static String json(LinkType linkType, Dissection dissection) {
    StringBuilder out = new StringBuilder();
    FieldsJson.appendLine(out, 1, linkType, "tl-test", dissection);
    return out.toString();
  }
}
