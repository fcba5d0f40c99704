package io.github.tuntaplab.tunlib;

import java.io.IOException;

/** The device (or queue) was closed before this call. */
public class ClosedDeviceException extends IOException {
  private static final long serialVersionUID = 1L;

  public ClosedDeviceException(String message) {
    super(message);
  }
}
