package io.github.tuntaplab.tunlib.capture;

import io.github.tuntaplab.tunlib.packet.LinkType;
import io.github.tuntaplab.tunlib.scheduling.ThreadScheduling;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;

/**
 * Live capture on one link through libpcap (Debian's {@code libpcap0.8}), what {@code tcpdump -i
 * LINK} sees: a thread of its own hands every frame to a {@link Listener} until {@link #close()}.
 *
 * <p>The capture socket belongs to the network namespace of the thread that calls {@link #start}
 * (open it on a namespace's thread to capture there); the loop then runs on its own thread.
 * Immediate mode delivers each frame at once; {@code close()} wakes the loop with
 * {@code pcap_breakloop} (libpcap 1.10 wakes a blocked poll), so an idle link holds no thread
 * for ever.
 */
public final class LiveCapture implements Closeable {
  private static final int SNAP_LENGTH = 262_144;
  private static final int BUFFER_BYTES = 1 << 20;

  private final String link;
  private final PcapHandle handle;
  private final LinkType linkType;
  private final Thread thread;
  private volatile boolean closing;
  private volatile Exception failure;

  /** Receives frames on the capture's thread; the array is the listener's to keep. */
  @FunctionalInterface
  public interface Listener {
    void packet(Instant timestamp, byte[] data, int originalLength);
  }

  private LiveCapture(String link, PcapHandle handle, int niceness, CountDownLatch prioritySet, Listener listener) {
    this.link = link;
    this.handle = handle;
    this.linkType = LinkType.of(handle.getDlt().value() == 12 ? LinkType.RAW.value() : handle.getDlt().value());
    this.thread = new Thread(() -> {
      try {
        ThreadScheduling.yieldCurrentThreadAtLeast(niceness);
      } finally {
        prioritySet.countDown();
      }
      run(listener);
    }, "capture " + link);
    thread.setDaemon(true);
  }

  /**
   * Opens {@code link} in the calling thread's namespace, promiscuous, and starts delivering its
   * frames to {@code listener}.
   *
   * @throws IOException naming the link and libpcap's reason (no such device, no permission,
   *     libpcap missing)
   */
  public static LiveCapture start(String link, Listener listener) throws IOException {
    return start(link, 0, listener);
  }

  /**
   * As {@link #start(String, Listener)}, with the capture's thread at nice value {@code niceness} or
   * above (set before this returns), so that what observes yields to the traffic it observes. Where
   * the kernel refuses, the thread keeps its priority.
   */
  public static LiveCapture start(String link, int niceness, Listener listener) throws IOException {
    Objects.requireNonNull(listener, "listener");
    if (niceness < 0 || niceness > 19) {
      throw new IllegalArgumentException("a capture yields with a nice value from 0 to 19, not " + niceness);
    }
    PcapHandle handle;
    try {
      handle = new PcapHandle.Builder(link).snaplen(SNAP_LENGTH).promiscuousMode(PromiscuousMode.PROMISCUOUS)
          .timeoutMillis(100).bufferSize(BUFFER_BYTES).immediateMode(true)
          .timestampPrecision(PcapHandle.TimestampPrecision.NANO).build();
    } catch (PcapNativeException | RuntimeException | LinkageError e) {
      throw new IOException("cannot capture on " + link + " (libpcap: " + e.getMessage()
          + "; it needs CAP_NET_RAW and Debian's libpcap0.8)", e);
    }
    CountDownLatch prioritySet = new CountDownLatch(1);
    LiveCapture capture = new LiveCapture(link, handle, niceness, prioritySet, listener);
    try {
      capture.thread.start();
    } catch (OutOfMemoryError e) {
      handle.close();
      throw new IOException("cannot start a thread to capture on " + link + ": " + e.getMessage(), e);
    }
    // Microseconds: waited for whole, so that the thread's priority is set when this returns.
    boolean interrupted = false;
    while (true) {
      try {
        prioritySet.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return capture;
  }

  /** libpcap's version line ({@code libpcap version 1.10.3 …}), or why it cannot be loaded. */
  public static String libraryVersion() throws IOException {
    try {
      return Pcaps.libVersion();
    } catch (RuntimeException | LinkageError e) {
      throw new IOException("cannot load libpcap (Debian: apt-get install libpcap0.8): " + e.getMessage(), e);
    }
  }

  public String link() {
    return link;
  }

  /** The link type libpcap reports, as a file stores it (ETHERNET for a veth or TAP, RAW for a TUN). */
  public LinkType linkType() {
    return linkType;
  }

  /** What ended the capture other than {@link #close()}, or null. */
  public Exception failure() {
    return failure;
  }

  private void run(Listener listener) {
    try {
      handle.loop(-1, (byte[] data) -> {
        Instant time = handle.getTimestamp().toInstant();
        Integer original = handle.getOriginalLength();
        listener.packet(time, data, original == null ? data.length : original);
      });
    } catch (InterruptedException e) {
      // pcap_breakloop: close() asked the loop to end.
    } catch (PcapNativeException | NotOpenException | RuntimeException e) {
      if (!closing) {
        failure = e;
      }
    }
  }

  /** Stops the loop, waits for its thread to leave libpcap, then frees the handle. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      handle.breakLoop();
      thread.join(2000);
    } catch (NotOpenException e) {
      // Already closed: nothing to wake.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      handle.close();
    }
  }
}
