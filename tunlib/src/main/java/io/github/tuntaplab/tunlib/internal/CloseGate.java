package io.github.tuntaplab.tunlib.internal;

import io.github.tuntaplab.tunlib.NativeCallException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Closing a descriptor that other threads may be using: calls {@link #enter} and {@link #exit}
 * around each use, and {@link #close} refuses new entries, wakes sleepers through an eventfd they
 * poll beside the descriptor, and waits (up to 5 s) for those inside to leave before the caller
 * closes the descriptor — so no call ever uses a descriptor number the process may have reused
 * (DESIGN §4: closing alone wakes no blocked reader).
 */
public final class CloseGate {
  private static final int CLOSED_BIT = 1 << 30;

  /** Threads inside, plus {@link #CLOSED_BIT} once closing has begun. */
  private final AtomicInteger state = new AtomicInteger();
  private final int signalFd;

  /** A gate with an eventfd of its own. */
  public CloseGate() throws NativeCallException {
    this(Syscalls.eventfd());
  }

  /** A gate signalling through {@code signalFd}, an eventfd it now owns. */
  public CloseGate(int signalFd) {
    this.signalFd = signalFd;
  }

  /** The eventfd that becomes readable when closing begins: poll it beside the descriptor. */
  public int signalFd() {
    return signalFd;
  }

  /** Counts a use in; false once closing has begun. */
  public boolean enter() {
    while (true) {
      int s = state.get();
      if ((s & CLOSED_BIT) != 0) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  public void exit() {
    state.decrementAndGet();
  }

  public boolean isOpen() {
    return (state.get() & CLOSED_BIT) == 0;
  }

  /**
   * Begins closing: no one enters any more, pollers wake, and this returns once those inside have
   * left (or after 5 s). False if closing had begun already, in which case the caller does nothing.
   */
  public boolean close() {
    int before = state.getAndUpdate(s -> s | CLOSED_BIT);
    if ((before & CLOSED_BIT) != 0) {
      return false;
    }
    try {
      Syscalls.signal(signalFd);
    } catch (NativeCallException cannotSignal) {
      // Only a poller would miss the wake-up, and every poller re-checks isOpen() when it returns.
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while ((state.get() & ~CLOSED_BIT) != 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
    }
    return true;
  }

  /** Closes the eventfd, after the descriptor it guarded. */
  public void release() {
    Syscalls.closeQuietly(signalFd);
  }
}
