package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.InterfaceStatistics;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Where every device's packets meet: one order for all of them, the pending step comment attached
 * to the next packet, then each subscriber and each live pcapng stream gets the packet. Capture
 * threads call {@link #record}; a slow stream reader loses packets (counted, and told) rather than
 * stall them.
 */
final class LabCapture implements AutoCloseable {
  /** Packets a stream's reader may fall behind by; beyond, packets are dropped for it (and counted). */
  private static final int STREAM_BACKLOG = 8192;
  /** The same in bytes: a stream's hand-over never holds more. */
  private static final long STREAM_BACKLOG_BYTES = 32L << 20;
  /** Packets written at most between two flushes. */
  private static final int BATCH = 1024;
  /** How long a batch gathers after its first packet: a packet reaches the reader within about this. */
  private static final long BATCH_LINGER_NANOS = 2_000_000;

  /**
   * The nice value of the lab's capture threads and of its streams to windows: what observes yields
   * to the traffic it observes and to the window that shows it (on two cores at full rate, the
   * window's frames waited for a core half as long). A capture that cannot keep up drops, and counts.
   */
  static final int OBSERVER_NICENESS = 10;

  private final List<LabDevice> devices;
  private final List<DecryptionSecrets> secrets;
  private final List<Consumer<LabPacket>> subscribers = new CopyOnWriteArrayList<>();
  private final List<PcapngStream> streams = new CopyOnWriteArrayList<>();
  private String pendingComment;
  private long packets;
  private boolean closed;

  /** @param secrets Decryption Secrets Blocks each stream carries after its interfaces (the lab's tunnel key) */
  LabCapture(List<LabDevice> devices, List<DecryptionSecrets> secrets) {
    this.devices = List.copyOf(devices);
    this.secrets = List.copyOf(secrets);
  }

  void record(LabDevice device, Instant timestamp, byte[] data, int originalLength, Direction direction) {
    record(device, timestamp, data, originalLength, direction, null);
  }

  /** As above, for a TUN whose program reads the packet-information header {@code header} before each packet. */
  synchronized void record(LabDevice device, Instant timestamp, byte[] data, int originalLength, Direction direction,
      PacketInformation header) {
    if (closed) {
      return;
    }
    LabPacket packet = new LabPacket(device, timestamp, data, originalLength, direction, pendingComment,
        Optional.ofNullable(header));
    pendingComment = null;
    packets++;
    for (Consumer<LabPacket> subscriber : subscribers) {
      try {
        subscriber.accept(packet);
      } catch (RuntimeException e) {
        // A faulty subscriber loses its packet; the others and the capture go on.
      }
    }
    for (PcapngStream stream : streams) {
      stream.offer(packet);
    }
  }

  /** Attaches {@code comment} to the next packet captured on any device. */
  synchronized void step(String comment) {
    pendingComment = pendingComment == null ? comment : pendingComment + "\n" + comment;
  }

  synchronized long packetCount() {
    return packets;
  }

  AutoCloseable subscribe(Consumer<LabPacket> subscriber) {
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /**
   * Starts writing the live pcapng stream (a section header, one interface per device, then every
   * packet as it comes) to {@code out} on a thread of its own; {@link PcapngStream#await()} returns
   * when the reader went away or the lab closed.
   */
  PcapngStream stream(WritableByteChannel out) {
    PcapngStream stream = new PcapngStream(out);
    synchronized (this) {
      if (closed) {
        stream.end();
      } else {
        streams.add(stream);
      }
    }
    stream.thread.start();
    return stream;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (PcapngStream stream : streams) {
      stream.end();
    }
  }

  /**
   * One reader of the live stream. Between the capture threads and the socket lies a bounded
   * hand-over ({@link #STREAM_BACKLOG} packets, {@link #STREAM_BACKLOG_BYTES} bytes); a packet that
   * finds it full is dropped for this reader and counted, per device, and the count reaches the
   * reader in an Interface Statistics Block ({@code isb_ifdrop}) with the next batch. The stream's
   * thread writes the packets in batches, at most one flush (one system call) every
   * {@link #BATCH_LINGER_NANOS} or {@link #BATCH} packets, not one per packet.
   */
  final class PcapngStream {
    private final LabPacket end = new LabPacket(null, Instant.EPOCH, new byte[0], 0, Direction.UNKNOWN, null);
    private final BlockingQueue<LabPacket> queue = new ArrayBlockingQueue<>(STREAM_BACKLOG);
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Per device (by interface number): packets captured since this reader came, and those dropped for it. */
    private final AtomicLongArray received = new AtomicLongArray(devices.size());
    private final AtomicLongArray dropped = new AtomicLongArray(devices.size());
    private final WritableByteChannel out;
    private final Thread thread;
    private volatile String problem;

    private PcapngStream(WritableByteChannel out) {
      this.out = out;
      this.thread = new Thread(this::run, "lab pcapng stream");
      thread.setDaemon(true);
    }

    /** Capture thread, under the capture's lock: hands the packet over, or counts it dropped. */
    private void offer(LabPacket packet) {
      int device = packet.device().interfaceId();
      received.incrementAndGet(device);
      int length = packet.data().length;
      if (queuedBytes.get() + length > STREAM_BACKLOG_BYTES || !queue.offer(packet)) {
        dropped.incrementAndGet(device);
        return;
      }
      queuedBytes.addAndGet(length);
    }

    /** The packets waiting still go out first; when they fill the hand-over, the oldest makes room (counted). */
    private void end() {
      while (!queue.offer(end)) {
        LabPacket lost = queue.poll();
        if (lost != null) {
          queuedBytes.addAndGet(-lost.data().length);
          dropped.incrementAndGet(lost.device().interfaceId());
        }
      }
    }

    private void run() {
      ThreadScheduling.yieldCurrentThreadAtLeast(OBSERVER_NICENESS);
      try (PcapngWriter writer = PcapngWriter.to(out, false)) {
        for (LabDevice device : devices) {
          writer.addInterface(device.linkType(), device.link(), device.description(), 0);
        }
        for (DecryptionSecrets block : secrets) {
          writer.writeDecryptionSecrets(block);
        }
        writer.flush();
        long[] reported = new long[devices.size()];
        List<LabPacket> batch = new ArrayList<>(BATCH);
        boolean ended = false;
        while (!ended) {
          batch.add(queue.take());
          if (batch.get(0) != end) {
            // Let a batch gather (unless one is already waiting): the capture threads meanwhile hand
            // over without waking this one.
            if (queue.size() < BATCH - 1) {
              LockSupport.parkNanos(BATCH_LINGER_NANOS);
            }
            queue.drainTo(batch, BATCH - 1);
          }
          for (LabPacket packet : batch) {
            if (packet == end) {
              ended = true;
              break;
            }
            byte[] data = packet.data();
            queuedBytes.addAndGet(-data.length);
            writer.write(packet.device().interfaceId(), packet.timestamp(), data, 0, data.length,
                packet.originalLength(), packet.comment(), packet.direction());
          }
          batch.clear();
          reportDrops(writer, reported);
          writer.flush();
        }
      } catch (IOException e) {
        problem = "the reader went away (" + e.getMessage() + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        streams.remove(this);
      }
    }

    /** Writes a statistics block for each device that dropped packets since the last one. */
    private void reportDrops(PcapngWriter writer, long[] reported) throws IOException {
      for (int device = 0; device < reported.length; device++) {
        long now = dropped.get(device);
        if (now != reported[device]) {
          reported[device] = now;
          writer.writeStatistics(new InterfaceStatistics(device, Instant.now(), received.get(device), now));
        }
      }
    }

    /** Waits until the stream has ended; returns why, when it was not the lab closing. */
    String await() throws InterruptedException {
      thread.join();
      return problem;
    }
  }
}
