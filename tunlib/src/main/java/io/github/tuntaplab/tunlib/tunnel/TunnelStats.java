package io.github.tuntaplab.tunlib.tunnel;

import java.util.StringJoiner;

/**
 * What a tunnel endpoint has done so far: packets wrapped and sent, unwrapped and delivered, and
 * every packet it dropped, by reason.
 *
 * @param sentPackets inner packets read from the device and sent through the underlay
 * @param sentBytes their inner bytes
 * @param receivedPackets inner packets unwrapped and written to the device
 * @param receivedBytes their inner bytes
 * @param malformed payloads that are no message of the format (too short, wrong type or direction, other VNI)
 * @param unknownKey AEAD messages under a key id we do not hold
 * @param tampered AEAD messages whose tag did not verify: changed on the way, or forged
 * @param replayed authentic AEAD messages received before
 * @param tooOld AEAD messages below the replay window
 * @param unknownSender datagrams from someone other than the fixed peer
 * @param noPeer inner packets read before a server knew where to send them
 * @param tooBig inner packets over the tunnel MTU that may not be fragmented, answered with ICMP
 * @param sendFailures outer packets the kernel refused to send (no route to the peer, …)
 * @param looped our own outer packets that came back into the device (a routing loop: the route to
 *     the peer leads into the tunnel), dropped rather than wrapped again
 */
public record TunnelStats(long sentPackets, long sentBytes, long receivedPackets, long receivedBytes, long malformed,
    long unknownKey, long tampered, long replayed, long tooOld, long unknownSender, long noPeer, long tooBig, long sendFailures,
    long looped) {
  /** Every packet dropped, whatever the reason. */
  public long dropped() {
    return malformed + unknownKey + tampered + replayed + tooOld + unknownSender + noPeer + tooBig + sendFailures + looped;
  }

  /** The drop reasons whose count is not zero, as {@code "noPeer 1, tooBig 2"}, or {@code "none"}. */
  public String dropReasons() {
    String[] names = {"malformed", "unknownKey", "tampered", "replayed", "tooOld", "unknownSender", "noPeer", "tooBig",
        "sendFailures", "looped"};
    long[] counts = {malformed, unknownKey, tampered, replayed, tooOld, unknownSender, noPeer, tooBig, sendFailures, looped};
    StringJoiner reasons = new StringJoiner(", ");
    for (int i = 0; i < names.length; i++) {
      if (counts[i] != 0) {
        reasons.add(names[i] + " " + counts[i]);
      }
    }
    return reasons.length() == 0 ? "none" : reasons.toString();
  }
}
