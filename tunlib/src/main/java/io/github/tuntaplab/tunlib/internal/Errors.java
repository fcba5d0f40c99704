package io.github.tuntaplab.tunlib.internal;

import io.github.tuntaplab.tunlib.NativeCallException;

/**
 * Turns a failed call's errno into a {@link NativeCallException} that names the call and keeps the
 * errno. Callers that know what the user was doing pass a message with the fix; the C library's
 * description and the errno's name are appended so nothing is lost.
 */
public final class Errors {
  private Errors() {}

  public static NativeCallException newException(String call, int errno) {
    return new NativeCallException(call + " failed: " + detail(errno), call, errno, Errno.name(errno));
  }

  /** An exception whose message explains {@code errno} for this situation and says how to fix it. */
  public static NativeCallException explained(String message, String call, int errno) {
    return new NativeCallException(message + " (" + call + ": " + detail(errno) + ")", call, errno,
        Errno.name(errno));
  }

  private static String detail(int errno) {
    return Errno.name(errno) + ", " + Errno.describe(errno);
  }
}
