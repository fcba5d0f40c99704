package io.github.tuntaplab.lessons.lab;

import java.io.IOException;

/** A lab cannot start because another one runs, or one left its namespaces behind. */
public final class LabConflictException extends IOException {
  private static final long serialVersionUID = 1L;

  public LabConflictException(String message) {
    super(message);
  }
}
