package io.github.tuntaplab.tunlib.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tuntaplab.tunlib.ClosedDeviceException;
import io.github.tuntaplab.tunlib.NativeCallException;
import io.github.tuntaplab.tunlib.testsupport.LiveTest;
import io.github.tuntaplab.tunlib.testsupport.NamespacePerTest;
import io.github.tuntaplab.tunlib.testsupport.Prerequisites;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real devices in a throwaway namespace, with the kernel on the other side. */
@LiveTest
class DeviceLiveTest extends NamespacePerTest {



  @Test
  void tunGetsTheBareIpPacketTheKernelRoutesIntoIt() throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun%d").open())) {
      assertThat(tun.name()).isEqualTo("tl-tun0");
      up(tun, "198.18.0.1/24");
      ping("198.18.0.2");
      ByteBuffer packet = ByteBuffer.allocateDirect(tun.maxPacketSize());
      readUntil(tun, packet, p -> p.get(0) == 0x45 && p.get(9) == 1);
      assertThat(packet.position()).as("an ICMP echo request with 56 bytes of data").isEqualTo(84);
      assertThat(bytes(packet, 16, 4)).containsExactly(198, 18, 0, 2);
      assertThat(tun.linkType().value()).isEqualTo(101);
      assertThat(tun.linkHeaderLength()).isZero();
    }
  }

  @Test
  void tapGetsAnEthernetFrameAndAnArpRequestComesFirst() throws Exception {
    try (TunTapDevice tap = inside.call(() -> TunTapDevice.tap("tl-tap0").open())) {
      up(tap, "198.19.0.1/24");
      ping("198.19.0.2");
      ByteBuffer frame = ByteBuffer.allocateDirect(tap.maxPacketSize());
      readUntil(tap, frame, f -> f.getShort(12) == 0x0806);
      assertThat(frame.position()).as("the kernel's ARP request, 42 bytes, unpadded").isEqualTo(42);
      assertThat(bytes(frame, 0, 6)).as("broadcast").containsOnly(0xff);
      assertThat(bytes(frame, 6, 6)).containsExactly(toInts(tap.info().mac().orElseThrow().toByteArray()));
      assertThat(bytes(frame, 38, 4)).as("who-has 198.19.0.2").containsExactly(198, 19, 0, 2);
      assertThat(tap.linkType().value()).isEqualTo(1);
      assertThat(tap.linkHeaderLength()).isEqualTo(14);
    }
  }

  @Test
  void packetInformationIsThereExactlyWhenAskedFor() throws Exception {
    try (TunTapDevice plain = inside.call(() -> TunTapDevice.tun("tl-tun0").open());
        TunTapDevice withPi = inside.call(() -> TunTapDevice.tun("tl-tun1").packetInformation(true).open())) {
      up(plain, "198.18.0.1/24");
      up(withPi, "198.18.1.1/24");
      ping("198.18.0.2");
      ping("198.18.1.2");
      ByteBuffer packet = ByteBuffer.allocateDirect(2048);
      readUntil(plain, packet, p -> p.get(9) == 1);
      assertThat(packet.get(0)).isEqualTo((byte) 0x45);
      readUntil(withPi, packet, p -> p.get(4 + 9) == 1);
      PacketInformation pi = PacketInformation.readFrom(packet.flip());
      assertThat(pi).isEqualTo(new PacketInformation(0, 0x0800));
      assertThat(packet.get(4)).isEqualTo((byte) 0x45);
      assertThat(packet.limit()).isEqualTo(4 + 84);
    }
  }

  @Test
  void twoQueuesBothReceiveTraffic() throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-mq0").queues(2).open())) {
      assertThat(tun.queueCount()).isEqualTo(2);
      up(tun, "198.18.0.1/24");
      inside.call(() -> {
        for (int flow = 0; flow < 64; flow++) {
          try (DatagramChannel udp = DatagramChannel.open()) {
            udp.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), new InetSocketAddress("198.18.0.2", 40000 + flow));
          }
        }
        return null;
      });
      int[] perQueue = new int[2];
      ByteBuffer packet = ByteBuffer.allocateDirect(2048);
      for (DeviceQueue queue : tun.queues()) {
        queue.setBlocking(false);
        while (queue.read(packet.clear()) > 0) {
          if (packet.get(9) == 17) {
            perQueue[queue.index()]++;
          }
        }
      }
      assertThat(perQueue[0] + perQueue[1]).isEqualTo(64);
      assertThat(perQueue).as("flows spread over both queues").doesNotContain(0);
    }
  }

  @Test
  void linkInfoShowsWhatIpLinkShows() throws Exception {
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").open());
        TunTapDevice tap = inside.call(() -> TunTapDevice.tap("tl-tap0").open())) {
      up(tun, "198.18.0.1/24");
      for (TunTapDevice device : new TunTapDevice[] {tun, tap}) {
        String ip = ns.ip("-d", "link", "show", "dev", device.name());
        LinkInfo info = device.info();
        assertThat(ip).contains(device.name() + ": " + info.flags() + " mtu " + info.mtu() + " ");
        assertThat(ip).contains("tun type " + device.kind().iproute2Mode());
        info.mac().ifPresent(mac -> assertThat(ip).contains("link/ether " + mac + " "));
      }
      assertThat(tun.info().flags().names()).contains("POINTOPOINT", "NOARP").doesNotContain("BROADCAST");
      assertThat(tun.info().mac()).isEmpty();
      assertThat(tap.info().flags().names()).contains("BROADCAST").doesNotContain("NOARP");
    }
  }

  @Test
  void closeWakesABlockedReaderPromptly() throws Exception {
    TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").open());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] readerCpu = new long[1];
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
      try {
        long tid = Thread.currentThread().getId();
        CompletableFuture.runAsync(() -> { }).join();
        int n = tun.read(ByteBuffer.allocateDirect(2048));
        readerCpu[0] = threads.getThreadCpuTime(tid);
        return n;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(500);
    assertThat(reader).isNotDone();
    long start = System.nanoTime();
    tun.close();
    int outcome = reader.get(1, TimeUnit.SECONDS);
    long wokeAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(outcome).isEqualTo(DeviceQueue.CLOSED);
    assertThat(wokeAfterMillis).as("close() returned after the reader left").isLessThan(100);
    assertThat(TimeUnit.NANOSECONDS.toMillis(readerCpu[0]))
        .as("CPU the reader used in its whole life, 0.5 s of it blocked").isLessThan(100);
    assertThat(tun.read(ByteBuffer.allocateDirect(64))).isEqualTo(DeviceQueue.CLOSED);
    assertThatThrownBy(() -> tun.write(ByteBuffer.allocateDirect(64)))
        .isInstanceOf(ClosedDeviceException.class).hasMessageContaining("tl-tun0 is closed");
    assertThat(ns.ip("link")).as("a non-persistent device goes with its last descriptor").doesNotContain("tl-tun0");
  }

  @Test
  void aSecondAttachToASingleQueueDeviceIsBusy() throws Exception {
    try (TunTapDevice first = inside.call(() -> TunTapDevice.tun("tl-tun0").open())) {
      assertThatThrownBy(() -> inside.call(() -> TunTapDevice.tun("tl-tun0").open()))
          .isInstanceOfSatisfying(NativeCallException.class, e -> {
            assertThat(e.errnoName()).isEqualTo("EBUSY");
            assertThat(e.call()).isEqualTo("ioctl(TUNSETIFF)");
          })
          .hasMessageContaining("already attached");
      assertThat(first.isOpen()).isTrue();
    }
  }

  @Test
  void attachingWithOtherFlagsIsRefusedAndNamesThem() throws Exception {
    ns.ip("tuntap", "add", "dev", "tl-tap0", "mode", "tap");
    assertThatThrownBy(() -> inside.call(() -> TunTapDevice.tap("tl-tap0").packetInformation(true).open()))
        .hasMessageContaining("tl-tap0 exists with packet information off (asked: on)");
    assertThatThrownBy(() -> inside.call(() -> TunTapDevice.tun("tl-tap0").open()))
        .hasMessageContaining("tl-tap0 is a TAP device, but a TUN was asked for");
    assertThatThrownBy(() -> inside.call(() -> TunTapDevice.tap("tl-tap0").queues(2).open()))
        .hasMessageContaining("single-queue device, but 2 queues");
    assertThat(ns.ip("-d", "link", "show", "tl-tap0")).as("refusing changed nothing").contains("tun type tap pi off vnet_hdr off");
    try (TunTapDevice attached = inside.call(() -> TunTapDevice.existing("tl-tap0").open())) {
      assertThat(attached.kind()).isEqualTo(DeviceKind.TAP);
    }
    try (TunTapDevice overridden = inside.call(() -> TunTapDevice.tap("tl-tap0").packetInformation(true)
        .overrideFlags().open())) {
      assertThat(overridden.hasPacketInformation()).isTrue();
      assertThat(ns.ip("-d", "link", "show", "tl-tap0")).as("the override switched the device").contains("pi on");
    }
  }

  @Test
  void attachingToAMissingDeviceSaysHowToCreateIt() {
    assertThatThrownBy(() -> inside.call(() -> TunTapDevice.existing("tl-nothere").open()))
        .hasMessageContaining("no TUN/TAP device named tl-nothere")
        .hasMessageContaining("ip tuntap add dev tl-nothere");
  }

  @Test
  void aNameLongerThan15BytesIsRefusedBeforeAnySyscall() {
    assertThatThrownBy(() -> TunTapDevice.tap("tl-a-name-too-long"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is 18 bytes long; Linux allows at most 15");
    assertThatThrownBy(() -> TunTapDevice.tun("tl/x")).hasMessageContaining("'/'");
  }

  @Test
  void persistentDevicesOutliveTheirDescriptor() throws Exception {
    try (TunTapDevice tap = inside.call(() -> TunTapDevice.tap("tl-tap0").persistent(true).open())) {
      assertThat(tap.isOpen()).isTrue();
    }
    assertThat(ns.ip("-d", "link", "show", "tl-tap0")).contains("tun type tap").contains("persist on");
    try (TunTapDevice again = inside.call(() -> TunTapDevice.existing("tl-tap0").open())) {
      again.setPersistent(false);
    }
    assertThat(ns.ip("link")).doesNotContain("tl-tap0");
  }

  @Test
  void offloadsAreAppliedWithTheVnetHeaderAndClearedWhenNotAskedFor() throws Exception {
    Prerequisites.requireTool("ethtool");
    try (TunTapDevice tun = inside.call(() -> TunTapDevice.tun("tl-tun0").persistent(true).vnetHeader(true)
        .offloads(EnumSet.of(Offload.CHECKSUM, Offload.TSO4)).open())) {
      assertThat(ns.exec("ethtool", "-k", "tl-tun0").stdout())
          .contains("tx-checksumming: on").contains("tcp-segmentation-offload: on");
      up(tun, "198.18.0.1/24");
      ping("198.18.0.2");
      ByteBuffer packet = ByteBuffer.allocateDirect(tun.maxPacketSize());
      readUntil(tun, packet, p -> p.get(10) == 0x45 && p.get(10 + 9) == 1);
      assertThat(packet.position()).as("10-byte virtio-net header, then the IP packet").isEqualTo(10 + 84);
    }
    try (TunTapDevice again = inside.call(() -> TunTapDevice.tun("tl-tun0").vnetHeader(true).persistent(false).open())) {
      assertThat(ns.exec("ethtool", "-k", "tl-tun0").stdout())
          .contains("tx-checksumming: off").contains("tcp-segmentation-offload: off");
    }
  }

  @Test
  void theFeatureProbeSeesTheDriver() throws Exception {
    TunTapSupport.Features features = TunTapSupport.features();
    assertThat(features.tun()).isTrue();
    assertThat(features.tap()).isTrue();
    assertThat(features.multiQueue()).isTrue();
    assertThat(TunTapSupport.isAvailable()).isTrue();
    assertThat(TunTapSupport.unavailabilityCause()).isEmpty();
  }

  private void up(TunTapDevice device, String address) {
    ns.ip("addr", "add", address, "dev", device.name());
    ns.ip("link", "set", device.name(), "up");
  }

  /** Starts a ping in the background; the packets are what the test reads. */
  private void ping(String address) {
    ns.start("ping", "-c", "3", "-i", "0.2", "-W", "1", address);
  }

  private static void readUntil(TunTapDevice device, ByteBuffer into, java.util.function.Predicate<ByteBuffer> wanted)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    device.queue(0).setBlocking(false);
    while (System.nanoTime() < deadline) {
      into.clear();
      int n = device.read(into);
      if (n > 0 && wanted.test(into)) {
        return;
      }
      if (n == 0) {
        Thread.sleep(5);
      }
    }
    throw new AssertionError("no matching packet on " + device.name() + " within 5 s");
  }

  private static int[] bytes(ByteBuffer buffer, int offset, int length) {
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = buffer.get(offset + i) & 0xff;
    }
    return out;
  }

  private static int[] toInts(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xff;
    }
    return out;
  }
}
