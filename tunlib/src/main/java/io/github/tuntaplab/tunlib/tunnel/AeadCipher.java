package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's ChaCha20-Poly1305 (RFC 8439) for one thread, sealing and opening a message in place in
 * a buffer. A {@link Cipher} is not thread-safe and costly to get, so each thread keeps one for
 * sealing and one for opening and {@code init}s them per message with that message's nonce. The
 * JDK compares the tag in constant time and decrypts nothing whose tag fails.
 *
 * <p>Two quirks of Java 17's implementation shape this class: {@code updateAAD(ByteBuffer)}
 * authenticates the wrong bytes (so the additional data is passed as an array), and {@code init}
 * refuses the key and nonce of the previous {@code init} in either mode. For sealing that refusal
 * is a welcome check (our counters never repeat a nonce); for opening, the same message opened
 * twice in a row (a dissector showing a packet again) gets a fresh {@code Cipher}.
 */
final class AeadCipher {
  static final String ALGORITHM = "ChaCha20-Poly1305";
  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  private final Cipher sealer = newCipher();
  private Cipher opener = newCipher();

  /** A ChaCha20 key of {@link #KEY_LENGTH} bytes. */
  static SecretKey key(byte[] bytes) {
    if (bytes.length != KEY_LENGTH) {
      throw new IllegalArgumentException("a ChaCha20 key has " + KEY_LENGTH + " bytes, not " + bytes.length);
    }
    return new SecretKeySpec(bytes, "ChaCha20");
  }

  /**
   * Encrypts {@code buffer[at, at + textLength)} in place and writes the tag after it,
   * authenticating {@code aad} as additional data; the buffer's position and limit stay.
   */
  void seal(SecretKey key, byte[] nonce, byte[] aad, ByteBuffer buffer, int at, int textLength) {
    try {
      sealer.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      sealer.updateAAD(aad);
      sealer.doFinal(buffer.duplicate().limit(at + textLength).position(at),
          buffer.duplicate().limit(at + textLength + TAG_LENGTH).position(at));
    } catch (GeneralSecurityException e) {
      // Only a (key, nonce) pair used twice could get here, which the callers' counters rule out.
      throw new IllegalStateException("the JDK refused to seal with " + ALGORITHM, e);
    }
  }

  /**
   * Checks the tag of the ciphertext and tag {@code buffer[at, at + length)} with {@code aad} as
   * additional data and, if it verifies, decrypts the ciphertext in place: whether it verified
   * (if not, the buffer is unchanged).
   */
  boolean open(SecretKey key, byte[] nonce, byte[] aad, ByteBuffer buffer, int at, int length) {
    try {
      IvParameterSpec iv = new IvParameterSpec(nonce);
      try {
        opener.init(Cipher.DECRYPT_MODE, key, iv);
      } catch (InvalidKeyException sameAsLastTime) {
        opener = newCipher();
        opener.init(Cipher.DECRYPT_MODE, key, iv);
      }
      opener.updateAAD(aad);
      opener.doFinal(buffer.duplicate().limit(at + length).position(at),
          buffer.duplicate().limit(at + length - TAG_LENGTH).position(at));
      return true;
    } catch (AEADBadTagException forged) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK refused to open with " + ALGORITHM, e);
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 11+ platform has " + ALGORITHM, e);
    }
  }
}
