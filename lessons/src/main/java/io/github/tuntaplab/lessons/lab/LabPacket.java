package io.github.tuntaplab.lessons.lab;

import io.github.tuntaplab.tunlib.capture.Direction;
import io.github.tuntaplab.tunlib.device.PacketInformation;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;

/**
 * One packet the lab captured, as its subscribers see it (and as the pcapng stream holds it).
 * Immutable: the bytes are copied in, and handed out as copies or read-only views.
 *
 * @param direction on a TUN or TAP, {@link Direction#OUTBOUND} is what the program behind it read
 *     (the kernel sent it out of the device), {@link Direction#INBOUND} what it wrote; on a veth
 *     libpcap does not tell, so it is {@link Direction#UNKNOWN}
 * @param comment the step comment this packet carries ({@link Lab#step}), or null
 * @param packetInformation on a TUN opened without {@code IFF_NO_PI}, the 4-byte header the program
 *     read or wrote before the packet; {@code data} is the packet alone, as tcpdump shows it
 */
public record LabPacket(LabDevice device, Instant timestamp, byte[] data, int originalLength, Direction direction,
    String comment, Optional<PacketInformation> packetInformation) {
  public LabPacket {
    data = data.clone();
  }

  /** A packet without a packet-information header. */
  public LabPacket(LabDevice device, Instant timestamp, byte[] data, int originalLength, Direction direction,
      String comment) {
    this(device, timestamp, data, originalLength, direction, comment, Optional.empty());
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
