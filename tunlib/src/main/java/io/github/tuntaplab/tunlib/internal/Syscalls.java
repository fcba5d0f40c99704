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
  /** Children of the thread start with the default slice (and policy), not this one's. */
  private static final long SCHED_FLAG_RESET_ON_FORK = 0x1;
  /**
   * {@code struct sched_attr} ({@code SCHED_ATTR_SIZE_VER1}): u32 size, u32 sched_policy, u64 sched_flags,
   * s32 sched_nice, u32 sched_priority, u64 sched_runtime, u64 sched_deadline, u64 sched_period,
   * u32 sched_util_min, u32 sched_util_max.
   */
  private static final int SCHED_ATTR_SIZE = 56;
  private static final int SCHED_ATTR_POLICY = 4;
  private static final int SCHED_ATTR_FLAGS = 8;
  private static final int SCHED_ATTR_NICE = 16;
  private static final int SCHED_ATTR_RUNTIME = 24;
  /** The calls glibc 2.36 does not wrap (or wraps only since 2.30), whose numbers differ per architecture. */
  private record ThreadCalls(long gettid, long schedSetattr, long schedGetattr) {}

  private static final ThreadCalls THREAD_CALLS = switch (com.sun.jna.Platform.ARCH) {
    case "x86-64" -> new ThreadCalls(186, 314, 315);
    // aarch64, riscv64 and loongarch64 share the generic numbers.
    case "aarch64", "riscv64", "loongarch64" -> new ThreadCalls(178, 274, 275);
    default -> null;
  };

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
    // long syscall(SYS_gettid);
    return (int) LibC.syscall(threadCalls().gettid(), 0, 0, 0, 0, 0, 0);
  }

  /** Sets one thread's nice value (a thread of this process, by kernel id). */
  public static void setNiceness(int threadId, int niceness) throws NativeCallException {
    if (LibC.setpriority(PRIO_PROCESS, threadId, niceness) < 0) {
      throw Errors.newException("setpriority(PRIO_PROCESS, " + threadId + ", " + niceness + ")",
          Native.getLastError());
    }
  }

  /** What {@code sched_getattr} says of a thread: its policy (0 is SCHED_OTHER), nice value and runtime. */
  public record SchedulingAttributes(int policy, int niceness, long runtimeNanos) {
    /** Whether the thread is scheduled as SCHED_OTHER or SCHED_BATCH, whose runtime is a slice (Linux 6.12 on). */
    public boolean hasSlice() {
      return policy == SCHED_OTHER || policy == SCHED_BATCH;
    }
  }

  /** One thread's policy, nice value and runtime (its slice, for a SCHED_OTHER thread on Linux 6.12 and later). */
  public static SchedulingAttributes schedulingAttributes(int threadId) throws NativeCallException {
    try (Memory attr = new Memory(SCHED_ATTR_SIZE)) {
      readSchedulingAttributes(threadId, attr);
      return new SchedulingAttributes(attr.getInt(SCHED_ATTR_POLICY), attr.getInt(SCHED_ATTR_NICE),
          attr.getLong(SCHED_ATTR_RUNTIME));
    }
  }

  /**
   * Sets a SCHED_OTHER thread's slice ({@code sched_runtime}), which its children do not inherit
   * (reset-on-fork). Everything else is written back as read: the nice value in particular, which an
   * unprivileged thread could not restore. Kernels before 6.12 accept the slice and ignore it.
   */
  public static void setSlice(int threadId, long sliceNanos) throws NativeCallException {
    try (Memory attr = new Memory(SCHED_ATTR_SIZE)) {
      readSchedulingAttributes(threadId, attr);
      int policy = attr.getInt(SCHED_ATTR_POLICY);
      if (policy != SCHED_OTHER && policy != SCHED_BATCH) {
        throw new IllegalStateException("thread " + threadId + " runs under scheduling policy " + policy
            + ", not SCHED_OTHER: a slice is only for those (other policies read sched_runtime differently)");
      }
      attr.setLong(SCHED_ATTR_FLAGS, attr.getLong(SCHED_ATTR_FLAGS) | SCHED_FLAG_RESET_ON_FORK);
      attr.setLong(SCHED_ATTR_RUNTIME, sliceNanos);
      // int sched_setattr(pid_t pid, struct sched_attr *attr, unsigned int flags);
      if (LibC.syscall(threadCalls().schedSetattr(), threadId, Pointer.nativeValue(attr), 0, 0, 0, 0) < 0) {
        throw Errors.newException("sched_setattr(" + threadId + ", sched_runtime " + sliceNanos + ")",
            Native.getLastError());
      }
    }
  }

  private static void readSchedulingAttributes(int threadId, Memory attr) throws NativeCallException {
    attr.clear();
    // int sched_getattr(pid_t pid, struct sched_attr *attr, unsigned int size, unsigned int flags);
    if (LibC.syscall(threadCalls().schedGetattr(), threadId, Pointer.nativeValue(attr), SCHED_ATTR_SIZE, 0, 0, 0) < 0) {
      throw Errors.newException("sched_getattr(" + threadId + ")", Native.getLastError());
    }
  }

  private static ThreadCalls threadCalls() {
    if (THREAD_CALLS == null) {
      throw new UnsupportedOperationException("tunlib knows no numbers for gettid and sched_getattr/sched_setattr on "
          + com.sun.jna.Platform.ARCH + " (it knows x86-64, aarch64, riscv64 and loongarch64)");
    }
    return THREAD_CALLS;
  }

  /** The native address of a direct buffer's first byte (not its position). */
  public static long address(ByteBuffer direct) {
    if (!direct.isDirect()) {
      throw new IllegalArgumentException("a direct ByteBuffer is needed here");
    }
    return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }
}
