package io.github.tuntaplab.tunlib.capture;

import java.util.Arrays;

/**
 * The contents of a pcapng Decryption Secrets Block: keys that let a reader decrypt packets of the
 * file later. {@code type} says what the secrets are, e.g. 0x544c534b for a TLS key log,
 * 0x57474b4c for WireGuard keys, 0x544c414b ("TLAK") for TunTap Lab AEAD tunnel keys
 * ({@code tunnel.TunnelKey.SECRETS_TYPE}). Whoever has the file has the secrets: keep such files as
 * private as the keys.
 */
public record DecryptionSecrets(int type, byte[] data) {
  public DecryptionSecrets {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DecryptionSecrets that && type == that.type && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return String.format("DecryptionSecrets[type 0x%08x, %d bytes]", type, data.length);
  }
}
