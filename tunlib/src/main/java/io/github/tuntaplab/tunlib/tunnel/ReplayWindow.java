package io.github.tuntaplab.tunlib.tunnel;

/**
 * The receiver's memory of which counters it has accepted: the highest, and a bitmap of the
 * {@link #SIZE} counters below it (a ring indexed by counter modulo the size, as in RFC 6479).
 * A counter above the highest is new; one within the window is new unless its bit is set; one
 * below the window is too old to tell, so it is refused. Reordering within the window is harmless.
 */
final class ReplayWindow {
  /** Counters remembered below the highest; RFC 4303 asks for at least 64, WireGuard keeps 8192. */
  static final int SIZE = 2048;

  private final long[] bits = new long[SIZE / 64];
  private long highest = -1;
  private boolean any;

  /** 0 when {@code counter} would be new, else {@link Codec#REPLAYED} or {@link Codec#TOO_OLD}; changes nothing. */
  synchronized int check(long counter) {
    if (!any || Long.compareUnsigned(counter, highest) > 0) {
      return 0;
    }
    if (Long.compareUnsigned(highest - counter, SIZE) >= 0) {
      return Codec.TOO_OLD;
    }
    return isSet(counter) ? Codec.REPLAYED : 0;
  }

  /** Records an authentic {@code counter}; the same verdict as {@link #check}, and marks it only when new. */
  synchronized int accept(long counter) {
    int verdict = check(counter);
    if (verdict != 0) {
      return verdict;
    }
    if (!any || Long.compareUnsigned(counter, highest) > 0) {
      long advance = any ? counter - highest : SIZE;
      if (Long.compareUnsigned(advance, SIZE) >= 0) {
        java.util.Arrays.fill(bits, 0);
      } else {
        for (long c = highest + 1; c != counter; c++) {
          clear(c);
        }
      }
      highest = counter;
      any = true;
    }
    set(counter);
    return 0;
  }

  private boolean isSet(long counter) {
    int bit = (int) (counter & (SIZE - 1));
    return (bits[bit >>> 6] & (1L << (bit & 63))) != 0;
  }

  private void set(long counter) {
    int bit = (int) (counter & (SIZE - 1));
    bits[bit >>> 6] |= 1L << (bit & 63);
  }

  private void clear(long counter) {
    int bit = (int) (counter & (SIZE - 1));
    bits[bit >>> 6] &= ~(1L << (bit & 63));
  }
}
