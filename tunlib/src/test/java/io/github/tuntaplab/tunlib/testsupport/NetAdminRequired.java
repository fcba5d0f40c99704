package io.github.tuntaplab.tunlib.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips each test, with the reason, when the JVM lacks CAP_NET_ADMIN; fails it under CI=true. Checked
 * before the class's {@code @BeforeAll} methods too: those build namespaces and labs, and would fail
 * without the privilege instead of skipping.
 */
public final class NetAdminRequired implements BeforeAllCallback, BeforeEachCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    require();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    require();
  }

  private static void require() {
    Prerequisites.requireNetAdmin();
    Prerequisites.requireTool("ip");
  }
}
