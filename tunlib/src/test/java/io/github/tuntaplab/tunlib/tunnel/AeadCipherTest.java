package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** The codec's path to the JDK's ChaCha20-Poly1305 (in place, in heap and direct buffers) against RFC 8439. */
class AeadCipherTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8439 §2.8.2, sealed and opened at an offset in a direct buffer, as the tunnel does. */
  @Test
  void sealsAndOpensTheRfc8439TestVector() {
    SecretKey key = AeadCipher.key(HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"));
    byte[] nonce = HEX.parseHex("070000004041424344454647");
    byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
        + "sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";
    int at = 7;
    ByteBuffer buffer = ByteBuffer.allocateDirect(at + plaintext.length + AeadCipher.TAG_LENGTH);
    buffer.put(at, plaintext);
    AeadCipher cipher = new AeadCipher();
    cipher.seal(key, nonce, aad, buffer, at, plaintext.length);
    assertThat(hex(buffer, at, buffer.capacity())).isEqualTo(expected);
    for (int again = 0; again < 2; again++) { // the JDK refuses to init twice with one key and nonce
      ByteBuffer copy = ByteBuffer.allocateDirect(buffer.capacity()).put(buffer.duplicate().clear());
      assertThat(cipher.open(key, nonce, aad, copy, at, copy.capacity() - at)).isTrue();
      assertThat(hex(copy, at, at + plaintext.length)).isEqualTo(HEX.formatHex(plaintext));
    }
  }

  @Test
  void refusesAnyChangedByteOrNonceAndLeavesTheMessageEncrypted() {
    Random random = new Random(1);
    SecretKey key = AeadCipher.key(bytes(random, 32));
    byte[] nonce = bytes(random, 12);
    byte[] aad = bytes(random, 24);
    ByteBuffer message = ByteBuffer.wrap(bytes(random, 100 + AeadCipher.TAG_LENGTH));
    AeadCipher cipher = new AeadCipher();
    cipher.seal(key, nonce, aad, message, 0, 100);
    for (int i = 0; i < message.capacity(); i++) {
      ByteBuffer changed = ByteBuffer.wrap(message.array().clone());
      changed.put(i, (byte) (changed.get(i) ^ 1 << (i & 7)));
      ByteBuffer before = ByteBuffer.wrap(changed.array().clone());
      assertThat(cipher.open(key, nonce, aad, changed, 0, changed.capacity())).as("byte %d changed", i).isFalse();
      assertThat(changed).isEqualTo(before);
    }
    for (int i = 0; i < aad.length; i++) {
      byte[] changed = aad.clone();
      changed[i] ^= 1;
      assertThat(cipher.open(key, nonce, changed, ByteBuffer.wrap(message.array().clone()), 0, message.capacity()))
          .as("additional data byte %d changed", i).isFalse();
    }
    byte[] otherNonce = nonce.clone();
    otherNonce[11] ^= 1;
    assertThat(cipher.open(key, otherNonce, aad, ByteBuffer.wrap(message.array().clone()), 0, message.capacity()))
        .isFalse();
    assertThat(cipher.open(key, nonce, aad, message, 0, message.capacity())).as("the untouched message").isTrue();
  }

  private static String hex(ByteBuffer buffer, int from, int to) {
    byte[] bytes = new byte[to - from];
    buffer.get(from, bytes);
    return HEX.formatHex(bytes);
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
