package io.github.tuntaplab.lessons.lab;

import java.io.IOException;
import java.util.List;

/**
 * A request the lab's socket serves besides its own (LAB-PROTOCOL.md), added by whoever starts the
 * lab: the lesson engine's {@code lesson} request, which the lab package itself does not know.
 */
@FunctionalInterface
public interface LabRequest {
  /**
   * Answers {@code fields} (the request's name first) on {@code lab}: returns the body that follows
   * {@code ok}. An {@link IllegalArgumentException} or {@link IOException} becomes {@code error MESSAGE}.
   */
  String answer(Lab lab, List<String> fields) throws IOException;
}
