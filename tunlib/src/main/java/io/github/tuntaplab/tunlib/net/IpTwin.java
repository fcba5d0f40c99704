package io.github.tuntaplab.tunlib.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Something tunlib does that a terminal could do too: {@link #command()} is the iproute2 (or
 * sysctl, ethtool) command with the same effect, so a lesson can print what the library just did.
 * Tests run that command in a second namespace and compare the outcome, so it cannot drift.
 */
public interface IpTwin {
  /** The equivalent command for the calling thread's namespace, one argument per element. */
  List<String> command();

  /** The equivalent command aimed at the named namespace: {@code ip -n NAME …}. */
  default List<String> commandIn(String namespace) {
    List<String> command = command();
    List<String> aimed = new ArrayList<>();
    if (command.get(0).equals("ip")) {
      aimed.addAll(List.of("ip", "-n", namespace));
      aimed.addAll(command.subList(1, command.size()));
    } else {
      aimed.addAll(List.of("ip", "netns", "exec", namespace));
      aimed.addAll(command);
    }
    return aimed;
  }

  /** {@link #command()} as one line, such as {@code ip link set tl-tun0 up}. */
  default String commandLine() {
    return String.join(" ", command());
  }

  /** {@link #commandIn} as one line, such as {@code ip -n tl-client link set tl-tun0 up}. */
  default String commandLineIn(String namespace) {
    return String.join(" ", commandIn(namespace));
  }
}
