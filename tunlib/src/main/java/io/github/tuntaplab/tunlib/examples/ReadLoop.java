package io.github.tuntaplab.tunlib.examples;

import io.github.tuntaplab.tunlib.device.DeviceKind;
import io.github.tuntaplab.tunlib.device.DeviceQueue;
import io.github.tuntaplab.tunlib.device.TunTapDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The read loop every TUN/TAP program starts from (the seed's Go example with songgao/water, in
 * Java): open a device, then read it like a file and look at what the kernel hands over.
 *
 * <pre>java … ReadLoop tun|tap [NAME]   (default name tl-tun%d / tl-tap%d)</pre>
 */
public final class ReadLoop {
  private ReadLoop() {}

  public static void main(String[] args) throws IOException {
    DeviceKind kind = args.length > 0 && args[0].equalsIgnoreCase("tap") ? DeviceKind.TAP : DeviceKind.TUN;
    String name = args.length > 1 ? args[1] : "tl-" + kind.iproute2Mode() + "%d";

    // 1. Create the device: like `ip tuntap add dev NAME mode tun`, but it lives only while we run.
    try (TunTapDevice device = (kind == DeviceKind.TAP ? TunTapDevice.tap(name) : TunTapDevice.tun(name)).open()) {
      Runtime.getRuntime().addShutdownHook(new Thread(device::close));
      System.out.println("Interface name: " + device.name() + " (" + kind + ", link type "
          + device.linkType().name() + ")");
      System.out.flush();

      ByteBuffer buffer = ByteBuffer.allocateDirect(device.maxPacketSize());
      // 2. Read one packet at a time; each read returns when the kernel sends something into the device.
      while (device.read(buffer.clear()) != DeviceQueue.CLOSED) {
        // 3. A TUN hands over a bare IP packet; a TAP an Ethernet frame with a 14-byte MAC header first.
        int length = buffer.position();
        if (kind == DeviceKind.TUN) {
          System.out.printf("TUN read %4d bytes: IPv%d packet%n", length, (buffer.get(0) & 0xff) >> 4);
        } else {
          System.out.printf("TAP read %4d bytes: Ethernet frame, EtherType 0x%04x%s%n", length,
              buffer.getShort(12) & 0xffff, etherTypeName(buffer.getShort(12) & 0xffff));
        }
        System.out.flush();
      }
    }
  }

  private static String etherTypeName(int etherType) {
    return switch (etherType) {
      case 0x0800 -> " (IPv4)";
      case 0x0806 -> " (ARP)";
      case 0x86dd -> " (IPv6)";
      default -> "";
    };
  }
}
