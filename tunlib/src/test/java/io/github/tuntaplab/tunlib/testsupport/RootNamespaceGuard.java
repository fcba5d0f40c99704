package io.github.tuntaplab.tunlib.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class that leaves the root namespace different from how it found it: links,
 * IPv4 and IPv6 routes, and named namespaces. Pinning the check to each class names the culprit.
 */
public final class RootNamespaceGuard implements BeforeAllCallback, AfterAllCallback {
  private static final Pattern TEST_NAMESPACE = Pattern.compile("tl-[a-z]+(\\d+)-[\\w-]+");
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(RootNamespaceGuard.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    if (Prerequisites.findTool("ip").isPresent()) {
      context.getStore(STORE).put("before", snapshot());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    String before = context.getStore(STORE).get("before", String.class);
    if (before != null) {
      assertThat(snapshot())
          .as("the root namespace after %s (ip -br link, ip route, ip -6 route, ip netns)",
              context.getDisplayName())
          .isEqualTo(before);
    }
  }

  /** The parts of the root namespace a test could disturb, without counters that move by themselves. */
  public static String snapshot() {
    return String.join("\n--\n",
        Cmd.ok("ip", "-br", "link").replaceAll("(?m)\\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN)\\s", " "),
        Cmd.ok("ip", "route"),
        Cmd.ok("ip", "-6", "route"),
        Cmd.ok("ip", "netns", "list").lines().filter(line -> !ownedByAnotherLiveTestRun(line))
            .collect(Collectors.joining("\n")));
  }

  /**
   * Test, lab and benchmark namespaces are named {@code tl-<letters><pid>-<suffix>} after the JVM that
   * made them (tl-t4242-1, tl-r4242-client, tl-bench4242-vpn). One that
   * another, still running, test JVM owns comes and goes on its own schedule (two builds on one
   * machine); one of ours, or of a JVM that died, is a leak.
   */
  private static boolean ownedByAnotherLiveTestRun(String netnsLine) {
    Matcher name = TEST_NAMESPACE.matcher(netnsLine);
    if (!name.lookingAt()) {
      return false;
    }
    long pid = Long.parseLong(name.group(1));
    return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
