package io.github.tuntaplab.tunlib.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.NativeCallException;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.Json;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Two fresh namespaces set up alike: tunlib changes the first, and each change's rendered command
 * ({@link NetChange#commandIn}) is executed by {@code ip} in the second. Then {@code ip -j} must
 * show the same state in both, so the rendering cannot drift from what the library does.
 */
final class Twins implements AutoCloseable {
  /** Fields that differ between two namespaces however alike they are: indexes, counters, timers. */
  static final Set<String> VOLATILE = Set.of("ifindex", "link_index", "link", "link_netnsid", "stats64", "stats",
      "operstate", "valid_life_time", "preferred_life_time", "tentative", "linkmode", "used", "confirmed",
      "updated", "probes", "refcnt");

  final TestNamespace library;
  final TestNamespace oracle;
  final NetworkNamespace inside;
  private final NetworkConfig config;
  private final List<String> log = new ArrayList<>();

  private Twins(TestNamespace library, TestNamespace oracle, NetworkNamespace inside, NetworkConfig config) {
    this.library = library;
    this.oracle = oracle;
    this.inside = inside;
    this.config = config;
  }

  static Twins create() throws IOException {
    TestNamespace library = TestNamespace.create();
    TestNamespace oracle = null;
    NetworkNamespace inside = null;
    try {
      oracle = TestNamespace.create();
      inside = NetworkNamespace.enter(library.name());
      // Without duplicate address detection IPv6 addresses settle at once, not a second later at
      // different moments in the two namespaces (a tentative address is never a route's source).
      return new Twins(library, oracle, inside, inside.call(NetworkConfig::open))
          .apply(new Sysctl("net.ipv6.conf.default.accept_dad", "0"));
    } catch (IOException | RuntimeException e) {
      if (inside != null) {
        inside.close();
      }
      if (oracle != null) {
        oracle.close();
      }
      library.close();
      throw e;
    }
  }

  /** Applies each change with tunlib in {@link #library} and with its rendered command in {@link #oracle}. */
  Twins apply(NetChange... changes) throws IOException {
    for (NetChange change : changes) {
      log.add(change.commandLine());
      inside.call(() -> {
        config.apply(change);
        return null;
      });
      Cmd.ok(change.commandIn(oracle.name()).toArray(String[]::new));
    }
    return this;
  }

  /**
   * A veth pair, both ends up, with MACs fixed from their names: IPv6 link-local addresses (and
   * their routes) then come out the same in both namespaces.
   */
  Twins vethUp(String link, String peer) throws IOException {
    return apply(LinkChange.veth(link, peer), LinkChange.mac(link, fixedMac(link)),
        LinkChange.mac(peer, fixedMac(peer)), LinkChange.up(link), LinkChange.up(peer));
  }

  static MacAddress fixedMac(String link) {
    int hash = link.hashCode();
    return MacAddress.of(new byte[] {2, 0, 0x5e, (byte) (hash >> 16), (byte) (hash >> 8), (byte) hash});
  }

  /** Runs a tunlib call on the library namespace's thread. */
  <T> T call(ConfigCall<T> task) throws IOException {
    return inside.call(() -> task.call(config));
  }

  /** Runs the same {@code ip} command in both namespaces: test scaffolding tunlib does not offer. */
  void bothIp(String... args) {
    library.ip(args);
    oracle.ip(args);
  }

  /** Runs a reading's twin in the library namespace as {@code ip -j …} and parses the answer. */
  List<Map<String, Object>> ipJson(IpTwin reading) {
    return Json.parseArray(Cmd.ok(withJson(reading.commandIn(library.name()))));
  }

  /** {@code command} (an {@code ip …} line) with {@code -j} and any {@code flags} right after {@code ip}. */
  static String[] withJson(List<String> command, String... flags) {
    List<String> json = new ArrayList<>(command);
    json.add(1, "-j");
    json.addAll(2, List.of(flags));
    return json.toArray(String[]::new);
  }

  /** {@code ip -j ARGS…} must show the same in both namespaces, apart from {@code ignored} fields. */
  void assertSameState(Set<String> ignored, String... args) {
    String[] json = new String[args.length + 1];
    json[0] = "-j";
    System.arraycopy(args, 0, json, 1, args.length);
    Object ours = Json.without(Json.parse(library.ip(json)), ignored);
    Object theirs = Json.without(Json.parse(oracle.ip(json)), ignored);
    assertThat(ours).as("ip %s after%n  %s%n(left: tunlib, right: the rendered commands)",
        String.join(" ", json), String.join("\n  ", log)).isEqualTo(theirs);
  }

  void assertSameState(String... args) {
    assertSameState(VOLATILE, args);
  }

  @Override
  public void close() {
    try {
      inside.call(() -> {
        config.close();
        return null;
      });
    } catch (IOException e) {
      throw new AssertionError(e);
    } finally {
      inside.close();
      oracle.close();
      library.close();
    }
  }

  /** {@code call} fails with a {@link NativeCallException} with {@code errnoName} that says each of {@code says}. */
  static void assertRefused(ThrowingCallable call, String errnoName, String... says) {
    assertThatThrownBy(call).isInstanceOfSatisfying(NativeCallException.class, e -> {
      assertThat(e.errnoName()).isEqualTo(errnoName);
      assertThat(e.getMessage()).contains(says);
    });
  }

  @FunctionalInterface
  interface ConfigCall<T> {
    T call(NetworkConfig config) throws Exception;
  }
}
