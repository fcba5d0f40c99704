/*
 * The C peer of DeviceBenchmark: the plainest TUN reader there is (blocking read() in a loop, no
 * poll, no locks), so the figures beside it show what tunlib's Java path costs on top.
 * Usage: tun_reader NAME   -- creates TUN NAME (no PI), reads until SIGTERM, then prints the count.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig) { (void) sig; stop = 1; }

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: tun_reader NAME\n"); return 2; }
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
  unsigned long long packets = 0;
  char buf[2048];
  while (!stop) {
    if (read(fd, buf, sizeof buf) > 0) packets++;
  }
  printf("%llu\n", packets);
  return 0;
}
