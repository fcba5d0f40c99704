package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AEAD format (docs/tunnel.md): a 24-byte header, the inner packet encrypted with
 * ChaCha20-Poly1305 (RFC 8439), and the 16-byte Poly1305 tag.
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
  static final int TAG_LENGTH = ChaCha20Poly1305.TAG_LENGTH;
  static final int TYPE_DATA = 2;
  private static final byte[] SESSION_KEY_LABEL = "tunlab aead session key".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TunnelKey key;
  private final int sendDirection;
  private final long sendSession;
  private final int[] sendKey;
  private final AtomicLong counter = new AtomicLong();
  private final ReceivedSessions received = new ReceivedSessions();
  private final ThreadLocal<Crypto> crypto = ThreadLocal.withInitial(Crypto::new);

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
  static int[] sessionKey(TunnelKey key, long session, int direction) {
    byte[] salt = ByteBuffer.allocate(8).putLong(session).array();
    byte[] info = new byte[SESSION_KEY_LABEL.length + 1];
    System.arraycopy(SESSION_KEY_LABEL, 0, info, 0, SESSION_KEY_LABEL.length);
    info[SESSION_KEY_LABEL.length] = (byte) direction;
    return ChaCha20Poly1305.keyWords(Hkdf.sha256(salt, key.secret(), info, ChaCha20Poly1305.KEY_LENGTH));
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
    Crypto c = crypto.get();
    byte[] work = c.work(HEADER_LENGTH + innerLength + TAG_LENGTH);
    ByteBuffer header = c.header;
    header.putInt(0, TYPE_DATA << 24 | sendDirection << 16);
    header.putInt(4, key.id());
    header.putLong(8, sendSession);
    header.putLong(16, sequence);
    buffer.get(at + HEADER_LENGTH, work, HEADER_LENGTH, innerLength);
    c.cipher.seal(sendKey, nonceWord(work, 0), nonceWord(work, 16), nonceWord(work, 20), work, 0, HEADER_LENGTH,
        HEADER_LENGTH, innerLength);
    int length = HEADER_LENGTH + innerLength + TAG_LENGTH;
    buffer.put(at, work, 0, length);
    return length;
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
      int[] candidate = sessionKey(key, id, 1 - sendDirection);
      int inner = decrypt(crypto.get(), candidate, buffer, at, length);
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
    int inner = decrypt(crypto.get(), session.key, buffer, at, length);
    if (inner < 0) {
      return inner;
    }
    verdict = session.window.accept(sequence);
    return verdict == 0 ? inner : verdict;
  }

  /** Decrypts the message in {@code buffer} in place; the plaintext's length, or {@link #TAMPERED}. */
  private static int decrypt(Crypto c, int[] sessionKey, ByteBuffer buffer, int at, int length) {
    byte[] work = c.work(length);
    buffer.get(at, work, 0, length);
    int plaintext = decryptInPlace(c.cipher, sessionKey, work, 0, length);
    if (plaintext >= 0) {
      buffer.put(at + HEADER_LENGTH, work, HEADER_LENGTH, plaintext);
    }
    return plaintext;
  }

  /**
   * Checks and decrypts the message {@code a[at, at + length)} in place under {@code sessionKey}:
   * the plaintext's length (it replaces the ciphertext), or {@link #TAMPERED} (then {@code a} is unchanged).
   */
  static int decryptInPlace(ChaCha20Poly1305 cipher, int[] sessionKey, byte[] a, int at, int length) {
    int plaintext = length - HEADER_LENGTH - TAG_LENGTH;
    boolean authentic = cipher.open(sessionKey, nonceWord(a, at), nonceWord(a, at + 16), nonceWord(a, at + 20), a, at,
        HEADER_LENGTH, at + HEADER_LENGTH, plaintext);
    return authentic ? plaintext : TAMPERED;
  }

  private static int nonceWord(byte[] header, int at) {
    return ChaCha20Poly1305.nonceWord(header, at);
  }

  /**
   * One thread's cipher and scratch. The message is sealed and opened in a reused heap array
   * (header included, as the additional data), so nothing is allocated per packet.
   */
  private static final class Crypto {
    final ChaCha20Poly1305 cipher = new ChaCha20Poly1305();
    private byte[] work = new byte[2048];
    private ByteBuffer header = ByteBuffer.wrap(work);

    byte[] work(int length) {
      if (work.length < length) {
        work = new byte[length];
        header = ByteBuffer.wrap(work);
      }
      return work;
    }
  }
}
