package io.github.tuntaplab.lessons.lab;

import java.util.List;

/**
 * What an action run in a lab namespace did.
 *
 * @param command the command as a terminal would run it ({@code ip netns exec tl-client ping -c1 …})
 * @param exitCode its exit code, -1 when it was killed after the timeout
 * @param output what it printed, standard output and error interleaved
 */
public record ActionResult(List<String> command, int exitCode, boolean timedOut, String output) {
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }
}
