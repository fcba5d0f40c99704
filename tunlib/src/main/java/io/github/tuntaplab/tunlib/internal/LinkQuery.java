package io.github.tuntaplab.tunlib.internal;

import io.github.tuntaplab.tunlib.NativeCallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Asks the kernel about one link over rtnetlink ({@code RTM_GETLINK}). The socket is created on the
 * calling thread and so belongs to that thread's network namespace for its whole life: a device
 * opened inside a lab namespace keeps asking about itself there. (sysfs cannot do this: it shows
 * the namespace it was mounted in, not the thread's.)
 */
public final class LinkQuery implements AutoCloseable {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final short RTM_NEWLINK = 16;
  private static final short RTM_GETLINK = 18;
  private static final short NLMSG_ERROR = 2;
  private static final short NLM_F_REQUEST = 1;
  private static final int NLMSG_HEADER = 16;
  private static final int IFINFOMSG = 16;
  private static final int IFLA_ADDRESS = 1;
  private static final int IFLA_IFNAME = 3;
  private static final int IFLA_MTU = 4;
  private static final int IFLA_LINKINFO = 18;
  private static final int IFLA_STATS64 = 23;
  private static final int IFLA_INFO_KIND = 1;
  private static final int IFLA_INFO_DATA = 2;
  private static final int NLA_TYPE_MASK = 0x3fff;

  private final int fd;
  private final ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
  private final ByteBuffer response = ByteBuffer.allocateDirect(32 * 1024).order(ByteOrder.nativeOrder());
  private int sequence;

  public LinkQuery() throws NativeCallException {
    this.fd = Syscalls.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  }

  /** What the kernel says of the link named {@code name}, or empty if there is none. */
  public synchronized Optional<LinkMessage> byName(String name) throws NativeCallException {
    return query(0, name);
  }

  /** What the kernel says of the link with {@code index}, or empty if there is none. */
  public synchronized Optional<LinkMessage> byIndex(int index) throws NativeCallException {
    return query(index, null);
  }

  private Optional<LinkMessage> query(int index, String name) throws NativeCallException {
    byte[] nameBytes = name == null ? new byte[0] : name.getBytes(StandardCharsets.UTF_8);
    int nameAttr = name == null ? 0 : align(4 + nameBytes.length + 1);
    int length = NLMSG_HEADER + IFINFOMSG + nameAttr;
    int seq = ++sequence;
    request.clear();
    request.putInt(length).putShort(RTM_GETLINK).putShort(NLM_F_REQUEST).putInt(seq).putInt(0);
    request.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(0).putInt(0);
    if (name != null) {
      request.putShort((short) (4 + nameBytes.length + 1)).putShort((short) IFLA_IFNAME).put(nameBytes);
      while (request.position() < length) {
        request.put((byte) 0);
      }
    }
    request.flip();
    Syscalls.send(fd, request, "RTM_GETLINK");
    while (true) {
      response.clear();
      int received = Syscalls.recv(fd, response, "RTM_GETLINK");
      for (int at = 0; at + NLMSG_HEADER <= received; ) {
        int messageLength = response.getInt(at);
        short type = response.getShort(at + 4);
        int messageSeq = response.getInt(at + 8);
        if (messageLength < NLMSG_HEADER || at + messageLength > received) {
          break;
        }
        if (messageSeq == seq) {
          if (type == NLMSG_ERROR) {
            int error = -response.getInt(at + NLMSG_HEADER);
            if (error == Errno.ENODEV) {
              return Optional.empty();
            }
            throw Errors.newException("RTM_GETLINK", error);
          }
          if (type == RTM_NEWLINK) {
            return Optional.of(parse(at + NLMSG_HEADER, at + messageLength));
          }
        }
        at += align(messageLength);
      }
    }
  }

  private LinkMessage parse(int start, int end) {
    int index = response.getInt(start + 4);
    int flags = response.getInt(start + 8);
    LinkMessage.Builder link = new LinkMessage.Builder(index, flags);
    for (int at = start + IFINFOMSG; at + 4 <= end; ) {
      int attrLength = Short.toUnsignedInt(response.getShort(at));
      int type = response.getShort(at + 2) & NLA_TYPE_MASK;
      if (attrLength < 4 || at + attrLength > end) {
        break;
      }
      int data = at + 4;
      int dataLength = attrLength - 4;
      switch (type) {
        case IFLA_IFNAME -> link.name = string(data, dataLength);
        case IFLA_MTU -> link.mtu = response.getInt(data);
        case IFLA_ADDRESS -> link.address = bytes(data, dataLength);
        case IFLA_STATS64 -> link.stats = longs(data, dataLength / 8);
        case IFLA_LINKINFO -> parseLinkInfo(data, data + dataLength, link);
        default -> { }
      }
      at += align(attrLength);
    }
    return link.build();
  }

  private void parseLinkInfo(int start, int end, LinkMessage.Builder link) {
    for (int at = start; at + 4 <= end; ) {
      int attrLength = Short.toUnsignedInt(response.getShort(at));
      int type = response.getShort(at + 2) & NLA_TYPE_MASK;
      if (attrLength < 4 || at + attrLength > end) {
        return;
      }
      if (type == IFLA_INFO_KIND) {
        link.kind = string(at + 4, attrLength - 4);
      } else if (type == IFLA_INFO_DATA) {
        for (int inner = at + 4; inner + 4 <= at + attrLength; ) {
          int innerLength = Short.toUnsignedInt(response.getShort(inner));
          int innerType = response.getShort(inner + 2) & NLA_TYPE_MASK;
          if (innerLength < 4) {
            break;
          }
          long value = innerLength - 4 >= 4 ? Integer.toUnsignedLong(response.getInt(inner + 4))
              : Byte.toUnsignedInt(response.get(inner + 4));
          link.infoData.put(innerType, value);
          inner += align(innerLength);
        }
      }
      at += align(attrLength);
    }
  }

  private String string(int at, int length) {
    int end = at;
    while (end < at + length && response.get(end) != 0) {
      end++;
    }
    return new String(bytes(at, end - at), StandardCharsets.UTF_8);
  }

  private byte[] bytes(int at, int length) {
    byte[] out = new byte[length];
    response.get(at, out);
    return out;
  }

  private long[] longs(int at, int count) {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = response.getLong(at + 8 * i);
    }
    return out;
  }

  private static int align(int length) {
    return (length + 3) & ~3;
  }

  @Override
  public void close() {
    Syscalls.closeQuietly(fd);
  }
}
