package io.github.tuntaplab.tunlib.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.NamespacePerTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ways a queue reads, with the kernel on the other side: one {@code read()} per packet
 * (read-ahead 0, the kernel's own behaviour, so the oracle for the other) and io_uring read-ahead.
 */
@LiveTest
class ReadPathLiveTest extends NamespacePerTest {
  private static final int ONE_AT_A_TIME = 0;



  @Test
  void readAheadIsUsedWhereTheKernelHasMultishotReads() throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").open());
        TunTapDevice plain = inside.call(() -> TunTapDevice.tun("tl-tun1").readAhead(ONE_AT_A_TIME).open())) {
      tun.queue(0).setBlocking(false);
      plain.queue(0).setBlocking(false);
      assertThat(tun.read(ByteBuffer.allocateDirect(2048))).isZero();
      assertThat(plain.read(ByteBuffer.allocateDirect(2048))).isZero();
      assertThat(plain.queue(0).readsAhead()).isFalse();
      String seccomp = Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("Seccomp:")).findFirst().orElse("Seccomp: 0");
      if (seccomp.endsWith("0")) {
        assertThat(tun.queue(0).readsAhead())
            .as("read-ahead needs Linux 6.7+ (IORING_OP_READ_MULTISHOT) and io_uring not disabled")
            .isEqualTo(kernelAtLeast(6, 7) && Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim().equals("0"));
      }
    }
  }

  @ParameterizedTest(name = "read-ahead {0}")
  @ValueSource(ints = {ONE_AT_A_TIME, DeviceOptions.DEFAULT_READ_AHEAD})
  void aPacketLongerThanTheBufferIsCutAndFlaggedInThePacketInformation(int readAhead) throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").packetInformation(true).readAhead(readAhead).open())) {
      up(tun);
      send(1, 172);
      ByteBuffer small = ByteBuffer.allocate(4 + 40);
      assertThat(tun.read(small)).isEqualTo(44);
      assertThat(small.position()).isEqualTo(44);
      PacketInformation pi = PacketInformation.readFrom(small.flip());
      assertThat(pi.protocol()).isEqualTo(0x0800);
      assertThat(pi.truncated()).isTrue();
      assertThat(small.get(4)).isEqualTo((byte) 0x45);
      assertThat(small.getShort(4 + 2)).as("the IPv4 total length of the whole packet").isEqualTo((short) 200);

      send(1, 172);
      ByteBuffer roomy = ByteBuffer.allocate(2048);
      assertThat(tun.read(roomy)).isEqualTo(4 + 200);
      assertThat(PacketInformation.readFrom(roomy.flip()).truncated()).isFalse();
    }
  }

  @ParameterizedTest(name = "read-ahead {0}")
  @ValueSource(ints = {ONE_AT_A_TIME, DeviceOptions.DEFAULT_READ_AHEAD})
  void aBurstLargerThanTheReadAheadArrivesWholeAndInOrder(int readAhead) throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").readAhead(readAhead).open())) {
      up(tun);
      int count = 5 * DeviceOptions.DEFAULT_READ_AHEAD;
      send(count, 4);
      ByteBuffer packet = ByteBuffer.allocateDirect(2048);
      List<Integer> sequence = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        packet.clear();
        assertThat(tun.read(packet)).isEqualTo(32);
        sequence.add(packet.getInt(28));
      }
      assertThat(sequence).isSortedAccordingTo(Integer::compare).hasSize(count).doesNotHaveDuplicates();
      assertThat(sequence.get(count - 1)).isEqualTo(count - 1);
    }
  }

  @ParameterizedTest(name = "read-ahead {0}")
  @ValueSource(ints = {ONE_AT_A_TIME, DeviceOptions.DEFAULT_READ_AHEAD})
  void closeWakesABlockedReaderAndTheDeviceGoesAtOnce(int readAhead) throws Exception {
    TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").readAhead(readAhead).open());
    up(tun);
    send(3, 4);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] idleCpu = new long[1];
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
      try {
        ByteBuffer packet = ByteBuffer.allocateDirect(2048);
        for (int i = 0; i < 3; i++) {
          tun.read(packet.clear());
        }
        long before = threads.getCurrentThreadCpuTime();
        int n = tun.read(packet.clear());
        idleCpu[0] = threads.getCurrentThreadCpuTime() - before;
        return n;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(500);
    assertThat(reader).isNotDone();
    long start = System.nanoTime();
    tun.close();
    assertThat(reader.get(1, TimeUnit.SECONDS)).isEqualTo(DeviceQueue.CLOSED);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
    assertThat(TimeUnit.NANOSECONDS.toMillis(idleCpu[0])).as("CPU of 0.5 s blocked with nothing to read").isLessThan(20);
    assertThat(ns.ip("link")).as("the device goes with its last descriptor, read-ahead included").doesNotContain("tl-tun0");
  }

  @ParameterizedTest(name = "read-ahead {0}")
  @ValueSource(ints = {ONE_AT_A_TIME, DeviceOptions.DEFAULT_READ_AHEAD})
  void otherThreadsTakeOverReadingWhetherTheFirstEndedOrIdles(int readAhead) throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").readAhead(readAhead).open())) {
      up(tun);
      CompletableFuture<Integer> ending = new CompletableFuture<>();
      Thread ended = new Thread(() -> ending.complete(readOne(tun)));
      ended.start();
      send(1, 4);
      assertThat(ending.get(5, TimeUnit.SECONDS)).isEqualTo(32);
      ended.join();

      CompletableFuture<Integer> pooled = CompletableFuture.supplyAsync(() -> readOne(tun));
      send(1, 4);
      assertThat(pooled.get(5, TimeUnit.SECONDS)).as("read by a thread that then idles in its pool").isEqualTo(32);

      CompletableFuture<Integer> third = new CompletableFuture<>();
      new Thread(() -> third.complete(readOne(tun))).start();
      send(1, 4);
      assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(32);
    }
  }

  private static int readOne(TunTapDevice tun) {
    try {
      return tun.read(ByteBuffer.allocateDirect(2048));
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  /** Brings the device up with IPv4 only, so the kernel sends it nothing but what a test sends. */
  private void up(TunTapDevice device) {
    ns.exec("sysctl", "-qw", "net.ipv6.conf." + device.name() + ".disable_ipv6=1").orThrow();
    ns.ip("addr", "add", "198.18.0.1/24", "dev", device.name());
    ns.ip("link", "set", device.name(), "up");
  }

  /** Sends {@code count} UDP datagrams of {@code size} bytes into the TUN, each starting with its number. */
  private void send(int count, int size) throws Exception {
    inside.call(() -> {
      try (DatagramChannel udp = DatagramChannel.open()) {
        for (int i = 0; i < count; i++) {
          ByteBuffer payload = ByteBuffer.allocate(size);
          payload.putInt(0, i);
          udp.send(payload, new InetSocketAddress("198.18.0.2", 9000));
        }
      }
      return null;
    });
  }

  private static boolean kernelAtLeast(int major, int minor) throws IOException {
    String[] release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim().split("[.-]");
    int have = Integer.parseInt(release[0]) * 1000 + Integer.parseInt(release[1]);
    return have >= major * 1000 + minor;
  }
}
