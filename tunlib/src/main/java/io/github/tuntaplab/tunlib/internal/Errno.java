package io.github.tuntaplab.tunlib.internal;

import java.util.Map;

/** The errno values tunlib reacts to, and names for messages. */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int ENOMEM = 12;
  public static final int EACCES = 13;
  public static final int EFAULT = 14;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOTTY = 25;
  public static final int EMSGSIZE = 90;
  public static final int EOPNOTSUPP = 95;
  public static final int ENETUNREACH = 101;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int E2BIG = 7;
  public static final int ENOBUFS = 105;
  public static final int ESRCH = 3;
  public static final int EADDRNOTAVAIL = 99;
  public static final int EHOSTUNREACH = 113;
  public static final int ETIME = 62;
  public static final int ECANCELED = 125;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"),
      Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"), Map.entry(ENXIO, "ENXIO"),
      Map.entry(E2BIG, "E2BIG"), Map.entry(EBADF, "EBADF"), Map.entry(EAGAIN, "EAGAIN"),
      Map.entry(ENOMEM, "ENOMEM"), Map.entry(EACCES, "EACCES"), Map.entry(EFAULT, "EFAULT"),
      Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"), Map.entry(ENODEV, "ENODEV"),
      Map.entry(EINVAL, "EINVAL"), Map.entry(ENOTTY, "ENOTTY"), Map.entry(EMSGSIZE, "EMSGSIZE"),
      Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(ENETUNREACH, "ENETUNREACH"),
      Map.entry(ENOBUFS, "ENOBUFS"), Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"),
      Map.entry(EHOSTUNREACH, "EHOSTUNREACH"), Map.entry(ETIME, "ETIME"),
      Map.entry(ECANCELED, "ECANCELED"));

  private Errno() {}

  /** {@code EPERM}, or {@code errno 123} for a number without a name here. */
  public static String name(int errno) {
    return NAMES.getOrDefault(errno, "errno " + errno);
  }

  /** The C library's description, such as "Operation not permitted". */
  public static String describe(int errno) {
    return LibC.strerror(errno);
  }
}
