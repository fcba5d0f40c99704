package io.github.tuntaplab.tunlib.net;

import java.io.IOException;

/**
 * Run by {@link PermissionLiveTest} in its own JVM without CAP_NET_ADMIN: applies one change to
 * its namespace. Exit 0 on success, 3 on an error (the message on stderr).
 */
public final class ApplyWithoutNetAdmin {
  private ApplyWithoutNetAdmin() {}

  public static void main(String[] args) {
    try (NetworkConfig config = NetworkConfig.open()) {
      config.apply(RouteChange.add(Route.blackhole(args[0])));
    } catch (IOException e) {
      System.err.println(e.getMessage());
      System.exit(3);
    }
  }
}
