/*
 * nfq-delay: holds every packet queued to one NFQUEUE for a fixed time, then accepts it. The
 * probe-matrix lab's stand-in for `tc netem delay` (not built into this kernel): a namespace's
 * firewall queues its eth0 traffic here (test/support/probe-netns.ts delayHostLink) and this
 * program issues each verdict N ms after the packet arrived. The kernel takes verdicts in any
 * order by packet id, so the pending ids sit in a ring with their release times (FIFO: one
 * delay for all, so release times only grow) and poll() sleeps until the next one is due.
 *
 *   nfq-delay <queue-num> <delay-ms>     prints "ready" once bound; SIGTERM/SIGINT: accepts
 *                                        what it still holds, unbinds and exits 0.
 *
 * Only packet metadata is copied (NFQNL_COPY_META); the queue fails open (a full queue
 * accepts rather than drops) and a full ring accepts at once, so the program never adds loss.
 * Built by test/support/nfq-delay.ts: gcc -O2 -o nfq-delay nfq-delay.c -lnetfilter_queue
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define RING 65536

static struct { uint32_t id; int64_t due_us; } ring[RING];
static size_t head, count;
static int64_t delay_us;
static unsigned long long held, early;
static volatile sig_atomic_t stop;

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void on_signal(int sig) { (void)sig; stop = 1; }

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg;
  (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  uint32_t id = ntohl(ph->packet_id);
  if (count == RING) { /* never drop: a full ring lets the packet through now */
    early++;
    return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
  }
  size_t tail = (head + count) % RING;
  ring[tail].id = id;
  ring[tail].due_us = now_us() + delay_us;
  count++;
  held++;
  return 0;
}

/* Accepts every held packet due by `until` (all of them with INT64_MAX). */
static void release(struct nfq_q_handle *qh, int64_t until) {
  while (count && ring[head].due_us <= until) {
    nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
    head = (head + 1) % RING;
    count--;
  }
}

static long arg(const char *s, const char *what, long lo, long hi) {
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || !end || *end || v < lo || v > hi) {
    fprintf(stderr, "nfq-delay: %s must be an integer %ld..%ld, got '%s'\n", what, lo, hi, s);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: nfq-delay <queue-num 0..65535> <delay-ms 0..60000>\n");
    return 2;
  }
  uint16_t queue = (uint16_t)arg(argv[1], "queue-num", 0, 65535);
  delay_us = arg(argv[2], "delay-ms", 0, 60000) * 1000;

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq-delay: nfq_open"); return 1; }
  struct nfq_q_handle *qh = nfq_create_queue(h, queue, &on_packet, NULL);
  if (!qh) { fprintf(stderr, "nfq-delay: cannot bind queue %u: %s (another program bound to it? not root?)\n", queue, strerror(errno)); nfq_close(h); return 1; }
  if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) { perror("nfq-delay: nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(qh, RING);
  nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);
  int fd = nfq_fd(h);
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  int rcvbuf = 8 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);

  printf("ready queue=%u delay_ms=%ld\n", queue, (long)(delay_us / 1000));
  fflush(stdout);

  static char buf[65536] __attribute__((aligned));
  while (!stop) {
    int timeout = -1;
    if (count) {
      int64_t wait = ring[head].due_us - now_us();
      timeout = wait <= 0 ? 0 : (int)((wait + 999) / 1000);
    }
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, timeout);
    if (r < 0 && errno != EINTR) { perror("nfq-delay: poll"); break; }
    if (r > 0 && (p.revents & POLLIN)) {
      for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) {
          if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ENOBUFS) perror("nfq-delay: recv");
          break;
        }
        nfq_handle_packet(h, buf, (int)n);
      }
    }
    release(qh, now_us());
  }
  release(qh, INT64_MAX);
  fprintf(stderr, "nfq-delay: queue %u held %llu packets (%llu passed early)\n", queue, held, early);
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
