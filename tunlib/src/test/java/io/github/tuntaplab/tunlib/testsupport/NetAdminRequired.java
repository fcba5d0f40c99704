package io.github.tuntaplab.tunlib.testsupport;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips each test, with the reason, when the JVM lacks CAP_NET_ADMIN; fails it under CI=true. */
public final class NetAdminRequired implements BeforeEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) {
    Prerequisites.requireNetAdmin();
    Prerequisites.requireTool("ip");
  }
}
