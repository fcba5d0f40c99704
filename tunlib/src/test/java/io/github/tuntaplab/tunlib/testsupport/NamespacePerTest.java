package io.github.tuntaplab.tunlib.testsupport;

import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A base for live test classes whose every test gets a fresh namespace: {@link #ns} (run {@code ip}
 * and commands in it) and {@link #inside} (a JVM thread in it, for tunlib calls). A subclass's own
 * {@code @BeforeEach} runs after the namespace exists.
 */
public abstract class NamespacePerTest {
  protected TestNamespace ns;
  protected NetworkNamespace inside;

  @BeforeEach
  void createNamespace() throws IOException {
    ns = TestNamespace.create();
    inside = ns.inside();
  }

  @AfterEach
  void deleteNamespace() {
    if (ns != null) {
      ns.close();
    }
  }
}
