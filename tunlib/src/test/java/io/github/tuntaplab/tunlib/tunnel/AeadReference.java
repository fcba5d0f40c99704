package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD wire format of docs/tunnel.md written from the documentation alone, independently of
 * {@code AeadCodec}, with the JDK's ChaCha20-Poly1305 and HMAC-SHA256: tests seal and open
 * messages with it to check that ours follow the document.
 */
public final class AeadReference {
  public static final int HEADER_LENGTH = 24;

  private AeadReference() {}

  /** A message from {@code direction} (0 client, 1 server) of {@code session} with {@code counter}, carrying {@code inner}. */
  public static byte[] seal(byte[] key, int direction, long session, long counter, byte[] inner) throws Exception {
    byte[] header = ByteBuffer.allocate(HEADER_LENGTH).put((byte) 2).put((byte) direction).putShort((short) 0)
        .putInt(keyId(key)).putLong(session).putLong(counter).array();
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, header).doFinal(inner);
    byte[] message = Arrays.copyOf(header, HEADER_LENGTH + sealed.length);
    System.arraycopy(sealed, 0, message, HEADER_LENGTH, sealed.length);
    return message;
  }

  /** The inner packet of {@code message}; throws if the tag does not verify. */
  public static byte[] open(byte[] key, byte[] message) throws Exception {
    return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(message, HEADER_LENGTH))
        .doFinal(message, HEADER_LENGTH, message.length - HEADER_LENGTH);
  }

  /** The first four bytes of SHA-256("tunlab key id" ‖ key). */
  public static int keyId(byte[] key) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("tunlab key id".getBytes(StandardCharsets.US_ASCII));
    return ByteBuffer.wrap(sha256.digest(key)).getInt();
  }

  /**
   * The session's key: HKDF-SHA256 (RFC 5869) with salt = the session id's 8 bytes, input = the
   * static key, info = "tunlab aead session key" ‖ direction byte, 32 bytes (one expand block).
   */
  public static byte[] sessionKey(byte[] key, int direction, long session) throws Exception {
    Mac extract = Mac.getInstance("HmacSHA256");
    extract.init(new SecretKeySpec(ByteBuffer.allocate(8).putLong(session).array(), "HmacSHA256"));
    Mac expand = Mac.getInstance("HmacSHA256");
    expand.init(new SecretKeySpec(extract.doFinal(key), "HmacSHA256"));
    expand.update("tunlab aead session key".getBytes(StandardCharsets.US_ASCII));
    expand.update((byte) direction);
    expand.update((byte) 1);
    return expand.doFinal();
  }

  /** The 12-byte nonce of a header: bytes 0–3, then the counter. */
  public static byte[] nonce(byte[] header) {
    byte[] nonce = new byte[12];
    System.arraycopy(header, 0, nonce, 0, 4);
    System.arraycopy(header, 16, nonce, 4, 8);
    return nonce;
  }

  private static Cipher cipher(int mode, byte[] key, byte[] header) throws Exception {
    ByteBuffer fields = ByteBuffer.wrap(header);
    byte[] sessionKey = sessionKey(key, fields.get(1), fields.getLong(8));
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(mode, new SecretKeySpec(sessionKey, "ChaCha20"), new IvParameterSpec(nonce(header)));
    cipher.updateAAD(header);
    return cipher;
  }
}
