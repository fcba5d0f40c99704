package io.github.tuntaplab.tunlib.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls tunlib makes, bound with JNA direct mapping (no per-call reflection). Pointers
 * are passed as {@code long} addresses so the hot read/write path allocates nothing; errno is read
 * afterwards through {@link Native#getLastError()}. Only {@link Syscalls} calls these.
 */
final class LibC {
  static {
    Native.register(LibC.class, Platform.C_LIBRARY_NAME);
  }

  private LibC() {}

  // int open(const char *pathname, int flags);
  static native int open(String pathname, int flags);

  // int close(int fd);
  static native int close(int fd);

  // int ioctl(int fd, unsigned long request, ...);  the argument is a value or an address
  static native int ioctl(int fd, long request, long argument);

  // int fcntl(int fd, int cmd, ...);
  static native int fcntl(int fd, int cmd, long argument);

  // ssize_t read(int fd, void *buf, size_t count);
  static native long read(int fd, long buf, long count);

  // ssize_t write(int fd, const void *buf, size_t count);
  static native long write(int fd, long buf, long count);

  // int poll(struct pollfd *fds, nfds_t nfds, int timeout);
  static native int poll(long fds, long nfds, int timeout);

  // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
  static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

  // int munmap(void *addr, size_t length);
  static native int munmap(long addr, long length);

  // long syscall(long number, ...);  for calls glibc has no wrapper for (io_uring, sched_setattr;
  // gettid, whose wrapper needs glibc 2.30)
  static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

  // int eventfd(unsigned int initval, int flags);
  static native int eventfd(int initval, int flags);

  // int socket(int domain, int type, int protocol);
  static native int socket(int domain, int type, int protocol);

  // ssize_t send(int sockfd, const void *buf, size_t len, int flags);
  static native long send(int sockfd, long buf, long len, int flags);

  // ssize_t recv(int sockfd, void *buf, size_t len, int flags);
  static native long recv(int sockfd, long buf, long len, int flags);

  // int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
  static native int setsockopt(int sockfd, int level, int optname, long optval, int optlen);

  // int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
  static native int bind(int sockfd, long addr, int addrlen);

  // int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
  static native int sendmmsg(int sockfd, long msgvec, int vlen, int flags);

  // int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);
  static native int recvmmsg(int sockfd, long msgvec, int vlen, int flags, long timeout);

  // ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
  //                const struct sockaddr *dest_addr, socklen_t addrlen);
  static native long sendto(int sockfd, long buf, long len, int flags, long destAddr, int addrlen);

  // ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags,
  //                  struct sockaddr *src_addr, socklen_t *addrlen);
  static native long recvfrom(int sockfd, long buf, long len, int flags, long srcAddr, long addrlen);

  // int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
  static native int getsockname(int sockfd, long addr, long addrlen);

  // int setns(int fd, int nstype);
  static native int setns(int fd, int nstype);

  // int unshare(int flags);
  static native int unshare(int flags);

  // int mount(const char *source, const char *target, const char *filesystemtype,
  //           unsigned long mountflags, const void *data);
  static native int mount(String source, String target, String filesystemtype, long mountflags, long data);

  // int umount2(const char *target, int flags);
  static native int umount2(String target, int flags);

  // int setpriority(int which, id_t who, int prio);  with PRIO_PROCESS and a thread id: that thread only
  static native int setpriority(int which, int who, int prio);

  // char *strerror(int errnum);
  static native String strerror(int errnum);
}
