package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.capture.Direction;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One packet the lab captured, as its subscribers see it (and as the pcapng stream holds it).
 * Immutable: the bytes are copied in, and handed out as copies or read-only views.
 *
 * @param direction on a TUN or TAP, {@link Direction#OUTBOUND} is what the program behind it read
 *     (the kernel sent it out of the device), {@link Direction#INBOUND} what it wrote; on a veth
 *     libpcap does not tell, so it is {@link Direction#UNKNOWN}
 * @param comment the step comment this packet carries ({@link Lab#step}), or null
 */
public record LabPacket(LabDevice device, Instant timestamp, byte[] data, int originalLength, Direction direction,
    String comment) {
  public LabPacket {
    data = data.clone();
  }

  /** A copy of the captured bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The captured bytes as a read-only view, without copying. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  public int length() {
    return data.length;
  }

  /** Whether it was seen on {@code link} in the namespace playing {@code role}. */
  public boolean on(String role, String link) {
    return device.role().equals(role) && device.link().equals(link);
  }
}
