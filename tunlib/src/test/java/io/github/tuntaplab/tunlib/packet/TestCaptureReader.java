package io.github.tuntaplab.tunlib.packet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal pcap/pcapng reader for the dissector's tests only, written while the real reader
 * ({@code capture/}) was being built on another branch: replace its uses with {@code capture} once
 * both are merged. It reads whole files into memory and gives up (returns what it has) at the first
 * inconsistency, which is enough for test captures.
 */
public final class TestCaptureReader {
  /** One packet: its link type and bytes (a fresh array, exactly the captured bytes). */
  public record Packet(LinkType linkType, byte[] data, int originalLength) {}

  private TestCaptureReader() {}

  public static List<Packet> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 24) {
      return List.of();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt(0);
    if (magic == 0x0a0d0d0a) {
      return pcapng(in);
    }
    return pcap(in, magic);
  }

  /** Writes {@code frames} as a little-endian microsecond pcap file of one link type. */
  public static void writePcap(Path file, LinkType linkType, List<byte[]> frames) throws IOException {
    List<Packet> packets = new ArrayList<>();
    for (byte[] frame : frames) {
      packets.add(new Packet(linkType, frame, frame.length));
    }
    writePcap(file, packets);
  }

  /** Writes {@code packets} (all of the first one's link type) with their original lengths. */
  public static void writePcap(Path file, List<Packet> packets) throws IOException {
    int size = 24;
    for (Packet packet : packets) {
      size += 16 + packet.data().length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144)
        .putInt(packets.isEmpty() ? 1 : packets.get(0).linkType().value());
    int second = 0;
    for (Packet packet : packets) {
      out.putInt(++second).putInt(0).putInt(packet.data().length).putInt(packet.originalLength()).put(packet.data());
    }
    Files.write(file, out.array());
  }

  private static List<Packet> pcap(ByteBuffer in, int magic) {
    List<Packet> packets = new ArrayList<>();
    switch (magic) {
      case 0xa1b2c3d4: case 0xa1b23c4d: in.order(ByteOrder.BIG_ENDIAN); break;
      case 0xd4c3b2a1: case 0x4d3cb2a1: in.order(ByteOrder.LITTLE_ENDIAN); break;
      default: return packets;
    }
    LinkType linkType = LinkType.of(in.getInt(20) & 0xffff);
    int at = 24;
    while (at + 16 <= in.limit()) {
      int captured = in.getInt(at + 8);
      int original = in.getInt(at + 12);
      if (captured < 0 || at + 16 + captured > in.limit()) {
        break;
      }
      byte[] data = new byte[captured];
      in.get(at + 16, data);
      packets.add(new Packet(linkType, data, original));
      at += 16 + captured;
    }
    return packets;
  }

  private static List<Packet> pcapng(ByteBuffer in) {
    List<Packet> packets = new ArrayList<>();
    Map<Integer, LinkType> interfaces = new HashMap<>();
    int at = 0;
    while (at + 12 <= in.limit()) {
      // The section header's type reads the same in both byte orders; its magic sets the order.
      int type = in.getInt(at);
      if (type == 0x0a0d0d0a) {
        in.order(ByteOrder.BIG_ENDIAN);
        in.order(in.getInt(at + 8) == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        interfaces.clear();
      }
      int length = in.getInt(at + 4);
      if (length < 12 || at + length > in.limit()) {
        break;
      }
      if (type == 1) {
        interfaces.put(interfaces.size(), LinkType.of(in.getShort(at + 8) & 0xffff));
      } else if (type == 6 && length >= 32) {
        LinkType linkType = interfaces.get(in.getInt(at + 8));
        int captured = in.getInt(at + 20);
        if (linkType != null && captured >= 0 && 28 + captured <= length) {
          byte[] data = new byte[captured];
          in.get(at + 28, data);
          packets.add(new Packet(linkType, data, in.getInt(at + 24)));
        }
      } else if (type == 3 && length >= 16 && interfaces.containsKey(0)) {
        int original = in.getInt(at + 8);
        int captured = Math.min(original, length - 16);
        byte[] data = new byte[captured];
        in.get(at + 12, data);
        packets.add(new Packet(interfaces.get(0), data, original));
      }
      at += length;
    }
    return packets;
  }
}
