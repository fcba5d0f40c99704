package io.github.tuntaplab.inspector.ui;

import io.github.tuntaplab.tunlib.capture.CapturedPacket;
import io.github.tuntaplab.tunlib.packet.Layer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Two views of one IP packet on two devices, and what the outer one adds around it.
 *
 * @param pane where the partner is
 * @param number the partner's index in the file
 * @param extraBytes how many bytes the outer frame puts before the shared IP packet
 * @param callout the difference in words, e.g. "14-byte Ethernet header"
 */
public record Correspondence(PaneKind pane, int number, int extraBytes, Phrase callout) {

  static Optional<Correspondence> of(PaneKind from, CapturedPacket mine, byte[] myData, int myIp, PaneKind to,
      int otherNumber, CapturedPacket theirs, CaptureSession session) {
    byte[] theirData = theirs.data();
    int myLength = myData.length - myIp;
    if (to == PaneKind.UNDERLAY || from == PaneKind.UNDERLAY) {
      // The tunnel carries the whole IP packet at the end of the outer one.
      boolean mineOuter = from == PaneKind.UNDERLAY;
      byte[] outer = mineOuter ? myData : theirData;
      CapturedPacket outerPacket = mineOuter ? mine : theirs;
      byte[] inner = mineOuter ? theirData : myData;
      int innerIp = mineOuter ? session.ipOffset(theirs, theirData) : myIp;
      if (innerIp < 0) {
        return Optional.empty();
      }
      int innerLength = inner.length - innerIp;
      int start = outer.length - innerLength;
      int outerIp = session.ipOffset(outerPacket, outer);
      if (outerIp < 0 || start <= outerIp
          || !Arrays.equals(outer, start, outer.length, inner, innerIp, inner.length)) {
        return Optional.empty();
      }
      return Optional.of(new Correspondence(to, otherNumber, start, encapsulation(session, outerPacket, outer,
          outerIp, start)));
    }
    int theirIp = session.ipOffset(theirs, theirData);
    if (theirIp < 0 || theirData.length - theirIp != myLength
        || !Arrays.equals(myData, myIp, myData.length, theirData, theirIp, theirData.length)) {
      return Optional.empty();
    }
    int linkHeader = Math.max(myIp, theirIp) - Math.min(myIp, theirIp);
    Phrase callout = linkHeader == 14 ? Phrase.of("callout.ethernet", 14)
        : linkHeader == 18 ? Phrase.of("callout.vlan", 18)
        : linkHeader == 4 ? Phrase.of("callout.pi", 4)
        : Phrase.of("callout.link", linkHeader);
    return Optional.of(new Correspondence(to, otherNumber, linkHeader, callout));
  }

  /** "42 bytes: 14-byte Ethernet header + 28 bytes of encapsulation (ip 20, udp 8)". */
  private static Phrase encapsulation(CaptureSession session, CapturedPacket outer, byte[] data, int outerIp,
      int innerStart) {
    List<Layer> layers = session.dissect(outer, data).layers();
    StringBuilder parts = new StringBuilder();
    for (Layer layer : layers) {
      if (layer.offset() >= outerIp && layer.offset() < innerStart && layer.length() > 0) {
        int length = Math.min(layer.length(), innerStart - layer.offset());
        parts.append(parts.length() == 0 ? "" : ", ").append(layer.name()).append(' ').append(length);
      }
    }
    int tunnel = innerStart - outerIp;
    Phrase encapsulation = Phrase.of("callout.encapsulation", tunnel, parts);
    return outerIp == 0 ? Phrase.of("callout.bytes", innerStart, encapsulation)
        : Phrase.of("callout.bytes", innerStart, Phrase.of("callout.plus",
            Phrase.of(outerIp == 14 ? "callout.ethernet" : "callout.link", outerIp), encapsulation));
  }
}
