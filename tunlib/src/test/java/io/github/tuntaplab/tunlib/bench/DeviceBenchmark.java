package io.github.tuntaplab.tunlib.bench;

import io.github.tuntaplab.tunlib.device.DeviceOptions;
import io.github.tuntaplab.tunlib.device.DeviceQueue;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import io.github.tuntaplab.tunlib.net.AddressFamily;
import io.github.tuntaplab.tunlib.net.NetworkNamespace;
import io.github.tuntaplab.tunlib.net.UdpSocket;
import io.github.tuntaplab.tunlib.testsupport.Cmd;
import io.github.tuntaplab.tunlib.testsupport.TestNamespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast tunlib takes packets from a TUN, beside the plainest C reader ({@code src/test/c/tun_reader.c},
 * compiled with gcc at run time) taking the same flood in the same run, and how fast it writes
 * packets the kernel delivers to a UDP socket. Not a test: it prints figures.
 *
 * <pre>mvn -q -pl tunlib test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.tuntaplab.tunlib.bench.DeviceBenchmark [-Dexec.args="SECONDS SENDERS RATE"]</pre>
 *
 * The flood: SENDERS threads (default 1), each sending 64-byte UDP datagrams in sendmmsg batches of
 * 64 to an address routed into the TUN, one flow each (a single send() per datagram would be the
 * bottleneck, not the reader); once as fast as they can, once paced to RATE packets/s in all
 * (default 520000, the reference: what a batched sender offered a C reader there). Offered =
 * what the kernel queued to the TUN (read + dropped, from the device's own counters); drops are
 * the TUN's tx_dropped. Reader CPU is the reading threads' (or process's) CPU time over the
 * measured seconds, per packet taken in the last column: unlike rates, it barely moves when other
 * work shares the machine. The drain section queues 100,000 packets while the reader waits, then
 * times reading them: the reader's CPU per packet with no flood competing for the cores.
 */
public final class DeviceBenchmark {
  private static final String LOCAL = "198.18.0.1";
  private static final String REMOTE = "198.18.0.2";
  private static final String DEVICE = "tl-bench";
  private static final int DRAIN_PACKETS = 100_000;

  private DeviceBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    double reference = args.length > 2 ? Double.parseDouble(args[2]) : 520_000;
    Path binary = compilePeer();
    try {
      System.out.printf("read path: %d sender thread(s), sendmmsg batches of 64, 64-byte UDP payloads, %d s measured "
          + "after 1 s warm-up; tunlib reads ahead %d packets unless it says read() each%n", senders, seconds,
          DeviceOptions.DEFAULT_READ_AHEAD);
      System.out.printf("%-27s %9s %10s %10s %10s %7s %7s %7s %8s%n", "reader", "sender", "sent/s", "offered/s",
          "taken/s", "taken", "drops", "CPU", "CPU/pkt");
      for (double rate : new double[] {0, reference}) {
        String pace = rate == 0 ? "max" : String.format("%.0fk", rate / 1000);
        Flooded c = readWithC(binary, seconds, senders, rate);
        print("C read() loop (1 queue)", pace, c);
        Flooded ahead = readWithTunlib(1, DeviceOptions.DEFAULT_READ_AHEAD, seconds, senders, rate);
        print("tunlib (1 queue)", pace, ahead);
        Flooded twoAhead = readWithTunlib(2, DeviceOptions.DEFAULT_READ_AHEAD, seconds, senders, rate);
        print("tunlib (2 queues)", pace, twoAhead);
        Flooded each = readWithTunlib(1, 0, seconds, senders, rate);
        print("tunlib read() each (1 q)", pace, each);
        System.out.printf("  %s: taken/offered %.3f C, %.3f tunlib 1 q, %.3f tunlib 2 q, %.3f read() each; "
            + "tunlib/C taken %.2f (1 q), %.2f (2 q), %.2f (read() each)%n", pace, c.takenShare(), ahead.takenShare(),
            twoAhead.takenShare(), each.takenShare(), ahead.taken / c.taken, twoAhead.taken / c.taken, each.taken / c.taken);
      }

      System.out.println();
      System.out.printf("drain: %,d packets queued (txqueuelen 250000) while the reader waits, then read by one thread%n",
          DRAIN_PACKETS);
      System.out.printf("%-27s %12s %8s%n", "reader", "CPU/packet", "dropped");
      printDrain("C read() loop", drainWithC(binary));
      printDrain("tunlib (read-ahead)", drainWithTunlib(DeviceOptions.DEFAULT_READ_AHEAD));
      printDrain("tunlib read() each", drainWithTunlib(0));
    } finally {
      Files.deleteIfExists(binary);
      Files.deleteIfExists(binary.getParent());
    }

    System.out.println();
    System.out.printf("write path: 64-byte UDP payloads written into the TUN for a socat UDP receiver%n");
    System.out.printf("%-27s %12s %12s %12s %12s%n", "writer", "written/s", "TUN rx/s", "to UDP/s", "socket got/s");
    writeWithTunlib(seconds);
  }

  /** Rates over the measured seconds; {@code readerCpu} in cores (1.0 = one core busy). */
  record Flooded(double sent, double offered, double taken, double dropped, double readerCpu) {
    double takenShare() {
      return taken / Math.max(1, offered);
    }
  }

  private static void print(String who, String pace, Flooded r) {
    System.out.printf("%-27s %9s %10.0f %10.0f %10.0f %6.1f%% %6.2f%% %6.0f%% %6.2fµs%n", who, pace, r.sent, r.offered,
        r.taken, 100 * r.takenShare(), 100 * r.dropped / Math.max(1, r.offered), 100 * r.readerCpu,
        1e6 * r.readerCpu / Math.max(1, r.taken));
  }

  private static void printDrain(String who, long[] cpuNanosAndDropped) {
    System.out.printf("%-27s %10.2fµs %8d%n", who, cpuNanosAndDropped[0] / 1e3 / (DRAIN_PACKETS - cpuNanosAndDropped[1]),
        cpuNanosAndDropped[1]);
  }

  private static Flooded readWithTunlib(int queues, int readAhead, int seconds, int senders, double rate) throws Exception {
    try (TestNamespace ns = TestNamespace.create();
        TunTapDevice tun = ns.inside().call(() -> TunTapDevice.tun(DEVICE).queues(queues).readAhead(readAhead).open())) {
      up(ns, 500);
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
      try (Flood flood = new Flood(ns.inside(), senders, rate, Long.MAX_VALUE)) {
        Thread.sleep(1000);
        Snapshot before = new Snapshot(ns, flood.sent(), sum(counts), sum(cpu));
        Thread.sleep(seconds * 1000L);
        Snapshot after = new Snapshot(ns, flood.sent(), sum(counts), sum(cpu));
        if (tun.queues().stream().anyMatch(q -> q.readsAhead() != (readAhead > 0))) {
          System.out.println("  (read-ahead is not available here: tunlib read one packet per read())");
        }
        return after.since(before, 1e-9);
      } finally {
        tun.close();
        for (Thread reader : readers) {
          reader.join();
        }
      }
    }
  }

  /** The same flood into a TUN read by tun_reader.c, the plainest C reader. */
  private static Flooded readWithC(Path binary, int seconds, int senders, double rate) throws Exception {
    try (TestNamespace ns = TestNamespace.create()) {
      Process reader = startPeer(ns, binary);
      up(ns, 500);
      try (Flood flood = new Flood(ns.inside(), senders, rate, Long.MAX_VALUE)) {
        Thread.sleep(1000);
        Snapshot before = new Snapshot(ns, flood.sent(), 0, processCpuTicks(reader.pid()));
        Thread.sleep(seconds * 1000L);
        Snapshot after = new Snapshot(ns, flood.sent(), 0, processCpuTicks(reader.pid()));
        return after.since(before, 0.01);
      } finally {
        reader.destroy();
        reader.waitFor();
      }
    }
  }

  private static long[] drainWithC(Path binary) throws Exception {
    try (TestNamespace ns = TestNamespace.create()) {
      Process reader = startPeer(ns, binary, "drain");
      up(ns, 250_000);
      long[] queued = queue(ns);
      reader.getOutputStream().write((queued[0] + "\n").getBytes(StandardCharsets.US_ASCII));
      reader.getOutputStream().flush();
      String cpuNanos = new BufferedReader(new InputStreamReader(reader.getInputStream())).readLine();
      reader.waitFor();
      return new long[] {Long.parseLong(cpuNanos.trim()), queued[1]};
    }
  }

  private static long[] drainWithTunlib(int readAhead) throws Exception {
    try (TestNamespace ns = TestNamespace.create();
        TunTapDevice tun = ns.inside().call(() -> TunTapDevice.tun(DEVICE).readAhead(readAhead).open())) {
      up(ns, 250_000);
      long[] queued = queue(ns);
      long[] cpuNanos = new long[1];
      Thread reader = new Thread(() -> {
        ByteBuffer packet = ByteBuffer.allocateDirect(2048);
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long start = threadBean.getCurrentThreadCpuTime();
        try {
          for (long n = 0; n < queued[0]; n++) {
            tun.read(packet.clear());
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
        cpuNanos[0] = threadBean.getCurrentThreadCpuTime() - start;
      }, "drain reader");
      reader.start();
      reader.join();
      return new long[] {cpuNanos[0], queued[1]};
    }
  }

  private static void writeWithTunlib(int seconds) throws Exception {
    try (TestNamespace ns = TestNamespace.create();
        TunTapDevice tun = ns.inside().call(() -> TunTapDevice.tun(DEVICE).open())) {
      up(ns, 500);
      Process receiver = ns.start("socat", "-u", "UDP-RECV:9000,bind=" + LOCAL + ",rcvbuf=8388608", "OPEN:/dev/null");
      Thread.sleep(300);
      ByteBuffer packet = udpPacket(REMOTE, LOCAL, 9000, 64);
      long rx0 = linkCounters(ns)[2];
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
      long rx1 = linkCounters(ns)[2];
      long[] snmp1 = udpCounters(ns);
      receiver.destroy();
      long toUdp = snmp1[0] - snmp0[0] + snmp1[1] - snmp0[1];
      System.out.printf("%-27s %12.0f %12.0f %12.0f %12.0f%n", "tunlib (1 queue)", written / elapsed,
          (rx1 - rx0) / elapsed, toUdp / elapsed, (snmp1[0] - snmp0[0]) / elapsed);
    }
  }

  /** An IPv4/UDP packet with valid checksums (UDP checksum 0: allowed for IPv4). */
  static ByteBuffer udpPacket(String from, String to, int port, int payload) throws Exception {
    ByteBuffer p = ByteBuffer.allocateDirect(28 + payload);
    p.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload)).putInt(0).put((byte) 64).put((byte) 17)
        .putShort((short) 0).put(InetAddress.getByName(from).getAddress()).put(InetAddress.getByName(to).getAddress());
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += p.getShort(i) & 0xffff;
    }
    sum = (sum & 0xffff) + (sum >> 16);
    p.putShort(10, (short) ~(sum + (sum >> 16)));
    p.putShort((short) 40000).putShort((short) port).putShort((short) (8 + payload)).putShort((short) 0);
    return p.position(0);
  }

  /** Counters at one moment: the TUN's, the flood's, the reader's packets and CPU (in its own unit). */
  private static final class Snapshot {
    final long nanos = System.nanoTime();
    final long[] link;
    final long sent;
    final long taken;
    final long cpu;

    Snapshot(TestNamespace ns, long sent, long taken, long cpu) {
      this.link = linkCounters(ns);
      this.sent = sent;
      this.taken = taken;
      this.cpu = cpu;
    }

    /** Rates since {@code before}; a reader that counts nothing took what the TUN says it sent. */
    Flooded since(Snapshot before, double secondsPerCpuUnit) {
      double elapsed = (nanos - before.nanos) / 1e9;
      double read = (link[0] - before.link[0]) / elapsed;
      double dropped = (link[1] - before.link[1]) / elapsed;
      double delivered = taken == 0 ? read : (taken - before.taken) / elapsed;
      return new Flooded((sent - before.sent) / elapsed, read + dropped, delivered, dropped,
          (cpu - before.cpu) * secondsPerCpuUnit / elapsed);
    }
  }

  /**
   * Sender threads, each with a UDP socket made inside the namespace, sending batches of 64
   * datagrams per sendmmsg call to its own port (one flow per sender), paced to {@code rate} in all
   * (0: as fast as they can), until closed or {@code limit} datagrams in all are sent.
   */
  private static final class Flood implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLongArray sent;
    private volatile boolean running = true;

    Flood(NetworkNamespace inside, int senders, double rate, long limit) throws Exception {
      sent = new AtomicLongArray(senders);
      for (int i = 0; i < senders; i++) {
        UdpSocket socket = inside.call(() -> UdpSocket.open(AddressFamily.INET));
        InetSocketAddress target = new InetSocketAddress(REMOTE, 9000 + i);
        int index = i;
        long quota = limit / senders;
        double nanosPerPacket = rate == 0 ? 0 : 1e9 * senders / rate;
        Thread sender = new Thread(() -> {
          ByteBuffer payload = ByteBuffer.allocateDirect(64);
          ByteBuffer[] batch = new ByteBuffer[64];
          Arrays.fill(batch, payload);
          long start = System.nanoTime();
          long n = 0;
          try (socket) {
            while (running && n < quota) {
              long ahead = start + (long) (n * nanosPerPacket) - System.nanoTime();
              if (ahead > 0) {
                LockSupport.parkNanos(ahead);
                continue;
              }
              payload.clear();
              n += socket.sendBatch(batch, (int) Math.min(batch.length, quota - n), target);
              sent.lazySet(index, n);
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        }, "sender " + i);
        sender.start();
        threads.add(sender);
      }
    }

    long sent() {
      return sum(sent);
    }

    /** Waits until the senders have sent their limit; the number sent. */
    long finish() throws InterruptedException {
      for (Thread t : threads) {
        t.join();
      }
      return sent();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      finish();
    }
  }

  private static Path compilePeer() throws Exception {
    Path binary = Files.createTempDirectory("tl-bench").resolve("tun_reader");
    Path source = Files.exists(Path.of("tunlib/src/test/c/tun_reader.c"))
        ? Path.of("tunlib/src/test/c/tun_reader.c") : Path.of("src/test/c/tun_reader.c");
    Cmd.ok("gcc", "-O2", "-o", binary.toString(), source.toString());
    return binary;
  }

  private static Process startPeer(TestNamespace ns, Path binary, String... mode) throws Exception {
    Process reader = ns.start(Cmd.concat(List.of(binary.toString(), DEVICE), mode));
    String line = new BufferedReader(new InputStreamReader(reader.getInputStream())).readLine();
    if (!"ready".equals(line)) {
      throw new IllegalStateException("tun_reader did not start: " + new String(reader.getErrorStream().readAllBytes()));
    }
    return reader;
  }

  /** Sends {@link #DRAIN_PACKETS} into the waiting TUN; how many it queued, and dropped. */
  private static long[] queue(TestNamespace ns) throws Exception {
    try (Flood flood = new Flood(ns.inside(), 1, 0, DRAIN_PACKETS)) {
      long sent = flood.finish();
      long dropped = linkCounters(ns)[1];
      return new long[] {sent - dropped, dropped};
    }
  }

  private static void up(TestNamespace ns, int txQueueLength) {
    ns.ip("addr", "add", LOCAL + "/24", "dev", DEVICE);
    ns.ip("link", "set", DEVICE, "txqueuelen", Integer.toString(txQueueLength), "up");
  }

  /** tx_packets, tx_dropped and rx_packets of the benchmark's TUN, from ip -s. */
  private static long[] linkCounters(TestNamespace ns) {
    String[] lines = ns.ip("-s", "link", "show", DEVICE).split("\n");
    long[] counters = new long[3];
    for (int i = 0; i < lines.length - 1; i++) {
      String[] values = lines[i + 1].trim().split("\\s+");
      if (lines[i].trim().startsWith("TX:")) {
        counters[0] = Long.parseLong(values[1]);
        counters[1] = Long.parseLong(values[3]);
      } else if (lines[i].trim().startsWith("RX:")) {
        counters[2] = Long.parseLong(values[1]);
      }
    }
    return counters;
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
