package io.github.tuntaplab.tunlib.tunnel;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869), from the JDK's {@code HmacSHA256}. */
final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /** {@code length} bytes of output keying material: Expand(Extract(salt, ikm), info, length). */
  static byte[] sha256(byte[] salt, byte[] ikm, byte[] info, int length) {
    if (length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("HKDF-SHA256 gives at most " + 255 * HASH_LENGTH + " bytes, not " + length);
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      // RFC 5869 §2.2: an absent salt is a string of HashLen zeros.
      mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LENGTH] : salt, HMAC));
      byte[] pseudorandomKey = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(pseudorandomKey, HMAC));
      byte[] output = new byte[length];
      byte[] block = new byte[0];
      for (int i = 1, done = 0; done < length; i++, done += HASH_LENGTH) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) i);
        block = mac.doFinal();
        System.arraycopy(block, 0, output, done, Math.min(HASH_LENGTH, length - done));
      }
      Arrays.fill(pseudorandomKey, (byte) 0);
      return output;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has " + HMAC, e);
    }
  }
}
