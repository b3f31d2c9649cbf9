// Batched UDP for the gateway's data plane (Node-API; built by scripts/build-daemons.mjs with
// gcc into resources/daemons/mgw-mmsg.node; fast-udp.ts loads it, and the node falls back to
// node:dgram without it). Written by hand because Node's dgram makes one system call per
// datagram each way (~16 us a datagram relayed here, about socat's cost) and no maintained npm
// package offers recvmmsg/sendmmsg: here a readable socket calls JS once, which drains it in
// batches of up to 64 datagrams per recvmmsg and sends its answers with one sendmmsg.
//   open(address, port, bufferBytes) -> fd        a non-blocking IPv4 UDP socket, bound
//   watch(fd, onReadable)                         libuv polls it on the main loop
//   recv(fd, buf, slot, meta) -> n                datagram i at buf[i*slot], meta[3i..] = len, addr, port
//                                                 (len 0xffffffff: it was longer than slot, cut)
//   send(fd, buf, desc, n) -> sent                datagram i is buf[desc[4i] .. +desc[4i+1]] to desc[4i+2]:desc[4i+3]
//   close(fd)
// Addresses are host-order u32 (src-shared/mgw/key.ts's ipv4ToU32).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#define MAXB 64

typedef struct {
  uv_poll_t poll;
  napi_env env;
  napi_ref cb;
  int fd;
} watch_t;

static watch_t *watches[65536];

static napi_value throw_errno(napi_env env, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static int32_t arg_i32(napi_env env, napi_value v) {
  int32_t x = 0;
  napi_get_value_int32(env, v, &x);
  return x;
}

static napi_value num(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

static napi_value m_open(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char addr[64];
  size_t len;
  napi_get_value_string_utf8(env, argv[0], addr, sizeof addr, &len);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)arg_i32(env, argv[1]))};
  if (!inet_aton(addr, &sa.sin_addr)) {
    napi_throw_error(env, "EINVAL", "not an IPv4 address");
    return NULL;
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket");
  int bytes = arg_i32(env, argv[2]);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    char what[96];
    snprintf(what, sizeof what, "bind %s:%d", addr, ntohs(sa.sin_port));
    return throw_errno(env, what);
  }
  if (fd >= 65536) {
    close(fd);
    napi_throw_error(env, NULL, "descriptor out of range");
    return NULL;
  }
  return num(env, fd);
}

static void on_poll(uv_poll_t *p, int status, int events) {
  watch_t *w = (watch_t *)p;
  napi_handle_scope scope;
  napi_open_handle_scope(w->env, &scope);
  napi_value cb, global, result;
  napi_get_reference_value(w->env, w->cb, &cb);
  napi_get_global(w->env, &global);
  // make_callback: microtasks and async hooks run as after any I/O callback
  napi_make_callback(w->env, NULL, global, cb, 0, NULL, &result);
  napi_close_handle_scope(w->env, scope);
}

static napi_value m_watch(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int fd = arg_i32(env, argv[0]);
  if (fd < 0 || fd >= 65536 || watches[fd]) {
    napi_throw_error(env, NULL, "bad or watched descriptor");
    return NULL;
  }
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  watch_t *w = calloc(1, sizeof *w);
  w->env = env;
  w->fd = fd;
  napi_create_reference(env, argv[1], 1, &w->cb);
  uv_poll_init(loop, &w->poll, fd);
  uv_poll_start(&w->poll, UV_READABLE, on_poll);
  watches[fd] = w;
  return NULL;
}

/** A Uint8Array's or Uint32Array's bytes; 0 (a TypeError thrown) for anything else. */
static int get_buf(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  napi_typedarray_type t;
  size_t n, off;
  napi_value ab;
  void *p;
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is || napi_get_typedarray_info(env, v, &t, &n, &p, &ab, &off) != napi_ok || (t != napi_uint8_array && t != napi_uint32_array)) {
    napi_throw_type_error(env, NULL, "a Uint8Array or Uint32Array is needed");
    return 0;
  }
  *data = p;
  *len = n * (t == napi_uint32_array ? 4 : 1);
  return 1;
}

/** recv's and send's arguments: (fd, bytes, a, b); 0 when they are wrong (thrown). */
static int io_args(napi_env env, napi_callback_info info, int *fd, uint8_t **buf, size_t *blen, napi_value ab[2]) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "four arguments are needed");
    return 0;
  }
  *fd = arg_i32(env, argv[0]);
  ab[0] = argv[2];
  ab[1] = argv[3];
  return get_buf(env, argv[1], buf, blen);
}

static napi_value m_recv(napi_env env, napi_callback_info info) {
  int fd;
  uint8_t *buf, *metab;
  size_t blen, mlen;
  napi_value ab[2];
  if (!io_args(env, info, &fd, &buf, &blen, ab) || !get_buf(env, ab[1], &metab, &mlen)) return NULL;
  size_t slot = (size_t)arg_i32(env, ab[0]);
  if (!slot) {
    napi_throw_range_error(env, NULL, "slot must be > 0");
    return NULL;
  }
  uint32_t *meta = (uint32_t *)metab;
  size_t max = mlen / 12;
  if (blen / slot < max) max = blen / slot;
  if (max > MAXB) max = MAXB;
  struct mmsghdr msgs[MAXB];
  struct iovec iov[MAXB];
  struct sockaddr_in from[MAXB];
  for (size_t i = 0; i < max; i++) {
    iov[i] = (struct iovec){buf + i * slot, slot};
    msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_name = &from[i], .msg_namelen = sizeof from[i], .msg_iov = &iov[i], .msg_iovlen = 1}};
  }
  int got = recvmmsg(fd, msgs, (unsigned)max, MSG_DONTWAIT, NULL);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) got = 0;
    else return throw_errno(env, "recvmmsg");
  }
  for (int i = 0; i < got; i++) {
    meta[3 * i] = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) ? 0xffffffffu : msgs[i].msg_len;
    meta[3 * i + 1] = ntohl(from[i].sin_addr.s_addr);
    meta[3 * i + 2] = ntohs(from[i].sin_port);
  }
  return num(env, got);
}

static napi_value m_send(napi_env env, napi_callback_info info) {
  int fd;
  uint8_t *buf, *descb;
  size_t blen, dlen;
  napi_value ab[2];
  if (!io_args(env, info, &fd, &buf, &blen, ab) || !get_buf(env, ab[0], &descb, &dlen)) return NULL;
  uint32_t *desc = (uint32_t *)descb;
  size_t n = (size_t)arg_i32(env, ab[1]);
  if (n > dlen / 16) n = dlen / 16;
  struct mmsghdr msgs[MAXB];
  struct iovec iov[MAXB];
  struct sockaddr_in to[MAXB];
  size_t sent = 0;
  while (sent < n) {
    size_t k = 0;
    for (; k < MAXB && sent + k < n; k++) {
      const uint32_t *d = desc + 4 * (sent + k);
      if ((size_t)d[0] + d[1] > blen) {
        napi_throw_range_error(env, NULL, "datagram outside the buffer");
        return NULL;
      }
      iov[k] = (struct iovec){buf + d[0], d[1]};
      to[k] = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)d[3]), .sin_addr.s_addr = htonl(d[2])};
      msgs[k] = (struct mmsghdr){.msg_hdr = {.msg_name = &to[k], .msg_namelen = sizeof to[k], .msg_iov = &iov[k], .msg_iovlen = 1}};
    }
    int r = sendmmsg(fd, msgs, (unsigned)k, MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR) continue;
      // a full send buffer or an unreachable peer: this datagram is dropped, as UDP would
      sent++;
      continue;
    }
    sent += (size_t)r;
  }
  return num(env, (double)sent);
}

static void on_closed(uv_handle_t *h) {
  watch_t *w = (watch_t *)h;
  free(w);
}

static napi_value m_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int fd = arg_i32(env, argv[0]);
  if (fd < 0 || fd >= 65536) return NULL;
  watch_t *w = watches[fd];
  if (w) {
    watches[fd] = NULL;
    uv_poll_stop(&w->poll);
    napi_delete_reference(env, w->cb);
    uv_close((uv_handle_t *)&w->poll, on_closed);
  }
  close(fd);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, m_open, NULL, NULL, NULL, napi_default, NULL},
      {"watch", NULL, m_watch, NULL, NULL, NULL, napi_default, NULL},
      {"recv", NULL, m_recv, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, m_send, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, m_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
