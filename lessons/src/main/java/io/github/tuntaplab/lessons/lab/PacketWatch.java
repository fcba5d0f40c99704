package io.github.tuntaplab.lessons.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A checkpoint's eye on the lab: collects every captured packet that satisfies a condition, from
 * the moment {@link Lab#watch} is called. Start watching before the action, then await:
 *
 * <pre>{@code
 * try (PacketWatch arp = lab.watch(p -> p.on("client", "tl-tap0") && p.buffer().getShort(12) == 0x0806)) {
 *   lab.run("client", Duration.ofSeconds(5), "ping", "-c1", "198.19.0.2");
 *   boolean seen = arp.await(Duration.ofSeconds(2)).isPresent();
 * }
 * }</pre>
 */
public final class PacketWatch implements AutoCloseable {
  private final Predicate<LabPacket> condition;
  private final List<LabPacket> matches = new ArrayList<>();
  private AutoCloseable subscription;

  PacketWatch(Predicate<LabPacket> condition) {
    this.condition = condition;
  }

  void subscribeTo(Lab lab) {
    subscription = lab.subscribe(this::offer);
  }

  private synchronized void offer(LabPacket packet) {
    if (condition.test(packet)) {
      matches.add(packet);
      notifyAll();
    }
  }

  /** The first matching packet, waiting up to {@code timeout} for one; empty if none came. */
  public synchronized Optional<LabPacket> await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (matches.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return Optional.of(matches.get(0));
  }

  /** Every matching packet so far. */
  public synchronized List<LabPacket> matches() {
    return List.copyOf(matches);
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}
