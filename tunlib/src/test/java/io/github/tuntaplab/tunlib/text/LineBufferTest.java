package io.github.tuntaplab.tunlib.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LineBuffer}'s numbers and text against the JDK's own formatting of the same values. */
class LineBufferTest {
  @Test
  void numbersAreWhatTheJdkWrites() {
    SplittableRandom random = new SplittableRandom(5);
    long[] edges = {0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE, -1,
        Long.MAX_VALUE, Long.MIN_VALUE, 4_294_967_295L};
    for (int i = 0; i < 10_000 + edges.length; i++) {
      long value = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);
      LineBuffer out = new LineBuffer(1);
      out.append(value).append(' ').append((int) value).append(' ').appendHex((int) value).append(' ')
          .appendHex(value, 5).append(' ').appendDigits((int) Math.abs(value % 1_000_000), 6);
      String hex = Long.toHexString(value);
      String expected = value + " " + (int) value + " " + Integer.toHexString((int) value) + " "
          + ("00000" + hex).substring(("00000" + hex).length() - 5) + " "
          + String.format("%06d", Math.abs(value % 1_000_000));
      assertThat(out.toString()).as("value %d", value).isEqualTo(expected);
    }
  }

  @Test
  void divisionByMultiplicationIsExactForEveryNonNegativeInt() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000_000; i++) {
      // Every value below 2^20, then random ones up to Integer.MAX_VALUE (edges included).
      int value = i < 1 << 20 ? i : i == 1 << 20 ? Integer.MAX_VALUE : random.nextInt(Integer.MAX_VALUE);
      if (LineBuffer.div10(value) != value / 10 || LineBuffer.div100(value) != value / 100) {
        assertThat(new int[] {LineBuffer.div10(value), LineBuffer.div100(value)}).as("%d / 10 and / 100", value)
            .containsExactly(value / 10, value / 100);
      }
    }
  }

  @Test
  void addressesAreWhatTheJdkWrites() {
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 10_000; i++) {
      byte[] data = new byte[8];
      random.nextBytes(data);
      if (i < 256) {
        data[2] = (byte) i;
      }
      int count = random.nextInt(7);
      StringBuilder hex = new StringBuilder();
      for (int j = 0; j < count; j++) {
        hex.append(j == 0 ? "" : "-").append(String.format("%02x", data[1 + j] & 0xff));
      }
      String ipv4 = (data[2] & 0xff) + "." + (data[3] & 0xff) + "." + (data[4] & 0xff) + "." + (data[5] & 0xff);
      LineBuffer out = new LineBuffer(1);
      out.append('<').appendHexBytes(data, 1, count, '-').append('|').appendIpv4(data, 2).append('>');
      assertThat(out.toString()).isEqualTo("<" + hex + "|" + ipv4 + ">");
    }
  }

  @Test
  void textIsAsciiOrUtf8AndGoesOutAsBytes() throws Exception {
    LineBuffer out = new LineBuffer(4);
    out.append("ARP, ").appendText("tl-tap0 ").appendText("ethé ").append('é').append('\n');
    assertThat(out.toString()).isEqualTo("ARP, tl-tap0 ethé é\n");
    out.setLength(5);
    assertThat(out.toString()).isEqualTo("ARP, ");
    assertThatThrownBy(() -> out.setLength(6)).isInstanceOf(IndexOutOfBoundsException.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    out.appendText("ü").writeTo(bytes);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("ARP, ü");
    assertThat(out.length()).isZero();
  }
}
