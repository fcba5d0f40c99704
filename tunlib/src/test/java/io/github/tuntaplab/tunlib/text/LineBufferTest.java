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
