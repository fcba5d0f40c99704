package io.github.tuntaplab.inspector.cli;

import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.packet.AddressText;
import io.github.tuntaplab.tunlib.tunnel.Encapsulation;
import io.github.tuntaplab.tunlib.tunnel.Tunnel;
import io.github.tuntaplab.tunlib.tunnel.TunnelConfig;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import io.github.tuntaplab.tunlib.tunnel.TunnelStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tunlab tunnel client|server|genkey}: our tunnel endpoint from a terminal, e.g. against a
 * socat TUN peer or a kernel vxlan device. Runs in the current namespace until interrupted
 * ({@code ip netns exec NS tunlab tunnel …} to run it elsewhere), then prints its counters.
 */
@Command(name = "tunnel", mixinStandardHelpOptions = true,
    subcommands = {TunnelCommand.Client.class, TunnelCommand.Server.class, TunnelCommand.GenKey.class},
    description = {"Run a tunnel endpoint: packets read from a TUN (or TAP) travel inside UDP to the peer.",
        "Formats: plain IP-in-UDP (socat's TUN tunnel), aead (ChaCha20-Poly1305), vxlan (a TAP, RFC 7348)."})
final class TunnelCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: client, server or genkey");
  }

  /** The wire format, as named on the command line. */
  enum Format { PLAIN, AEAD, VXLAN }

  /** What client and server share. */
  static final class Endpoint {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "plain", description = "plain, aead or vxlan (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--key", paramLabel = "FILE",
        description = "the AEAD key file (mode 0600; make one with tunlab tunnel genkey FILE)")
    Path keyFile;

    @Option(names = "--vni", defaultValue = "42", description = "the VXLAN network identifier (default: ${DEFAULT-VALUE})")
    int vni;

    @Option(names = "--device", paramLabel = "NAME", description = "the TUN/TAP to create (default: tl-tun0, tl-tap0 for vxlan)")
    String device;

    @Option(names = "--address", paramLabel = "PREFIX", description = "an address for the device, e.g. 198.18.0.1/24; repeatable")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--underlay-mtu", paramLabel = "N", description = "the MTU of the outer link (default: the MTU of "
        + "the link the outer packets leave by: the bind device, or where the route to the peer leads)")
    Integer underlayMtu;

    @Option(names = "--bind-device", paramLabel = "LINK", description = "send outer packets only through LINK (SO_BINDTODEVICE)")
    String bindDevice;

    @Option(names = "--queues", defaultValue = "1", description = "device queues, each with its own thread (default: ${DEFAULT-VALUE})")
    int queues;

    @Option(names = "--offload", negatable = true, defaultValue = "true", description = "use UDP segmentation and "
        + "receive offload outside and join TCP segments into the TUN (on by default: much faster; captures then show joined packets, "
        + "as on a host whose network card does TSO and GRO); --no-offload: every packet its own")
    boolean offload;

    Encapsulation encapsulation() throws IOException {
      if (format != Format.AEAD && keyFile != null) {
        throw new ParameterException(spec.commandLine(), "--key belongs to --format aead");
      }
      return switch (format) {
        case PLAIN -> Encapsulation.plain();
        case VXLAN -> Encapsulation.vxlan(vni);
        case AEAD -> {
          if (keyFile == null) {
            throw new ParameterException(spec.commandLine(), "--format aead needs --key FILE (tunlab tunnel genkey FILE "
                + "makes one; a key is never taken on the command line, where ps and shell history would show it)");
          }
          yield Encapsulation.aead(TunnelKey.read(keyFile));
        }
      };
    }

    TunnelConfig complete(TunnelConfig config) {
      TunnelConfig done = config.withQueues(queues).withOffload(offload)
          .withAddresses(addresses.stream().map(IpPrefix::parse).toList());
      done = underlayMtu == null ? done : done.withUnderlayMtu(underlayMtu);
      return bindDevice == null ? done : done.withBindDevice(bindDevice);
    }

    String deviceName() {
      return device != null ? device : format == Format.VXLAN ? "tl-tap0" : "tl-tun0";
    }

    /** Runs the tunnel until the process is interrupted (Ctrl-C, SIGTERM). */
    int run(Callable<TunnelConfig> describe) {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      TunnelConfig config;
      try {
        config = describe.call();
      } catch (ParameterException | IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      } catch (Exception e) {
        err.println("tunlab tunnel: " + e.getMessage());
        return ExitCode.FAILED;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      try (Tunnel tunnel = Tunnel.start(config)) {
        out.println(tunnel.config().role().name().toLowerCase() + " " + config.encapsulation().name() + " tunnel on "
            + tunnel.deviceName() + ", outer socket " + text(tunnel.localAddress())
            + tunnel.peer().map(p -> ", peer " + text(p)).orElse(", peer learnt from the first valid packet"));
        out.println("MTU " + tunnel.mtu().explained());
        tunnel.notices().forEach(notice -> out.println("notice: " + notice));
        out.flush();
        Thread hook = new Thread(() -> {
          printStats(out, tunnel.stats());
          stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
        return ExitCode.OK;
      } catch (NativeCallException e) {
        err.println("tunlab tunnel: " + e.getMessage());
        return e.errno() == 1 ? ExitCode.PREREQUISITE : ExitCode.FAILED;
      } catch (IOException e) {
        err.println("tunlab tunnel: " + e.getMessage());
        return ExitCode.FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.FAILED;
      }
    }

    private static void printStats(PrintWriter out, TunnelStats stats) {
      out.println("sent " + stats.sentPackets() + " packets (" + stats.sentBytes() + " bytes), received "
          + stats.receivedPackets() + " (" + stats.receivedBytes() + " bytes), dropped " + stats.dropped() + " ("
          + stats.dropReasons() + ")");
      out.flush();
    }

    private static String text(InetSocketAddress address) {
      byte[] bytes = address.getAddress().getAddress();
      return (bytes.length == 16 ? "[" + AddressText.ipv6(bytes, 0) + "]" : AddressText.ipv4(bytes, 0)) + ":"
          + address.getPort();
    }
  }

  @Command(name = "client", mixinStandardHelpOptions = true,
      description = "Create the device and send its packets to the server at --peer.")
  static final class Client implements Callable<Integer> {
    @Mixin
    Endpoint endpoint;

    @Option(names = "--peer", required = true, paramLabel = "HOST:PORT", description = "the server's outer address")
    String peer;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "the local outer address (default: any, any port)")
    String listen;

    @Override
    public Integer call() {
      return endpoint.run(() -> {
        Encapsulation encapsulation = endpoint.encapsulation();
        TunnelConfig config = TunnelConfig.client(encapsulation, endpoint.deviceName(),
            socketAddress(peer, encapsulation.defaultPort()));
        return endpoint.complete(listen == null ? config : config.withListen(socketAddress(listen, 0)));
      });
    }
  }

  @Command(name = "server", mixinStandardHelpOptions = true,
      description = "Create the device, listen on --listen and answer whoever sends a valid packet first.")
  static final class Server implements Callable<Integer> {
    @Mixin
    Endpoint endpoint;

    @Option(names = "--listen", required = true, paramLabel = "HOST:PORT",
        description = "the local outer address; the port defaults to the format's (plain 5555, aead 5556, vxlan 4789)")
    String listen;

    @Option(names = "--peer", paramLabel = "HOST:PORT", description = "accept only this peer (default: learn it)")
    String peer;

    @Override
    public Integer call() {
      return endpoint.run(() -> {
        Encapsulation encapsulation = endpoint.encapsulation();
        TunnelConfig config = TunnelConfig.server(encapsulation, endpoint.deviceName(),
            socketAddress(listen, encapsulation.defaultPort()));
        return endpoint.complete(peer == null ? config : config.withPeer(socketAddress(peer, encapsulation.defaultPort())));
      });
    }
  }

  @Command(name = "genkey", mixinStandardHelpOptions = true,
      description = "Write a new random AEAD key to FILE (mode 0600; an existing file is never overwritten).")
  static final class GenKey implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() {
      try {
        TunnelKey key = TunnelKey.generate();
        key.write(file);
        spec.commandLine().getOut().printf("wrote a new key to %s (mode 0600), key id %08x%n", file, key.id());
        return ExitCode.OK;
      } catch (IOException e) {
        spec.commandLine().getErr().println("tunlab tunnel genkey: " + e.getMessage());
        return ExitCode.FAILED;
      }
    }
  }

  /** {@code 203.0.113.89:5555}, {@code [2001:db8::1]:5555}, or a bare address with {@code defaultPort}. */
  static InetSocketAddress socketAddress(String text, int defaultPort) throws UnknownHostException {
    String host = text;
    int port = defaultPort;
    int colon = text.lastIndexOf(':');
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      host = text.substring(1, close);
      port = close + 1 < text.length() ? Integer.parseInt(text.substring(close + 2)) : defaultPort;
    } else if (colon > 0 && text.indexOf(':') == colon) {
      host = text.substring(0, colon);
      port = Integer.parseInt(text.substring(colon + 1));
    }
    return new InetSocketAddress(InetAddress.getByName(host), port);
  }
}
