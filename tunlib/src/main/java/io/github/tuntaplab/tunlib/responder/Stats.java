package io.github.tuntaplab.tunlib.responder;

/** How many replies a {@link Responder} wrote, per kind, at one moment. */
public record Stats(long arpReplies, long icmpEchoReplies, long icmpv6EchoReplies, long neighborAdvertisements) {
  public long total() {
    return arpReplies + icmpEchoReplies + icmpv6EchoReplies + neighborAdvertisements;
  }
}
