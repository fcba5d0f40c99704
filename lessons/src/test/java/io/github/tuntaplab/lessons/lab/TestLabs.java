package io.github.tuntaplab.lessons.lab;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Settings for a test's lab: namespaces named {@code tl-l<pid>-<n>-<role>} (other test JVMs' root
 * namespace guards recognise the pattern and leave them be) and a lock and socket in a directory
 * of the test's own, never a real lab's; and a wait for a packet the lab's captures record.
 */
final class TestLabs {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestLabs() {}

  static LabSettings settings(Path directory) {
    return new LabSettings("tl-l" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-", directory);
  }

  /**
   * The data of the first packet {@code watch} caught that {@code wanted} accepts, waiting up to
   * 2 s: a veth's capture thread may record a tunnel's packet B after the tunnel recorded packet A
   * on its TUN.
   */
  static byte[] awaitPacket(PacketWatch watch, Predicate<byte[]> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (true) {
      Optional<byte[]> found = watch.matches().stream().map(LabPacket::data).filter(wanted).findFirst();
      if (found.isPresent() || System.nanoTime() > deadline) {
        return found.orElseThrow(() -> new AssertionError("no such packet caught within 2 s"));
      }
      Thread.sleep(20);
    }
  }

  /** Whether {@code packet} is an Ethernet frame of an IPv4 UDP datagram (without IP options) to {@code port}. */
  static boolean isUdpTo(LabPacket packet, int port) {
    ByteBuffer frame = packet.buffer();
    return frame.limit() >= 42 && frame.getShort(12) == 0x0800 && frame.get(23) == 17
        && (frame.getShort(36) & 0xffff) == port;
  }
}
