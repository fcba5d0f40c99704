package io.github.tuntaplab.inspector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tunlab tunnel}: key handling and usage errors in-process; a real AEAD tunnel between two namespaces. */
class TunnelCommandTest {
  @Test
  void genkeyWritesAPrivateKeyAndNeverOverwrites(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("tunnel.key");
    Tunlab made = Tunlab.run("tunnel", "genkey", key.toString());
    assertThat(made.exitCode()).isZero();
    assertThat(made.stdout()).startsWith("wrote a new key to " + key + " (mode 0600), key id ");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    Tunlab again = Tunlab.run("tunnel", "genkey", key.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("refusing to overwrite");
  }

  @Test
  void aeadWithoutAKeyFileIsAUsageErrorAndALooseKeyFileIsRefused(@TempDir Path dir) throws Exception {
    Tunlab noKey = Tunlab.run("tunnel", "client", "--format", "aead", "--peer", "203.0.113.89");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.stderr()).contains("--format aead needs --key FILE").contains("never taken on the command line");
    Path key = dir.resolve("loose.key");
    Tunlab.run("tunnel", "genkey", key.toString());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    Tunlab loose = Tunlab.run("tunnel", "client", "--format", "aead", "--key", key.toString(), "--peer", "203.0.113.89");
    assertThat(loose.exitCode()).isEqualTo(1);
    assertThat(loose.stderr()).contains("refusing the key file").contains("chmod 600");
  }

  @Nested
  @LiveTest
  class Live {
    /** Both ends as {@code tunlab tunnel} processes in their namespaces; ping crosses; SIGTERM prints the counters. */
    @Test
    void clientAndServerProcessesCarryPing(@TempDir Path dir) throws Exception {
      Prerequisites.requireTool("ping");
      Path key = dir.resolve("tunnel.key");
      assertThat(Tunlab.run("tunnel", "genkey", key.toString()).exitCode()).isZero();
      try (TestNamespace client = TestNamespace.create(); TestNamespace server = TestNamespace.create()) {
        client.ip("link", "add", "tl-eth0", "type", "veth", "peer", "name", "tl-eth1", "netns", server.name());
        client.ip("addr", "add", "203.0.113.2/24", "dev", "tl-eth0");
        server.ip("addr", "add", "203.0.113.89/24", "dev", "tl-eth1");
        client.ip("link", "set", "tl-eth0", "up");
        server.ip("link", "set", "tl-eth1", "up");
        Path serverLog = dir.resolve("server.out");
        Path clientLog = dir.resolve("client.out");
        Process serverTunnel = start(server, serverLog, tunlab("server", "--format", "aead", "--key", key.toString(),
            "--listen", "203.0.113.89", "--address", "198.18.0.2/24", "--no-offload"));
        Process clientTunnel = start(client, clientLog, tunlab("client", "--format", "aead", "--key", key.toString(),
            "--peer", "203.0.113.89", "--bind-device", "tl-eth0", "--address", "198.18.0.1/24"));
        try {
          // Each end is a JVM starting up: wait until both devices have their addresses (a loaded machine is slow).
          for (int i = 0; i < 600 && !(client.exec("ip", "addr", "show").stdout().contains("198.18.0.1/24")
              && server.exec("ip", "addr", "show").stdout().contains("198.18.0.2/24")); i++) {
            Thread.sleep(50);
          }
          client.exec("ping", "-c", "3", "-i", "0.2", "-w", "20", "198.18.0.2").orThrow();
        } finally {
          for (Process p : new Process[] {clientTunnel, serverTunnel}) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
          }
        }
        String clientOut = Files.readString(clientLog);
        assertThat(clientOut).contains("client aead tunnel on tl-tun0, outer socket 0.0.0.0:", ", peer 203.0.113.89:5556")
            .contains("MTU 1500 − 20 (IPv4) − 8 (UDP) − 40 (AEAD header 24 + tag 16) = 1432   (1500: the MTU of "
                + "tl-eth0 (the bind device))")
            .doesNotContain("notice:")
            .containsPattern("sent \\d+ packets \\(\\d+ bytes\\), received [3-9]\\d* ");
        String serverOut = Files.readString(serverLog);
        assertThat(serverOut).contains("server aead tunnel on tl-tun0, outer socket 203.0.113.89:5556, peer learnt")
            .contains("(1500: the MTU of tl-eth1, which holds 203.0.113.89)");
      }
    }

    private Process start(TestNamespace ns, Path log, String... command) throws java.io.IOException {
      String[] inside = new String[command.length + 4];
      System.arraycopy(new String[] {"ip", "netns", "exec", ns.name()}, 0, inside, 0, 4);
      System.arraycopy(command, 0, inside, 4, command.length);
      return new ProcessBuilder(inside).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private String[] tunlab(String... args) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String[] command = new String[4 + args.length];
      command[0] = java;
      command[1] = "-cp";
      command[2] = System.getProperty("java.class.path");
      command[3] = TunlabCommand.class.getName();
      String[] withSubcommand = new String[command.length + 1];
      System.arraycopy(command, 0, withSubcommand, 0, 4);
      withSubcommand[4] = "tunnel";
      System.arraycopy(args, 0, withSubcommand, 5, args.length);
      return withSubcommand;
    }
  }
}
