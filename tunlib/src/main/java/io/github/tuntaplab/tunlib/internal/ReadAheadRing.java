package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.tuntaplab.tunlib.NativeCallException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a TUN/TAP descriptor ahead of its caller with io_uring. One multishot read (Linux 6.7+)
 * takes packets into a ring of provided buffers as they arrive, so a burst of packets costs one
 * system call instead of one each: on a virtual machine with page-table isolation a system call
 * costs ~1.4 µs, far more than anything else a read loop does per packet. A one-shot poll on the
 * device's close signal shares the ring, so a waiting reader still wakes when the device closes, and
 * waiting sleeps in {@code io_uring_enter} (no CPU while idle).
 *
 * <p>Not thread-safe: the caller serialises {@link #next} and {@link #close}.
 */
public final class ReadAheadRing implements AutoCloseable {
  /** What {@link #next} returns once the close signal has fired. */
  public static final int SIGNALLED = Integer.MIN_VALUE;
  /**
   * The largest read a TUN/TAP can hand over: a 64 KiB GSO packet (or an MTU-65535 frame) plus an
   * Ethernet header, a VLAN tag, packet information and a vnet header, rounded up to whole pages.
   * Pages a packet does not touch are never faulted in.
   */
  public static final int SLOT_SIZE = 65536 + 4096;

  private static final long SYS_IO_URING_SETUP = 425;
  private static final long SYS_IO_URING_ENTER = 426;
  private static final long SYS_IO_URING_REGISTER = 427;
  private static final int SETUP_CQSIZE = 1 << 3;
  private static final int SETUP_COOP_TASKRUN = 1 << 8;
  private static final int FEAT_SINGLE_MMAP = 1;
  private static final int ENTER_GETEVENTS = 1;
  private static final int ENTER_EXT_ARG = 1 << 3;
  private static final int REGISTER_PBUF_RING = 22;
  private static final long OFF_SQ_RING = 0;
  private static final long OFF_CQ_RING = 0x8000000L;
  private static final long OFF_SQES = 0x10000000L;
  private static final byte OP_POLL_ADD = 6;
  private static final byte OP_ASYNC_CANCEL = 14;
  private static final byte OP_READ_MULTISHOT = 49;
  private static final byte SQE_BUFFER_SELECT = 1 << 5;
  private static final int CANCEL_ALL = 1;
  private static final int CANCEL_ANY = 1 << 2;
  private static final int CQE_F_BUFFER = 1;
  private static final int CQE_F_MORE = 2;
  private static final int SQE_SIZE = 64;
  private static final int CQE_SIZE = 16;
  private static final int BUF_SIZE = 16;
  private static final int PAGE = 4096;
  private static final int PROT_READ_WRITE = 0x3;
  private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
  // struct io_uring_params: the sizes asked for and granted, then where each ring field is in the mapping.
  private static final int PARAMS_SIZE = 120;
  private static final int SQ_ENTRIES = 0;
  private static final int CQ_ENTRIES = 4;
  private static final int SETUP_FLAGS = 8;
  private static final int FEATURES = 20;
  private static final int SQ_HEAD = 40;
  private static final int SQ_TAIL = 44;
  private static final int SQ_RING_MASK = 48;
  private static final int SQ_ARRAY = 64;
  private static final int CQ_HEAD = 80;
  private static final int CQ_TAIL = 84;
  private static final int CQ_RING_MASK = 88;
  private static final int CQ_CQES = 100;
  private static final short BUFFER_GROUP = 0;
  private static final long READ_TAG = 1;
  private static final long SIGNAL_TAG = 2;
  private static final long CANCEL_TAG = 3;
  private static final int NONE = -1;

  private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

  private final int fd;
  private final int closeSignalFd;
  private final int ringFd;
  private final Mapping rings;
  private final Mapping sqeMapping;
  private final Mapping bufferMapping;
  private final ByteBuffer sq;
  private final ByteBuffer cq;
  private final ByteBuffer sqes;
  private final ByteBuffer buffers;
  private final ByteBuffer slots;
  private final long slotsAddress;
  private final int bufferMask;
  private final int sqHead;
  private final int sqTail;
  private final int sqMask;
  private final int sqArray;
  private final int cqHead;
  private final int cqTail;
  private final int cqMask;
  private final int cqes;
  private int bufferTail;
  private boolean readArmed;
  private Thread readArmedBy;
  private boolean signalArmed;
  private boolean signalled;

  /**
   * A ring reading {@code fd} ahead by up to {@code packets} packets, or {@code null} if this
   * kernel (or a seccomp filter, or {@code kernel.io_uring_disabled}) does not allow it; the
   * caller then reads one packet per {@code read()}.
   */
  public static ReadAheadRing openOrNull(int fd, int closeSignalFd, int packets) {
    int bufferEntries = Integer.highestOneBit(Math.max(1, packets - 1)) << 1;
    try (Memory params = new Memory(PARAMS_SIZE); Memory registration = new Memory(40)) {
      params.clear();
      params.setInt(CQ_ENTRIES, 2 * bufferEntries);
      params.setInt(SETUP_FLAGS, SETUP_CQSIZE | SETUP_COOP_TASKRUN);
      int ringFd = (int) LibC.syscall(SYS_IO_URING_SETUP, 4, Pointer.nativeValue(params), 0, 0, 0, 0);
      if (ringFd < 0) {
        return null;
      }
      long ringsSize = Math.max(params.getInt(SQ_ARRAY) + 4L * params.getInt(SQ_ENTRIES),
          params.getInt(CQ_CQES) + (long) CQE_SIZE * params.getInt(CQ_ENTRIES));
      long ringBytes = align((long) BUF_SIZE * bufferEntries);
      Mapping[] mappings = {
        Mapping.of(ringsSize, MAP_SHARED_POPULATE, ringFd, OFF_SQ_RING),
        Mapping.of((long) SQE_SIZE * params.getInt(SQ_ENTRIES), MAP_SHARED_POPULATE, ringFd, OFF_SQES),
        Mapping.of(ringBytes + (long) SLOT_SIZE * packets, MAP_PRIVATE_ANONYMOUS, -1, 0)};
      registration.clear();
      if (mappings[2] != null) {
        registration.setLong(0, mappings[2].address);
        registration.setInt(8, bufferEntries);
        registration.setShort(12, BUFFER_GROUP);
      }
      boolean ready = (params.getInt(FEATURES) & FEAT_SINGLE_MMAP) != 0
          && Arrays.stream(mappings).allMatch(Objects::nonNull)
          && LibC.syscall(SYS_IO_URING_REGISTER, ringFd, REGISTER_PBUF_RING, Pointer.nativeValue(registration), 1, 0, 0) == 0;
      if (!ready) {
        Arrays.stream(mappings).filter(Objects::nonNull).forEach(Mapping::unmap);
        Syscalls.closeQuietly(ringFd);
        return null;
      }
      ReadAheadRing ring = new ReadAheadRing(fd, closeSignalFd, ringFd, params, mappings, ringBytes, packets, bufferEntries);
      if (ring.armed()) {
        return ring;
      }
      ring.close();
      return null;
    }
  }

  private ReadAheadRing(int fd, int closeSignalFd, int ringFd, Memory params, Mapping[] mappings, long ringBytes,
      int packets, int bufferEntries) {
    this.fd = fd;
    this.closeSignalFd = closeSignalFd;
    this.ringFd = ringFd;
    this.rings = mappings[0];
    this.sqeMapping = mappings[1];
    this.bufferMapping = mappings[2];
    this.sq = rings.view(0, rings.length);
    this.cq = sq;
    this.sqes = sqeMapping.view(0, sqeMapping.length);
    this.buffers = bufferMapping.view(0, ringBytes);
    this.slots = bufferMapping.view(ringBytes, (long) SLOT_SIZE * packets);
    this.slotsAddress = bufferMapping.address + ringBytes;
    this.bufferMask = bufferEntries - 1;
    this.sqHead = params.getInt(SQ_HEAD);
    this.sqTail = params.getInt(SQ_TAIL);
    this.sqMask = sq.getInt(params.getInt(SQ_RING_MASK));
    this.sqArray = params.getInt(SQ_ARRAY);
    this.cqHead = params.getInt(CQ_HEAD);
    this.cqTail = params.getInt(CQ_TAIL);
    this.cqMask = cq.getInt(params.getInt(CQ_RING_MASK));
    this.cqes = params.getInt(CQ_CQES);
    for (int slot = 0; slot < packets; slot++) {
      provide(slot);
    }
  }

  /**
   * Takes the next packet read ahead, waiting for one if {@code wait}. Copies as much of it as fits
   * into {@code into} at its position (the position does not move) and returns its whole length;
   * 0 if none is waiting and not {@code wait}; {@link #SIGNALLED} once the close signal has fired;
   * {@code -errno} if the device refused the read.
   */
  public int next(ByteBuffer into, boolean wait) throws NativeCallException {
    while (true) {
      int n = takeCompleted(into);
      if (n != NONE) {
        return n;
      }
      if (signalled) {
        return SIGNALLED;
      }
      enter(wait ? 1 : 0);
      if (!wait) {
        n = takeCompleted(into);
        return n != NONE ? n : signalled ? SIGNALLED : 0;
      }
    }
  }

  /** Ends the read and the poll (synchronously, so the device can go), then frees the ring. */
  @Override
  public void close() {
    boolean drained = !readArmed && !signalArmed;
    try {
      if (!drained) {
        submit(OP_ASYNC_CANCEL, -1, 0, CANCEL_ALL | CANCEL_ANY, CANCEL_TAG);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while ((readArmed || signalArmed) && System.nanoTime() < deadline) {
          waitBriefly();
          discardCompleted();
        }
        drained = !readArmed && !signalArmed;
      }
    } catch (NativeCallException cannotCancel) {
      // The kernel tears the requests down when the ring's descriptor closes, just not at once.
    }
    Syscalls.closeQuietly(ringFd);
    rings.unmap();
    sqeMapping.unmap();
    if (drained) {
      // Only once nothing can still be read into them; otherwise leaking them is the safe choice.
      bufferMapping.unmap();
    }
  }

  /** Whether the read and the signal poll went in: a kernel before 6.7 refuses the multishot read. */
  private boolean armed() {
    try {
      enter(0);
    } catch (NativeCallException e) {
      return false;
    }
    int tail = (int) INT.getAcquire(cq, cqTail);
    for (int head = (int) INT.get(cq, cqHead); head != tail; head++) {
      int at = cqes + (head & cqMask) * CQE_SIZE;
      int result = cq.getInt(at + 8);
      boolean ended = (cq.getInt(at + 12) & CQE_F_MORE) == 0;
      if (cq.getLong(at) == READ_TAG && ended && result < 0 && result != -Errno.ENOBUFS && result != -Errno.ECANCELED) {
        return false;
      }
    }
    return true;
  }

  /** Consumes completions until a packet or an error; {@link #NONE} once there are no more. */
  private int takeCompleted(ByteBuffer into) {
    int head = (int) INT.get(cq, cqHead);
    int tail = (int) INT.getAcquire(cq, cqTail);
    while (head != tail) {
      int at = cqes + (head & cqMask) * CQE_SIZE;
      long tag = cq.getLong(at);
      int result = cq.getInt(at + 8);
      int flags = cq.getInt(at + 12);
      head++;
      INT.setRelease(cq, cqHead, head);
      if (tag == SIGNAL_TAG) {
        // Cancelled (its thread ended, or the ring is closing) is not signalled: it is re-armed.
        signalArmed = false;
        signalled = result > 0;
      } else if (tag == READ_TAG) {
        if ((flags & CQE_F_MORE) == 0) {
          readArmed = false;
        }
        if ((flags & CQE_F_BUFFER) != 0) {
          int slot = flags >>> 16;
          if (result > 0) {
            into.put(into.position(), slots, slot * SLOT_SIZE, Math.min(result, into.remaining()));
          }
          provide(slot);
        }
        if (result > 0) {
          return result;
        }
        if (result < 0 && result != -Errno.ENOBUFS && result != -Errno.ECANCELED) {
          return result;
        }
      }
    }
    return NONE;
  }

  private void discardCompleted() {
    ByteBuffer nowhere = ByteBuffer.allocate(0);
    while (takeCompleted(nowhere) != NONE) {
      // dropped: the device is closing
    }
  }

  /** Re-arms what has ended, submits it and, if {@code minComplete} is 1, sleeps until a completion. */
  private void enter(int minComplete) throws NativeCallException {
    Thread caller = Thread.currentThread();
    if (!readArmed) {
      submit(OP_READ_MULTISHOT, fd, 0, 0, READ_TAG);
      readArmed = true;
      readArmedBy = caller;
    } else if (readArmedBy != caller) {
      // The kernel reads for the thread that armed the read; move it to the thread reading now.
      submit(OP_ASYNC_CANCEL, -1, READ_TAG, 0, CANCEL_TAG);
      readArmedBy = caller;
    }
    if (!signalArmed && !signalled) {
      submit(OP_POLL_ADD, closeSignalFd, 0, Syscalls.POLLIN, SIGNAL_TAG);
      signalArmed = true;
    }
    submitAndWait(minComplete, 0);
  }

  /** Sleeps until a completion, at most 100 ms (used while closing, where nothing may hang). */
  private void waitBriefly() throws NativeCallException {
    try (Memory arg = new Memory(24 + 16)) {
      arg.clear();
      arg.setLong(16, Pointer.nativeValue(arg) + 24);
      arg.setLong(24 + 8, 100_000_000L);
      submitAndWait(1, Pointer.nativeValue(arg));
    }
  }

  /**
   * {@code io_uring_enter}: submits what is queued, runs this thread's pending completions (the
   * reads) and waits for {@code minComplete}; {@code timeoutArg} is a {@code struct
   * io_uring_getevents_arg} with a timeout, or 0 for none. A signal, a timeout or a full
   * completion queue just return early: the caller looks at what completed either way.
   */
  private void submitAndWait(int minComplete, long timeoutArg) throws NativeCallException {
    int toSubmit = (int) INT.get(sq, sqTail) - (int) INT.getAcquire(sq, sqHead);
    int flags = ENTER_GETEVENTS | (timeoutArg != 0 ? ENTER_EXT_ARG : 0);
    if (LibC.syscall(SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, timeoutArg, timeoutArg != 0 ? 24 : 0) < 0) {
      int errno = Native.getLastError();
      if (errno != Errno.EINTR && errno != Errno.EAGAIN && errno != Errno.EBUSY && errno != Errno.ETIME) {
        throw Errors.newException("io_uring_enter", errno);
      }
    }
  }

  private void submit(byte opcode, int targetFd, long address, int opFlags, long tag) {
    int tail = (int) INT.get(sq, sqTail);
    int index = tail & sqMask;
    int at = index * SQE_SIZE;
    for (int i = 0; i < SQE_SIZE; i += 8) {
      sqes.putLong(at + i, 0);
    }
    sqes.put(at, opcode);
    sqes.putInt(at + 4, targetFd);
    sqes.putLong(at + 16, address);
    sqes.putInt(at + 28, opFlags);
    sqes.putLong(at + 32, tag);
    if (opcode == OP_READ_MULTISHOT) {
      sqes.put(at + 1, SQE_BUFFER_SELECT);
      sqes.putShort(at + 40, BUFFER_GROUP);
    }
    sq.putInt(sqArray + 4 * index, index);
    INT.setRelease(sq, sqTail, tail + 1);
  }

  /** Hands slot {@code slot} (back) to the kernel for the next packet. */
  private void provide(int slot) {
    int at = (bufferTail & bufferMask) * BUF_SIZE;
    buffers.putLong(at, slotsAddress + (long) slot * SLOT_SIZE);
    buffers.putInt(at + 8, SLOT_SIZE);
    buffers.putShort(at + 12, (short) slot);
    bufferTail++;
    // The tail overlays the reserved field of entry 0, so it is written after the entry.
    SHORT.setRelease(buffers, 14, (short) bufferTail);
  }

  private static long align(long bytes) {
    return (bytes + PAGE - 1) / PAGE * PAGE;
  }

  /** An mmap'ed region and direct-buffer views of it (views must not outlive {@link #unmap}). */
  private record Mapping(long address, long length) {
    static Mapping of(long length, int flags, int fd, long offset) {
      long address = LibC.mmap(0, length, PROT_READ_WRITE, flags, fd, offset);
      return address == -1 ? null : new Mapping(address, length);
    }

    ByteBuffer view(long offset, long length) {
      return new Pointer(address).getByteBuffer(offset, length).order(ByteOrder.nativeOrder());
    }

    void unmap() {
      LibC.munmap(address, length);
    }
  }
}
