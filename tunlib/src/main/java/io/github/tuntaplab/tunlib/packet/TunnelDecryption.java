package io.github.tuntaplab.tunlib.packet;

/**
 * Opens TunTap Lab AEAD tunnel messages ({@link DecodeAs#TUNLAB_AEAD}, docs/tunnel.md) for the
 * dissector, which knows the format's header but holds no keys: {@code tunnel.TunnelKey.decryption}
 * supplies one from the keys of a capture's Decryption Secrets Block. Pure computation, no I/O.
 */
@FunctionalInterface
public interface TunnelDecryption {
  /**
   * Decrypts the message {@code data[offset, offset + length)} in place: the plaintext replaces
   * the ciphertext, from 24 bytes after {@code offset} (after the header); the 16-byte tag stays.
   *
   * @return the plaintext's length, or -1 when no key has the message's key id or the tag does not
   *     verify (then {@code data} is unchanged)
   */
  int decryptInPlace(byte[] data, int offset, int length);
}
