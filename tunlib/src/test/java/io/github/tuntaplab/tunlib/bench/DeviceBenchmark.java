package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.device.DeviceQueue;
import io.github.tuntaplab.tunlib.device.LinkInfo;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.net.UdpSocket;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How fast tunlib takes packets from a TUN, beside the plainest C reader ({@code src/test/c/tun_reader.c},
 * compiled with gcc at run time) taking the same flood in the same run, and how fast it writes
 * packets the kernel delivers to a UDP socket. Not a test: it prints figures.
 *
 * <pre>mvn -q -pl tunlib test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.DeviceBenchmark [-Dexec.args="SECONDS SENDERS"]</pre>
 *
 * The flood: SENDERS threads (default 1), each sending 64-byte UDP datagrams in sendmmsg batches of
 * 64 to an address routed into the TUN, one flow each (a single send() per datagram would be the
 * bottleneck, not the reader). Offered = what the kernel queued to the TUN (read + dropped, from the
 * device's own counters); the drop counter is the TUN's tx_dropped.
 */
public final class DeviceBenchmark {
  private static final String LOCAL = "198.18.0.1";
  private static final String REMOTE = "198.18.0.2";

  private DeviceBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    System.out.printf("read path: %d sender thread(s), sendmmsg batches of 64, 64-byte UDP payloads, %d s measured after 1 s warm-up%n",
        senders, seconds);
    System.out.printf("%-22s %12s %12s %8s %8s %10s%n", "reader", "offered/s", "taken/s", "taken", "drops", "reader CPU");
    Result c = readWithC(seconds, senders);
    print("C read() loop (1 q)", c);
    Result one = readWithTunlib(1, seconds, senders);
    print("tunlib (1 queue)", one);
    Result two = readWithTunlib(2, seconds, senders);
    print("tunlib (2 queues)", two);
    System.out.printf("tunlib/C taken ratio: %.2f (1 queue), %.2f (2 queues)%n",
        one.taken / c.taken, two.taken / c.taken);

    System.out.println();
    System.out.printf("write path: 64-byte UDP payloads written into the TUN for a socat UDP receiver%n");
    System.out.printf("%-22s %12s %12s %12s %12s%n", "writer", "written/s", "TUN rx/s", "to UDP/s", "socket got/s");
    writeWithTunlib(seconds);
  }

  record Result(double offered, double taken, double dropFraction, double readerCpuFraction) {}

  private static void print(String who, Result r) {
    System.out.printf("%-22s %12.0f %12.0f %7.1f%% %7.2f%% %9.0f%%%n", who, r.offered, r.taken,
        100 * r.taken / Math.max(1, r.offered), 100 * r.dropFraction, 100 * r.readerCpuFraction);
  }

  private static Result readWithTunlib(int queues, int seconds, int senders) throws Exception {
    try (TestNamespace ns = TestNamespace.create();
        TunTapDevice tun = ns.inside().call(() -> TunTapDevice.tun("tl-bench").queues(queues).open())) {
      NetworkNamespace inside = ns.inside();
      ns.ip("addr", "add", LOCAL + "/24", "dev", tun.name());
      ns.ip("link", "set", tun.name(), "up");
      AtomicLongArray counts = new AtomicLongArray(queues);
      AtomicLongArray cpu = new AtomicLongArray(queues);
      ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
      List<Thread> readers = new ArrayList<>();
      for (DeviceQueue queue : tun.queues()) {
        Thread reader = new Thread(() -> {
          ByteBuffer packet = ByteBuffer.allocateDirect(2048);
          long n = 0;
          try {
            while (queue.read(packet.clear()) > 0) {
              counts.lazySet(queue.index(), ++n);
              if ((n & 0xfff) == 0) {
                cpu.lazySet(queue.index(), threadBean.getCurrentThreadCpuTime());
              }
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, "reader " + queue.index());
        reader.start();
        readers.add(reader);
      }
      Flood flood = new Flood(inside, senders);
      Thread.sleep(1000);
      LinkInfo before = tun.info();
      long taken0 = sum(counts);
      long cpu0 = sum(cpu);
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      LinkInfo after = tun.info();
      long taken1 = sum(counts);
      long cpu1 = sum(cpu);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      flood.close();
      tun.close();
      for (Thread reader : readers) {
        reader.join();
      }
      return result(before, after, taken1 - taken0, elapsed, (cpu1 - cpu0) / 1e9 / elapsed);
    }
  }

  /** The same flood into a TUN read by tun_reader.c, the plainest C reader, compiled here with gcc. */
  private static Result readWithC(int seconds, int senders) throws Exception {
    Path binary = Files.createTempDirectory("tl-bench").resolve("tun_reader");
    Path source = Files.exists(Path.of("tunlib/src/test/c/tun_reader.c"))
        ? Path.of("tunlib/src/test/c/tun_reader.c") : Path.of("src/test/c/tun_reader.c");
    Cmd.ok("gcc", "-O2", "-o", binary.toString(), source.toString());
    try (TestNamespace ns = TestNamespace.create()) {
      NetworkNamespace inside = ns.inside();
      Process reader = ns.start(binary.toString(), "tl-bench");
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(reader.getInputStream()));
      if (!"ready".equals(out.readLine())) {
        throw new IllegalStateException("tun_reader did not start: " + new String(reader.getErrorStream().readAllBytes()));
      }
      ns.ip("addr", "add", LOCAL + "/24", "dev", "tl-bench");
      ns.ip("link", "set", "tl-bench", "up");
      Flood flood = new Flood(inside, senders);
      Thread.sleep(1000);
      long[] before = linkCounters(ns);
      long cpu0 = processCpuTicks(reader.pid());
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long[] after = linkCounters(ns);
      long cpu1 = processCpuTicks(reader.pid());
      double elapsed = (System.nanoTime() - t0) / 1e9;
      flood.close();
      reader.destroy();
      reader.waitFor();
      double taken = (after[0] - before[0]) / elapsed;
      double dropped = (after[1] - before[1]) / elapsed;
      return new Result(taken + dropped, taken, dropped / Math.max(1, taken + dropped), (cpu1 - cpu0) / 100.0 / elapsed);
    } finally {
      Files.deleteIfExists(binary);
      Files.deleteIfExists(binary.getParent());
    }
  }

  private static void writeWithTunlib(int seconds) throws Exception {
    try (TestNamespace ns = TestNamespace.create();
        TunTapDevice tun = ns.inside().call(() -> TunTapDevice.tun("tl-bench").open())) {
      ns.ip("addr", "add", LOCAL + "/24", "dev", tun.name());
      ns.ip("link", "set", tun.name(), "up");
      Process receiver = ns.start("socat", "-u", "UDP-RECV:9000,bind=" + LOCAL + ",rcvbuf=8388608", "OPEN:/dev/null");
      Thread.sleep(300);
      ByteBuffer packet = udpPacket(REMOTE, LOCAL, 9000, 64);
      LinkInfo before = tun.info();
      long[] snmp0 = udpCounters(ns);
      long t0 = System.nanoTime();
      long deadline = t0 + seconds * 1_000_000_000L;
      long written = 0;
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < 1024; i++) {
          tun.write(packet.rewind());
        }
        written += 1024;
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(200);
      LinkInfo after = tun.info();
      long[] snmp1 = udpCounters(ns);
      receiver.destroy();
      long toUdp = snmp1[0] - snmp0[0] + snmp1[1] - snmp0[1];
      System.out.printf("%-22s %12.0f %12.0f %12.0f %12.0f%n", "tunlib (1 queue)", written / elapsed,
          (after.rxPackets() - before.rxPackets()) / elapsed, toUdp / elapsed, (snmp1[0] - snmp0[0]) / elapsed);
    }
  }

  /** An IPv4/UDP packet with valid checksums (UDP checksum 0: allowed for IPv4). */
  static ByteBuffer udpPacket(String from, String to, int port, int payload) throws Exception {
    ByteBuffer p = ByteBuffer.allocateDirect(28 + payload);
    p.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload)).putInt(0).put((byte) 64).put((byte) 17)
        .putShort((short) 0).put(java.net.InetAddress.getByName(from).getAddress())
        .put(java.net.InetAddress.getByName(to).getAddress());
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += p.getShort(i) & 0xffff;
    }
    sum = (sum & 0xffff) + (sum >> 16);
    p.putShort(10, (short) ~(sum + (sum >> 16)));
    p.putShort((short) 40000).putShort((short) port).putShort((short) (8 + payload)).putShort((short) 0);
    return p.position(0);
  }

  /**
   * Sender threads, each with a UDP socket made inside the namespace, sending batches of 64
   * datagrams per sendmmsg call to its own port (one flow per sender) until closed.
   */
  private static final class Flood implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Flood(NetworkNamespace inside, int senders) throws Exception {
      for (int i = 0; i < senders; i++) {
        UdpSocket socket = inside.call(() -> UdpSocket.open(AddressFamily.INET));
        InetSocketAddress target = new InetSocketAddress(REMOTE, 9000 + i);
        Thread sender = new Thread(() -> {
          ByteBuffer payload = ByteBuffer.allocateDirect(64);
          ByteBuffer[] batch = new ByteBuffer[64];
          Arrays.fill(batch, payload);
          try (socket) {
            while (running) {
              payload.clear();
              socket.sendBatch(batch, batch.length, target);
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, "sender " + i);
        sender.start();
        threads.add(sender);
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join();
      }
    }
  }

  private static Result result(LinkInfo before, LinkInfo after, long taken, double elapsed, double cpu) {
    double read = (after.txPackets() - before.txPackets()) / elapsed;
    double dropped = (after.txDropped() - before.txDropped()) / elapsed;
    return new Result(read + dropped, taken / elapsed, dropped / Math.max(1, read + dropped), cpu);
  }

  /** tx_packets and tx_dropped of tl-bench, from ip -s. */
  private static long[] linkCounters(TestNamespace ns) {
    String[] lines = ns.ip("-s", "link", "show", "tl-bench").split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().startsWith("TX:")) {
        String[] values = lines[i + 1].trim().split("\\s+");
        return new long[] {Long.parseLong(values[1]), Long.parseLong(values[3])};
      }
    }
    throw new IllegalStateException("no TX counters for tl-bench");
  }

  /** UDP InDatagrams and RcvbufErrors inside the namespace. */
  private static long[] udpCounters(TestNamespace ns) {
    String[] lines = ns.exec("cat", "/proc/net/snmp").stdout().split("\n");
    for (int i = 0; i < lines.length - 1; i++) {
      if (lines[i].startsWith("Udp:") && lines[i + 1].startsWith("Udp:")) {
        List<String> names = List.of(lines[i].split("\\s+"));
        String[] values = lines[i + 1].split("\\s+");
        return new long[] {Long.parseLong(values[names.indexOf("InDatagrams")]),
            Long.parseLong(values[names.indexOf("RcvbufErrors")])};
      }
    }
    throw new IllegalStateException("no Udp line in /proc/net/snmp");
  }

  private static long processCpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long sum(AtomicLongArray values) {
    long total = 0;
    for (int i = 0; i < values.length(); i++) {
      total += values.get(i);
    }
    return total;
  }
}
