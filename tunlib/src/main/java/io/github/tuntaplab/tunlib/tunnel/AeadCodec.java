package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AEAD format (docs/tunnel.md): a 16-byte header, the inner packet encrypted with
 * ChaCha20-Poly1305 (RFC 8439), and the 16-byte Poly1305 tag.
 *
 * <pre>
 *  0      1      2      3      4              8                             16
 *  +------+------+------+------+--------------+-----------------------------+------------ … -----+--------+
 *  | 0x01 | dir  |  0   |  0   | key id (BE)  | counter (64-bit, BE)        | ciphertext          | tag 16 |
 *  +------+------+------+------+--------------+-----------------------------+------------ … -----+--------+
 * </pre>
 *
 * The nonce is bytes 0–3 followed by the counter: the direction byte (0 client to server, 1 server
 * to client) keeps the two ends' nonces apart although they share one key, and the counter never
 * repeats within a direction. The whole header is the additional authenticated data, so changing
 * any of it fails the tag like changing the ciphertext does.
 */
final class AeadCodec implements Codec {
  static final int HEADER_LENGTH = 16;
  static final int TAG_LENGTH = 16;
  static final int TYPE_DATA = 1;
  private static final String ALGORITHM = "ChaCha20-Poly1305";

  private final TunnelKey key;
  private final SecretKeySpec keySpec;
  private final int sendDirection;
  private final AtomicLong counter;
  private final ReplayWindow window = new ReplayWindow();
  private final ThreadLocal<Crypto> crypto = ThreadLocal.withInitial(Crypto::new);

  /**
   * @param sendDirection 0 for the client, 1 for the server; it accepts only the other direction
   * @param firstCounter the first counter sent: the wall clock in nanoseconds, so an endpoint that
   *     restarts with the same key continues above every counter it used before
   */
  AeadCodec(TunnelKey key, int sendDirection, long firstCounter) {
    this.key = key;
    this.keySpec = new SecretKeySpec(key.secret(), "ChaCha20");
    this.sendDirection = sendDirection;
    this.counter = new AtomicLong(firstCounter);
  }

  @Override
  public int headerLength() {
    return HEADER_LENGTH;
  }

  @Override
  public int trailerLength() {
    return TAG_LENGTH;
  }

  @Override
  public int seal(ByteBuffer buffer, int at, int innerLength) {
    long sequence = counter.getAndIncrement();
    buffer.putInt(at, TYPE_DATA << 24 | sendDirection << 16);
    buffer.putInt(at + 4, key.id());
    buffer.putLong(at + 8, sequence);
    Crypto c = crypto.get();
    try {
      c.init(Cipher.ENCRYPT_MODE, keySpec, buffer, at);
      ByteBuffer in = buffer.duplicate().limit(at + HEADER_LENGTH + innerLength).position(at + HEADER_LENGTH);
      ByteBuffer out = buffer.duplicate().limit(at + HEADER_LENGTH + innerLength + TAG_LENGTH)
          .position(at + HEADER_LENGTH);
      c.cipher.doFinal(in, out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 refused to encrypt", e);
    }
    return HEADER_LENGTH + innerLength + TAG_LENGTH;
  }

  @Override
  public int open(ByteBuffer buffer, int at, int length) {
    if (length < HEADER_LENGTH + TAG_LENGTH || buffer.get(at) != TYPE_DATA
        || buffer.get(at + 1) != 1 - sendDirection) {
      return MALFORMED;
    }
    if (buffer.getInt(at + 4) != key.id()) {
      return UNKNOWN_KEY;
    }
    long sequence = buffer.getLong(at + 8);
    int verdict = window.check(sequence);
    if (verdict != 0) {
      return verdict;
    }
    int inner = decrypt(crypto.get(), keySpec, buffer, at, length);
    return inner < 0 ? inner : window.accept(sequence) == 0 ? inner : REPLAYED;
  }

  /** Decrypts in place (plaintext where the ciphertext was); the plaintext length, or {@link #TAMPERED}. */
  static int decrypt(Crypto c, SecretKeySpec keySpec, ByteBuffer buffer, int at, int length) {
    try {
      c.init(Cipher.DECRYPT_MODE, keySpec, buffer, at);
      ByteBuffer in = buffer.duplicate().limit(at + length).position(at + HEADER_LENGTH);
      ByteBuffer out = buffer.duplicate().limit(at + length).position(at + HEADER_LENGTH);
      return c.cipher.doFinal(in, out);
    } catch (AEADBadTagException e) {
      return TAMPERED;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 refused to decrypt", e);
    }
  }

  /** One thread's cipher and header scratch: {@code Cipher} objects are not thread-safe. */
  static final class Crypto {
    final Cipher cipher;
    private final byte[] header = new byte[HEADER_LENGTH];
    private final byte[] nonce = new byte[12];

    Crypto() {
      try {
        cipher = Cipher.getInstance(ALGORITHM);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this Java has no " + ALGORITHM + " (it is standard since Java 11)", e);
      }
    }

    /** Initializes for the header at {@code at}: nonce = bytes 0–3 and the counter; the header is the AAD. */
    void init(int mode, SecretKeySpec keySpec, ByteBuffer buffer, int at) throws GeneralSecurityException {
      buffer.get(at, header);
      System.arraycopy(header, 0, nonce, 0, 4);
      System.arraycopy(header, 8, nonce, 4, 8);
      cipher.init(mode, keySpec, new IvParameterSpec(nonce));
      cipher.updateAAD(header);
    }
  }
}
