/*
 * The C peer of DeviceBenchmark: the plainest TUN reader there is (blocking read() in a loop, no
 * poll, no locks), so the figures beside it show what tunlib's Java path costs on top.
 * Usage: tun_reader NAME          -- creates TUN NAME (no PI), reads until SIGTERM.
 *        tun_reader NAME drain    -- creates it, waits for a line on stdin saying how many packets
 *                                    were queued meanwhile, reads them and prints the thread's CPU
 *                                    nanoseconds for that.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig) { (void) sig; stop = 1; }

static long long cpu_nanos(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) { fprintf(stderr, "usage: tun_reader NAME [drain]\n"); return 2; }
  int fd = open("/dev/net/tun", O_RDWR);
  if (fd < 0) { perror("open /dev/net/tun"); return 1; }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); return 1; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;  /* no SA_RESTART: SIGTERM interrupts the blocked read */
  sigaction(SIGTERM, &sa, NULL);
  printf("ready\n");
  fflush(stdout);
  char buf[2048];
  if (argc == 3) {
    if (!fgets(buf, sizeof buf, stdin)) return 1;
    long long count = atoll(buf);
    long long start = cpu_nanos();
    for (long long n = 0; n < count && !stop; n++) {
      if (read(fd, buf, sizeof buf) <= 0) { perror("read"); return 1; }
    }
    printf("%lld\n", cpu_nanos() - start);
    return 0;
  }
  unsigned long long packets = 0;
  while (!stop) {
    if (read(fd, buf, sizeof buf) > 0) packets++;
  }
  printf("%llu\n", packets);
  return 0;
}
