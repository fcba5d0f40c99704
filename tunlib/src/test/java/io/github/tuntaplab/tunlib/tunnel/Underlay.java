package io.github.tuntaplab.tunlib.tunnel;

import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Two throwaway namespaces joined by a veth pair, the "internet" of DESIGN §3: the client
 * {@code 203.0.113.2} (tl-eth0) and the VPN server {@code 203.0.113.89} (tl-eth1), IPv6
 * {@code 2001:db8:113::2} and {@code ::89}. Duplicate address detection is off, so IPv6
 * addresses work at once.
 */
final class Underlay implements AutoCloseable {
  static final String CLIENT_IP = "203.0.113.2";
  static final String SERVER_IP = "203.0.113.89";
  static final String CLIENT_IP6 = "2001:db8:113::2";
  static final String SERVER_IP6 = "2001:db8:113::89";
  static final String CLIENT_LINK = "tl-eth0";
  static final String SERVER_LINK = "tl-eth1";

  final TestNamespace client;
  final TestNamespace server;

  Underlay() {
    client = TestNamespace.create();
    server = TestNamespace.create();
    try {
      for (TestNamespace ns : List.of(client, server)) {
        ns.exec("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0").orThrow();
      }
      client.ip("link", "add", CLIENT_LINK, "type", "veth", "peer", "name", SERVER_LINK, "netns", server.name());
      configure(client, CLIENT_LINK, CLIENT_IP, CLIENT_IP6);
      configure(server, SERVER_LINK, SERVER_IP, SERVER_IP6);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static void configure(TestNamespace ns, String link, String ipv4, String ipv6) {
    ns.ip("addr", "add", ipv4 + "/24", "dev", link);
    ns.ip("addr", "add", ipv6 + "/64", "dev", link, "nodad");
    ns.ip("link", "set", link, "up");
    // Outer checksums complete on the wire, so a capture shows them as tcpdump -v would on a real NIC.
    ns.exec("ethtool", "-K", link, "tx", "off");
  }

  static InetSocketAddress server(int port) {
    return new InetSocketAddress(SERVER_IP, port);
  }

  static <T> T in(TestNamespace ns, Callable<T> work) throws IOException {
    return ns.inside().call(work);
  }

  /** Starts tcpdump on a link in a namespace, writing {@code file}, and waits until it listens. */
  static Process tcpdump(TestNamespace ns, String link, Path file) throws Exception {
    Process process = ns.start("tcpdump", "-i", link, "--immediate-mode", "-U", "-Z", "root", "-s", "0", "-w",
        file.toString());
    for (int i = 0; i < 100 && !(Files.exists(file) && Files.size(file) >= 24); i++) {
      Thread.sleep(50);
    }
    Thread.sleep(200);
    return process;
  }

  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Sends {@code megabytes} of random data by TCP from the client to the server; both files' SHA-256 must match. */
  static void transferAndCompare(TestNamespace sender, TestNamespace receiver, String address, int megabytes,
      Path dir) throws Exception {
    Path sent = dir.resolve("sent.bin");
    Path received = dir.resolve("received.bin");
    Cmd.ok("sh", "-c", "head -c " + megabytes + "M /dev/urandom > " + sent);
    Files.deleteIfExists(received);
    Process listener = receiver.start("socat", "-u", "TCP-LISTEN:8080,reuseaddr" + (address.contains(":") ? ",pf=ip6" : ""),
        "CREATE:" + received);
    Thread.sleep(300);
    String target = address.contains(":") ? "[" + address + "]" : address;
    sender.exec(60, "socat", "-u", "OPEN:" + sent, "TCP:" + target + ":8080").orThrow();
    if (!listener.waitFor(30, TimeUnit.SECONDS)) {
      listener.destroyForcibly();
      throw new AssertionError("the receiving socat did not finish");
    }
    String sentSum = Cmd.ok("sha256sum", sent.toString()).split(" ")[0];
    String receivedSum = Cmd.ok("sha256sum", received.toString()).split(" ")[0];
    if (!sentSum.equals(receivedSum) || Files.size(sent) != (long) megabytes << 20) {
      throw new AssertionError("sent " + Files.size(sent) + " bytes with SHA-256 " + sentSum + ", received "
          + Files.size(received) + " bytes with SHA-256 " + receivedSum);
    }
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
