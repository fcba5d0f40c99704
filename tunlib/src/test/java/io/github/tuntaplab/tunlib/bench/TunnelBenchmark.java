package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.net.IpPrefix;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import io.github.tuntaplab.tunlib.tunnel.Encapsulation;
import io.github.tuntaplab.tunlib.tunnel.Tunnel;
import io.github.tuntaplab.tunlib.tunnel.TunnelConfig;
import io.github.tuntaplab.tunlib.tunnel.TunnelKey;
import io.github.tuntaplab.tunlib.tunnel.TunnelStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * iperf3 through seven paths between two namespaces joined by a veth, in one run: the bare veth
 * (the limit), a socat IP-in-UDP TUN tunnel (MTU 1472), a wireguard-go tunnel (MTU 1420), our
 * plain tunnel and our AEAD tunnel without offloads ({@code tunlab tunnel --no-offload}, as the
 * lab runs them), and both of ours again with offloads on ({@code TunnelConfig.withOffload}, the
 * default of {@code tunlab tunnel}). Each path carries TCP, and UDP with 1400-byte and 64-byte
 * datagrams, unpaced and paced. Printed per run: the receiver's throughput, its packets per
 * second, the loss, and the CPU the tunnel's two endpoints used (both socat or wireguard-go
 * processes; for ours, this JVM, which hosts both), then the ratios the targets are about. Each
 * path first carries an unmeasured 3-second TCP run, so the JIT has compiled our code (and the
 * JDK's ChaCha20-Poly1305) before anything counts. Each tunnel's MTU arithmetic is printed. Not a test: as root,
 *
 * <pre>mvn -B -ntp -q -pl tunlib test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.TunnelBenchmark [-Dexec.args="SECONDS"]</pre>
 *
 * Needs iperf3, socat, wireguard-go and wireguard-tools (wg).
 */
public final class TunnelBenchmark {
  private static final String CLIENT_UNDERLAY = "203.0.113.2";
  private static final String SERVER_UNDERLAY = "203.0.113.89";
  private static final String SERVER_TUNNEL = "198.18.0.2";
  private static final long CLOCK_TICKS = 100;

  /** One iperf3 run: {@code args} after {@code -c ADDRESS -t SECONDS -J}. */
  record Load(String name, List<String> args) {}

  private static final List<Load> LOADS = List.of(
      new Load("TCP", List.of()),
      new Load("UDP 1400 B unpaced", List.of("-u", "-b", "0", "-l", "1400")),
      new Load("UDP 1400 B 300 Mbit/s", List.of("-u", "-b", "300M", "-l", "1400")),
      new Load("UDP 64 B unpaced", List.of("-u", "-b", "0", "-l", "64")),
      new Load("UDP 64 B 20 Mbit/s", List.of("-u", "-b", "20M", "-l", "64")));

  /** A measurement: receiver bits/s and packets/s, loss, the tunnel endpoints' CPU (cores). */
  record Figures(double bitsPerSecond, double packetsPerSecond, double lossPercent, double tunnelCores) {}

  /** A path under test: set up in the two namespaces, measured, torn down. */
  interface Carrier extends AutoCloseable {
    String address();

    /** What the endpoints counted, if they count (ours). */
    default String counters() {
      return "";
    }

    /** CPU seconds the tunnel's endpoints have used so far. */
    double cpuSeconds();

    @Override
    void close() throws Exception;
  }

  private TunnelBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<String> paths = args.length > 1 ? List.of(args[1].split(",")) : List.of("veth", "socat", "wireguard-go",
        "tunlab-plain", "tunlab-aead", "tunlab-plain-offload", "tunlab-aead-offload");
    System.out.printf("iperf3 -t %d between two namespaces over a veth; %d cores; tunnel CPU = both endpoints%n",
        seconds, Runtime.getRuntime().availableProcessors());
    Map<String, Map<String, Figures>> all = new LinkedHashMap<>();
    for (String path : paths) {
      Map<String, Figures> results = new LinkedHashMap<>();
      try (TestNamespace client = TestNamespace.create(); TestNamespace server = TestNamespace.create()) {
        underlay(client, server);
        try (Carrier under = open(path, client, server)) {
          Process iperf = server.start("iperf3", "-s", "-B", under.address());
          Thread.sleep(500);
          try {
            // Unmeasured: lets the JIT compile our (and the JDK's crypto) code before the figures count.
            client.exec(30, "iperf3", "-c", under.address(), "-t", "3");
            for (Load load : LOADS) {
              results.put(load.name(), measure(client, under, load, seconds));
              System.out.printf("%-20s %-22s %s%s%n", path, load.name(), text(results.get(load.name())),
                  under.counters());
            }
          } finally {
            iperf.destroy();
            iperf.waitFor(5, TimeUnit.SECONDS);
          }
        }
      }
      all.put(path, results);
    }
    System.out.println();
    for (Load load : LOADS) {
      double target = load == LOADS.get(0) ? 2 : 0;
      for (String variant : List.of("", "-offload")) {
        ratio(all, "tunlab-plain" + variant, "socat", load.name(), target);
        ratio(all, "tunlab-aead" + variant, "wireguard-go", load.name(), target);
      }
    }
  }

  private static void ratio(Map<String, Map<String, Figures>> all, String ours, String peer, String load, double target) {
    if (!all.containsKey(ours) || !all.containsKey(peer)) {
      return;
    }
    Figures a = all.get(ours).get(load);
    Figures b = all.get(peer).get(load);
    System.out.printf("%-20s / %-13s %-22s throughput %.2f×, packets/s %.2f×%s%n", ours, peer, load,
        a.bitsPerSecond() / b.bitsPerSecond(), a.packetsPerSecond() / Math.max(1, b.packetsPerSecond()),
        target > 0 ? String.format(" (target ≥ %.0f×: %s)", target,
            a.bitsPerSecond() / b.bitsPerSecond() >= target ? "met" : "NOT met") : "");
  }

  private static String text(Figures f) {
    return String.format("%8.3f Gbit/s %10.0f pkt/s  loss %5.1f%%  tunnel CPU %4.0f%%", f.bitsPerSecond() / 1e9,
        f.packetsPerSecond(), f.lossPercent(), 100 * f.tunnelCores());
  }

  private static Figures measure(TestNamespace client, Carrier path, Load load, int seconds) throws Exception {
    List<String> command = new ArrayList<>(List.of("iperf3", "-c", path.address(), "-t", String.valueOf(seconds),
        "-J"));
    command.addAll(load.args());
    double cpuBefore = path.cpuSeconds();
    long start = System.nanoTime();
    Cmd.Result result = client.exec(seconds + 30, command.toArray(String[]::new));
    double elapsed = (System.nanoTime() - start) / 1e9;
    double cores = (path.cpuSeconds() - cpuBefore) / elapsed;
    String json = result.stdout();
    if (json.contains("\"error\"")) {
      System.out.println("  iperf3: " + json.substring(json.indexOf("\"error\"")).lines().findFirst().orElse(""));
      return new Figures(0, 0, 100, cores);
    }
    if (!json.contains("\"end\":")) {
      throw new IllegalStateException(String.join(" ", command) + " printed no results: " + json + result.stderr());
    }
    java.util.regex.Matcher section = java.util.regex.Pattern.compile("\"end\":\\s*\\{").matcher(json);
    int endStart = -1;
    while (section.find()) {
      endStart = section.start(); // the last "end" object is the summary (intervals have "end" numbers)
    }
    String end = json.substring(endStart);
    if (load.args().isEmpty()) {
      double bits = number(end.substring(end.indexOf("\"sum_received\"")), "bits_per_second");
      return new Figures(bits, bits / 8 / 1448, 0, cores); // packets: full-sized segments, an estimate
    }
    String sum = end.substring(end.indexOf("\"sum\":"));
    double delivered = (number(sum, "packets") - number(sum, "lost_packets")) / number(sum, "seconds");
    int length = Integer.parseInt(load.args().get(load.args().indexOf("-l") + 1));
    return new Figures(delivered * length * 8, delivered, number(sum, "lost_percent"), cores);
  }

  /** The first number named {@code key} in iperf3's JSON text. */
  private static double number(String json, String key) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":\\s*([-0-9.e+]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + key + " in iperf3's output");
    }
    return Double.parseDouble(m.group(1));
  }

  private static void underlay(TestNamespace client, TestNamespace server) {
    client.ip("link", "add", "tl-eth0", "type", "veth", "peer", "name", "tl-eth1", "netns", server.name());
    client.ip("addr", "add", CLIENT_UNDERLAY + "/24", "dev", "tl-eth0");
    server.ip("addr", "add", SERVER_UNDERLAY + "/24", "dev", "tl-eth1");
    client.ip("link", "set", "tl-eth0", "up");
    server.ip("link", "set", "tl-eth1", "up");
  }

  private static Carrier open(String path, TestNamespace client, TestNamespace server) throws Exception {
    return switch (path) {
      case "veth" -> processes(SERVER_UNDERLAY, List.of());
      case "socat" -> socat(client, server);
      case "wireguard-go" -> wireguard(client, server);
      case "tunlab-plain" -> ours(client, server, Encapsulation.plain(), false);
      case "tunlab-aead" -> ours(client, server, Encapsulation.aead(TunnelKey.generate()), false);
      case "tunlab-plain-offload" -> ours(client, server, Encapsulation.plain(), true);
      case "tunlab-aead-offload" -> ours(client, server, Encapsulation.aead(TunnelKey.generate()), true);
      default -> throw new IllegalArgumentException("unknown path " + path);
    };
  }

  private static Carrier socat(TestNamespace client, TestNamespace server) throws Exception {
    Process right = server.start("socat", "UDP-LISTEN:5555,bind=" + SERVER_UNDERLAY,
        "TUN:198.18.0.2/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0");
    Thread.sleep(300);
    Process left = client.start("socat", "UDP:" + SERVER_UNDERLAY + ":5555,bind=" + CLIENT_UNDERLAY + ":5555",
        "TUN:198.18.0.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name=tl-tun0");
    awaitLink(client, "tl-tun0", "198.18.0.1");
    awaitLink(server, "tl-tun0", "198.18.0.2");
    client.ip("link", "set", "tl-tun0", "mtu", "1472");
    server.ip("link", "set", "tl-tun0", "mtu", "1472");
    client.exec("ping", "-c", "1", "-W", "2", SERVER_TUNNEL); // socat's listener connects to its first sender
    System.out.println("  MTU 1500 − 20 (IPv4) − 8 (UDP) = 1472, set by hand (socat leaves 1500)");
    return processes(SERVER_TUNNEL, List.of(left, right));
  }

  private static Carrier wireguard(TestNamespace client, TestNamespace server) throws Exception {
    String suffix = String.valueOf(ProcessHandle.current().pid() % 100000);
    String left = "tl-wgc" + suffix;
    String right = "tl-wgs" + suffix;
    String leftKey = Cmd.ok("wg", "genkey").strip();
    String rightKey = Cmd.ok("wg", "genkey").strip();
    Path dir = Files.createTempDirectory("tl-wg");
    Path leftFile = Files.writeString(dir.resolve("left"), leftKey);
    Path rightFile = Files.writeString(dir.resolve("right"), rightKey);
    String leftPublic = pub(leftKey);
    String rightPublic = pub(rightKey);
    Process leftProcess = goForeground(client, left);
    Process rightProcess = goForeground(server, right);
    client.exec("wg", "set", left, "private-key", leftFile.toString(), "listen-port", "51820", "peer", rightPublic,
        "allowed-ips", "198.18.0.0/24", "endpoint", SERVER_UNDERLAY + ":51820").orThrow();
    server.exec("wg", "set", right, "private-key", rightFile.toString(), "listen-port", "51820", "peer", leftPublic,
        "allowed-ips", "198.18.0.0/24").orThrow();
    client.ip("addr", "add", "198.18.0.1/24", "dev", left);
    server.ip("addr", "add", "198.18.0.2/24", "dev", right);
    client.ip("link", "set", left, "up");
    server.ip("link", "set", right, "up");
    client.exec("ping", "-c", "2", "-W", "2", SERVER_TUNNEL);
    System.out.println("  MTU " + client.exec("cat", "/sys/class/net/" + left + "/mtu").stdout().strip()
        + ", wireguard-go's default (1500 − 80: IPv6 40 + UDP 8 + WireGuard header 16 + tag 16)");
    Files.delete(leftFile);
    Files.delete(rightFile);
    Files.delete(dir);
    return processes(SERVER_TUNNEL, List.of(leftProcess, rightProcess));
  }

  private static String pub(String privateKey) throws IOException {
    Process wg = new ProcessBuilder("wg", "pubkey").start();
    wg.getOutputStream().write((privateKey + "\n").getBytes());
    wg.getOutputStream().close();
    return new String(wg.getInputStream().readAllBytes()).strip();
  }

  private static Process goForeground(TestNamespace ns, String name) throws Exception {
    Process process = ns.start("env", "WG_PROCESS_FOREGROUND=1", "wireguard-go", "-f", name);
    for (int i = 0; i < 100 && !Files.exists(Path.of("/var/run/wireguard", name + ".sock")); i++) {
      Thread.sleep(50);
    }
    return process;
  }

  private static Carrier ours(TestNamespace client, TestNamespace server, Encapsulation encapsulation, boolean offload)
      throws Exception {
    InetSocketAddress serverSocket = new InetSocketAddress(SERVER_UNDERLAY, encapsulation.defaultPort());
    Tunnel right = server.inside().call(() -> Tunnel.start(TunnelConfig.server(encapsulation, "tl-tun0", serverSocket)
        .withAddresses(List.of(IpPrefix.parse("198.18.0.2/24"))).withOffload(offload)));
    Tunnel left = client.inside().call(() -> Tunnel.start(TunnelConfig.client(encapsulation, "tl-tun0", serverSocket)
        .withAddresses(List.of(IpPrefix.parse("198.18.0.1/24"))).withOffload(offload)));
    client.exec("ping", "-c", "1", "-W", "2", SERVER_TUNNEL);
    System.out.println("  MTU " + left.mtu().arithmetic() + (offload ? ", offloads on" : ""));
    left.notices().forEach(notice -> System.out.println("  notice: " + notice));
    return new Carrier() {
      @Override
      public String address() {
        return SERVER_TUNNEL;
      }

      @Override
      public double cpuSeconds() {
        return processCpuSeconds(ProcessHandle.current().pid());
      }

      @Override
      public String counters() {
        TunnelStats l = left.stats();
        TunnelStats r = right.stats();
        return String.format("  (client: sent %d, dropped %d (%s), TUN queue overflows %s; server: received %d, dropped %d (%s))",
            l.sentPackets(), l.dropped(), l.dropReasons(), txDropped(client), r.receivedPackets(), r.dropped(),
            r.dropReasons());
      }

      @Override
      public void close() {
        left.close();
        right.close();
      }
    };
  }

  /** Packets the kernel dropped because the tunnel did not read its TUN fast enough (tx_dropped). */
  private static String txDropped(TestNamespace ns) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"tx\":\\{[^}]*\"dropped\":(\\d+)")
        .matcher(ns.ip("-j", "-s", "link", "show", "tl-tun0"));
    return m.find() ? m.group(1) : "?";
  }

  /** A path whose tunnel endpoints (if any) are these processes. */
  private static Carrier processes(String address, List<Process> endpoints) {
    return new Carrier() {
      @Override
      public String address() {
        return address;
      }

      @Override
      public double cpuSeconds() {
        double total = 0;
        for (Process process : endpoints) {
          total += process.descendants().mapToDouble(p -> processCpuSeconds(p.pid())).sum()
              + processCpuSeconds(process.pid());
        }
        return total;
      }

      @Override
      public void close() throws Exception {
        for (Process process : endpoints) {
          process.descendants().forEach(ProcessHandle::destroy);
          process.destroy();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    };
  }

  /** utime + stime from /proc/PID/stat, in seconds (0 once the process is gone). */
  static double processCpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  private static void awaitLink(TestNamespace ns, String link, String address) throws InterruptedException {
    for (int i = 0; i < 100 && !ns.exec("ip", "addr", "show", "dev", link).stdout().contains(address); i++) {
      Thread.sleep(50);
    }
  }
}
