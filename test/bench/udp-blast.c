/* The data-plane benchmark's load (test/bench/mgw-dataplane.ts builds it with gcc at run time):
 * a generator and a sink that cost the shared cores as little as possible, so the relay under
 * test is what limits the rate (a Node generator tops out near 100 k datagrams/s here). Node has
 * no sendmmsg/recvmmsg; this is the only reason it is C.
 *   udp-blast gen ADDR PORT SECONDS FLOWS ENCAP(0|1) VIP_ADDR VIP_PORT [RATE]
 *       64-byte datagrams in batches of 64 (sendmmsg) for SECONDS; ENCAP 1: each a gateway
 *       encapsulation (src-shared/mgw/encap.ts, version 1) of one of FLOWS client flows.
 *       RATE > 0: paced to RATE datagrams/s (sleeps between batches), else as fast as it can.
 *       Prints "sent N".
 *   udp-blast sink ADDR PORT
 *       counts datagrams (recvmmsg), echoes gateway health probes (flag bit 1), prints "ready"
 *       then "count N MS" every 250 ms. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define LEN 64
#define HDR 24

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = (v >> 16) & 0xff; p[2] = (v >> 8) & 0xff; p[3] = v & 0xff; }

static int gen(const char *addr, int port, int seconds, int flows, int encap, const char *vip, int vport, long rate) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int buf = 4 << 20;
  setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, addr, &to.sin_addr);
  uint32_t vip32 = ntohl(inet_addr(vip));
  int n = flows < 4096 ? flows : 4096;
  int size = encap ? HDR + LEN : LEN;
  uint8_t *pk = calloc((size_t)n, (size_t)size);
  for (int f = 0; f < n; f++) {
    uint8_t *p = pk + (size_t)f * size;
    memset(p, 'a', (size_t)size);
    if (!encap) continue;
    p[0] = 'F'; p[1] = 'G'; p[2] = 1; p[3] = 0; p[4] = 1; p[5] = 0;
    put16(p + 6, 0xffff); put32(p + 8, vip32); put16(p + 12, (uint16_t)vport);
    put32(p + 14, 0x0a000000u + (uint32_t)(f / 64)); put16(p + 18, (uint16_t)(1024 + (f % 64) * 997)); put32(p + 20, (uint32_t)f);
  }
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  long start = now_ms(), end = start + seconds * 1000L, sent = 0;
  int at = 0;
  while (now_ms() < end) {
    if (rate > 0) {
      long due = start + (sent * 1000L) / rate;
      long wait = due - now_ms();
      if (wait > 0) usleep((useconds_t)(wait * 1000));
    }
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = pk + (size_t)at * size;
      iov[i].iov_len = (size_t)size;
      at = (at + 1) % n;
      memset(&msgs[i], 0, sizeof msgs[i]);
      msgs[i].msg_hdr.msg_name = &to;
      msgs[i].msg_hdr.msg_namelen = sizeof to;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = sendmmsg(s, msgs, BATCH, 0);
    if (r > 0) sent += r;
  }
  printf("sent %ld\n", sent);
  return 0;
}

static int sink(const char *addr, int port) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  int buf = 8 << 20;
  setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, addr, &at.sin_addr);
  if (bind(s, (struct sockaddr *)&at, sizeof at) < 0) { perror("bind"); return 1; }
  struct timeval tv = {0, 50000};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  printf("ready\n");
  fflush(stdout);
  static uint8_t data[BATCH][2048];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in from[BATCH];
  long count = 0, t0 = now_ms(), next = t0 + 250;
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = data[i];
      iov[i].iov_len = sizeof data[i];
      memset(&msgs[i], 0, sizeof msgs[i]);
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int r = recvmmsg(s, msgs, BATCH, 0, NULL);
    for (int i = 0; i < r; i++) {
      uint8_t *p = data[i];
      if (msgs[i].msg_len >= HDR && p[0] == 'F' && p[1] == 'G' && (p[3] & 2)) sendto(s, p, msgs[i].msg_len, 0, (struct sockaddr *)&from[i], msgs[i].msg_hdr.msg_namelen);
      else count++;
    }
    long t = now_ms();
    if (t >= next) {
      printf("count %ld %ld\n", count, t - t0);
      fflush(stdout);
      next = t + 250;
    }
  }
}

int main(int argc, char **argv) {
  if (argc >= 9 && !strcmp(argv[1], "gen")) return gen(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), argv[7], atoi(argv[8]), argc >= 10 ? atol(argv[9]) : 0);
  if (argc >= 4 && !strcmp(argv[1], "sink")) return sink(argv[2], atoi(argv[3]));
  fprintf(stderr, "usage: udp-blast gen ADDR PORT SECONDS FLOWS ENCAP VIP VPORT [RATE] | udp-blast sink ADDR PORT\n");
  return 2;
}
