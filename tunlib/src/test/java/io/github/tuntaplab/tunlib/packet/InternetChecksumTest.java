package io.github.tuntaplab.tunlib.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
  private static ByteBuffer hex(String text) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(text.replace(" ", "")));
  }

  @Test
  void rfc1071WorkedExample() {
    // RFC 1071 §3: these 8 bytes sum to ddf2, so the checksum is its complement 220d.
    ByteBuffer bytes = hex("00 01 f2 03 f4 f5 f6 f7");
    assertThat(InternetChecksum.finish(InternetChecksum.add(0, bytes, 0, 8))).isEqualTo(0x220d);
  }

  @Test
  void anIpv4HeaderFromTheTextbookChecksumsToB861AndThenVerifies() {
    ByteBuffer header = hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
    assertThat(InternetChecksum.finish(InternetChecksum.add(0, header, 0, 20))).isEqualTo(0xb861);
    header.putShort(10, (short) 0xb861);
    assertThat(InternetChecksum.verifies(InternetChecksum.add(0, header, 0, 20))).isTrue();
    header.put(8, (byte) 0x3f);
    assertThat(InternetChecksum.verifies(InternetChecksum.add(0, header, 0, 20))).isFalse();
  }

  @Test
  void anOddLastByteCountsAsTheHighByteOfAWord() {
    assertThat(InternetChecksum.add(0, hex("01 02 03"), 0, 3)).isEqualTo(0x0102 + 0x0300);
    assertThat(InternetChecksum.add(7, hex("ff 01 02 03"), 1, 2)).isEqualTo(7 + 0x0102);
  }

  @Test
  void theByteOrderOfTheBufferDoesNotMatter() {
    ByteBuffer big = hex("12 34 56 78");
    ByteBuffer little = hex("12 34 56 78").order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertThat(InternetChecksum.add(0, little, 0, 4)).isEqualTo(InternetChecksum.add(0, big, 0, 4)).isEqualTo(0x1234 + 0x5678);
  }
}
