package io.github.tuntaplab.tunlib.internal;

import io.github.tuntaplab.tunlib.NativeCallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code NETLINK_ROUTE} socket: sends one {@link NetlinkRequest} at a time and collects the
 * kernel's answer. The socket is created on the calling thread and so belongs to that thread's
 * network namespace for its whole life, whichever thread uses it later. Extended acks are on, so a
 * refusal carries the kernel's own sentence ("Nexthop has invalid gateway") besides the errno.
 */
public final class RtNetlink implements AutoCloseable {
  public static final int NLM_F_REQUEST = 0x1;
  public static final int NLM_F_ACK = 0x4;
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;

  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int SOL_NETLINK = 270;
  private static final int NETLINK_CAP_ACK = 10;
  private static final int NETLINK_EXT_ACK = 11;
  private static final int NLMSG_ERROR = 2;
  private static final int NLMSG_DONE = 3;
  private static final int NLM_F_CAPPED = 0x100;
  private static final int NLM_F_ACK_TLVS = 0x200;
  private static final int NLMSGERR_ATTR_MSG = 1;

  /** What the kernel answered: the messages (for a dump or a get), then 0 or the errno. */
  public record Reply(List<NetlinkMessage> messages, int errno, String kernelMessage) {
    public boolean ok() {
      return errno == 0;
    }
  }

  private final int fd;
  private final ByteBuffer response = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private final ByteBuffer request = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
  private int sequence;

  public RtNetlink() throws NativeCallException {
    this.fd = Syscalls.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    // Both are hints: an old kernel without them still answers, just with bare errnos.
    Syscalls.setIntOptionOrErrno(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
    Syscalls.setIntOptionOrErrno(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
  }

  /**
   * Sends {@code message} and waits for the end of the answer: the ack (or refusal) of a plain
   * request, or {@code NLMSG_DONE} after a dump. {@code call} names the request in exceptions.
   */
  public synchronized Reply exchange(NetlinkRequest message, String call) throws NativeCallException {
    boolean dump = (message.flags() & NLM_F_DUMP) == NLM_F_DUMP;
    int seq = ++sequence;
    ByteBuffer encoded = message.finish(seq);
    ByteBuffer out = encoded.remaining() <= request.capacity() ? request.clear()
        : ByteBuffer.allocateDirect(encoded.remaining());
    out.put(encoded).flip();
    Syscalls.send(fd, out, call);
    List<NetlinkMessage> messages = new ArrayList<>();
    while (true) {
      response.clear();
      int received = Syscalls.recv(fd, response, call);
      for (int at = 0; at + NetlinkRequest.HEADER <= received; ) {
        int length = response.getInt(at);
        int type = Short.toUnsignedInt(response.getShort(at + 4));
        int flags = Short.toUnsignedInt(response.getShort(at + 6));
        int messageSeq = response.getInt(at + 8);
        if (length < NetlinkRequest.HEADER || at + length > received) {
          break;
        }
        if (messageSeq == seq) {
          int payload = at + NetlinkRequest.HEADER;
          if (type == NLMSG_ERROR) {
            int errno = -response.getInt(payload);
            return new Reply(List.copyOf(messages), errno, errno == 0 ? "" : kernelMessage(payload, at + length, flags));
          }
          if (type == NLMSG_DONE) {
            int errno = length >= NetlinkRequest.HEADER + 4 ? -response.getInt(payload) : 0;
            return new Reply(List.copyOf(messages), errno, "");
          }
          byte[] body = new byte[length - NetlinkRequest.HEADER];
          response.get(payload, body);
          messages.add(new NetlinkMessage(type, flags, body));
          if (!dump && (message.flags() & NLM_F_ACK) == 0) {
            return new Reply(List.copyOf(messages), 0, "");
          }
        }
        at += NetlinkRequest.align(length);
      }
    }
  }

  /** The extended ack's text, if the kernel sent one after the echoed request header. */
  private String kernelMessage(int payload, int end, int flags) {
    if ((flags & NLM_F_ACK_TLVS) == 0) {
      return "";
    }
    int echoed = payload + 4;
    int echoedLength = (flags & NLM_F_CAPPED) != 0 ? NetlinkRequest.HEADER : response.getInt(echoed);
    int start = echoed + NetlinkRequest.align(echoedLength);
    if (start > end) {
      return "";
    }
    byte[] tail = new byte[end - start];
    response.get(start, tail);
    return new NetlinkAttributes(tail, 0, tail.length).string(NLMSGERR_ATTR_MSG).orElse("");
  }

  @Override
  public void close() {
    Syscalls.closeQuietly(fd);
  }
}
