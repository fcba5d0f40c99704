package io.github.tuntaplab.tunlib;

import java.io.IOException;

/**
 * A system call failed. Keeps the errno and the call's name, and carries a message that says what
 * happened and what to do about it.
 */
public class NativeCallException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int errno;
  private final String errnoName;

  public NativeCallException(String message, String call, int errno, String errnoName) {
    super(message);
    this.call = call;
    this.errno = errno;
    this.errnoName = errnoName;
  }

  /** The call that failed, with its request where that helps ({@code ioctl(TUNSETIFF)}). */
  public String call() {
    return call;
  }

  public int errno() {
    return errno;
  }

  /** The symbolic errno, such as {@code EPERM}; {@code errno 123} for ones we do not name. */
  public String errnoName() {
    return errnoName;
  }
}
