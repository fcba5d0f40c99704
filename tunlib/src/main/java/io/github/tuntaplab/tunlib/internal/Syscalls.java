package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.tuntaplab.tunlib.NativeCallException;
import java.nio.ByteBuffer;

/**
 * Checked wrappers around {@link LibC}: each raw call is paired with one that throws a
 * {@link NativeCallException} naming the call. The read/write/poll wrappers on the hot path return
 * {@code -errno} instead of throwing, so an empty queue ({@code EAGAIN}) costs no exception.
 */
public final class Syscalls {
  public static final int O_RDWR = 0x2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int F_GETFL = 3;
  public static final int F_SETFL = 4;
  public static final int EFD_CLOEXEC = 0x80000;
  public static final int EFD_NONBLOCK = 0x800;
  public static final short POLLIN = 0x1;
  public static final short POLLOUT = 0x4;
  public static final int CLONE_NEWNET = 0x40000000;
  public static final long MS_BIND = 0x1000;
  public static final long MS_REC = 0x4000;
  public static final long MS_SHARED = 1 << 20;
  public static final int MNT_DETACH = 2;
  private static final int PRIO_PROCESS = 0;
  private static final int SCHED_OTHER = 0;
  private static final int SCHED_BATCH = 3;
  private static final int SCHED_IDLE = 5;
  /** {@code SCHED_ATTR_SIZE_VER1}: size, policy, flags, nice, priority, runtime, deadline, period, util min/max. */
  private static final int SCHED_ATTR_SIZE = 56;
  /** sched_setattr and sched_getattr, which glibc 2.36 does not wrap: their numbers differ per architecture. */
  private static final java.util.Map<String, long[]> SCHED_ATTR_CALLS = java.util.Map.of(
      "x86-64", new long[] {314, 315}, "aarch64", new long[] {274, 275});

  private Syscalls() {}

  public static int open(String path, int flags) throws NativeCallException {
    int fd = LibC.open(path, flags);
    if (fd < 0) {
      throw Errors.newException("open(" + path + ")", Native.getLastError());
    }
    return fd;
  }

  /** {@code open} that reports failure as {@code -errno}, for callers that explain each errno. */
  public static int openOrErrno(String path, int flags) {
    int fd = LibC.open(path, flags);
    return fd < 0 ? -Native.getLastError() : fd;
  }

  /** Closes quietly: there is nothing a caller can do about a failed close of a device fd. */
  public static void closeQuietly(int fd) {
    if (fd >= 0) {
      LibC.close(fd);
    }
  }

  /** {@code ioctl} with an integer argument or an address; {@code -errno} on failure. */
  public static int ioctlOrErrno(int fd, long request, long argument) {
    int result = LibC.ioctl(fd, request, argument);
    return result < 0 ? -Native.getLastError() : result;
  }

  public static int ioctl(int fd, long request, String requestName, long argument) throws NativeCallException {
    int result = ioctlOrErrno(fd, request, argument);
    if (result < 0) {
      throw Errors.newException("ioctl(" + requestName + ")", -result);
    }
    return result;
  }

  public static void setNonBlocking(int fd, boolean nonBlocking) throws NativeCallException {
    int flags = LibC.fcntl(fd, F_GETFL, 0);
    if (flags < 0) {
      throw Errors.newException("fcntl(F_GETFL)", Native.getLastError());
    }
    int wanted = nonBlocking ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
    if (LibC.fcntl(fd, F_SETFL, wanted) < 0) {
      throw Errors.newException("fcntl(F_SETFL)", Native.getLastError());
    }
  }

  /** Reads into {@code address}; the count read, or {@code -errno}. */
  public static long readOrErrno(int fd, long address, long count) {
    long n = LibC.read(fd, address, count);
    return n < 0 ? -Native.getLastError() : n;
  }

  /** Writes from {@code address}; the count written, or {@code -errno}. */
  public static long writeOrErrno(int fd, long address, long count) {
    long n = LibC.write(fd, address, count);
    return n < 0 ? -Native.getLastError() : n;
  }

  /** Polls an array of {@code struct pollfd} at {@code address}; ready count, or {@code -errno}. */
  public static int pollOrErrno(long address, int count, int timeoutMillis) {
    int n = LibC.poll(address, count, timeoutMillis);
    return n < 0 ? -Native.getLastError() : n;
  }

  /**
   * Sleeps until {@code fd} or {@code signalFd} (an eventfd that announces a close) is readable;
   * the ready count, or {@code -errno}. Called only when idle, so the small allocation is no cost.
   */
  public static int awaitReadableOrErrno(int fd, int signalFd) {
    try (Memory fds = new Memory(16)) {
      fds.clear();
      fds.setInt(0, fd);
      fds.setShort(4, POLLIN);
      fds.setInt(8, signalFd);
      fds.setShort(12, POLLIN);
      return pollOrErrno(Pointer.nativeValue(fds), 2, -1);
    }
  }

  public static int eventfd() throws NativeCallException {
    int fd = LibC.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) {
      throw Errors.newException("eventfd", Native.getLastError());
    }
    return fd;
  }

  /** Adds one to an eventfd counter, which leaves it readable (POLLIN) for every poller. */
  public static void signal(int eventFd) throws NativeCallException {
    try (Memory one = new Memory(8)) {
      one.setLong(0, 1);
      if (LibC.write(eventFd, Pointer.nativeValue(one), 8) < 0) {
        throw Errors.newException("write(eventfd)", Native.getLastError());
      }
    }
  }

  public static int socket(int domain, int type, int protocol) throws NativeCallException {
    int fd = LibC.socket(domain, type, protocol);
    if (fd < 0) {
      throw Errors.newException("socket(" + domain + ", " + type + ", " + protocol + ")", Native.getLastError());
    }
    return fd;
  }

  public static void send(int fd, ByteBuffer message, String what) throws NativeCallException {
    long n = LibC.send(fd, address(message) + message.position(), message.remaining(), 0);
    if (n < 0) {
      throw Errors.newException("send(" + what + ")", Native.getLastError());
    }
  }

  /** Receives into a direct buffer from its position; returns the count and advances the position. */
  public static int recv(int fd, ByteBuffer into, String what) throws NativeCallException {
    long n = LibC.recv(fd, address(into) + into.position(), into.remaining(), 0);
    if (n < 0) {
      throw Errors.newException("recv(" + what + ")", Native.getLastError());
    }
    into.position(into.position() + (int) n);
    return (int) n;
  }

  /** Sets an {@code int} socket option; 0, or {@code -errno}. */
  public static int setIntOptionOrErrno(int fd, int level, int option, int value) {
    try (Memory holder = new Memory(4)) {
      holder.setInt(0, value);
      return LibC.setsockopt(fd, level, option, Pointer.nativeValue(holder), 4) < 0 ? -Native.getLastError() : 0;
    }
  }

  public static void setns(int fd, int nsType, String what) throws NativeCallException {
    if (LibC.setns(fd, nsType) < 0) {
      throw Errors.newException("setns(" + what + ")", Native.getLastError());
    }
  }

  /** Leaves the namespaces in {@code flags} for new ones, on the calling thread only; 0 or {@code -errno}. */
  public static int unshareOrErrno(int flags) {
    return LibC.unshare(flags) < 0 ? -Native.getLastError() : 0;
  }

  /** {@code mount} without file-system data; 0 or {@code -errno}. */
  public static int mountOrErrno(String source, String target, String type, long flags) {
    return LibC.mount(source, target, type, flags, 0) < 0 ? -Native.getLastError() : 0;
  }

  /** {@code umount2}; 0 or {@code -errno}. */
  public static int umountOrErrno(String target, int flags) {
    return LibC.umount2(target, flags) < 0 ? -Native.getLastError() : 0;
  }

  /** The calling thread's kernel id (its entry in /proc/self/task). */
  public static int gettid() {
    return LibC.gettid();
  }

  /** Sets one thread's nice value (a thread of this process, by kernel id). */
  public static void setNiceness(int threadId, int niceness) throws NativeCallException {
    if (LibC.setpriority(PRIO_PROCESS, threadId, niceness) < 0) {
      throw Errors.newException("setpriority(PRIO_PROCESS, " + threadId + ", " + niceness + ")",
          Native.getLastError());
    }
  }

  /**
   * One thread's scheduling attributes ({@code struct sched_attr}, 56 bytes): read with
   * {@code sched_getattr}, or, when {@code sliceNanos} is positive, first written back with that
   * {@code sched_runtime}, everything else kept (writing them all back keeps the nice value, which an
   * unprivileged thread could not restore). For a SCHED_OTHER thread, Linux 6.12 and later take
   * {@code sched_runtime} as the thread's slice and report it back; older kernels ignore it and report 0.
   * Returns the attributes, or throws naming the call.
   */
  public static SchedulingAttributes schedulingAttributes(int threadId, long sliceNanos) throws NativeCallException {
    long[] numbers = SCHED_ATTR_CALLS.get(com.sun.jna.Platform.ARCH);
    if (numbers == null) {
      throw Errors.newException("sched_getattr (no syscall number known for " + com.sun.jna.Platform.ARCH + ")",
          Errno.ENOSYS);
    }
    try (Memory attr = new Memory(SCHED_ATTR_SIZE)) {
      attr.clear();
      if (LibC.syscall(numbers[1], threadId, Pointer.nativeValue(attr), SCHED_ATTR_SIZE, 0, 0, 0) < 0) {
        throw Errors.newException("sched_getattr(" + threadId + ")", Native.getLastError());
      }
      if (sliceNanos > 0) {
        int policy = attr.getInt(4);
        if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE) {
          throw Errors.newException("sched_setattr(" + threadId + "): a slice is for SCHED_OTHER threads, not policy "
              + policy + ", whose sched_runtime means something else", Errno.EINVAL);
        }
        attr.setLong(24, sliceNanos);
        if (LibC.syscall(numbers[0], threadId, Pointer.nativeValue(attr), 0, 0, 0, 0) < 0) {
          throw Errors.newException("sched_setattr(" + threadId + ", sched_runtime " + sliceNanos + ")",
              Native.getLastError());
        }
        if (LibC.syscall(numbers[1], threadId, Pointer.nativeValue(attr), SCHED_ATTR_SIZE, 0, 0, 0) < 0) {
          throw Errors.newException("sched_getattr(" + threadId + ")", Native.getLastError());
        }
      }
      return new SchedulingAttributes(attr.getInt(4), attr.getInt(16), attr.getLong(24));
    }
  }

  /** What {@code sched_getattr} says of a thread: policy (0 is SCHED_OTHER), nice, and runtime (a slice, for SCHED_OTHER). */
  public record SchedulingAttributes(int policy, int niceness, long runtimeNanos) {}

  /** The native address of a direct buffer's first byte (not its position). */
  public static long address(ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("a direct ByteBuffer is needed here");
    }
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }
}
