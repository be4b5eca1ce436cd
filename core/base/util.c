/* cvpdf - small shared helpers. */
#define _POSIX_C_SOURCE 200809L
#include "base/util.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void *cv_malloc_n(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  return malloc((n * size) != 0 ? n * size : 1);
}

void *cv_calloc_n(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  return calloc(n ? n : 1, size ? size : 1);
}

void *cv_realloc_n(void *p, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  return realloc(p, (n * size) != 0 ? n * size : 1);
}

char *cv_strndup(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *cv_strdup(const char *s) {
  return s ? cv_strndup(s, strlen(s)) : NULL;
}

int cv_grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t ncap = *cap ? *cap : 8;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2)
      return -1;
    ncap *= 2;
  }
  void *np = cv_realloc_n(*p, ncap, size);
  if (!np)
    return -1;
  *p = np;
  *cap = ncap;
  return 0;
}

/* ---- arena ---------------------------------------------------------- */

struct cv_arena_chunk {
  cv_arena_chunk *next;
  size_t cap;
  max_align_t data[];
};

#define CV_ARENA_CHUNK 65536u

void cv_arena_init(cv_arena *a) {
  memset(a, 0, sizeof *a);
}

void cv_arena_fini(cv_arena *a) {
  cv_arena_chunk *c = a->head;
  while (c) {
    cv_arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  memset(a, 0, sizeof *a);
}

void *cv_arena_alloc(cv_arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  if (size > SIZE_MAX - align)
    return NULL;
  size = (size + align - 1) / align * align;
  if (size == 0)
    size = align;
  if (!a->head || a->cap - a->used < size) {
    size_t cap = size > CV_ARENA_CHUNK ? size : CV_ARENA_CHUNK;
    cv_arena_chunk *c = malloc(sizeof *c + cap);
    if (!c)
      return NULL;
    c->cap = cap;
    if (a->head && size > CV_ARENA_CHUNK) {
      /* A large block gets its own chunk behind the current one, so the
       * free room of the current chunk is not wasted. */
      c->next = a->head->next;
      a->head->next = c;
      memset(c->data, 0, size);
      a->total += size;
      return c->data;
    }
    c->next = a->head;
    a->head = c;
    a->cap = cap;
    a->used = 0;
  }
  void *p = (char *)a->head->data + a->used;
  a->used += size;
  a->total += size;
  memset(p, 0, size);
  return p;
}

void *cv_arena_alloc_n(cv_arena *a, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  return cv_arena_alloc(a, n * size);
}

char *cv_arena_strndup(cv_arena *a, const char *s, size_t n) {
  if (n == SIZE_MAX)
    return NULL;
  char *d = cv_arena_alloc(a, n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *cv_arena_strdup(cv_arena *a, const char *s) {
  return s ? cv_arena_strndup(a, s, strlen(s)) : NULL;
}

/* Formats into size bytes that take(ud, size) hands out (the text's
 * length plus its NUL): what arena, heap and buffer printing share.  NULL
 * on a format error or when take fails; else the text, its length in *len
 * when len is not NULL. */
static char *vformat_into(void *(*take)(void *, size_t), void *ud, size_t *len,
                          const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return NULL;
  char *d = take(ud, (size_t)n + 1);
  if (!d)
    return NULL;
  vsnprintf(d, (size_t)n + 1, fmt, ap);
  if (len)
    *len = (size_t)n;
  return d;
}

static void *arena_take(void *a, size_t n) {
  return cv_arena_alloc(a, n);
}

static void *heap_take(void *ud, size_t n) {
  (void)ud;
  return malloc(n);
}

char *cv_arena_vprintf(cv_arena *a, const char *fmt, va_list ap) {
  return vformat_into(arena_take, a, NULL, fmt, ap);
}

char *cv_vasprintf(const char *fmt, va_list ap) {
  return vformat_into(heap_take, NULL, NULL, fmt, ap);
}

char *cv_arena_printf(cv_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *r = cv_arena_vprintf(a, fmt, ap);
  va_end(ap);
  return r;
}

/* ---- buffers -------------------------------------------------------- */

void cv_buf_init(cv_buf *b) {
  memset(b, 0, sizeof *b);
}

void cv_buf_fini(cv_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

void cv_buf_reset(cv_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

void cv_buf_put(cv_buf *b, const void *data, size_t n) {
  if (b->failed)
    return;
  if (n > SIZE_MAX - b->len - 1 ||
      cv_grow((void **)&b->data, &b->cap, b->len + n + 1, 1) < 0) {
    b->failed = 1;
    return;
  }
  if (n)
    memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void cv_buf_puts(cv_buf *b, const char *s) {
  cv_buf_put(b, s, strlen(s));
}

void cv_buf_putc(cv_buf *b, char c) {
  cv_buf_put(b, &c, 1);
}

/* The room after b's text, for n more bytes (NUL included). */
static void *buf_take(void *ud, size_t n) {
  cv_buf *b = ud;
  if (b->failed || cv_grow((void **)&b->data, &b->cap, b->len + n, 1) < 0)
    return NULL;
  return b->data + b->len;
}

void cv_buf_printf(cv_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t n = 0;
  char *d = vformat_into(buf_take, b, &n, fmt, ap);
  va_end(ap);
  if (!d) {
    b->failed = 1;
    return;
  }
  b->len += n;
}

void cv_buf_num(cv_buf *b, double v, int decimals) {
  /* Integer arithmetic only: printf's %f obeys LC_NUMERIC, which an
   * embedding program may have set to a comma locale. */
  char tmp[64];
  int pos = 0;
  if (decimals < 0)
    decimals = 0;
  if (decimals > 6)
    decimals = 6;
  long long scale = 1;
  for (int i = 0; i < decimals; i++)
    scale *= 10;
  if (v != v || v > 1e15 || v < -1e15)
    v = 0; /* NaN or absurd: never write garbage into a content stream */
  int neg = v < 0;
  double av = neg ? -v : v;
  long long q = (long long)(av * (double)scale + 0.5);
  if (q == 0)
    neg = 0;
  long long ip = q / scale, fp = q % scale;
  char digits[32];
  int nd = 0;
  do {
    digits[nd++] = (char)('0' + ip % 10);
    ip /= 10;
  } while (ip);
  if (neg)
    tmp[pos++] = '-';
  while (nd)
    tmp[pos++] = digits[--nd];
  if (fp) {
    char fd[8];
    for (int i = decimals - 1; i >= 0; i--) {
      fd[i] = (char)('0' + fp % 10);
      fp /= 10;
    }
    int last = decimals;
    while (last > 0 && fd[last - 1] == '0')
      last--;
    tmp[pos++] = '.';
    for (int i = 0; i < last; i++)
      tmp[pos++] = fd[i];
  }
  cv_buf_put(b, tmp, (size_t)pos);
}

/* ---- status --------------------------------------------------------- */

void cv_status_vfail(cv_status *st, cv_status_code code, const char *fmt,
                     va_list ap) {
  if (!st || st->failed)
    return; /* the first error wins */
  st->failed = 1;
  st->code = code == CV_OK ? CV_ERR_FAILED : code;
  vsnprintf(st->msg, sizeof st->msg, fmt, ap);
}

void cv_status_reported(cv_status *st) {
  if (!st || st->failed)
    return;
  st->failed = 1;
  st->code = CV_ERR_REPORTED;
  st->msg[0] = '\0';
}

void cv_status_fail(cv_status *st, cv_status_code code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_status_vfail(st, code, fmt, ap);
  va_end(ap);
}

void cv_status_vset(cv_status *st, const char *fmt, va_list ap) {
  cv_status_vfail(st, CV_ERR_FAILED, fmt, ap);
}

void cv_status_set(cv_status *st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_status_vset(st, fmt, ap);
  va_end(ap);
}

/* ---- UTF-8 ---------------------------------------------------------- */

int cv_utf8_decode(const char *str, size_t n, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)str;
  if (n == 0)
    return 0;
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  int len;
  uint32_t v, min;
  if ((c & 0xE0) == 0xC0) {
    len = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if ((size_t)len > n)
    return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  *cp = v;
  return len;
}

int cv_utf8_encode(uint32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t cv_utf8_check(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    int k = cv_utf8_decode(s + i, n - i, &cp);
    if (k == 0)
      return i;
    i += (size_t)k;
  }
  return (size_t)-1;
}

/* ---- suggestions ---------------------------------------------------- */

int cv_edit_distance(const char *a, const char *b, int cap) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64)
    return cap + 1;
  int row[65];
  for (size_t j = 0; j <= lb; j++)
    row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int prev = row[0], best = row[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int cur = row[j];
      int ca = a[i - 1], cb = b[j - 1];
      if (ca >= 'A' && ca <= 'Z')
        ca += 32;
      if (cb >= 'A' && cb <= 'Z')
        cb += 32;
      int v = prev + (ca != cb);
      if (row[j] + 1 < v)
        v = row[j] + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      row[j] = v;
      prev = cur;
      if (v < best)
        best = v;
    }
    if (best > cap)
      return cap + 1;
  }
  return row[lb];
}

const char *cv_nearest(const char *word, const char *const *names) {
  if (!word || !names)
    return NULL;
  size_t lw = strlen(word);
  int cap = lw <= 3 ? 1 : lw <= 6 ? 2 : 3;
  const char *best = NULL;
  int bestd = cap + 1;
  for (size_t i = 0; names[i]; i++) {
    int d = cv_edit_distance(word, names[i], cap);
    if (d < bestd) {
      bestd = d;
      best = names[i];
    }
  }
  return best;
}

int cv_dl_bind(const char *path, const cv_dl_sym *syms, size_t n, char *why,
               size_t cap) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(why, cap, "cannot load %s: %s", path, e ? e : "unknown error");
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if (!(*syms[i].slot = dlsym(lib, syms[i].name))) {
      snprintf(why, cap, "%s lacks %s, which cvpdf calls", path, syms[i].name);
      return -1;
    }
  return 0;
}
