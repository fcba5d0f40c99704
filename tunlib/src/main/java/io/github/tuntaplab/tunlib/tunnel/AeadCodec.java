package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;

/**
 * The AEAD format (docs/tunnel.md): a 24-byte header, the inner packet encrypted with
 * ChaCha20-Poly1305 (RFC 8439, the JDK's: {@link AeadCipher}), and the 16-byte Poly1305 tag.
 *
 * <pre>
 *  0      1      2      3      4              8                      16                     24
 *  +------+------+------+------+--------------+----------------------+----------------------+-------- … --+--------+
 *  | 0x02 | dir  |  0   |  0   | key id (BE)  | session (64-bit, BE) | counter (64-bit, BE) | ciphertext  | tag 16 |
 *  +------+------+------+------+--------------+----------------------+----------------------+-------- … --+--------+
 * </pre>
 *
 * Each sender session (one per endpoint start) picks a random 64-bit session id and encrypts under
 * its own key, HKDF-SHA256 of the static key with the session id as salt; its counter starts at 0.
 * So no (key, nonce) pair repeats, whatever the clock does, across restarts and between processes
 * sharing a key. The nonce is bytes 0–3 followed by the counter (the direction byte separates the
 * two ends' nonces a second time), and the whole header is the additional authenticated data.
 * The receiver keeps a replay window per session ({@link ReceivedSessions}).
 */
final class AeadCodec implements Codec {
  static final int HEADER_LENGTH = 24;
  static final int TAG_LENGTH = AeadCipher.TAG_LENGTH;
  static final int TYPE_DATA = 2;
  private static final byte[] SESSION_KEY_LABEL = "tunlab aead session key".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Each thread's cipher (a {@code Cipher} is for one thread at a time), shared by all codecs. */
  private static final ThreadLocal<Crypto> CRYPTO = ThreadLocal.withInitial(Crypto::new);

  private final TunnelKey key;
  private final int sendDirection;
  private final long sendSession;
  private final SecretKey sendKey;
  private final AtomicLong counter = new AtomicLong();
  private final ReceivedSessions received = new ReceivedSessions();

  /**
   * A new sender session under {@code key}, with a fresh random session id.
   *
   * @param sendDirection 0 for the client, 1 for the server; it accepts only the other direction
   */
  AeadCodec(TunnelKey key, int sendDirection) {
    this.key = key;
    this.sendDirection = sendDirection;
    this.sendSession = RANDOM.nextLong();
    this.sendKey = sessionKey(key, sendSession, sendDirection);
  }

  /**
   * The ChaCha20 key of one session: HKDF-SHA256 with the session id (8 bytes, big-endian) as
   * salt, the static key as input keying material, and {@code "tunlab aead session key"} followed
   * by the direction byte as info.
   */
  static SecretKey sessionKey(TunnelKey key, long session, int direction) {
    byte[] salt = ByteBuffer.allocate(8).putLong(session).array();
    byte[] info = new byte[SESSION_KEY_LABEL.length + 1];
    System.arraycopy(SESSION_KEY_LABEL, 0, info, 0, SESSION_KEY_LABEL.length);
    info[SESSION_KEY_LABEL.length] = (byte) direction;
    return AeadCipher.key(Hkdf.sha256(salt, key.secret(), info, AeadCipher.KEY_LENGTH));
  }

  /** The id of this codec's sending session. */
  long sendSession() {
    return sendSession;
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
    buffer.putLong(at + 8, sendSession);
    buffer.putLong(at + 16, sequence);
    Crypto c = CRYPTO.get();
    c.read(buffer, at);
    c.cipher.seal(sendKey, c.nonce, c.header, buffer, at + HEADER_LENGTH, innerLength);
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
    long id = buffer.getLong(at + 8);
    long sequence = buffer.getLong(at + 16);
    ReceivedSessions.Session session = received.find(id);
    if (session == null) {
      if (received.isRetired(id)) {
        return TOO_OLD;
      }
      SecretKey candidate = sessionKey(key, id, 1 - sendDirection);
      int inner = decryptInPlace(candidate, buffer, at, length);
      if (inner < 0) {
        return inner;
      }
      session = received.admit(id, candidate);
      if (session == null) {
        return TOO_OLD;
      }
      int verdict = session.window.accept(sequence);
      return verdict == 0 ? inner : verdict;
    }
    int verdict = session.window.check(sequence);
    if (verdict != 0) {
      return verdict;
    }
    int inner = decryptInPlace(session.key, buffer, at, length);
    if (inner < 0) {
      return inner;
    }
    verdict = session.window.accept(sequence);
    return verdict == 0 ? inner : verdict;
  }

  /**
   * Checks and decrypts the message {@code buffer[at, at + length)} in place under
   * {@code sessionKey}: the plaintext's length (it replaces the ciphertext), or {@link #TAMPERED}
   * (then the buffer is unchanged).
   */
  static int decryptInPlace(SecretKey sessionKey, ByteBuffer buffer, int at, int length) {
    Crypto c = CRYPTO.get();
    c.read(buffer, at);
    boolean authentic = c.cipher.open(sessionKey, c.nonce, c.header, buffer, at + HEADER_LENGTH,
        length - HEADER_LENGTH);
    return authentic ? length - HEADER_LENGTH - TAG_LENGTH : TAMPERED;
  }

  /** One thread's cipher, and the header (the additional data) and nonce of its current message. */
  private static final class Crypto {
    final AeadCipher cipher = new AeadCipher();
    final byte[] header = new byte[HEADER_LENGTH];
    final byte[] nonce = new byte[AeadCipher.NONCE_LENGTH];

    /** Takes the header at {@code at}; the nonce is its bytes 0–3, then the counter (bytes 16–23). */
    void read(ByteBuffer buffer, int at) {
      buffer.get(at, header);
      System.arraycopy(header, 0, nonce, 0, 4);
      System.arraycopy(header, 16, nonce, 4, 8);
    }
  }
}
