/* cvpdf - format detection and the node-building helpers the converters
 * share. */
#define _POSIX_C_SOURCE 200809L
#include "document/convert_int.h"

#include "document/bibtex.h"

#include <stdio.h>
#include <string.h>

cv_format cv_convert_detect(const cvpdf_node *root) {
  if (!root || root->kind != CVPDF_NODE_MAP)
    return CV_FORMAT_NATIVE;
  /* cvpdf's own keys win: a CV that merely has a stray `basics` key gets
   * the usual unknown-field error instead of a surprising conversion. */
  if (cv_node_get(root, "name") || cv_node_get(root, "sections"))
    return CV_FORMAT_NATIVE;
  /* A letter's `cv:` names its CV (document/letter.h). */
  if (cv_node_get(root, "type"))
    return CV_FORMAT_NATIVE;
  if (cv_node_get(root, "basics"))
    return CV_FORMAT_JSONRESUME;
  if (cv_node_get(root, "cv"))
    return CV_FORMAT_RENDERCV;
  return CV_FORMAT_NATIVE;
}

const char *cv_format_name(cv_format f) {
  switch (f) {
  case CV_FORMAT_JSONRESUME:
    return "JSON Resume";
  case CV_FORMAT_RENDERCV:
    return "RenderCV";
  case CV_FORMAT_NATIVE:
    break;
  }
  return "cvpdf";
}

int cv_convert_to_native(cv_model *m, cv_diags *diags) {
  return cv_convert_to_native_fonts(m, diags, NULL);
}

int cv_convert_to_native_fonts(cv_model *m, cv_diags *diags,
                               int (*font_ok)(const char *family)) {
  cv_format f = cv_convert_detect(m->root);
  if (f == CV_FORMAT_NATIVE)
    return 0;
  cv_conv c = {&m->arena, diags, 0, 0, 0, font_ok};
  cvpdf_node *root = f == CV_FORMAT_JSONRESUME
                         ? cv_convert_jsonresume(&c, m->root)
                         : cv_convert_rendercv(&c, m->root);
  if (c.oom && !c.errors)
    cv_conv_error(&c, NULL, "out of memory while converting the %s document",
                  cv_format_name(f));
  if (c.errors || !root)
    return -1;
  m->root = root;
  return 0;
}

/* ---- diagnostics ----------------------------------------------------- */

static void vreport(cv_conv *c, cv_severity sev, const cvpdf_node *at,
                    const char *fmt, va_list ap) {
  cv_diag_vat(c->diags, sev, at, fmt, ap);
}

void cv_conv_error(cv_conv *c, const cvpdf_node *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(c, CV_SEV_ERROR, at, fmt, ap);
  va_end(ap);
  c->errors++;
}

void cv_conv_warn(cv_conv *c, const cvpdf_node *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(c, CV_SEV_WARNING, at, fmt, ap);
  va_end(ap);
}

/* ---- building nodes -------------------------------------------------- */

static cvpdf_node *new_node(cv_conv *c, cvpdf_node_kind kind,
                            const cvpdf_node *at) {
  cvpdf_node *n = cv_arena_alloc(c->arena, sizeof *n);
  if (!n) {
    c->oom = 1;
    return NULL;
  }
  n->kind = kind;
  if (at) {
    n->file = at->file;
    n->line = at->line;
    n->col = at->col;
  }
  return n;
}

const char *cv_conv_lookup(const char *const (*map)[2], size_t n,
                           const char *key) {
  for (size_t i = 0; key && i < n; i++)
    if (!strcmp(key, map[i][0]))
      return map[i][1];
  return NULL;
}

cvpdf_node *cv_conv_scalar(cv_conv *c, const cvpdf_node *at, const char *s) {
  if (!s)
    return NULL;
  if (c->tex_math &&
      !(s = cv_latex_math_spans(s, c->arena, c->diags, at ? at->file : NULL,
                                at ? at->line : 0, at ? at->col : 0))) {
    c->oom = 1;
    return NULL;
  }
  cvpdf_node *n = new_node(c, CVPDF_NODE_SCALAR, at);
  if (!n)
    return NULL;
  n->len = strlen(s);
  n->str = cv_arena_strndup(c->arena, s, n->len);
  if (!n->str) {
    c->oom = 1;
    return NULL;
  }
  /* Everything a converter makes is text: "2021" as a title stays a
   * string when written back out as YAML. */
  n->quoted = at && at->kind == CVPDF_NODE_SCALAR ? at->quoted : 1;
  return n;
}

cvpdf_node *cv_conv_map(cv_conv *c, const cvpdf_node *at) {
  return new_node(c, CVPDF_NODE_MAP, at);
}

cvpdf_node *cv_conv_seq(cv_conv *c, const cvpdf_node *at) {
  return new_node(c, CVPDF_NODE_SEQ, at);
}

/* Arrays grow in the arena; the capacity is implied by n (4, then powers
 * of two), so the node needs no extra field.  The old array is simply
 * left in the arena: documents are small. */
static int grow(cv_conv *c, cvpdf_node ***arr, size_t n) {
  if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
    return 0;
  size_t cap = n == 0 ? 4 : n * 2;
  if (cap < n) {
    c->oom = 1;
    return -1;
  }
  cvpdf_node **a = cv_arena_alloc_n(c->arena, cap, sizeof *a);
  if (!a) {
    c->oom = 1;
    return -1;
  }
  if (n)
    memcpy(a, *arr, n * sizeof *a);
  *arr = a;
  return 0;
}

void cv_conv_push(cv_conv *c, cvpdf_node *seq, cvpdf_node *item) {
  if (!seq || !item)
    return;
  if (grow(c, &seq->items, seq->n) < 0)
    return;
  seq->items[seq->n++] = item;
}

void cv_conv_set(cv_conv *c, cvpdf_node *map, const char *key,
                 const cvpdf_node *keyat, cvpdf_node *val) {
  if (!map || !val)
    return;
  cvpdf_node *k = cv_conv_scalar(c, keyat ? keyat : val, key);
  if (!k)
    return;
  k->quoted = 0;
  if (grow(c, &map->items, map->n) < 0 || grow(c, &map->keys, map->n) < 0)
    return;
  map->keys[map->n] = k;
  map->items[map->n++] = val;
}

/* ---- reading the source ---------------------------------------------- */

int cv_conv_is_null(const cvpdf_node *n) {
  if (!n)
    return 1;
  if (n->kind != CVPDF_NODE_SCALAR)
    return 0;
  if (n->len == 0)
    return 1; /* "" prints nothing, quoted or not */
  if (n->quoted)
    return 0;
  return !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
         !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const cvpdf_node *cv_conv_get(const cvpdf_node *map, const char *key) {
  const cvpdf_node *n = cv_node_get(map, key);
  return cv_conv_is_null(n) ? NULL : n;
}

const cvpdf_node *cv_conv_key(const cvpdf_node *map, const char *key) {
  if (!map || map->kind != CVPDF_NODE_MAP)
    return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (!strcmp(map->keys[i]->str, key))
      return map->keys[i];
  return NULL;
}

static const char *found(const cvpdf_node *n, char *buf, size_t cap) {
  if (n->kind == CVPDF_NODE_SEQ)
    return "a list";
  if (n->kind == CVPDF_NODE_MAP)
    return "a mapping";
  size_t cut = n->len;
  if (cut > 40) {
    cut = 37;
    while (cut > 0 && ((unsigned char)n->str[cut] & 0xC0) == 0x80)
      cut--;
  }
  snprintf(buf, cap, "'%.*s%s'", (int)cut, n->str, cut < n->len ? "..." : "");
  return buf;
}

static const cvpdf_node *want(cv_conv *c, const cvpdf_node *map,
                              const char *key, const char *format,
                              cvpdf_node_kind kind, const char *expected) {
  const cvpdf_node *n = cv_conv_get(map, key);
  if (!n || n->kind == kind)
    return n;
  char buf[64];
  cv_conv_error(c, n, "%s field '%s' expected %s, found %s", format, key,
                expected, found(n, buf, sizeof buf));
  return NULL;
}

const cvpdf_node *cv_conv_want_str(cv_conv *c, const cvpdf_node *map,
                                   const char *key, const char *format) {
  return want(c, map, key, format, CVPDF_NODE_SCALAR, "a string");
}

const cvpdf_node *cv_conv_want_seq(cv_conv *c, const cvpdf_node *map,
                                   const char *key, const char *format) {
  return want(c, map, key, format, CVPDF_NODE_SEQ, "a list");
}

const cvpdf_node *cv_conv_want_map(cv_conv *c, const cvpdf_node *map,
                                   const char *key, const char *format) {
  return want(c, map, key, format, CVPDF_NODE_MAP, "a mapping");
}

/* ---- text ------------------------------------------------------------ */

char *cv_conv_escape(cv_conv *c, const char *s) {
  if (!s)
    return NULL;
  cv_buf b;
  cv_buf_init(&b);
  for (const char *p = s; *p; p++) {
    /* The characters inline markup gives a meaning to. */
    if (strchr("\\`*_[]<&", *p))
      cv_buf_putc(&b, '\\');
    cv_buf_putc(&b, *p);
  }
  char *r = NULL;
  if (!b.failed)
    r = cv_arena_strdup(c->arena, b.data ? b.data : "");
  cv_buf_fini(&b);
  if (!r)
    c->oom = 1;
  return r;
}

cvpdf_node *cv_conv_text(cv_conv *c, const cvpdf_node *src) {
  if (!src || src->kind != CVPDF_NODE_SCALAR)
    return NULL;
  return cv_conv_scalar(c, src, cv_conv_escape(c, src->str));
}

cvpdf_node *cv_conv_text_list(cv_conv *c, const cvpdf_node *seq,
                              const char *what) {
  if (!seq)
    return NULL;
  cvpdf_node *out = cv_conv_seq(c, seq);
  for (size_t i = 0; i < seq->n; i++) {
    const cvpdf_node *it = seq->items[i];
    if (cv_conv_is_null(it))
      continue;
    if (it->kind != CVPDF_NODE_SCALAR) {
      char buf[64];
      cv_conv_error(c, it, "%s expected a list of strings, found %s in it",
                    what, found(it, buf, sizeof buf));
      continue;
    }
    cv_conv_push(c, out, cv_conv_text(c, it));
  }
  return out && out->n ? out : NULL;
}
