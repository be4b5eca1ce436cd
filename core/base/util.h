/* cvpdf - small shared helpers: checked allocation, arenas, string buffers,
 * locale-independent number formatting and the sticky error status. */
#ifndef CV_UTIL_H
#define CV_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define CV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CV_PRINTF(a, b)
#endif

/* Overflow-checked array allocation: NULL when n * size overflows or on
 * out-of-memory.  Free with free(). */
void *cv_malloc_n(size_t n, size_t size);
void *cv_calloc_n(size_t n, size_t size);
void *cv_realloc_n(void *p, size_t n, size_t size);
char *cv_strdup(const char *s);
char *cv_strndup(const char *s, size_t n);

/* Grow *p (holding *cap elements of size) so it holds at least need.
 * Returns 0, or -1 on overflow / out of memory (then *p is unchanged). */
int cv_grow(void **p, size_t *cap, size_t need, size_t size);

/* Arena: bump allocator freed all at once.  Everything a render allocates
 * for its own lifetime (runs, nodes, strings) lives in the render's arena. */
typedef struct cv_arena_chunk cv_arena_chunk;
typedef struct cv_arena {
  cv_arena_chunk *head;
  size_t used, cap;
  size_t total; /* bytes handed out, for statistics */
} cv_arena;

void cv_arena_init(cv_arena *a);
void cv_arena_fini(cv_arena *a);
/* Zeroed memory aligned for any type; NULL on out of memory/overflow. */
void *cv_arena_alloc(cv_arena *a, size_t size);
void *cv_arena_alloc_n(cv_arena *a, size_t n, size_t size);
char *cv_arena_strdup(cv_arena *a, const char *s);
char *cv_arena_strndup(cv_arena *a, const char *s, size_t n);
char *cv_arena_printf(cv_arena *a, const char *fmt, ...) CV_PRINTF(2, 3);
char *cv_arena_vprintf(cv_arena *a, const char *fmt, va_list ap);
/* The formatted text in memory from malloc (the caller frees it); NULL
 * when out of memory or on a format error. */
char *cv_vasprintf(const char *fmt, va_list ap);

/* A function of a library loaded at run time: its name, and the function
 * pointer it goes into, given as (void **)&pointer (how POSIX has dlsym's
 * answer stored into one). */
typedef struct cv_dl_sym {
  const char *name;
  void **slot;
} cv_dl_sym;
/* Loads the library at path (a soname or a file) for good and fills the
 * n slots of syms: 0, or -1 with why (cap bytes) saying what failed. */
int cv_dl_bind(const char *path, const cv_dl_sym *syms, size_t n, char *why,
               size_t cap);

/* Growable byte buffer; always NUL-terminated when data != NULL. */
typedef struct cv_buf {
  char *data;
  size_t len, cap;
  int failed; /* sticky out-of-memory flag */
} cv_buf;

void cv_buf_init(cv_buf *b);
void cv_buf_fini(cv_buf *b);
void cv_buf_reset(cv_buf *b);
void cv_buf_put(cv_buf *b, const void *data, size_t n);
void cv_buf_puts(cv_buf *b, const char *s);
void cv_buf_putc(cv_buf *b, char c);
void cv_buf_printf(cv_buf *b, const char *fmt, ...) CV_PRINTF(2, 3);
/* Appends v with up to `decimals` decimals, trailing zeros dropped, '.' as
 * the decimal point whatever the C locale: for PDF content streams. */
void cv_buf_num(cv_buf *b, double v, int decimals);

/* What kind of failure a status holds, so a caller decides by its code,
 * never by the wording of its message. */
typedef enum cv_status_code {
  CV_OK = 0,
  CV_ERR_FAILED,  /* a failure its message explains */
  CV_ERR_NOMEM,   /* out of memory */
  CV_ERR_IO,      /* reading or writing a file */
  CV_ERR_FONT,    /* a font family that cannot be loaded */
  CV_ERR_REPORTED /* already reported as a diagnostic; no message */
} cv_status_code;

/* Sticky status: the first error wins; all errors pass through
 * cv_status_fail so one breakpoint catches them.  failed is non-zero
 * exactly when code is not CV_OK. */
typedef struct cv_status {
  int failed;
  cv_status_code code;
  char msg[2048];
} cv_status;

void cv_status_fail(cv_status *st, cv_status_code code, const char *fmt, ...)
    CV_PRINTF(3, 4);
void cv_status_vfail(cv_status *st, cv_status_code code, const char *fmt,
                     va_list ap);
/* Fails st with CV_ERR_REPORTED: the reason is a diagnostic already. */
void cv_status_reported(cv_status *st);
/* cv_status_fail with CV_ERR_FAILED. */
void cv_status_set(cv_status *st, const char *fmt, ...) CV_PRINTF(2, 3);
void cv_status_vset(cv_status *st, const char *fmt, va_list ap);

/* UTF-8: decode one code point at s (n bytes available).  Returns bytes
 * consumed (>= 1) and sets *cp, or 0 for an invalid sequence. */
int cv_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (>= 4 bytes); returns length. */
int cv_utf8_encode(uint32_t cp, char *out);
/* Offset of the first invalid byte, or (size_t)-1 when s is valid UTF-8. */
size_t cv_utf8_check(const char *s, size_t n);

/* Nearest name by edit distance among a NULL-terminated list, or NULL
 * when nothing is close enough to suggest. */
const char *cv_nearest(const char *word, const char *const *names);
/* Damerau-free Levenshtein distance, capped at cap+1. */
int cv_edit_distance(const char *a, const char *b, int cap);

#endif
