package io.github.tuntaplab.tunlib.net;

import java.util.List;

/**
 * A kernel setting of the namespace, such as {@code net.ipv4.ip_forward=1}. Network sysctls are
 * per namespace: {@link NetworkConfig#apply} writes {@code /proc/sys/…} from the calling thread,
 * so apply it on the namespace's own thread ({@link NetworkNamespace#call}).
 */
public record Sysctl(String key, String value) implements NetChange {
  public Sysctl {
    if (!key.matches("net\\.[A-Za-z0-9_.\\-]+") || key.contains("..")) {
      throw new IllegalArgumentException("not a network sysctl: " + key);
    }
  }

  /** Routes packets between links (a router, a VPN server): {@code net.ipv4.ip_forward}. */
  public static Sysctl ipv4Forwarding(boolean on) {
    return new Sysctl("net.ipv4.ip_forward", on ? "1" : "0");
  }

  /** Turns IPv6 off on every link (no router solicitations or MLD reports in captures). */
  public static Sysctl ipv6Disabled(boolean disabled) {
    return new Sysctl("net.ipv6.conf.all.disable_ipv6", disabled ? "1" : "0");
  }

  /** Reverse-path filtering on {@code link} ({@code all}, {@code default} or a name): 0 off, 1 strict, 2 loose. */
  public static Sysctl rpFilter(String link, int mode) {
    return new Sysctl("net.ipv4.conf." + link + ".rp_filter", Integer.toString(mode));
  }

  /** The file under {@code /proc/sys} that holds the setting. */
  public String path() {
    return "/proc/sys/" + key.replace('.', '/');
  }

  @Override
  public List<String> command() {
    return List.of("sysctl", "-w", key + "=" + value);
  }
}
