/* cvpdf - JSON documents (a JSON Resume) read with yajl into the tree the
 * YAML reader builds, with the same positions, limits and messages.
 *
 * libyaml reads most JSON, JSON being nearly a subset of YAML, but not
 * its string escapes: YAML 1.1 has no surrogate pairs, so "\ud83d\ude00"
 * (an emoji as JSON writers escape it) was refused.  yajl decodes pairs,
 * but turns a lone surrogate into '?' or into bytes that are not UTF-8
 * without a word, so escapes are checked here before its text is used. */
#define _POSIX_C_SOURCE 200809L
#include "document/model_read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yajl/yajl_parse.h>

/* A mapping or sequence being read: its children gather here and move to
 * the arena when it closes. */
typedef struct frame {
  cvpdf_node *node;
  cvpdf_node **items, **keys;
  size_t n, nkeys, cap, capkeys;
} frame;

typedef struct jreader {
  yajl_handle h;
  cv_read_in in;
  cv_textpos pos;
  size_t nodes;
  size_t last_end; /* offset after the last token a callback saw */
  int finishing;   /* in yajl_complete_parse: a token ends the input */
  frame *stack;
  size_t depth, cap;
  cvpdf_node *root;
  int failed; /* reported; the parse was cancelled */
} jreader;

static void jerr(jreader *r, size_t off, const char *fmt, ...) CV_PRINTF(3, 4);

/* Every error of the JSON reader passes through here. */
static void jerr(jreader *r, size_t off, const char *fmt, ...) {
  cv_textpos_seek(&r->pos, off);
  va_list ap;
  va_start(ap, fmt);
  cv_diags_vadd(r->in.diags, CV_SEV_ERROR, r->in.file, r->pos.line, r->pos.col,
                fmt, ap);
  va_end(ap);
  r->failed = 1;
}

static int oom(jreader *r) {
  jerr(r, 0, "out of memory while reading the document");
  return 0;
}

/* The offset after the token a callback is given.  yajl_complete_parse
 * counts from a buffer of its own: there the token ends the input. */
static size_t consumed(const jreader *r) {
  if (r->finishing)
    return r->in.len;
  size_t c = yajl_get_bytes_consumed(r->h);
  return c > r->in.len ? r->in.len : c;
}

/* Whether p points into the input (yajl hands out text in place when a
 * token needs no decoding). */
static int in_input(const jreader *r, const void *p) {
  uintptr_t a = (uintptr_t)p, b = (uintptr_t)r->in.data;
  return a >= b && a < b + r->in.len;
}

static cvpdf_node *new_node(jreader *r, cvpdf_node_kind kind, size_t off) {
  if (r->nodes >= r->in.lim.max_nodes) {
    jerr(r, off,
         "expected at most %zu nodes, found more; raise the limit with "
         "--max-nodes",
         r->in.lim.max_nodes);
    return NULL;
  }
  r->nodes++;
  cvpdf_node *n = cv_arena_alloc(r->in.arena, sizeof *n);
  if (!n) {
    oom(r);
    return NULL;
  }
  cv_textpos_seek(&r->pos, off);
  n->kind = kind;
  n->file = r->in.file;
  n->line = r->pos.line;
  n->col = r->pos.col;
  return n;
}

static int push(jreader *r, cvpdf_node ***v, size_t *n, size_t *cap,
                cvpdf_node *x) {
  if (cv_grow((void **)v, cap, *n + 1, sizeof **v) < 0)
    return oom(r);
  (*v)[(*n)++] = x;
  return 1;
}

/* A finished value goes to the open container, or becomes the root. */
static int add_value(jreader *r, cvpdf_node *n) {
  r->last_end = consumed(r);
  if (r->depth == 0) {
    r->root = n;
    return 1;
  }
  frame *f = &r->stack[r->depth - 1];
  return push(r, &f->items, &f->n, &f->cap, n);
}

/* ---- strings ---------------------------------------------------------- */

/* Offset of the opening quote of the string token that ends just before
 * `end` (the offset after its closing quote).  A quote inside the token is
 * escaped, that is preceded by an odd run of backslashes. */
static size_t string_start(const jreader *r, const unsigned char *text,
                           size_t end) {
  if (in_input(r, text))
    return (size_t)((const char *)text - r->in.data) - 1;
  size_t i = end >= 2 ? end - 2 : 0;
  for (; i > 0; i--) {
    if (r->in.data[i] != '"')
      continue;
    size_t bs = 0;
    while (bs < i && r->in.data[i - 1 - bs] == '\\')
      bs++;
    if (bs % 2 == 0)
      return i;
  }
  return 0;
}

static unsigned hex4(const char *s) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v = v << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

/* Checks the \u escapes of the raw token [from, to): a surrogate must be
 * half of a pair, high then low.  yajl has checked that four hex digits
 * follow each \u. */
static int check_escapes(jreader *r, size_t from, size_t to) {
  const char *d = r->in.data;
  for (size_t i = from; i + 1 < to; i++) {
    if (d[i] != '\\')
      continue;
    if (d[i + 1] != 'u' || i + 6 > to) {
      i++; /* \" \\ \n ...: the next character is taken */
      continue;
    }
    unsigned cp = hex4(d + i + 2);
    int high = cp >= 0xD800 && cp <= 0xDBFF;
    int low = cp >= 0xDC00 && cp <= 0xDFFF;
    if (high && i + 12 <= to && d[i + 6] == '\\' && d[i + 7] == 'u') {
      unsigned next = hex4(d + i + 8);
      if (next >= 0xDC00 && next <= 0xDFFF) {
        i += 11;
        continue;
      }
    }
    if (high || low) {
      jerr(r, i,
           "expected a surrogate pair (a high half \\ud800-\\udbff, then a "
           "low half \\udc00-\\udfff, such as \\ud83d\\ude00), found a lone "
           "%s half \\u%.4s",
           high ? "high" : "low", d + i + 2);
      return 0;
    }
    i += 5;
  }
  return 1;
}

/* A scalar or key from a string token. */
static cvpdf_node *string_node(jreader *r, const unsigned char *s, size_t len) {
  size_t end = consumed(r);
  size_t off = string_start(r, s, end);
  if (len > r->in.lim.max_string_bytes) {
    jerr(r, off, CV_MSG_STRING, r->in.lim.max_string_bytes, len);
    return NULL;
  }
  if (!in_input(r, s) && !check_escapes(r, off + 1, end - 1))
    return NULL;
  if (memchr(s, '\0', len)) {
    jerr(r, off, CV_MSG_NUL);
    return NULL;
  }
  cvpdf_node *n = new_node(r, CVPDF_NODE_SCALAR, off);
  if (!n)
    return NULL;
  n->str = cv_arena_strndup(r->in.arena, (const char *)s, len);
  if (!n->str) {
    oom(r);
    return NULL;
  }
  n->len = len;
  n->quoted = 1;
  return n;
}

/* ---- yajl's callbacks: 1 goes on, 0 cancels (after reporting) ---------- */

static int plain(jreader *r, const char *text, size_t len, size_t off) {
  cvpdf_node *n = new_node(r, CVPDF_NODE_SCALAR, off);
  if (!n)
    return 0;
  n->str = cv_arena_strndup(r->in.arena, text, len);
  if (!n->str)
    return oom(r);
  n->len = len;
  return add_value(r, n);
}

/* Where a token of n bytes that ends at the consumed offset starts. */
static size_t token_start(const jreader *r, size_t n) {
  size_t end = consumed(r);
  return end > n ? end - n : 0;
}

static int on_null(void *ud) {
  jreader *r = ud;
  return plain(r, "null", 4, token_start(r, 4));
}

static int on_boolean(void *ud, int b) {
  jreader *r = ud;
  size_t n = b ? 4 : 5;
  return plain(r, b ? "true" : "false", n, token_start(r, n));
}

/* Numbers stay text, as plain YAML scalars do ("2021" is a year). */
static int on_number(void *ud, const char *s, size_t len) {
  jreader *r = ud;
  size_t off = in_input(r, s) ? (size_t)(s - r->in.data) : token_start(r, len);
  return plain(r, s, len, off);
}

static int on_string(void *ud, const unsigned char *s, size_t len) {
  jreader *r = ud;
  cvpdf_node *n = string_node(r, s, len);
  return n ? add_value(r, n) : 0;
}

static int on_key(void *ud, const unsigned char *s, size_t len) {
  jreader *r = ud;
  cvpdf_node *k = string_node(r, s, len);
  if (!k)
    return 0;
  r->last_end = consumed(r);
  frame *f = &r->stack[r->depth - 1];
  return push(r, &f->keys, &f->nkeys, &f->capkeys, k);
}

static int open_container(jreader *r, cvpdf_node_kind kind) {
  size_t off = token_start(r, 1);
  if (r->depth >= r->in.lim.max_depth) {
    jerr(r, off, CV_MSG_DEPTH, r->in.lim.max_depth);
    return 0;
  }
  cvpdf_node *n = new_node(r, kind, off);
  if (!n)
    return 0;
  if (cv_grow((void **)&r->stack, &r->cap, r->depth + 1, sizeof *r->stack))
    return oom(r);
  frame *f = &r->stack[r->depth++];
  memset(f, 0, sizeof *f);
  f->node = n;
  r->last_end = consumed(r);
  return 1;
}

static cvpdf_node **to_arena(jreader *r, cvpdf_node **v, size_t n) {
  if (n == 0)
    return NULL;
  cvpdf_node **a = cv_arena_alloc_n(r->in.arena, n, sizeof *a);
  if (a)
    memcpy(a, v, n * sizeof *a);
  else
    oom(r);
  return a;
}

static int close_container(jreader *r) {
  frame *f = &r->stack[--r->depth];
  cvpdf_node *n = f->node;
  n->n = f->n;
  n->items = to_arena(r, f->items, f->n);
  if (n->kind == CVPDF_NODE_MAP)
    n->keys = to_arena(r, f->keys, f->nkeys);
  int ok = !r->failed;
  if (ok && n->kind == CVPDF_NODE_MAP &&
      cv_model_check_duplicates(r->in.diags, r->in.file, f->keys, f->nkeys) !=
          0) {
    r->failed = 1;
    ok = 0;
  }
  free(f->items);
  free(f->keys);
  return ok && add_value(r, n);
}

static int on_start_map(void *ud) {
  return open_container(ud, CVPDF_NODE_MAP);
}

static int on_start_array(void *ud) {
  return open_container(ud, CVPDF_NODE_SEQ);
}

static int on_end(void *ud) {
  return close_container(ud);
}

static const yajl_callbacks callbacks = {
    on_null,      on_boolean, NULL,   NULL,           on_number, on_string,
    on_start_map, on_key,     on_end, on_start_array, on_end};

/* ---- yajl's errors, reworded --------------------------------------- */

static int token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-';
}

/* "the end of the file", "'}'" or a word such as "'tru'". */
static const char *found_at(const jreader *r, size_t off, char *buf,
                            size_t cap) {
  if (off >= r->in.len)
    return "the end of the file";
  const char *s = r->in.data + off;
  size_t n = 0;
  while (off + n < r->in.len && n < 24 && token_char(s[n]))
    n++;
  if (n == 0) {
    uint32_t cp;
    int k = cv_utf8_decode(s, r->in.len - off, &cp);
    if (cp == '\n' || cp == '\r')
      return "the end of the line";
    if (cp == '\t')
      return "a tab";
    if (cp < 0x20)
      return "a control character";
    n = k > 0 ? (size_t)k : 1;
  }
  snprintf(buf, cap, "'%.*s'", (int)n, s);
  return buf;
}

static char last_significant(const jreader *r) {
  size_t i = r->in.len;
  while (i > 0 && strchr(" \t\r\n", r->in.data[i - 1]))
    i--;
  return i > 0 ? r->in.data[i - 1] : '\0';
}

/* The file ended inside a string or a container: say where it began. */
static void report_eof(jreader *r) {
  size_t i = r->last_end;
  while (i < r->in.len && strchr(" \t\r\n,:", r->in.data[i]))
    i++;
  if (i < r->in.len && r->in.data[i] == '"') {
    jerr(r, i,
         "expected a closing quote for the string that starts here, found "
         "the end of the file");
  } else if (i < r->in.len) {
    char buf[64];
    jerr(r, i,
         "expected a JSON value (a string, number, object, array, true, "
         "false or null), found %s",
         found_at(r, i, buf, sizeof buf));
  } else if (last_significant(r) == ':' || last_significant(r) == ',') {
    jerr(r, r->in.len, "expected a value after '%c', found the end of the file",
         last_significant(r));
  } else if (r->depth > 0) {
    cvpdf_node *n = r->stack[r->depth - 1].node;
    cv_diags_add(r->in.diags, CV_SEV_ERROR, r->in.file, n->line, n->col,
                 "expected a closing %s for the %s that starts here, found "
                 "the end of the file",
                 n->kind == CVPDF_NODE_MAP ? "'}'" : "']'",
                 n->kind == CVPDF_NODE_MAP ? "object" : "array");
    r->failed = 1;
  } else {
    jerr(r, r->in.len, "expected a JSON value, found the end of the file");
  }
}

static const struct {
  const char *yajl; /* part of yajl's message */
  const char *expected;
} rewordings[] = {
    {"trailing garbage", "the end of the file after the JSON document"},
    {"invalid object key", "a quoted key such as \"name\""},
    {"separated by a colon", "':' after the key"},
    {"inside map, I expect", "',' or '}' after a value in an object"},
    {"after array element", "',' or ']' after an item in an array"},
    {"before a character which it may not",
     "an escape such as \\n, \\\", \\\\ or \\u00e9 after '\\'"},
    {"non-hex", "four hex digits after \\u"},
    {"invalid character inside string",
     "a character allowed in a JSON string (escape control characters, "
     "such as \\t for a tab)"},
};

static void report_yajl(jreader *r, int at_end) {
  unsigned char *msg = yajl_get_error(r->h, 0, NULL, 0);
  const char *m = msg ? (const char *)msg : "";
  if (at_end || strstr(m, "premature EOF")) {
    report_eof(r);
    yajl_free_error(r->h, msg);
    return;
  }
  /* yajl stops after the offending token: back up to where it starts. */
  size_t off = consumed(r);
  off = off ? off - 1 : 0;
  while (off > 0 && token_char(r->in.data[off]) &&
         token_char(r->in.data[off - 1]))
    off--;
  const char *expected = "a JSON value (a string, number, object, array, "
                         "true, false or null)";
  size_t found_off = off;
  for (size_t i = 0; i < sizeof rewordings / sizeof *rewordings; i++)
    if (strstr(m, rewordings[i].yajl))
      expected = rewordings[i].expected;
  if (strstr(m, "before a character") || strstr(m, "non-hex")) {
    /* At the backslash; found: what follows it (or the \u). */
    size_t lim = off > 6 ? off - 6 : 0;
    while (off > lim && r->in.data[off] != '\\')
      off--;
    found_off = off + (strstr(m, "non-hex") ? 2 : 1);
  } else if (strstr(m, "invalid character inside string")) {
    while (off < r->in.len && (unsigned char)r->in.data[off] >= 0x20)
      off++; /* yajl stops before the character, not after */
    found_off = off;
  }
  char buf[64];
  const char *found = found_at(r, found_off, buf, sizeof buf);
  if (strstr(m, "invalid object key") && !strcmp(found, "'}'"))
    jerr(r, off, "expected %s, found '}' (a comma before it?)", expected);
  else
    jerr(r, off, "expected %s, found %s", expected, found);
  yajl_free_error(r->h, msg);
}

/* ---- the reader ------------------------------------------------------ */

int cv_model_is_json(const char *name) {
  size_t n = name ? strlen(name) : 0;
  return n >= 5 && strcasecmp(name + n - 5, ".json") == 0;
}

static int only_space(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strchr(" \t\r\n", s[i]))
      return 0;
  return 1;
}

cvpdf_node *cv_model_read_json(const cv_read_in *in) {
  if (only_space(in->data, in->len)) {
    cv_diags_add(in->diags, CV_SEV_ERROR, in->file, 0, 0,
                 "expected a mapping at the top level, found an empty "
                 "document");
    return NULL;
  }
  jreader r = {.in = *in};
  cv_textpos_init(&r.pos, in->data, in->len);
  r.h = yajl_alloc(&callbacks, NULL, &r);
  if (!r.h) {
    cv_diags_add(in->diags, CV_SEV_ERROR, in->file, 0, 0,
                 "out of memory (cannot set up the JSON parser)");
    return NULL;
  }
  yajl_status st = yajl_parse(r.h, (const unsigned char *)in->data, in->len);
  int at_end = 0;
  if (st == yajl_status_ok) {
    r.finishing = 1;
    st = yajl_complete_parse(r.h);
    at_end = 1;
  }
  if (st == yajl_status_error && !r.failed)
    report_yajl(&r, at_end);
  while (r.depth > 0) {
    frame *f = &r.stack[--r.depth];
    free(f->items);
    free(f->keys);
  }
  free(r.stack);
  yajl_free(r.h);
  return r.failed || st != yajl_status_ok ? NULL : r.root;
}
