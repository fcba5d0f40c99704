package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.packet.TunnelDecryption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * The 256-bit ChaCha20-Poly1305 key both ends of an AEAD tunnel share, and its 32-bit key id (the
 * first four bytes of SHA-256 over {@code "tunlab key id"} and the key: it names the key on the
 * wire without revealing any of it).
 *
 * <p>A key lives in a file readable by its owner only (mode 0600, as {@code wg genkey} files are):
 * one line, the key in base64. It is never taken on a command line, where {@code ps} and shell
 * history would show it; {@link #toString()} shows the id only.
 */
public final class TunnelKey {
  /** Key bytes. */
  public static final int LENGTH = 32;
  /** The pcapng Decryption Secrets Block type for our key log (ASCII "TLAK"); see docs/tunnel.md. */
  public static final int SECRETS_TYPE = 0x544c414b;
  private static final String KEY_LOG_LABEL = "TUNLAB_AEAD_KEY";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final byte[] secret;
  private final int id;

  private TunnelKey(byte[] secret) {
    if (secret.length != LENGTH) {
      throw new IllegalArgumentException("a ChaCha20-Poly1305 key has " + LENGTH + " bytes, not " + secret.length);
    }
    this.secret = secret.clone();
    this.id = deriveId(this.secret);
  }

  /** A fresh random key. */
  public static TunnelKey generate() {
    byte[] secret = new byte[LENGTH];
    new SecureRandom().nextBytes(secret);
    return new TunnelKey(secret);
  }

  /** A key from its 32 bytes (tests, and keys carried in a capture's secrets block). */
  public static TunnelKey of(byte[] secret) {
    return new TunnelKey(secret);
  }

  /**
   * Reads a key file, refusing one that others may read or write: a key anyone else can see is no
   * secret (fix it with {@code chmod 600 FILE}).
   */
  public static TunnelKey read(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    Set<PosixFilePermission> extra = new java.util.HashSet<>(permissions);
    extra.removeAll(OWNER_ONLY);
    if (!extra.isEmpty()) {
      throw new IOException("refusing the key file " + file + ": its mode is "
          + PosixFilePermissions.toString(permissions) + ", so others may read or change the key; "
          + "make it readable by its owner only (chmod 600 " + file + ")");
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("the key file " + file + " does not hold a base64 key (one line, as tunlab tunnel genkey writes)");
    }
    if (secret.length != LENGTH) {
      throw new IOException("the key file " + file + " holds " + secret.length + " bytes; a key has " + LENGTH);
    }
    return new TunnelKey(secret);
  }

  /** Writes the key to a new file of mode 0600 (refusing to overwrite one). */
  public void write(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("refusing to overwrite " + file + ": it exists already");
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
  }

  /** The id the wire format carries in every packet. */
  public int id() {
    return id;
  }

  byte[] secret() {
    return secret;
  }

  /**
   * The key as one line of the key log a capture's Decryption Secrets Block carries
   * ({@link #SECRETS_TYPE}): {@code TUNLAB_AEAD_KEY <id as 8 hex digits> <key in base64>}.
   * Whoever holds the capture can then decrypt it: store it only where the key may go.
   */
  public String keyLogLine() {
    return KEY_LOG_LABEL + " " + String.format("%08x", id) + " " + Base64.getEncoder().encodeToString(secret);
  }

  /** The keys in a key log ({@link #keyLogLine()} lines; other lines are ignored). */
  public static List<TunnelKey> parseKeyLog(String keyLog) {
    List<TunnelKey> keys = new ArrayList<>();
    for (String line : keyLog.split("\n")) {
      String[] words = line.strip().split(" ");
      if (words.length == 3 && words[0].equals(KEY_LOG_LABEL)) {
        try {
          TunnelKey key = new TunnelKey(Base64.getDecoder().decode(words[2]));
          if (key.id == HexFormat.fromHexDigits(words[1])) {
            keys.add(key);
          }
        } catch (IllegalArgumentException notAKey) {
          // A damaged line names no usable key; the others still do.
        }
      }
    }
    return keys;
  }

  /** The keys in a capture's Decryption Secrets Blocks of type {@link #SECRETS_TYPE}; blocks of other types are not ours. */
  public static List<TunnelKey> fromSecrets(List<DecryptionSecrets> blocks) {
    List<TunnelKey> keys = new ArrayList<>();
    for (DecryptionSecrets block : blocks) {
      if (block.type() == SECRETS_TYPE) {
        keys.addAll(parseKeyLog(new String(block.data(), StandardCharsets.US_ASCII)));
      }
    }
    return keys;
  }

  /**
   * What a {@link io.github.tuntaplab.tunlib.packet.Dissector} needs to open AEAD messages sealed
   * under any of {@code keys} ({@code Dissector.withDecryption}); the replay window plays no part.
   * Session keys are derived once per session and kept (a capture holds a few sessions).
   */
  public static TunnelDecryption decryption(List<TunnelKey> keys) {
    List<TunnelKey> held = List.copyOf(keys);
    Map<List<Long>, SecretKey> sessionKeys = new ConcurrentHashMap<>();
    return (data, offset, length) -> {
      if (length < AeadCodec.HEADER_LENGTH + AeadCodec.TAG_LENGTH || data[offset] != AeadCodec.TYPE_DATA) {
        return -1;
      }
      ByteBuffer header = ByteBuffer.wrap(data, offset, AeadCodec.HEADER_LENGTH).slice();
      int keyId = header.getInt(4);
      int direction = header.get(1);
      long session = header.getLong(8);
      for (TunnelKey key : held) {
        if (key.id == keyId) {
          if (sessionKeys.size() > 1024) {
            sessionKeys.clear();
          }
          SecretKey sessionKey = sessionKeys.computeIfAbsent(List.of((long) keyId, (long) direction, session),
              k -> AeadCodec.sessionKey(key, session, direction));
          return Math.max(AeadCodec.decryptInPlace(sessionKey, ByteBuffer.wrap(data), offset, length), -1);
        }
      }
      return -1;
    };
  }

  private static int deriveId(byte[] secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("tunlab key id".getBytes(StandardCharsets.US_ASCII));
      byte[] digest = sha256.digest(secret);
      return ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java platform has SHA-256", impossible);
    }
  }

  @Override
  public String toString() {
    return String.format("TunnelKey[id %08x]", id);
  }
}
