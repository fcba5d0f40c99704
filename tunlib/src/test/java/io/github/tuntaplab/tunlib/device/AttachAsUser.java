package io.github.tuntaplab.tunlib.device;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Timer;
import java.util.TimerTask;

/**
 * Run by {@link UnprivilegedLiveTest} as an unprivileged user in its own JVM: {@code attach NAME} attaches
 * to a device and reports the first frame it reads; {@code create NAME} tries to create one.
 * Exit 0 on success, 3 on an error (message on stderr).
 */
public final class AttachAsUser {
  private AttachAsUser() {}

  public static void main(String[] args) {
    try {
      if (args[0].equals("create")) {
        try (TunTapDevice tap = TunTapDevice.tap(args[1]).open()) {
          System.out.println("CREATED " + tap.name());
        }
        return;
      }
      try (TunTapDevice tap = TunTapDevice.existing(args[1]).open()) {
        Timer giveUp = new Timer(true);
        giveUp.schedule(new TimerTask() {
          @Override
          public void run() {
            tap.close();
          }
        }, 10_000);
        System.out.println("ATTACHED " + tap.kind() + " " + tap.name());
        System.out.flush();
        ByteBuffer frame = ByteBuffer.allocateDirect(2048);
        int n = tap.read(frame);
        System.out.printf("READ %d ethertype 0x%04x%n", n, n > 14 ? frame.getShort(12) & 0xffff : 0);
      }
    } catch (IOException e) {
      System.err.println(e.getMessage());
      System.exit(3);
    }
  }
}
