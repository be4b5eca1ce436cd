/* cvpdf - an image given as a web address, fetched once into the photo
 * cache.  A CV is rendered many times (watch, serve, a batch) and should
 * come out the same each time: so an address is fetched only when the
 * cache has no copy of it, and once there the copy is what every render
 * prints, offline or not.  Clearing the cache (or a new address) is how a
 * changed photo comes in. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/fetch.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <nettle/sha2.h>

#include "base/atomic.h"
#include "base/files.h"
#include "base/util.h"

#define MAX_REDIRECTS 5L
#define CONNECT_TIMEOUT 10L

/* libcurl, loaded on the first fetch: linked in, it and the twenty
 * libraries it needs (TLS, Kerberos, LDAP, SSH, ...) would be loaded and
 * relocated by every process, though only a CV with a photo at a web
 * address that is not yet in the cache ever fetches.  Its headers still
 * come from meson's dependency('libcurl'); its ABI has been libcurl.so.4
 * since 2006. */
#define CURL_SONAME "libcurl.so.4"

typedef struct curl_api {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
  CURLcode (*easy_perform)(CURL *h);
  CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
  void (*easy_cleanup)(CURL *h);
  const char *(*easy_strerror)(CURLcode rc);
} curl_api;

/* Loading libcurl and its process-wide set-up (its TLS library's, among
 * others) run once, before any handle is made, and it is not for each
 * thread to do: pthread_once makes the first fetch do it, and after it
 * these are only read.  It is never undone -- the process ends first. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static curl_api lc;
static char curl_failure[256];

static void curl_init(void) {
  const cv_dl_sym syms[] = {
      {"curl_global_init", (void **)&lc.global_init},
      {"curl_easy_init", (void **)&lc.easy_init},
      {"curl_easy_setopt", (void **)&lc.easy_setopt},
      {"curl_easy_perform", (void **)&lc.easy_perform},
      {"curl_easy_getinfo", (void **)&lc.easy_getinfo},
      {"curl_easy_cleanup", (void **)&lc.easy_cleanup},
      {"curl_easy_strerror", (void **)&lc.easy_strerror},
  };
  if (cv_dl_bind(CURL_SONAME, syms, sizeof syms / sizeof *syms, curl_failure,
                 sizeof curl_failure) < 0)
    return;
  CURLcode rc = lc.global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK)
    snprintf(curl_failure, sizeof curl_failure, "libcurl could not start: %s",
             lc.easy_strerror(rc));
}

int cv_fetch_cache_dir(char *buf, size_t cap) {
  const char *xdg = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  int n;
  if (xdg && xdg[0] == '/') /* the spec ignores a relative one */
    n = snprintf(buf, cap, "%s/cvpdf", xdg);
  else if (home && home[0] == '/')
    n = snprintf(buf, cap, "%s/.cache/cvpdf", home);
  else
    return -1;
  return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* mkdir -p, the new folders private to the user (as the XDG spec asks of
 * the cache's).  Returns 0 or -1 with errno set. */
static int make_dirs(char *path) {
  for (char *p = path + 1;; p++) {
    if (*p && *p != '/')
      continue;
    char c = *p;
    *p = '\0';
    int rc = mkdir(path, 0700);
    *p = c;
    if (rc < 0 && errno != EEXIST)
      return -1;
    if (!c)
      return 0;
  }
}

/* "DIR/HEX": the cache file of url, named by its SHA-256. */
static int cache_file(const char *url, char *buf, size_t cap) {
  char dir[4096];
  if (cv_fetch_cache_dir(dir, sizeof dir) < 0)
    return -1;
  struct sha256_ctx ctx;
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, strlen(url), (const uint8_t *)url);
  sha256_digest(&ctx, sizeof digest, digest);
  char hex[2 * SHA256_DIGEST_SIZE + 1];
  for (size_t i = 0; i < sizeof digest; i++)
    snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  int n = snprintf(buf, cap, "%s/%s", dir, hex);
  return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Whether data begins as a JPEG or a PNG file does. */
static int image_magic(const unsigned char *data, size_t len) {
  static const unsigned char png[8] = {0x89, 'P',  'N',  'G',
                                       '\r', '\n', 0x1a, '\n'};
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return 1;
  return len >= sizeof png && !memcmp(data, png, sizeof png);
}

/* The cache's copy of the file at path, or NULL when it has none (or one
 * that is not an image, which is then fetched again). */
static unsigned char *read_cached(const char *path, size_t *len) {
  char why[256];
  struct stat sb;
  int fd = cv_input_open(NULL, path, 0, NULL, &sb, why, sizeof why);
  if (fd < 0)
    return NULL;
  int err = 0;
  unsigned char *data = (unsigned char *)cv_input_read(
      fd, (size_t)sb.st_size, CV_FETCH_MAX_BYTES, len, &err);
  close(fd);
  if (data && !image_magic(data, *len)) {
    free(data);
    data = NULL;
  }
  return data;
}

typedef struct body {
  unsigned char *data;
  size_t len, cap;
  int too_big, no_memory;
} body;

static size_t on_data(char *ptr, size_t size, size_t n, void *ud) {
  body *b = ud;
  size_t add = size * n;
  if (add > CV_FETCH_MAX_BYTES - b->len) {
    b->too_big = 1;
    return 0; /* libcurl stops with CURLE_WRITE_ERROR */
  }
  if (b->len + add + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < b->len + add + 1)
      cap *= 2;
    unsigned char *grown = realloc(b->data, cap);
    if (!grown) {
      b->no_memory = 1;
      return 0;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, ptr, add);
  b->len += add;
  return add;
}

/* What a failed transfer's code means, in a reader's words. */
static void transfer_error(CURLcode rc, const body *b, const char *errbuf,
                           char *why, size_t cap) {
  if (b->too_big || rc == CURLE_FILESIZE_EXCEEDED)
    snprintf(why, cap,
             "expected an image of at most %u MiB, found a larger "
             "one",
             CV_FETCH_MAX_BYTES >> 20);
  else if (b->no_memory)
    snprintf(why, cap, "out of memory fetching it");
  else if (rc == CURLE_OPERATION_TIMEDOUT)
    snprintf(why, cap, "no complete answer within %d s", CV_FETCH_TIMEOUT);
  else if (rc == CURLE_TOO_MANY_REDIRECTS)
    snprintf(why, cap, "more than %ld redirects", MAX_REDIRECTS);
  else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
    snprintf(why, cap,
             "it redirects to an address that is not http or "
             "https");
  else
    snprintf(why, cap, "cannot fetch it: %s",
             *errbuf ? errbuf : lc.easy_strerror(rc));
}

/* Why the body is not an image: what it begins with, printable. */
static void not_an_image(const body *b, const char *type, char *why,
                         size_t cap) {
  char head[17];
  size_t n = 0;
  for (size_t i = 0; i < b->len && n < sizeof head - 1; i++)
    head[n++] = b->data[i] >= 0x20 && b->data[i] < 0x7f && b->data[i] != '\''
                    ? (char)b->data[i]
                    : '.';
  head[n] = '\0';
  if (!b->len)
    snprintf(why, cap, "expected a JPEG or PNG image, found an empty answer");
  else
    snprintf(why, cap,
             "expected a JPEG or PNG image, found %zu bytes beginning "
             "'%s'%s%s%s",
             b->len, head, type ? " (" : "", type ? type : "", type ? ")" : "");
}

static int transfer(CURL *h, const char *url, body *b, char *why, size_t cap) {
  char errbuf[CURL_ERROR_SIZE] = "";
  if (lc.easy_setopt(h, CURLOPT_URL, url) ||
      lc.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") ||
      lc.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") ||
      lc.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L) ||
      lc.easy_setopt(h, CURLOPT_MAXREDIRS, MAX_REDIRECTS) ||
      lc.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT) ||
      lc.easy_setopt(h, CURLOPT_TIMEOUT, (long)CV_FETCH_TIMEOUT) ||
      lc.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)CV_FETCH_MAX_BYTES) ||
      lc.easy_setopt(h, CURLOPT_NOSIGNAL, 1L) || /* threads */
      lc.easy_setopt(h, CURLOPT_USERAGENT, "cvpdf/" CVPDF_VERSION) ||
      lc.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) ||
      lc.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data) ||
      lc.easy_setopt(h, CURLOPT_WRITEDATA, b)) {
    snprintf(why, cap, "libcurl refused the fetch's settings");
    return -1;
  }
  CURLcode rc = lc.easy_perform(h);
  if (rc != CURLE_OK) {
    transfer_error(rc, b, errbuf, why, cap);
    return -1;
  }
  long status = 0;
  lc.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status >= 300) {
    snprintf(why, cap, "the server answered HTTP %ld", status);
    return -1;
  }
  if (!image_magic(b->data, b->len)) {
    const char *type = NULL;
    lc.easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
    not_an_image(b, type, why, cap);
    return -1;
  }
  return 0;
}

/* Fetches url's body, which must be an image.  Returns it (malloc'd) or
 * NULL with why. */
static unsigned char *fetch(const char *url, size_t *len, char *why,
                            size_t cap) {
  pthread_once(&curl_once, curl_init);
  if (curl_failure[0]) {
    snprintf(why, cap, "%s", curl_failure);
    return NULL;
  }
  CURL *h = lc.easy_init();
  if (!h) {
    snprintf(why, cap, "libcurl could not start a transfer");
    return NULL;
  }
  body b = {0};
  int rc = transfer(h, url, &b, why, cap);
  lc.easy_cleanup(h);
  if (rc < 0) {
    free(b.data);
    return NULL;
  }
  *len = b.len;
  return b.data;
}

/* Stores data as url's copy at path.  Returns 0, or -1 with why. */
static int store(const char *path, const unsigned char *data, size_t len,
                 char *why, size_t cap) {
  char dir[4096];
  size_t n = (size_t)(strrchr(path, '/') - path);
  if (n >= sizeof dir)
    return -1;
  memcpy(dir, path, n);
  dir[n] = '\0';
  if (make_dirs(dir) < 0) {
    snprintf(why, cap,
             "it is not kept for later renders: cannot make the "
             "photo cache '%s': %s",
             dir, strerror(errno));
    return -1;
  }
  cv_status st = {0};
  if (cv_atomic_write(path, 0, NULL, "the photo's copy", data, len, &st) < 0) {
    snprintf(why, cap, "it is not kept for later renders: %s",
             st.msg[0] ? st.msg : "cannot write the photo cache");
    return -1;
  }
  return 0;
}

unsigned char *cv_fetch_image(const char *url, unsigned flags, size_t *len,
                              char *why, size_t cap) {
  *why = '\0';
  char path[4200];
  int cached = cache_file(url, path, sizeof path) == 0;
  unsigned char *data = cached ? read_cached(path, len) : NULL;
  if (data)
    return data;
  if (flags & CV_FETCH_OFFLINE) {
    char dir[4096];
    if (cv_fetch_cache_dir(dir, sizeof dir) < 0)
      snprintf(why, cap,
               "--offline fetches nothing, and there is no photo "
               "cache (neither XDG_CACHE_HOME nor HOME gives one)");
    else
      snprintf(why, cap,
               "--offline fetches nothing, and the photo cache "
               "('%s') has no copy of it",
               dir);
    return NULL;
  }
  data = fetch(url, len, why, cap);
  if (!data)
    return NULL;
  if (!cached)
    snprintf(why, cap,
             "it is not kept for later renders: there is no photo "
             "cache (neither XDG_CACHE_HOME nor HOME gives one)");
  else
    store(path, data, *len, why, cap);
  return data;
}
