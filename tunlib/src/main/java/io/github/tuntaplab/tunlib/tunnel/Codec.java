package io.github.tuntaplab.tunlib.tunnel;

import java.nio.ByteBuffer;

/**
 * Wraps an inner packet into a UDP payload and unwraps it again, in place in one buffer: the inner
 * packet sits at {@code at + headerLength()}, the header goes before it and any trailer after it.
 * Thread-safe (senders and receivers call it from their own threads).
 */
interface Codec {
  /** What {@link #open} returns for a payload that is no packet of this format. */
  int MALFORMED = -1;
  /** For a payload sealed with a key we do not have. */
  int UNKNOWN_KEY = -2;
  /** For a payload whose authentication tag does not match (changed on the way, or forged). */
  int TAMPERED = -3;
  /** For an authentic payload received before. */
  int REPLAYED = -4;
  /** For a payload older than the replay window remembers. */
  int TOO_OLD = -5;

  int headerLength();

  /** Bytes after the inner packet. */
  int trailerLength();

  /** Writes header and trailer around the inner packet at {@code at + headerLength()}; the payload's length. */
  int seal(ByteBuffer buffer, int at, int innerLength);

  /**
   * Checks and unwraps the payload {@code [at, at + length)}; the inner packet's length (it starts
   * at {@code at + headerLength()}), or one of the negative verdicts above.
   */
  int open(ByteBuffer buffer, int at, int length);
}
