package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.capture.DecryptionSecrets;
import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.capture.PcapngWriter;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where every device's packets meet: one order for all of them, the pending step comment attached
 * to the next packet, then each subscriber and each live pcapng stream gets the packet. Capture
 * threads call {@link #record}; a slow stream reader is cut off rather than allowed to stall them.
 */
final class LabCapture implements AutoCloseable {
  /** Packets a stream may fall behind by before it is cut off. */
  private static final int STREAM_BACKLOG = 8192;

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

  /** One reader of the live stream. */
  final class PcapngStream {
    private final LabPacket end = new LabPacket(null, Instant.EPOCH, new byte[0], 0, Direction.UNKNOWN, null);
    private final BlockingQueue<LabPacket> queue = new ArrayBlockingQueue<>(STREAM_BACKLOG);
    private final WritableByteChannel out;
    private final Thread thread;
    private volatile String problem;

    private PcapngStream(WritableByteChannel out) {
      this.out = out;
      this.thread = new Thread(this::run, "lab pcapng stream");
      thread.setDaemon(true);
    }

    private void offer(LabPacket packet) {
      if (!queue.offer(packet)) {
        problem = "the reader fell " + STREAM_BACKLOG + " packets behind";
        end();
      }
    }

    private void end() {
      queue.clear();
      queue.offer(end);
    }

    private void run() {
      try (PcapngWriter writer = PcapngWriter.to(out, true)) {
        for (LabDevice device : devices) {
          writer.addInterface(device.linkType(), device.link(), device.description(), 0);
        }
        for (DecryptionSecrets block : secrets) {
          writer.writeDecryptionSecrets(block);
        }
        for (LabPacket packet; (packet = queue.take()) != end; ) {
          byte[] data = packet.data();
          writer.write(packet.device().interfaceId(), packet.timestamp(), data, 0, data.length,
              packet.originalLength(), packet.comment(), packet.direction());
        }
      } catch (IOException e) {
        problem = problem == null ? "the reader went away (" + e.getMessage() + ")" : problem;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        streams.remove(this);
      }
    }

    /** Waits until the stream has ended; returns why, when it was not the lab closing. */
    String await() throws InterruptedException {
      thread.join();
      return problem;
    }
  }
}
