package io.github.tuntaplab.tunlib.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Our ChaCha20-Poly1305 against RFC 8439's AEAD test vector and against the JDK's implementation. */
class ChaCha20Poly1305Test {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8439 §2.8.2. */
  @Test
  void sealsTheRfc8439TestVector() {
    byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    byte[] nonce = HEX.parseHex("070000004041424344454647");
    byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
        + "sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
        + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
        + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
        + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";
    byte[] message = ours(key, nonce, aad, plaintext);
    assertThat(HEX.formatHex(message, aad.length, message.length)).isEqualTo(expected);
    assertThat(openOurs(key, nonce, aad.length, message)).isEqualTo(plaintext);
  }

  /** Every length from 0 to 300 and some tunnel-sized ones, random keys, nonces and additional data. */
  @Test
  void agreesWithTheJdkOnRandomMessagesBothWays() throws Exception {
    Random random = new Random(8439);
    for (int length = 0; length < 1500; length += length < 300 ? 1 : 97) {
      byte[] key = bytes(random, 32);
      byte[] nonce = bytes(random, 12);
      byte[] aad = bytes(random, random.nextInt(40));
      byte[] plaintext = bytes(random, length);
      if (length % 7 == 0) {
        Arrays.fill(plaintext, (byte) 0xff); // all-ones blocks push Poly1305's carries to their limits
        Arrays.fill(key, (byte) 0xff);
      }
      byte[] jdk = jdk(Cipher.ENCRYPT_MODE, key, nonce, aad, plaintext);
      byte[] message = ours(key, nonce, aad, plaintext);
      assertThat(Arrays.copyOfRange(message, aad.length, message.length)).as("length %d", length).isEqualTo(jdk);
      assertThat(openOurs(key, nonce, aad.length, message.clone())).as("length %d", length).isEqualTo(plaintext);
      assertThat(jdk(Cipher.DECRYPT_MODE, key, nonce, aad, Arrays.copyOfRange(message, aad.length, message.length)))
          .isEqualTo(plaintext);
    }
  }

  @Test
  void refusesAnyChangedByteAndLeavesTheMessageEncrypted() {
    Random random = new Random(1);
    byte[] key = bytes(random, 32);
    byte[] nonce = bytes(random, 12);
    byte[] message = ours(key, nonce, bytes(random, 24), bytes(random, 100));
    for (int i = 0; i < message.length; i++) {
      byte[] changed = message.clone();
      changed[i] ^= (byte) (1 << (i & 7));
      byte[] before = changed.clone();
      assertThat(openOurs(key, nonce, 24, changed)).as("byte %d changed", i).isNull();
      assertThat(changed).isEqualTo(before);
    }
    byte[] otherNonce = nonce.clone();
    otherNonce[11] ^= 1;
    assertThat(openOurs(key, otherNonce, 24, message.clone())).isNull();
  }

  private static byte[] bytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /** aad ‖ ciphertext ‖ tag. */
  private static byte[] ours(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    byte[] message = new byte[aad.length + plaintext.length + 16];
    System.arraycopy(aad, 0, message, 0, aad.length);
    System.arraycopy(plaintext, 0, message, aad.length, plaintext.length);
    new ChaCha20Poly1305().seal(ChaCha20Poly1305.keyWords(key), ChaCha20Poly1305.nonceWord(nonce, 0),
        ChaCha20Poly1305.nonceWord(nonce, 4), ChaCha20Poly1305.nonceWord(nonce, 8), message, 0, aad.length,
        aad.length, plaintext.length);
    return message;
  }

  /** The plaintext of aad ‖ ciphertext ‖ tag, or null if the tag does not verify. */
  private static byte[] openOurs(byte[] key, byte[] nonce, int aadLength, byte[] message) {
    int textLength = message.length - aadLength - 16;
    boolean ok = new ChaCha20Poly1305().open(ChaCha20Poly1305.keyWords(key), ChaCha20Poly1305.nonceWord(nonce, 0),
        ChaCha20Poly1305.nonceWord(nonce, 4), ChaCha20Poly1305.nonceWord(nonce, 8), message, 0, aadLength,
        aadLength, textLength);
    return ok ? Arrays.copyOfRange(message, aadLength, aadLength + textLength) : null;
  }

  private static byte[] jdk(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws Exception {
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }
}
