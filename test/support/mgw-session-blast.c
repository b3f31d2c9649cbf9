// The million-session client of the MGW namespace tests (mgw-netns.ts builds it with gcc once
// per source version and runs it in the client namespace; root only: raw sockets).
//   mgw-session-blast SRC_BASE ADDRS PER_ADDR PORT_FROM SESSIONS VIP PORT
// Session i is the UDP flow from (SRC_BASE + i / PER_ADDR):(PORT_FROM + i % PER_ADDR) to
// VIP:PORT; the ADDRS source addresses must be the namespace's own (the backends' direct
// server return answers come back to them). A socket per session would need a million
// descriptors, so datagrams go out through one raw socket (IP_HDRINCL, sendmmsg) and the
// answers are read off one raw UDP socket (the kernel hands it a copy of every UDP datagram;
// the test drops the port-unreachables the stack then sends). Each datagram says
// "<session> <round>"; the echo service answers "<backend> <session> <round>".
// Prints "ready", then for each stdin line
//   round FIRST COUNT RATE WAITMS
// sends one datagram on each session of [FIRST, FIRST+COUNT) at RATE datagrams/s, waits WAITMS
// after the last, and prints one JSON line (`again` with the same arguments sends only on the
// sessions of the range still silent in the round, and counts on into it):
//   {"answered","silent","switched","switchedRound","fromVip","fromOther","sentMs","backends":{..}}
// answered/silent: sessions of the range answered (or not) in this round; switched: answers,
// since the start, from another backend than the session's first; backends: sessions per
// backend over all sessions that have one.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_BACKENDS 32
#define PKT 96

static uint32_t src_base, addrs, per_addr, port_from, sessions, vip;
static uint16_t vport;
static uint8_t *backend_of;   // 0: none yet, else 1 + index into names
static uint32_t *answered_in; // the round of the session's last answer
static char names[MAX_BACKENDS][32];
static int nnames;
static uint64_t switched, switched_round, from_vip, from_other;
static uint32_t round_no;
static int rx;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int backend_index(const char *name, size_t len) {
  for (int i = 0; i < nnames; i++)
    if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) return i;
  if (nnames == MAX_BACKENDS || len >= sizeof names[0]) return -1;
  memcpy(names[nnames], name, len);
  names[nnames][len] = 0;
  return nnames++;
}

static void on_answer(const uint8_t *pkt, ssize_t n) {
  if (n < 28) return;
  const struct iphdr *ih = (const struct iphdr *)pkt;
  size_t hl = ih->ihl * 4u;
  if ((size_t)n < hl + 8) return;
  const struct udphdr *uh = (const struct udphdr *)(pkt + hl);
  if (ntohs(uh->source) != vport) return;
  uint32_t dst = ntohl(ih->daddr), port = ntohs(uh->dest);
  if (dst < src_base || dst >= src_base + addrs || port < port_from || port >= port_from + per_addr) return;
  char body[PKT];
  size_t len = (size_t)n - hl - 8;
  if (len >= sizeof body) len = sizeof body - 1;
  memcpy(body, pkt + hl + 8, len);
  body[len] = 0;
  char *sp = memchr(body, ' ', len);
  if (!sp) return;
  unsigned long sid, rnd;
  if (sscanf(sp + 1, "%lu %lu", &sid, &rnd) != 2) return;
  if (sid != (dst - src_base) * (unsigned long)per_addr + (port - port_from) || sid >= sessions) return;
  if (ih->saddr == htonl(vip)) from_vip++;
  else from_other++;
  int b = backend_index(body, (size_t)(sp - body));
  if (b < 0) return;
  if (!backend_of[sid]) backend_of[sid] = (uint8_t)(b + 1);
  else if (backend_of[sid] != b + 1) {
    switched++;
    if (rnd == round_no) switched_round++;
    backend_of[sid] = (uint8_t)(b + 1);
  }
  if (rnd == round_no) answered_in[sid] = round_no;
}

/** Reads answers until none is waiting, or waits up to ms for one first. */
static void drain(int ms) {
  static uint8_t bufs[BATCH][PKT + 64];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct pollfd p = {.fd = rx, .events = POLLIN};
  if (ms > 0 && poll(&p, 1, ms) <= 0) return;
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      iov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
      msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
    }
    int got = recvmmsg(rx, msgs, BATCH, MSG_DONTWAIT, NULL);
    if (got <= 0) return;
    for (int i = 0; i < got; i++) on_answer(bufs[i], msgs[i].msg_len);
  }
}

static size_t build(uint8_t *pkt, uint32_t sid) {
  struct iphdr *ih = (struct iphdr *)pkt;
  struct udphdr *uh = (struct udphdr *)(pkt + 20);
  int len = snprintf((char *)pkt + 28, PKT - 28, "%u %u", sid, round_no);
  memset(ih, 0, 20);
  ih->version = 4;
  ih->ihl = 5;
  ih->ttl = 64;
  ih->protocol = IPPROTO_UDP;
  ih->tot_len = htons((uint16_t)(28 + len));
  ih->saddr = htonl(src_base + sid / per_addr);
  ih->daddr = htonl(vip);
  uh->source = htons((uint16_t)(port_from + sid % per_addr));
  uh->dest = htons(vport);
  uh->len = htons((uint16_t)(8 + len));
  uh->check = 0; // no UDP checksum (allowed over IPv4); the kernel fills the IP header's
  return (size_t)(28 + len);
}

static void do_round(int tx, uint32_t first, uint32_t count, double rate, int wait_ms, int again) {
  static uint8_t pkts[BATCH][PKT];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(vip)};
  if (!again || !round_no) {
    round_no++;
    switched_round = 0;
  }
  uint64_t vip0 = from_vip, other0 = from_other;
  if (first > sessions) first = sessions;
  if (count > sessions - first) count = sessions - first;
  // again: only the sessions of the range not answered in this round yet, in the same round
  static uint32_t *todo;
  if (!todo) todo = malloc(sessions * sizeof *todo);
  uint32_t ntodo = 0;
  for (uint32_t i = first; i < first + count; i++) if (!again || answered_in[i] != round_no) todo[ntodo++] = i;
  double t0 = now_ms();
  for (uint32_t done = 0; done < ntodo;) {
    int n = 0;
    for (; n < BATCH && done + n < ntodo; n++) {
      iov[n] = (struct iovec){pkts[n], build(pkts[n], todo[done + n])};
      msgs[n] = (struct mmsghdr){.msg_hdr = {.msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iov[n], .msg_iovlen = 1}};
    }
    int sent = sendmmsg(tx, msgs, n, 0);
    if (sent < 0) {
      if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) { perror("sendmmsg"); exit(1); }
      sent = 0;
    }
    done += sent;
    // Pacing: wait (reading answers meanwhile) until the schedule has caught up with what went out.
    for (;;) {
      double ahead = t0 + done * 1e3 / rate - now_ms();
      drain(0);
      if (ahead < 1) break;
      drain((int)ahead);
    }
  }
  double sent_ms = now_ms() - t0;
  for (double end = now_ms() + wait_ms, left; (left = end - now_ms()) > 0;) drain(left < 1 ? 1 : (int)left);
  uint32_t answered = 0;
  for (uint32_t i = first; i < first + count; i++) answered += answered_in[i] == round_no;
  uint64_t per[MAX_BACKENDS] = {0};
  for (uint32_t i = 0; i < sessions; i++) if (backend_of[i]) per[backend_of[i] - 1]++;
  printf("{\"answered\":%u,\"silent\":%u,\"switched\":%llu,\"switchedRound\":%llu,\"fromVip\":%llu,\"fromOther\":%llu,\"sentMs\":%.0f,\"backends\":{",
         answered, count - answered, (unsigned long long)switched, (unsigned long long)switched_round,
         (unsigned long long)(from_vip - vip0), (unsigned long long)(from_other - other0), sent_ms);
  for (int i = 0; i < nnames; i++) printf("%s\"%s\":%llu", i ? "," : "", names[i], (unsigned long long)per[i]);
  printf("}}\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: %s SRC_BASE ADDRS PER_ADDR PORT_FROM SESSIONS VIP PORT\n", argv[0]);
    return 2;
  }
  struct in_addr a;
  if (!inet_aton(argv[1], &a)) { fprintf(stderr, "bad SRC_BASE %s\n", argv[1]); return 2; }
  src_base = ntohl(a.s_addr);
  addrs = (uint32_t)atoi(argv[2]);
  per_addr = (uint32_t)atoi(argv[3]);
  port_from = (uint32_t)atoi(argv[4]);
  sessions = (uint32_t)atoi(argv[5]);
  if (!inet_aton(argv[6], &a)) { fprintf(stderr, "bad VIP %s\n", argv[6]); return 2; }
  vip = ntohl(a.s_addr);
  vport = (uint16_t)atoi(argv[7]);
  if (!addrs || !per_addr || port_from + per_addr > 65536 || (uint64_t)addrs * per_addr < sessions) {
    fprintf(stderr, "%u addresses x %u ports cannot carry %u sessions\n", addrs, per_addr, sessions);
    return 2;
  }
  backend_of = calloc(sessions, 1);
  answered_in = calloc(sessions, sizeof *answered_in);
  int tx = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  rx = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
  if (tx < 0 || rx < 0) { perror("raw socket (root only)"); return 1; }
  int big = 64 << 20;
  if (setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0) setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  setsockopt(tx, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
  printf("ready\n");
  fflush(stdout);
  char line[256];
  while (fgets(line, sizeof line, stdin)) {
    unsigned first, count, wait_ms;
    double rate;
    if (sscanf(line, "round %u %u %lf %u", &first, &count, &rate, &wait_ms) == 4 && rate > 0) do_round(tx, first, count, rate, (int)wait_ms, 0);
    else if (sscanf(line, "again %u %u %lf %u", &first, &count, &rate, &wait_ms) == 4 && rate > 0) do_round(tx, first, count, rate, (int)wait_ms, 1);
    else fprintf(stderr, "unknown command: %s", line);
  }
  return 0;
}
