package io.github.tuntaplab.tunlib.internal;

import io.github.tuntaplab.tunlib.NativeCallException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks the kernel about links over rtnetlink ({@code RTM_GETLINK}). The socket is created on the
 * calling thread and so belongs to that thread's network namespace for its whole life: a device
 * opened inside a lab namespace keeps asking about itself there. (sysfs cannot do this: it shows
 * the namespace it was mounted in, not the thread's.)
 */
public final class LinkQuery implements AutoCloseable {
  static final int RTM_NEWLINK = 16;
  static final int RTM_GETLINK = 18;

  private final RtNetlink netlink;
  private final boolean ownsSocket;

  public LinkQuery() throws NativeCallException {
    this(new RtNetlink(), true);
  }

  /** Queries over a socket someone else owns (and closes). */
  public LinkQuery(RtNetlink netlink) {
    this(netlink, false);
  }

  private LinkQuery(RtNetlink netlink, boolean ownsSocket) {
    this.netlink = netlink;
    this.ownsSocket = ownsSocket;
  }

  /** What the kernel says of the link named {@code name}, or empty if there is none. */
  public Optional<LinkMessage> byName(String name) throws NativeCallException {
    return query(request(0).attributeString(LinkMessage.IFLA_IFNAME, name));
  }

  /** What the kernel says of the link with {@code index}, or empty if there is none. */
  public Optional<LinkMessage> byIndex(int index) throws NativeCallException {
    return query(request(index));
  }

  /** Every link in the namespace, in index order. */
  public List<LinkMessage> all() throws NativeCallException {
    NetlinkRequest dump = new NetlinkRequest(RTM_GETLINK, RtNetlink.NLM_F_DUMP).u8(0).u8(0).u16(0).u32(0).u32(0).u32(0);
    RtNetlink.Reply reply = netlink.exchange(dump, "RTM_GETLINK");
    if (!reply.ok()) {
      throw Errors.newException("RTM_GETLINK", reply.errno());
    }
    List<LinkMessage> links = new ArrayList<>();
    for (NetlinkMessage message : reply.messages()) {
      if (message.type() == RTM_NEWLINK) {
        links.add(LinkMessage.parse(message));
      }
    }
    return links;
  }

  private static NetlinkRequest request(int index) {
    return new NetlinkRequest(RTM_GETLINK, 0).u8(0).u8(0).u16(0).u32(index).u32(0).u32(0);
  }

  private Optional<LinkMessage> query(NetlinkRequest request) throws NativeCallException {
    RtNetlink.Reply reply = netlink.exchange(request, "RTM_GETLINK");
    if (reply.errno() == Errno.ENODEV) {
      return Optional.empty();
    }
    if (!reply.ok()) {
      throw Errors.newException("RTM_GETLINK", reply.errno());
    }
    return reply.messages().stream().filter(m -> m.type() == RTM_NEWLINK).findFirst().map(LinkMessage::parse);
  }

  @Override
  public void close() {
    if (ownsSocket) {
      netlink.close();
    }
  }
}
