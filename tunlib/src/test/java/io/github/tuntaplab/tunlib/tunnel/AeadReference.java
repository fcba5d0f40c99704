package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD wire format of docs/tunnel.md written from the documentation alone, independently of
 * {@code AeadCodec}: tests seal and open messages with it to check that ours follow the document.
 */
public final class AeadReference {
  private AeadReference() {}

  /** A message from {@code direction} (0 client, 1 server) with {@code counter}, carrying {@code inner}. */
  public static byte[] seal(byte[] key, int direction, long counter, byte[] inner) throws Exception {
    byte[] header = ByteBuffer.allocate(16).put((byte) 1).put((byte) direction).putShort((short) 0)
        .putInt(keyId(key)).putLong(counter).array();
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, header).doFinal(inner);
    byte[] message = Arrays.copyOf(header, 16 + sealed.length);
    System.arraycopy(sealed, 0, message, 16, sealed.length);
    return message;
  }

  /** The inner packet of {@code message}; throws if the tag does not verify. */
  public static byte[] open(byte[] key, byte[] message) throws Exception {
    return cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(message, 16)).doFinal(message, 16, message.length - 16);
  }

  /** The first four bytes of SHA-256("tunlab key id" ‖ key). */
  public static int keyId(byte[] key) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("tunlab key id".getBytes(StandardCharsets.US_ASCII));
    return ByteBuffer.wrap(sha256.digest(key)).getInt();
  }

  private static Cipher cipher(int mode, byte[] key, byte[] header) throws Exception {
    byte[] nonce = new byte[12];
    System.arraycopy(header, 0, nonce, 0, 4);
    System.arraycopy(header, 8, nonce, 4, 8);
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    cipher.updateAAD(header);
    return cipher;
  }
}
