/* cvpdf - the document model: YAML (libyaml events) into a positioned tree. */
#define _POSIX_C_SOURCE 200809L
#include "document/model_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

void cv_limits_default(cv_limits *l) {
  l->max_input_bytes = (size_t)16 << 20;
  l->max_depth = 64;
  l->max_nodes = 1000000;
  l->max_string_bytes = (size_t)1 << 20;
}

/* ---- positions in the raw input ------------------------------------- */

/* Keeping libyaml's rules keeps our positions (for encoding errors, and
 * of JSON nodes) and libyaml's marks in agreement. */
size_t cv_model_break_len(const unsigned char *s, size_t n) {
  if (s[0] == '\n')
    return 1;
  if (s[0] == '\r')
    return (n > 1 && s[1] == '\n') ? 2 : 1;
  if (n > 1 && s[0] == 0xC2 && s[1] == 0x85)
    return 2;
  if (n > 2 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
    return 3;
  return 0;
}

void cv_textpos_init(cv_textpos *p, const char *data, size_t len) {
  p->data = data;
  p->len = len;
  p->off = 0;
  p->line = p->col = 1;
}

void cv_textpos_seek(cv_textpos *p, size_t off) {
  const unsigned char *s = (const unsigned char *)p->data;
  if (off > p->len)
    off = p->len;
  if (off < p->off)
    cv_textpos_init(p, p->data, p->len);
  size_t i = p->off;
  while (i < off) {
    size_t b = cv_model_break_len(s + i, p->len - i);
    if (b) {
      i += b;
      p->line += p->line < 0x7fffffff;
      p->col = 1;
      continue;
    }
    uint32_t cp;
    int k = cv_utf8_decode(p->data + i, p->len - i, &cp);
    i += k > 0 ? (size_t)k : 1;
    p->col += p->col < 0x7fffffff;
  }
  p->off = i;
}

/* Line and column (1-based, columns in characters like libyaml's) of byte
 * offset `off`. */
static void offset_pos(const char *data, size_t len, size_t off, int *line,
                       int *col) {
  cv_textpos p;
  cv_textpos_init(&p, data, len);
  cv_textpos_seek(&p, off);
  *line = p.line;
  *col = p.col;
}

/* Byte offset of the character at 0-based line/column, or len. */
static size_t pos_offset(const char *data, size_t len, size_t line,
                         size_t col) {
  const unsigned char *s = (const unsigned char *)data;
  size_t i = 0, l = 0, c = 0;
  while (i < len && (l < line || c < col)) {
    size_t b = cv_model_break_len(s + i, len - i);
    if (b) {
      if (l == line)
        return i; /* column past the end of the line */
      i += b;
      l++;
      c = 0;
      continue;
    }
    uint32_t cp;
    int k = cv_utf8_decode(data + i, len - i, &cp);
    i += k > 0 ? (size_t)k : 1;
    c++;
  }
  return i;
}

/* ---- the loader ------------------------------------------------------ */

typedef struct anchor {
  const char *name;
  cvpdf_node *node; /* NULL while the anchored node is being read */
  size_t weight;    /* nodes in the anchored subtree, aliases expanded */
} anchor;

typedef struct loader {
  yaml_parser_t parser;
  cv_read_in in;
  size_t expanded; /* nodes so far, each alias counted as its expansion */
  anchor *anchors;
  size_t nanchors, capanchors;
  /* Open-addressing index into anchors (slot = index + 1, 0 = empty), so
   * a file with very many anchors and aliases stays linear. */
  size_t *slots;
  size_t nslots;
  int failed; /* errors reported; keep going only for duplicate keys */
  int fatal;  /* stop reading events */
} loader;

static void lerr(loader *ld, int line, int col, const char *fmt, ...)
    CV_PRINTF(4, 5);

/* All loader errors pass through here. */
static void lerr(loader *ld, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diags_vadd(ld->in.diags, CV_SEV_ERROR, ld->in.file, line, col, fmt, ap);
  va_end(ap);
  ld->failed = 1;
}

static void fatal(loader *ld) {
  ld->fatal = 1;
}

static void oom(loader *ld) {
  lerr(ld, 0, 0, "out of memory while reading the document");
  fatal(ld);
}

/* "the end of the file", "'x'" or "a tab" for messages. */
static void describe_char(const char *s, size_t n, char *out, size_t cap) {
  uint32_t cp;
  int k = n ? cv_utf8_decode(s, n, &cp) : 0;
  if (k == 0)
    snprintf(out, cap, "the end of the file");
  else if (cp == '\n' || cp == '\r')
    snprintf(out, cap, "the end of the line");
  else if (cp == '\t')
    snprintf(out, cap, "a tab");
  else
    snprintf(out, cap, "'%.*s'", k, s);
}

/* Turns libyaml's problem/context into "expected ..., found ..." where we
 * know a better wording, else passes libyaml's text through. */
static void report_parser_error(loader *ld) {
  yaml_parser_t *p = &ld->parser;
  const char *problem = p->problem ? p->problem : "unknown problem";
  const char *context = p->context;
  int line, col;

  if (p->error == YAML_MEMORY_ERROR) {
    oom(ld);
    return;
  }
  if (p->error == YAML_READER_ERROR) {
    offset_pos(ld->in.data, ld->in.len, p->problem_offset, &line, &col);
    if (p->problem_value >= 0 && strstr(problem, "control"))
      lerr(ld, line, col,
           "expected printable text, found control character 0x%02x",
           (unsigned)p->problem_value);
    else
      lerr(ld, line, col, "expected UTF-8 text, found %s", problem);
    fatal(ld);
    return;
  }
  line = (int)p->problem_mark.line + 1;
  col = (int)p->problem_mark.column + 1;
  size_t off = pos_offset(ld->in.data, ld->in.len, p->problem_mark.line,
                          p->problem_mark.column);
  char here = off < ld->in.len ? ld->in.data[off] : '\0';
  int cline = (int)p->context_mark.line + 1;
  int ccol = (int)p->context_mark.column + 1;

  if (here == '\t' &&
      (strstr(problem, "cannot start any token") || strstr(problem, "tab"))) {
    lerr(ld, line, col,
         "found a tab character where indentation was expected "
         "(indent with spaces)");
  } else if (context && strstr(context, "quoted scalar") &&
             strstr(problem, "end of stream")) {
    lerr(ld, cline, ccol,
         "expected a closing quote for the string that starts here, found "
         "the end of the file");
  } else if (context && strstr(context, "flow") &&
             strstr(problem, "end of stream")) {
    lerr(ld, cline, ccol,
         "expected a closing bracket for the collection that starts here, "
         "found the end of the file");
  } else if (strncmp(problem, "did not find expected ", 22) == 0) {
    char found[32];
    describe_char(ld->in.data + off, ld->in.len - off, found, sizeof found);
    if (context)
      lerr(ld, line, col,
           "expected %s %s that starts at line %d, column %d, found %s",
           problem + 22, context, cline, ccol, found);
    else
      lerr(ld, line, col, "expected %s, found %s", problem + 22, found);
  } else if (strstr(problem, "mapping values are not allowed")) {
    lerr(ld, line, col,
         "found ':' where a plain value was expected (a value containing "
         "': ' must be quoted)");
  } else if (context) {
    lerr(ld, line, col, "%s %s (at line %d, column %d)", problem, context,
         cline, ccol);
  } else {
    lerr(ld, line, col, "%s", problem);
  }
  fatal(ld);
}

/* Next event, or 0 after reporting the parser's error. */
static int next_event(loader *ld, yaml_event_t *ev) {
  if (yaml_parser_parse(&ld->parser, ev))
    return 1;
  report_parser_error(ld);
  return 0;
}

static int count_nodes(loader *ld, size_t n, const yaml_mark_t *m) {
  if (n > ld->in.lim.max_nodes || ld->expanded > ld->in.lim.max_nodes - n) {
    lerr(ld, (int)m->line + 1, (int)m->column + 1,
         "expected at most %zu nodes once aliases are expanded, found more "
         "(an alias expanding too far?); raise the limit with --max-nodes",
         ld->in.lim.max_nodes);
    fatal(ld);
    return -1;
  }
  ld->expanded += n;
  return 0;
}

static cvpdf_node *new_node(loader *ld, cvpdf_node_kind kind,
                            const yaml_mark_t *m) {
  if (count_nodes(ld, 1, m) < 0)
    return NULL;
  cvpdf_node *n = cv_arena_alloc(ld->in.arena, sizeof *n);
  if (!n) {
    oom(ld);
    return NULL;
  }
  n->kind = kind;
  n->file = ld->in.file;
  n->line = (int)m->line + 1;
  n->col = (int)m->column + 1;
  return n;
}

static size_t hash_name(const char *s) {
  size_t h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Slot of name: the one holding it, or the empty one where it goes. */
static size_t *anchor_slot(loader *ld, const char *name) {
  size_t mask = ld->nslots - 1;
  for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
    size_t *slot = &ld->slots[i];
    if (*slot == 0 || strcmp(ld->anchors[*slot - 1].name, name) == 0)
      return slot;
  }
}

static anchor *find_anchor(loader *ld, const char *name) {
  if (!ld->nslots)
    return NULL;
  size_t *slot = anchor_slot(ld, name);
  return *slot ? &ld->anchors[*slot - 1] : NULL;
}

/* Keeps the table at most half full; rebuilt from anchors on growth (the
 * later of two equal names is inserted last and wins, as YAML says). */
static int index_anchor(loader *ld, size_t idx) {
  if ((idx + 1) * 2 > ld->nslots) {
    size_t n = ld->nslots ? ld->nslots : 16;
    while ((idx + 1) * 2 > n) {
      if (n > SIZE_MAX / 2 / sizeof(size_t))
        return -1;
      n *= 2;
    }
    size_t *slots = cv_calloc_n(n, sizeof *slots);
    if (!slots)
      return -1;
    free(ld->slots);
    ld->slots = slots;
    ld->nslots = n;
    for (size_t i = 0; i < idx; i++)
      *anchor_slot(ld, ld->anchors[i].name) = i + 1;
  }
  *anchor_slot(ld, ld->anchors[idx].name) = idx + 1;
  return 0;
}

/* Registers an anchor before its node is read, so an alias inside the
 * node (a cycle) is recognised.  Returns its index or (size_t)-1. */
static size_t begin_anchor(loader *ld, const yaml_char_t *name) {
  if (!name)
    return (size_t)-1;
  if (cv_grow((void **)&ld->anchors, &ld->capanchors, ld->nanchors + 1,
              sizeof *ld->anchors) < 0) {
    oom(ld);
    return (size_t)-1;
  }
  const char *copy = cv_arena_strdup(ld->in.arena, (const char *)name);
  if (!copy) {
    oom(ld);
    return (size_t)-1;
  }
  anchor *a = &ld->anchors[ld->nanchors];
  a->name = copy;
  a->node = NULL;
  a->weight = 0;
  if (index_anchor(ld, ld->nanchors) < 0) {
    oom(ld);
    return (size_t)-1;
  }
  return ld->nanchors++;
}

static void end_anchor(loader *ld, size_t idx, cvpdf_node *n, size_t w) {
  if (idx == (size_t)-1 || !n)
    return;
  ld->anchors[idx].node = n;
  ld->anchors[idx].weight = w;
}

static cvpdf_node *read_node(loader *ld, yaml_event_t *ev, size_t depth,
                             size_t *weight);

static cvpdf_node *read_alias(loader *ld, yaml_event_t *ev, size_t *weight) {
  const char *name = (const char *)ev->data.alias.anchor;
  const yaml_mark_t *m = &ev->start_mark;
  anchor *a = find_anchor(ld, name);
  if (!a) {
    lerr(ld, (int)m->line + 1, (int)m->column + 1,
         "expected a defined anchor for alias '*%s', found none (define "
         "'&%s' before using it)",
         name, name);
    fatal(ld);
    return NULL;
  }
  if (!a->node) {
    lerr(ld, (int)m->line + 1, (int)m->column + 1,
         "alias '*%s' refers to a node that contains it (a cycle)", name);
    fatal(ld);
    return NULL;
  }
  if (count_nodes(ld, a->weight, m) < 0)
    return NULL;
  *weight = a->weight;
  return a->node; /* shared, not copied: the tree is a DAG */
}

static int is_str_tag(const yaml_char_t *tag) {
  return tag && (strcmp((const char *)tag, YAML_STR_TAG) == 0 ||
                 strcmp((const char *)tag, "!") == 0);
}

static cvpdf_node *read_scalar(loader *ld, yaml_event_t *ev, size_t *weight) {
  const yaml_mark_t *m = &ev->start_mark;
  size_t len = ev->data.scalar.length;
  if (len > ld->in.lim.max_string_bytes) {
    lerr(ld, (int)m->line + 1, (int)m->column + 1, CV_MSG_STRING,
         ld->in.lim.max_string_bytes, len);
    fatal(ld);
    return NULL;
  }
  /* "\0" is a legal escape, but C strings end there: the rest of the
   * text would silently vanish. */
  if (memchr(ev->data.scalar.value, '\0', len)) {
    lerr(ld, (int)m->line + 1, (int)m->column + 1, CV_MSG_NUL);
    fatal(ld);
    return NULL;
  }
  size_t idx = begin_anchor(ld, ev->data.scalar.anchor);
  if (ld->fatal)
    return NULL;
  cvpdf_node *n = new_node(ld, CVPDF_NODE_SCALAR, m);
  if (!n)
    return NULL;
  n->str =
      cv_arena_strndup(ld->in.arena, (const char *)ev->data.scalar.value, len);
  if (!n->str) {
    oom(ld);
    return NULL;
  }
  n->len = len;
  n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
              is_str_tag(ev->data.scalar.tag);
  *weight = 1;
  end_anchor(ld, idx, n, 1);
  return n;
}

/* Items are gathered in a malloc'd array, then copied into the arena so
 * the tree is freed in one go. */
typedef struct vec {
  cvpdf_node **v;
  size_t n, cap;
} vec;

static int vec_push(loader *ld, vec *v, cvpdf_node *x) {
  if (cv_grow((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v) < 0) {
    oom(ld);
    return -1;
  }
  v->v[v->n++] = x;
  return 0;
}

static cvpdf_node **vec_to_arena(loader *ld, const vec *v) {
  if (v->n == 0)
    return NULL;
  cvpdf_node **a = cv_arena_alloc_n(ld->in.arena, v->n, sizeof *a);
  if (!a) {
    oom(ld);
    return NULL;
  }
  memcpy(a, v->v, v->n * sizeof *a);
  return a;
}

static int check_depth(loader *ld, size_t depth, const yaml_mark_t *m) {
  if (depth < ld->in.lim.max_depth)
    return 0;
  lerr(ld, (int)m->line + 1, (int)m->column + 1, CV_MSG_DEPTH,
       ld->in.lim.max_depth);
  fatal(ld);
  return -1;
}

static cvpdf_node *read_seq(loader *ld, yaml_event_t *ev, size_t depth,
                            size_t *weight) {
  if (check_depth(ld, depth, &ev->start_mark) < 0)
    return NULL;
  size_t idx = begin_anchor(ld, ev->data.sequence_start.anchor);
  if (ld->fatal)
    return NULL;
  cvpdf_node *n = new_node(ld, CVPDF_NODE_SEQ, &ev->start_mark);
  if (!n)
    return NULL;
  size_t w = 1;
  vec items = {0};
  for (;;) {
    yaml_event_t e;
    if (!next_event(ld, &e))
      break;
    if (e.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(&e);
      break;
    }
    size_t cw = 0;
    cvpdf_node *c = read_node(ld, &e, depth + 1, &cw);
    yaml_event_delete(&e);
    if (!c || vec_push(ld, &items, c) < 0)
      break;
    w += cw;
  }
  if (!ld->fatal) {
    n->n = items.n;
    n->items = vec_to_arena(ld, &items);
  }
  free(items.v);
  if (ld->fatal)
    return NULL;
  *weight = w;
  end_anchor(ld, idx, n, w);
  return n;
}

typedef struct keyref {
  const cvpdf_node *key;
  size_t index;
} keyref;

static int keyref_cmp(const void *a, const void *b) {
  const keyref *x = a, *y = b;
  size_t lx = x->key->len, ly = y->key->len;
  int c = memcmp(x->key->str, y->key->str, lx < ly ? lx : ly);
  if (c)
    return c;
  if (lx != ly)
    return lx < ly ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Sorting keeps this O(n log n) for mappings with very many keys. */
int cv_model_check_duplicates(cv_diags *d, const char *file, cvpdf_node **keys,
                              size_t n) {
  if (n < 2)
    return 0;
  keyref *r = cv_malloc_n(n, sizeof *r);
  if (!r) {
    cv_diags_add(d, CV_SEV_ERROR, file, 0, 0,
                 "out of memory while reading the document");
    return -1;
  }
  int dups = 0;
  for (size_t i = 0; i < n; i++) {
    r[i].key = keys[i];
    r[i].index = i;
  }
  qsort(r, n, sizeof *r, keyref_cmp);
  size_t first = 0;
  for (size_t i = 1; i < n; i++) {
    const cvpdf_node *a = r[first].key, *b = r[i].key;
    if (a->len != b->len || memcmp(a->str, b->str, a->len) != 0) {
      first = i;
      continue;
    }
    cv_diags_add(d, CV_SEV_ERROR, file, b->line, b->col,
                 "duplicate key '%s' (first at line %d)", b->str, a->line);
    dups++;
  }
  free(r);
  return dups;
}

/* Reads one key; a key must be a scalar (an alias to a scalar is fine). */
static cvpdf_node *read_key(loader *ld, yaml_event_t *e, size_t depth,
                            size_t *w) {
  cvpdf_node *k = read_node(ld, e, depth + 1, w);
  if (!k || k->kind == CVPDF_NODE_SCALAR)
    return k;
  lerr(ld, (int)e->start_mark.line + 1, (int)e->start_mark.column + 1,
       "expected a plain text key, found %s as a mapping key",
       cv_node_kind_name(k));
  fatal(ld);
  return NULL;
}

static cvpdf_node *read_map(loader *ld, yaml_event_t *ev, size_t depth,
                            size_t *weight) {
  if (check_depth(ld, depth, &ev->start_mark) < 0)
    return NULL;
  size_t idx = begin_anchor(ld, ev->data.mapping_start.anchor);
  if (ld->fatal)
    return NULL;
  cvpdf_node *n = new_node(ld, CVPDF_NODE_MAP, &ev->start_mark);
  if (!n)
    return NULL;
  size_t w = 1;
  vec keys = {0}, vals = {0};
  for (;;) {
    yaml_event_t e;
    if (!next_event(ld, &e))
      break;
    if (e.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&e);
      break;
    }
    size_t kw = 0, vw = 0;
    cvpdf_node *k = read_key(ld, &e, depth, &kw);
    yaml_event_delete(&e);
    if (!k || vec_push(ld, &keys, k) < 0)
      break;
    if (!next_event(ld, &e))
      break;
    cvpdf_node *v = read_node(ld, &e, depth + 1, &vw);
    yaml_event_delete(&e);
    if (!v || vec_push(ld, &vals, v) < 0)
      break;
    w += kw + vw;
  }
  if (!ld->fatal) {
    int dups =
        cv_model_check_duplicates(ld->in.diags, ld->in.file, keys.v, keys.n);
    if (dups != 0)
      ld->failed = 1;
    if (dups < 0)
      fatal(ld);
    n->n = keys.n;
    n->keys = vec_to_arena(ld, &keys);
    n->items = vec_to_arena(ld, &vals);
  }
  free(keys.v);
  free(vals.v);
  if (ld->fatal)
    return NULL;
  *weight = w;
  end_anchor(ld, idx, n, w);
  return n;
}

static cvpdf_node *read_node(loader *ld, yaml_event_t *ev, size_t depth,
                             size_t *weight) {
  switch (ev->type) {
  case YAML_SCALAR_EVENT:
    return read_scalar(ld, ev, weight);
  case YAML_SEQUENCE_START_EVENT:
    return read_seq(ld, ev, depth, weight);
  case YAML_MAPPING_START_EVENT:
    return read_map(ld, ev, depth, weight);
  case YAML_ALIAS_EVENT:
    return read_alias(ld, ev, weight);
  default:
    break;
  }
  /* libyaml guarantees well-formed event order; this is a safety net. */
  lerr(ld, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
       "expected a value, found an unexpected YAML event");
  fatal(ld);
  return NULL;
}

/* Checks the whole input before libyaml sees it, so encoding problems get
 * a precise position and a plain message. */
static int check_encoding(loader *ld) {
  const unsigned char *s = (const unsigned char *)ld->in.data;
  size_t n = ld->in.len;
  if (n >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) ||
                 (s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF))) {
    lerr(ld, 1, 1, "expected UTF-8 text, found UTF-32 (byte order mark)");
    return -1;
  }
  if (n >= 2 &&
      ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
    lerr(ld, 1, 1, "expected UTF-8 text, found UTF-16 (byte order mark)");
    return -1;
  }
  size_t i = 0;
  int line = 1, col = 1;
  while (i < n) {
    size_t b = cv_model_break_len(s + i, n - i);
    if (b) {
      i += b;
      line++;
      col = 1;
      continue;
    }
    if (s[i] == 0) {
      lerr(ld, line, col,
           "expected UTF-8 text, found a NUL byte (is this a binary or "
           "UTF-16 file?)");
      return -1;
    }
    uint32_t cp;
    int k = cv_utf8_decode(ld->in.data + i, n - i, &cp);
    if (k == 0) {
      lerr(ld, line, col, "invalid UTF-8 byte 0x%02x", s[i]);
      return -1;
    }
    i += (size_t)k;
    col++;
  }
  return 0;
}

static void report_empty(loader *ld) {
  lerr(ld, 0, 0,
       "expected a mapping at the top level, found an empty document");
}

/* Reads the stream: exactly one document. */
static cvpdf_node *read_stream(loader *ld) {
  yaml_event_t e;
  if (!next_event(ld, &e))
    return NULL;
  yaml_event_delete(&e); /* STREAM-START */
  if (!next_event(ld, &e))
    return NULL;
  if (e.type == YAML_STREAM_END_EVENT) {
    yaml_event_delete(&e);
    report_empty(ld);
    return NULL;
  }
  yaml_event_delete(&e); /* DOCUMENT-START */
  if (!next_event(ld, &e))
    return NULL;
  size_t w = 0;
  cvpdf_node *root = read_node(ld, &e, 0, &w);
  yaml_event_delete(&e);
  if (!root || ld->fatal)
    return NULL;
  if (!next_event(ld, &e))
    return NULL;
  yaml_event_delete(&e); /* DOCUMENT-END */
  if (!next_event(ld, &e))
    return NULL;
  if (e.type == YAML_DOCUMENT_START_EVENT) {
    lerr(ld, (int)e.start_mark.line + 1, (int)e.start_mark.column + 1,
         "expected one document, found a second one (remove this '---' and "
         "what follows, or merge the documents)");
    yaml_event_delete(&e);
    return NULL;
  }
  yaml_event_delete(&e);
  if (root->kind == CVPDF_NODE_SCALAR && !root->quoted && root->len == 0) {
    report_empty(ld); /* "---" alone, or only a comment */
    return NULL;
  }
  return root;
}

static cv_model *load(const char *name, const char *data, size_t len,
                      const cv_limits *limits, cv_diags *diags) {
  loader ld;
  memset(&ld, 0, sizeof ld);
  ld.in.data = data;
  ld.in.len = len;
  ld.in.diags = diags;
  if (limits)
    ld.in.lim = *limits;
  else
    cv_limits_default(&ld.in.lim);

  cv_model *m = calloc(1, sizeof *m);
  if (!m) {
    cv_diags_add(diags, CV_SEV_ERROR, name, 0, 0, "out of memory");
    return NULL;
  }
  cv_arena_init(&m->arena);
  m->file = cv_strdup(name ? name : "<input>");
  if (!m->file) {
    cv_diags_add(diags, CV_SEV_ERROR, name, 0, 0, "out of memory");
    cv_model_destroy(m);
    return NULL;
  }
  ld.in.file = m->file;
  ld.in.arena = &m->arena;

  if (len > ld.in.lim.max_input_bytes) {
    lerr(&ld, 0, 0,
         "expected at most %zu bytes of input, found %zu; raise the limit "
         "with --max-input-bytes",
         ld.in.lim.max_input_bytes, len);
    cv_model_destroy(m);
    return NULL;
  }
  /* A UTF-8 byte order mark is a signature, not text: editors hide it,
   * so positions count from the character after it.  (libyaml would skip
   * it but count it as a column, which makes the first key look
   * indented.) */
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    ld.in.data = data += 3;
    ld.in.len = len -= 3;
  }
  if (len == 0) {
    report_empty(&ld);
    cv_model_destroy(m);
    return NULL;
  }
  if (check_encoding(&ld) < 0) {
    cv_model_destroy(m);
    return NULL;
  }
  if (cv_model_is_json(name)) {
    m->root = cv_model_read_json(&ld.in);
    if (!m->root) {
      cv_model_destroy(m);
      return NULL;
    }
    return m;
  }
  if (!yaml_parser_initialize(&ld.parser)) {
    lerr(&ld, 0, 0, "out of memory (cannot initialise the YAML parser)");
    cv_model_destroy(m);
    return NULL;
  }
  yaml_parser_set_input_string(&ld.parser, (const unsigned char *)data, len);
  yaml_parser_set_encoding(&ld.parser, YAML_UTF8_ENCODING);
  m->root = read_stream(&ld);
  yaml_parser_delete(&ld.parser);
  free(ld.anchors);
  free(ld.slots);
  if (ld.failed || !m->root) {
    cv_model_destroy(m);
    return NULL;
  }
  return m;
}

cv_model *cv_model_load_buffer(const char *name, const char *data, size_t len,
                               const cv_limits *limits, cv_diags *diags) {
  if (!data)
    len = 0;
  return load(name, data ? data : "", len, limits, diags);
}

cv_model *cv_model_load_input(const char *path, const cv_limits *limits,
                              cv_inputs *seen, cv_diags *diags) {
  cv_limits lim;
  if (limits)
    lim = *limits;
  else
    cv_limits_default(&lim);
  if (!path) {
    cv_diags_add(diags, CV_SEV_ERROR, NULL, 0, 0, "no input file given");
    return NULL;
  }
  char why[256];
  struct stat st;
  int fd = cv_input_open(NULL, path, 0, seen, &st, why, sizeof why);
  if (fd < 0) {
    cv_diags_add(diags, CV_SEV_ERROR, path, 0, 0, "cannot read '%s': %s", path,
                 why);
    return NULL;
  }
  size_t len = 0;
  int err = EFBIG;
  /* Refused by its size before a byte is read. */
  int big = (uintmax_t)st.st_size > (uintmax_t)lim.max_input_bytes;
  char *buf = big ? NULL
                  : cv_input_read(fd, (size_t)st.st_size, lim.max_input_bytes,
                                  &len, &err);
  close(fd);
  if (!buf && err == EFBIG) {
    char found[32] = "more"; /* it grew while it was read */
    if (big)
      snprintf(found, sizeof found, "%jd", (intmax_t)st.st_size);
    cv_diags_add(diags, CV_SEV_ERROR, path, 0, 0,
                 "expected at most %zu bytes of input, found %s; raise the "
                 "limit with --max-input-bytes",
                 lim.max_input_bytes, found);
    return NULL;
  }
  if (!buf) {
    cv_diags_add(diags, CV_SEV_ERROR, path, 0, 0, "cannot read '%s': %s", path,
                 strerror(err));
    return NULL;
  }
  cv_model *m = load(path, buf, len, &lim, diags);
  free(buf);
  return m;
}

cv_model *cv_model_load_file(const char *path, const cv_limits *limits,
                             cv_diags *diags) {
  return cv_model_load_input(path, limits, NULL, diags);
}

void cv_model_destroy(cv_model *m) {
  if (!m)
    return;
  cv_arena_fini(&m->arena);
  free(m->file);
  free(m);
}

/* ---- accessors ------------------------------------------------------- */

void cv_diag_vat(cv_diags *d, cv_severity sev, const cvpdf_node *at,
                 const char *fmt, va_list ap) {
  cv_diags_vadd(d, sev, at ? at->file : NULL, at ? at->line : 0,
                at ? at->col : 0, fmt, ap);
}

void cv_diag_at(cv_diags *d, cv_severity sev, const cvpdf_node *at,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diag_vat(d, sev, at, fmt, ap);
  va_end(ap);
}

const cvpdf_node *cv_node_get(const cvpdf_node *map, const char *key) {
  if (!map || !key || map->kind != CVPDF_NODE_MAP)
    return NULL;
  size_t kl = strlen(key);
  for (size_t i = 0; i < map->n; i++) {
    const cvpdf_node *k = map->keys[i];
    if (k->len == kl && memcmp(k->str, key, kl) == 0)
      return map->items[i];
  }
  return NULL;
}

const char *cv_node_str(const cvpdf_node *n) {
  return n && n->kind == CVPDF_NODE_SCALAR ? n->str : NULL;
}

const char *cv_node_get_str(const cvpdf_node *map, const char *key) {
  return cv_node_str(cv_node_get(map, key));
}

size_t cv_node_len(const cvpdf_node *n) {
  if (!n)
    return 0;
  return n->kind == CVPDF_NODE_SCALAR ? 1 : n->n;
}

const cvpdf_node *cv_node_at(const cvpdf_node *n, size_t i) {
  if (!n)
    return NULL;
  if (n->kind == CVPDF_NODE_SCALAR)
    return i == 0 ? n : NULL;
  if (n->kind != CVPDF_NODE_SEQ || i >= n->n)
    return NULL;
  return n->items[i];
}

const cvpdf_node *cv_node_key_at(const cvpdf_node *map, size_t i) {
  if (!map || map->kind != CVPDF_NODE_MAP || i >= map->n)
    return NULL;
  return map->keys[i];
}

static int word_is(const char *s, const char *const *words) {
  for (size_t i = 0; words[i]; i++) {
    const char *a = s, *b = words[i];
    while (*a && *b && (*a | 0x20) == *b)
      a++, b++;
    if (!*a && !*b)
      return 1;
  }
  return 0;
}

int cv_node_bool(const cvpdf_node *n) {
  static const char *const yes[] = {"true", "yes", "on", NULL};
  static const char *const no[] = {"false", "no", "off", NULL};
  const char *s = cv_node_str(n);
  if (!s)
    return -1;
  if (word_is(s, yes))
    return 1;
  if (word_is(s, no))
    return 0;
  return -1;
}

const char *cv_node_kind_name(const cvpdf_node *n) {
  if (!n)
    return "nothing";
  switch (n->kind) {
  case CVPDF_NODE_SCALAR:
    return "a scalar";
  case CVPDF_NODE_MAP:
    return "a mapping";
  case CVPDF_NODE_SEQ:
    return "a sequence";
  default:
    return "nothing";
  }
}
