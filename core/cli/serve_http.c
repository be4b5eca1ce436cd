/* cvpdf - serve: the HTTP side (libmicrohttpd).  Every request must carry
 * the token the command printed and a Host header naming this server;
 * the only file it reads or writes on request is the CV. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "cli/serve.h"

/* How long a page's wait for a change on disk lasts before it asks again;
 * well under the connection timeout. */
#define EVENTS_WAIT_S 20
#define CONNECTION_TIMEOUT_S 60
#define MAX_CONNECTIONS 64

/* One request's body, gathered as it arrives. */
typedef struct request {
  cv_buf body;
  int too_large;
} request;

/* libmicrohttpd, loaded when serve starts: linked in, it and the
 * libraries it needs (GnuTLS and six more) would be loaded and relocated
 * by every render.  Its headers still come from meson's
 * dependency('libmicrohttpd'); its ABI is libmicrohttpd.so.12. */
#define MHD_SONAME "libmicrohttpd.so.12"

typedef struct mhd_api {
  struct MHD_Daemon *(*start_daemon)(unsigned flags, uint16_t port,
                                     MHD_AcceptPolicyCallback apc,
                                     void *apc_cls,
                                     MHD_AccessHandlerCallback dh, void *dh_cls,
                                     ...);
  void (*stop_daemon)(struct MHD_Daemon *d);
  enum MHD_Result (*add_response_header)(struct MHD_Response *r,
                                         const char *header,
                                         const char *content);
  struct MHD_Response *(*create_response_from_buffer)(
      size_t size, void *buffer, enum MHD_ResponseMemoryMode mode);
  void (*destroy_response)(struct MHD_Response *r);
  const char *(*lookup_connection_value)(struct MHD_Connection *c,
                                         enum MHD_ValueKind kind,
                                         const char *key);
  enum MHD_Result (*queue_response)(struct MHD_Connection *c, unsigned int code,
                                    struct MHD_Response *r);
} mhd_api;

/* Loaded once, by the first serve, under pthread_once; only read after. */
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static mhd_api mhd;
static char mhd_failure[256];

static void mhd_load(void) {
  const cv_dl_sym syms[] = {
      {"MHD_start_daemon", (void **)&mhd.start_daemon},
      {"MHD_stop_daemon", (void **)&mhd.stop_daemon},
      {"MHD_add_response_header", (void **)&mhd.add_response_header},
      {"MHD_create_response_from_buffer",
       (void **)&mhd.create_response_from_buffer},
      {"MHD_destroy_response", (void **)&mhd.destroy_response},
      {"MHD_lookup_connection_value", (void **)&mhd.lookup_connection_value},
      {"MHD_queue_response", (void **)&mhd.queue_response},
  };
  cv_dl_bind(MHD_SONAME, syms, sizeof syms / sizeof *syms, mhd_failure,
             sizeof mhd_failure);
}

void cv_serve_stop(struct MHD_Daemon *d) {
  if (d)
    mhd.stop_daemon(d);
}

static void add_common_headers(struct MHD_Response *r) {
  mhd.add_response_header(r, "Cache-Control", "no-store");
  mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
  /* The token is in every URL: never pass it on to another site. */
  mhd.add_response_header(r, "Referrer-Policy", "no-referrer");
  mhd.add_response_header(r, "X-Frame-Options", "DENY");
  mhd.add_response_header(r, "Content-Security-Policy",
                          "default-src 'none'; script-src 'self'; "
                          "style-src 'self'; img-src 'self' blob: data:; "
                          "connect-src 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'; form-action 'none'");
}

/* Sends r (destroyed here) with the headers every answer has. */
static enum MHD_Result queue(struct MHD_Connection *c, unsigned code,
                             struct MHD_Response *r, const char *type,
                             const char *timing, const char *attachment) {
  add_common_headers(r);
  mhd.add_response_header(r, "Content-Type", type);
  if (timing)
    mhd.add_response_header(r, "Server-Timing", timing);
  if (attachment) {
    char cd[512];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", attachment);
    mhd.add_response_header(r, "Content-Disposition", cd);
  }
  enum MHD_Result ret = mhd.queue_response(c, code, r);
  mhd.destroy_response(r);
  return ret;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code,
                             const char *type, const void *data, size_t len,
                             const char *timing, const char *attachment) {
  struct MHD_Response *r =
      mhd.create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
  if (!r)
    return MHD_NO;
  return queue(c, code, r, type, timing, attachment);
}

/* A page's picture, named by its hash (X-Picture-Hash). */
static enum MHD_Result reply_picture(struct MHD_Connection *c, unsigned code,
                                     const void *data, size_t len,
                                     const char *timing, const char *hash,
                                     const char *attachment) {
  struct MHD_Response *r =
      mhd.create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
  if (!r)
    return MHD_NO;
  mhd.add_response_header(r, "X-Picture-Hash", hash);
  return queue(c, code, r, "image/png", timing, attachment);
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code,
                                  const char *msg) {
  return reply(c, code, "text/plain; charset=utf-8", msg, strlen(msg), NULL,
               NULL);
}

static enum MHD_Result reply_json(struct MHD_Connection *c, unsigned code,
                                  const cv_buf *b, const char *timing) {
  if (b->failed)
    return reply_text(c, 500, "out of memory\n");
  return reply(c, code, "application/json", b->data ? b->data : "", b->len,
               timing, NULL);
}

static const char *arg(struct MHD_Connection *c, const char *name) {
  return mhd.lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

/* A whole decimal number within [lo, hi], or -1. */
static long long num_arg(struct MHD_Connection *c, const char *name,
                         long long lo, long long hi) {
  const char *v = arg(c, name);
  if (!v || !*v)
    return -1;
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, 10);
  return *end || errno || n < lo || n > hi ? -1 : n;
}

/* Compares in time independent of where the strings differ. */
static int same_secret(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  unsigned char diff = la != lb;
  for (size_t i = 0; i < la && i < lb; i++)
    diff |= (unsigned char)(a[i] ^ b[i]);
  return diff == 0;
}

static int is_ip_literal(const char *name, size_t n) {
  char buf[64];
  unsigned char addr[16];
  if (n >= sizeof buf)
    return 0;
  if (n > 2 && name[0] == '[' && name[n - 1] == ']') {
    memcpy(buf, name + 1, n - 2);
    buf[n - 2] = '\0';
    return inet_pton(AF_INET6, buf, addr) == 1;
  }
  memcpy(buf, name, n);
  buf[n] = '\0';
  return inet_pton(AF_INET, buf, addr) == 1;
}

static int name_is(const char *name, size_t n, const char *want) {
  return strlen(want) == n && !strncasecmp(name, want, n);
}

int cv_serve_host_ok(const cv_serve *s, const char *host) {
  if (!host)
    return 0;
  const char *colon = strrchr(host, ':');
  if (colon && strchr(colon, ']'))
    colon = NULL; /* the colons of a bare [v6] address */
  size_t n = colon ? (size_t)(colon - host) : strlen(host);
  unsigned port = 80;
  if (colon) {
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || end == colon + 1 || p > 65535)
      return 0;
    port = (unsigned)p;
  }
  if (port != s->port)
    return 0;
  if (name_is(host, n, s->host))
    return 1;
  if ((s->loopback || s->wildcard) &&
      (name_is(host, n, "localhost") || name_is(host, n, "127.0.0.1") ||
       name_is(host, n, "[::1]")))
    return 1;
  /* No DNS name can be rebound to an address written as one. */
  return s->wildcard && is_ip_literal(host, n);
}

/* ---- routes ----------------------------------------------------------- */

static enum MHD_Result send_asset(cv_serve *s, struct MHD_Connection *c,
                                  const cv_asset *a) {
  if (strcmp(a->name, "/"))
    return reply(c, 200, a->type, a->data, a->len, NULL, NULL);
  /* The page carries the token into the URLs it asks for. */
  cv_buf b;
  cv_buf_init(&b);
  const char *p = (const char *)a->data, *end = p + a->len;
  for (const char *m; (m = strstr(p, "@TOKEN@")) && m < end; p = m + 7) {
    cv_buf_put(&b, p, (size_t)(m - p));
    cv_buf_puts(&b, s->token);
  }
  cv_buf_put(&b, p, (size_t)(end - p));
  enum MHD_Result r = b.failed
                          ? reply_text(c, 500, "out of memory\n")
                          : reply(c, 200, a->type, b.data, b.len, NULL, NULL);
  cv_buf_fini(&b);
  return r;
}

static enum MHD_Result send_state(cv_serve *s, struct MHD_Connection *c) {
  cv_buf b;
  cv_buf_init(&b);
  cv_buf_puts(&b, "{\"file\": ");
  cv_json_str(&b, s->base, strlen(s->base));
  cv_buf_puts(&b, ", \"layouts\": [");
  for (size_t i = 0; s->layouts && s->layouts[i]; i++) {
    cv_buf_puts(&b, i ? ", " : "");
    cv_json_str(&b, s->layouts[i], strlen(s->layouts[i]));
  }
  cv_buf_printf(&b, "], \"limit\": %zu, \"disk\": ", s->body_limit);
  cv_serve_disk_json(s, &b);
  cv_buf_puts(&b, "}");
  enum MHD_Result r = reply_json(c, 200, &b, NULL);
  cv_buf_fini(&b);
  return r;
}

static enum MHD_Result send_events(cv_serve *s, struct MHD_Connection *c) {
  long long since = num_arg(c, "since", 0, INT64_MAX);
  if (since < 0)
    return reply_text(c, 400, "expected ?since=VERSION\n");
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += EVENTS_WAIT_S;
  pthread_mutex_lock(&s->mu);
  while (!s->stopping && s->disk_version == (uint64_t)since)
    if (pthread_cond_timedwait(&s->changed, &s->mu, &until) == ETIMEDOUT)
      break;
  pthread_mutex_unlock(&s->mu);
  cv_buf b;
  cv_buf_init(&b);
  cv_serve_disk_json(s, &b);
  enum MHD_Result r = reply_json(c, 200, &b, NULL);
  cv_buf_fini(&b);
  return r;
}

/* A render's answer with the picture it drew: the JSON's bytes (as many
 * as X-Render-Length says), then the PNG's. */
static enum MHD_Result reply_with_picture(struct MHD_Connection *c,
                                          cv_buf *json, const cv_buf *png) {
  char len[32];
  snprintf(len, sizeof len, "%zu", json->len);
  cv_buf_put(json, png->data, png->len);
  if (json->failed)
    return reply_text(c, 500, "out of memory\n");
  struct MHD_Response *r = mhd.create_response_from_buffer(
      json->len, json->data, MHD_RESPMEM_MUST_COPY);
  if (!r)
    return MHD_NO;
  mhd.add_response_header(r, "X-Render-Length", len);
  return queue(c, 200, r, "application/octet-stream", NULL, NULL);
}

/* POST /render[?layout=NAME][&first=N&dpi=D]: with first, page N is drawn
 * at D dpi as soon as the render is done and comes with the answer. */
static enum MHD_Result do_render(cv_serve *s, struct MHD_Connection *c,
                                 request *q) {
  const char *layout = arg(c, "layout");
  if (layout && !*layout)
    layout = NULL;
  if (layout && !cv_layout_installed(s, layout))
    return reply_text(c, 400, "expected the name of an installed layout\n");
  long long first = arg(c, "first") ? num_arg(c, "first", 1, INT32_MAX) : 0;
  long long dpi = arg(c, "dpi")
                      ? num_arg(c, "dpi", CV_PNG_MIN_DPI, CV_PNG_MAX_DPI)
                      : CV_PNG_DEFAULT_DPI;
  if (first < 0 || dpi < 0)
    return reply_text(c, 400,
                      "expected ?first=PAGE (from 1) and ?dpi=18..600\n");
  cv_picture_req want = {(size_t)(first - 1), (double)dpi};
  cv_buf b, png;
  cv_buf_init(&b);
  cv_buf_init(&png);
  cv_serve_render(s, q->body.data ? q->body.data : "", q->body.len, layout,
                  first ? &want : NULL, &b, &png);
  enum MHD_Result r =
      first ? reply_with_picture(c, &b, &png) : reply_json(c, 200, &b, NULL);
  cv_buf_fini(&b);
  cv_buf_fini(&png);
  return r;
}

static enum MHD_Result do_save(cv_serve *s, struct MHD_Connection *c,
                               request *q) {
  long long seen = num_arg(c, "version", 0, INT64_MAX);
  const char *force = arg(c, "force");
  if (seen < 0)
    return reply_text(c, 400, "expected ?version=VERSION\n");
  cv_status st = {0};
  int rc = cv_serve_save(s, q->body.data ? q->body.data : "", q->body.len,
                         (uint64_t)seen, force && !strcmp(force, "1"), &st);
  cv_buf b;
  cv_buf_init(&b);
  if (rc == 0)
    fprintf(stderr, "cvpdf: serve: saved %s\n", s->cv_path);
  if (rc < 0)
    fprintf(stderr, "cvpdf: serve: %s\n", st.msg);
  cv_buf_printf(&b, "{\"saved\": %s, \"conflict\": %s, \"error\": ",
                rc == 0 ? "true" : "false", rc == 1 ? "true" : "false");
  cv_json_str(&b, st.msg, rc < 0 ? strlen(st.msg) : 0);
  cv_buf_puts(&b, ", \"disk\": ");
  cv_serve_disk_json(s, &b);
  cv_buf_puts(&b, "}");
  enum MHD_Result r = reply_json(c,
                                 rc == 1  ? 409
                                 : rc < 0 ? 500
                                          : 200,
                                 &b, NULL);
  cv_buf_fini(&b);
  return r;
}

/* The download name: the CV's, with ext instead of its ending. */
static void download_name(const cv_serve *s, const char *ext, long long page,
                          char *out, size_t n) {
  const char *dot = strrchr(s->base, '.');
  int stem =
      dot && dot != s->base ? (int)(dot - s->base) : (int)strlen(s->base);
  if (page > 0)
    snprintf(out, n, "%.*s-%lld%s", stem, s->base, page, ext);
  else
    snprintf(out, n, "%.*s%s", stem, s->base, ext);
  for (char *p = out; *p; p++)
    if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
      *p = '_';
}

static enum MHD_Result send_pdf(cv_serve *s, struct MHD_Connection *c) {
  cv_snapshot *snap = cv_serve_snapshot(s);
  if (!snap)
    return reply_text(c, 404, "no page has rendered yet\n");
  char name[300];
  download_name(s, ".pdf", 0, name, sizeof name);
  cv_status st = {0};
  pthread_mutex_lock(&snap->mu);
  const cv_buf *file = cv_snapshot_file(s, snap, &st);
  enum MHD_Result r =
      file ? reply(c, 200, "application/pdf", file->data, file->len, NULL,
                   arg(c, "download") ? name : NULL)
           : reply_text(c, 500, st.msg);
  pthread_mutex_unlock(&snap->mu);
  cv_snapshot_release(s, snap);
  return r;
}

/* GET /page.png?rev=R&n=N&dpi=D[&have=HASH]: page N (from 1) of render R;
 * a render that is no longer the one on show answers 410, and the page asks
 * again.  X-Picture-Hash names the picture; when it is the one the page
 * has already (have), the answer is 204 and carries no picture. */
static enum MHD_Result send_page(cv_serve *s, struct MHD_Connection *c) {
  long long rev = num_arg(c, "rev", 0, INT64_MAX);
  long long n = num_arg(c, "n", 1, INT32_MAX);
  long long dpi = arg(c, "dpi")
                      ? num_arg(c, "dpi", CV_PNG_MIN_DPI, CV_PNG_MAX_DPI)
                      : CV_PNG_DEFAULT_DPI;
  int download = arg(c, "download") != NULL;
  if (n < 0 || dpi < 0)
    return reply_text(c, 400, "expected ?n=PAGE (from 1) and ?dpi=18..600\n");
  cv_snapshot *snap = cv_serve_snapshot(s);
  if (!snap)
    return reply_text(c, 404, "no page has rendered yet\n");
  if (rev >= 0 && (uint64_t)rev != snap->rev) {
    cv_snapshot_release(s, snap);
    return reply_text(c, 410, "a newer render replaced this one\n");
  }
  cv_status st = {0};
  double ms = 0;
  char name[300], timing[64];
  download_name(s, ".png", n, name, sizeof name);
  pthread_mutex_lock(&snap->mu);
  const cv_buf *png =
      cv_snapshot_png(snap, (size_t)n - 1, (double)dpi, !download, &ms, &st);
  snprintf(timing, sizeof timing, "raster;dur=%.2f", ms);
  char hash[17];
  snprintf(hash, sizeof hash, "%016llx",
           png ? (unsigned long long)snap->pages[n - 1].hash : 0ull);
  const char *have = arg(c, "have");
  int same = png && have && !strcmp(have, hash);
  enum MHD_Result r = !png ? reply_text(c, 404, st.msg)
                      : same
                          ? reply_picture(c, 204, NULL, 0, timing, hash, NULL)
                          : reply_picture(c, 200, png->data, png->len, timing,
                                          hash, download ? name : NULL);
  pthread_mutex_unlock(&snap->mu);
  cv_snapshot_release(s, snap);
  return r;
}

static enum MHD_Result route(cv_serve *s, struct MHD_Connection *c,
                             const char *url, int post, request *q) {
  if (post && !strcmp(url, "/render"))
    return do_render(s, c, q);
  if (post && !strcmp(url, "/save"))
    return do_save(s, c, q);
  if (post)
    return reply_text(c, 405, "only /render and /save take POST\n");
  if (!strcmp(url, "/state"))
    return send_state(s, c);
  if (!strcmp(url, "/events"))
    return send_events(s, c);
  if (!strcmp(url, "/page.png"))
    return send_page(s, c);
  if (!strcmp(url, "/cv.pdf"))
    return send_pdf(s, c);
  if (!strcmp(url, "/schema.json"))
    return reply_json(c, 200, &s->schema, NULL);
  for (const cv_asset *a = cv_serve_assets; a->name; a++)
    if (!strcmp(url, a->name))
      return send_asset(s, c, a);
  return reply_text(c, 404, "not found\n");
}

/* The checks every request passes before anything else; 0 or an HTTP
 * status. */
static unsigned admit(cv_serve *s, struct MHD_Connection *c, const char *method,
                      const char **why) {
  const char *host =
      mhd.lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
  const char *token = arg(c, "token");
  if (!cv_serve_host_ok(s, host))
    return *why = "this server answers only to its own address\n", 403;
  if (!token || !same_secret(token, s->token))
    return *why = "expected the token printed by cvpdf serve\n", 403;
  int post = !strcmp(method, "POST");
  if (!post && strcmp(method, "GET") && strcmp(method, "HEAD"))
    return *why = "expected GET or POST\n", 405;
  const char *len = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (len && strtoull(len, NULL, 10) > s->body_limit)
    return *why = "the request is larger than the server takes\n", 413;
  return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *size, void **ctx) {
  (void)version;
  cv_serve *s = cls;
  request *q = *ctx;
  if (!q) {
    const char *why = NULL;
    unsigned code = admit(s, c, method, &why);
    if (code)
      return reply_text(c, code, why);
    if (!(q = calloc(1, sizeof *q)))
      return MHD_NO;
    *ctx = q;
    return MHD_YES;
  }
  if (*size) {
    if (q->body.len + *size > s->body_limit)
      q->too_large = 1;
    else
      cv_buf_put(&q->body, data, *size);
    *size = 0;
    return MHD_YES;
  }
  if (q->too_large)
    return reply_text(c, 413, "the request is larger than the server takes\n");
  if (q->body.failed)
    return reply_text(c, 500, "out of memory\n");
  return route(s, c, url, !strcmp(method, "POST"), q);
}

static void on_done(void *cls, struct MHD_Connection *c, void **ctx,
                    enum MHD_RequestTerminationCode why) {
  (void)cls, (void)c, (void)why;
  request *q = *ctx;
  if (q) {
    cv_buf_fini(&q->body);
    free(q);
    *ctx = NULL;
  }
}

static void log_mhd(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  fputs("cvpdf: serve: ", stderr);
  vfprintf(stderr, fmt, ap);
}

struct MHD_Daemon *cv_serve_start(cv_serve *s, int listen_fd) {
  pthread_once(&mhd_once, mhd_load);
  if (mhd_failure[0]) {
    fprintf(stderr, "cvpdf: serve: cannot start the HTTP server: %s\n",
            mhd_failure);
    return NULL;
  }
  /* Rendering and drawing run in the request's own thread: one slow
   * render never holds up the page's other requests. */
  struct MHD_Daemon *d = mhd.start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
          MHD_USE_AUTO | MHD_USE_ERROR_LOG,
      0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, s,
      MHD_OPTION_LISTEN_SOCKET, listen_fd, MHD_OPTION_NOTIFY_COMPLETED, on_done,
      s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_END);
  if (!d)
    fputs("cvpdf: serve: cannot start the HTTP server\n", stderr);
  return d;
}
