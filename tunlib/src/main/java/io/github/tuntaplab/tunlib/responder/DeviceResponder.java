package io.github.tuntaplab.tunlib.responder;

import io.github.tuntaplab.tunlib.device.DeviceKind;
import io.github.tuntaplab.tunlib.device.DeviceQueue;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link Responder} on a device: a thread reads every packet the kernel sends into the
 * device, writes back the reply when there is one, and ends when the device is closed. With it,
 * {@code ping} through a TUN or TAP works with no other host.
 *
 * <pre>{@code
 * try (TunTapDevice tap = TunTapDevice.tap("tl-tap0").open()) {
 *   DeviceResponder.serve(tap, Responder.forTap(mac, List.of(InetAddress.getByName("198.19.0.2"))));
 *   // … ping 198.19.0.2 …
 * }
 * }</pre>
 */
public final class DeviceResponder {
  private final Thread thread;
  private volatile IOException failure;

  private DeviceResponder(TunTapDevice device, Responder responder, Consumer<ByteBuffer> observer,
      Consumer<ByteBuffer> replyObserver) {
    if (device.hasVnetHeader()) {
      throw new IllegalArgumentException(device.name() + " has the vnet header: the responder answers plain packets; "
          + "open the device without vnetHeader(true)");
    }
    if (responder.isTap() != (device.kind() == DeviceKind.TAP)) {
      throw new IllegalArgumentException("a " + (responder.isTap() ? "TAP" : "TUN") + " responder cannot serve "
          + device.kind() + " device " + device.name());
    }
    this.thread = new Thread(() -> run(device, responder, observer, replyObserver), "responder " + device.name());
    thread.setDaemon(true);
  }

  /** Starts answering on {@code device}'s first queue until the device is closed. */
  public static DeviceResponder serve(TunTapDevice device, Responder responder) {
    return serve(device, responder, packet -> { });
  }

  /**
   * As {@link #serve(TunTapDevice, Responder)}, also showing {@code observer} every packet read (a
   * read-only view, valid during the call), answered or not: a lesson sees what the kernel sent.
   */
  public static DeviceResponder serve(TunTapDevice device, Responder responder, Consumer<ByteBuffer> observer) {
    return serve(device, responder, observer, reply -> { });
  }

  /**
   * As {@link #serve(TunTapDevice, Responder, Consumer)}, also showing {@code replyObserver} every
   * reply before it is written into the device (a read-only view from its IP or Ethernet header):
   * both directions of the conversation, e.g. to record them.
   */
  public static DeviceResponder serve(TunTapDevice device, Responder responder, Consumer<ByteBuffer> observer,
      Consumer<ByteBuffer> replyObserver) {
    DeviceResponder running = new DeviceResponder(device, responder, observer, replyObserver);
    running.thread.start();
    return running;
  }

  /** Waits for the loop to end (the device was closed); false if it still runs after the timeout. */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(unit.toMillis(timeout));
    return !thread.isAlive();
  }

  /** The read or write error that ended the loop, if one did. */
  public IOException failure() {
    return failure;
  }

  private void run(TunTapDevice device, Responder responder, Consumer<ByteBuffer> observer,
      Consumer<ByteBuffer> replyObserver) {
    int prefix = device.hasPacketInformation() ? PacketInformation.LENGTH : 0;
    ByteBuffer request = ByteBuffer.allocateDirect(65_536);
    ByteBuffer reply = ByteBuffer.allocateDirect(65_536);
    DeviceQueue queue = device.queue(0);
    try {
      while (queue.read(request.clear()) != DeviceQueue.CLOSED) {
        request.flip();
        observer.accept(request.asReadOnlyBuffer());
        int length = responder.respond(request.position(prefix), reply.clear().position(prefix));
        if (length > 0) {
          replyObserver.accept(reply.asReadOnlyBuffer().limit(prefix + length).position(prefix));
          if (prefix > 0) {
            int etherType = (reply.get(prefix) & 0xf0) == 0x60 ? 0x86dd : 0x0800;
            new PacketInformation(0, etherType).writeTo(reply.position(0));
          }
          queue.write(reply.position(0).limit(prefix + length));
        }
      }
    } catch (IOException e) {
      if (device.isOpen()) {
        failure = e;
      }
    }
  }
}
