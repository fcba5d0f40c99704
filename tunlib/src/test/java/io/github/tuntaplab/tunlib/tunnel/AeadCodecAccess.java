package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;

/** What bench/AeadBenchmark measures of this package's non-public AEAD code. */
public final class AeadCodecAccess {
  private AeadCodecAccess() {}

  /**
   * Seals one {@code length}-byte packet as a client and opens it as a server per call, in a
   * direct buffer as the tunnel does (copies, session look-up and replay window included).
   */
  public static Runnable oursSealOpen(int length) {
    TunnelKey key = TunnelKey.generate();
    AeadCodec client = new AeadCodec(key, 0);
    AeadCodec server = new AeadCodec(key, 1);
    ByteBuffer buffer = ByteBuffer.allocateDirect(AeadCodec.HEADER_LENGTH + length + AeadCodec.TAG_LENGTH);
    return () -> {
      int sealed = client.seal(buffer, 0, length);
      if (server.open(buffer, 0, sealed) != length) {
        throw new IllegalStateException("our own message did not open");
      }
    };
  }
}
