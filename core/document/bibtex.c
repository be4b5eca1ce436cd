/* cvpdf - BibTeX input: libbtparse reads the file, this module turns the
 * entries into positioned document nodes (their LaTeX becomes Unicode text
 * in latex.c).
 *
 * libbtparse keeps process-wide state: its lexer and parser statics, the
 * name of the file being read, error counters and the table of @string
 * macros.  It cannot read two files at once, so every call into it happens
 * under one lock (bt_lock), the library is initialised once (pthread_once)
 * and never cleaned up (bt_cleanup would pull the macro table from under
 * another document).  The macro table is emptied at the start of each file,
 * so one file's @string definitions never leak into another's.  This lock is
 * the only process-wide thing here; everything else lives in the caller's
 * arena and diagnostics.  The library prints its own messages about a bad
 * file on stderr (it offers no hook for them); ours, positioned, follow. */
#define _POSIX_C_SOURCE 200809L
#include "document/bibtex_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <btparse.h>

static pthread_once_t bt_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t bt_lock = PTHREAD_MUTEX_INITIALIZER;

static void bt_init_once(void) {
  bt_initialize();
}

static _Thread_local int read_in_process;

void cv_bibtex_read_in_process(int yes) {
  read_in_process = yes;
}

/* ---- positions ------------------------------------------------------- */

typedef struct lines {
  const char *buf;
  size_t len;
  size_t *start; /* byte offset of each line */
  size_t n;
} lines;

static int lines_init(lines *l, const char *buf, size_t len) {
  l->buf = buf;
  l->len = len;
  l->n = 0;
  size_t count = 1;
  for (size_t i = 0; i < len; i++)
    count += buf[i] == '\n';
  l->start = cv_malloc_n(count, sizeof *l->start);
  if (!l->start)
    return -1;
  l->start[l->n++] = 0;
  for (size_t i = 0; i < len; i++)
    if (buf[i] == '\n')
      l->start[l->n++] = i + 1;
  return 0;
}

/* Column (1-based, in characters) of the first case-insensitive match of
 * word on 1-based line `line` at or after character column `from`, or
 * `from` when it is not there. */
static int find_col(const lines *l, int line, const char *word, int from) {
  if (line < 1 || (size_t)line > l->n || !word || !*word)
    return from;
  size_t a = l->start[line - 1];
  size_t z = (size_t)line < l->n ? l->start[line] : l->len;
  size_t w = strlen(word);
  int col = 1;
  for (size_t i = a; i < z; i++) {
    if ((l->buf[i] & 0xC0) == 0x80)
      continue;
    if (col >= from && i + w <= z && !strncasecmp(l->buf + i, word, w))
      return col;
    col++;
  }
  return from;
}

/* Line and column of byte offset off. */
static void pos_of(const lines *l, size_t off, int *line, int *col) {
  size_t lo = 0, hi = l->n;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (l->start[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  int c = 1;
  for (size_t i = l->start[lo]; i < off; i++)
    c += (l->buf[i] & 0xC0) != 0x80;
  *line = (int)lo + 1;
  *col = c;
}

/* ---- nodes ----------------------------------------------------------- */

typedef struct loader {
  cv_arena *arena;
  cv_diags *diags;
  const char *file; /* in the arena: nodes borrow it */
  lines lines;
  cv_tex_ctx tex;
  int oom;
} loader;

static cvpdf_node *scalar(loader *ld, int line, int col, const char *s) {
  cvpdf_node *n = cv_arena_alloc(ld->arena, sizeof *n);
  char *copy = s ? cv_arena_strdup(ld->arena, s) : NULL;
  if (!n || !copy) {
    ld->oom = 1;
    return NULL;
  }
  n->kind = CVPDF_NODE_SCALAR;
  n->file = ld->file;
  n->line = line;
  n->col = col;
  n->str = copy;
  n->len = strlen(copy);
  n->quoted = 1; /* text, never a YAML number or boolean */
  return n;
}

/* A growing list of pairs or items, copied into the arena when done. */
typedef struct nodelist {
  cvpdf_node **keys, **items;
  size_t n, cap, kcap;
} nodelist;

static int nl_push(loader *ld, nodelist *l, cvpdf_node *key, cvpdf_node *item) {
  if (!item ||
      cv_grow((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items) ||
      cv_grow((void **)&l->keys, &l->kcap, l->n + 1, sizeof *l->keys)) {
    ld->oom = 1;
    return -1;
  }
  l->keys[l->n] = key;
  l->items[l->n++] = item;
  return 0;
}

static cvpdf_node *nl_finish(loader *ld, nodelist *l, cvpdf_node_kind kind,
                             int line, int col) {
  cvpdf_node *n = cv_arena_alloc(ld->arena, sizeof *n);
  cvpdf_node **items =
      cv_arena_alloc_n(ld->arena, l->n ? l->n : 1, sizeof *items);
  cvpdf_node **keys =
      kind == CVPDF_NODE_MAP
          ? cv_arena_alloc_n(ld->arena, l->n ? l->n : 1, sizeof *keys)
          : NULL;
  if (!n || !items || (kind == CVPDF_NODE_MAP && !keys)) {
    ld->oom = 1;
  } else {
    if (l->n)
      memcpy(items, l->items, l->n * sizeof *items);
    if (keys && l->n)
      memcpy(keys, l->keys, l->n * sizeof *keys);
    n->kind = kind;
    n->file = ld->file;
    n->line = line;
    n->col = col;
    n->n = l->n;
    n->items = items;
    n->keys = keys;
  }
  free(l->items);
  free(l->keys);
  memset(l, 0, sizeof *l);
  return ld->oom ? NULL : n;
}

static int add_pair(loader *ld, nodelist *m, const char *key, int line, int col,
                    cvpdf_node *value) {
  return nl_push(ld, m, scalar(ld, line, col, key), value);
}

/* The text of a field: its pieces (strings, numbers, @string macros)
 * pasted and its spaces collapsed.  libbtparse has normally done both
 * already (see parse_locked); a macro left unexpanded is undefined. */
static char *field_text(loader *ld, AST *field, int line, int col) {
  cv_buf b;
  cv_buf_init(&b);
  bt_nodetype type;
  char *text = NULL;
  AST *v = NULL;
  while ((v = bt_next_value(field, v, &type, &text))) {
    if (!text)
      continue;
    if (type != BTAST_MACRO) {
      cv_buf_puts(&b, text);
    } else if (bt_macro_length(text) > 0) {
      const char *m = bt_macro_text(text, (char *)ld->file, line);
      cv_buf_puts(&b, m ? m : "");
    } else {
      cv_diags_add(ld->diags, CV_SEV_WARNING, ld->file, line, col,
                   "undefined BibTeX macro '%s': the field is left empty "
                   "(define it with @string{%s = {...}} before this entry, "
                   "or write the value in braces)",
                   text, text);
    }
  }
  if (b.failed) {
    cv_buf_fini(&b);
    return NULL;
  }
  char *r = cv_strdup(b.data ? b.data : "");
  cv_buf_fini(&b);
  if (r) {
    for (char *q = r; *q; q++)
      if (*q == '\t' || *q == '\n' || *q == '\r')
        *q = ' ';
    bt_postprocess_string(r, BTO_COLLAPSE);
  }
  return r;
}

static char *text_of(loader *ld, const char *tex, int verbatim, int line,
                     int col) {
  ld->tex.line = line;
  ld->tex.col = col;
  char *r = cv_tex_convert(&ld->tex, tex, verbatim, ld->arena);
  if (!r)
    ld->oom = 1;
  return r;
}

static void put_tokens(cv_buf *b, char **tok, int n) {
  for (int i = 0; i < n; i++) {
    if (b->len)
      cv_buf_putc(b, ' ');
    cv_buf_puts(b, tok[i]);
  }
}

/* "Last, First and von Last, Jr, First" into a sequence of "First von
 * Last, Jr" names.  Braces keep a name or a corporate author whole. */
static cvpdf_node *names(loader *ld, char *tex, int line, int col) {
  nodelist seq = {0};
  bt_stringlist *list =
      bt_split_list(tex, "and", (char *)ld->file, line, "name");
  for (int i = 0; list && i < list->num_items; i++) {
    char *item = list->items[i];
    if (!item)
      continue;
    if (!strcmp(item, "others")) {
      nl_push(ld, &seq, NULL, scalar(ld, line, col, "et al."));
      continue;
    }
    bt_name *nm = bt_split_name(item, (char *)ld->file, line, i + 1);
    if (!nm)
      continue;
    cv_buf b;
    cv_buf_init(&b);
    put_tokens(&b, nm->parts[BTN_FIRST], nm->part_len[BTN_FIRST]);
    put_tokens(&b, nm->parts[BTN_VON], nm->part_len[BTN_VON]);
    put_tokens(&b, nm->parts[BTN_LAST], nm->part_len[BTN_LAST]);
    if (nm->part_len[BTN_JR]) {
      cv_buf_putc(&b, ',');
      put_tokens(&b, nm->parts[BTN_JR], nm->part_len[BTN_JR]);
    }
    bt_free_name(nm);
    char *text =
        b.failed ? NULL : text_of(ld, b.data ? b.data : "", 0, line, col);
    cv_buf_fini(&b);
    /* A tie inside a name ("Ada~Lovelace") is a plain space, so the name
     * matches the forms the CV highlights. */
    for (char *q = text ? strstr(text, "\xc2\xa0") : NULL; q;
         q = strstr(q, "\xc2\xa0"))
      memmove(q, q + 1, strlen(q + 1) + 1), *q = ' ';
    if (text && *text)
      nl_push(ld, &seq, NULL, scalar(ld, line, col, text));
  }
  if (list)
    bt_free_list(list);
  return nl_finish(ld, &seq, CVPDF_NODE_SEQ, line, col);
}

static const char *const month_names[] = {"jan", "feb", "mar", "apr",
                                          "may", "jun", "jul", "aug",
                                          "sep", "oct", "nov", "dec"};

/* 1-12 for "jan", "January", "5", "05", "Sept."; 0 when not a month. */
static int month_number(const char *s) {
  while (*s == ' ')
    s++;
  if (s[0] >= '0' && s[0] <= '9') {
    int m = atoi(s);
    return m >= 1 && m <= 12 ? m : 0;
  }
  for (int i = 0; i < 12; i++)
    if (!strncasecmp(s, month_names[i], 3))
      return i + 1;
  return 0;
}

static int is_year(const char *s) {
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int is_verbatim(const char *field) {
  static const char *const v[] = {"url",  "doi", "eprint", "file", "isbn",
                                  "issn", "pdf", "code",   NULL};
  for (int i = 0; v[i]; i++)
    if (!strcmp(v[i], field))
      return 1;
  return 0;
}

/* One regular entry into a mapping. */
static cvpdf_node *entry(loader *ld, AST *e) {
  nodelist m = {0};
  int line = e->line;
  int at_col = find_col(&ld->lines, line, "@", 1);
  const char *type = bt_entry_type(e);
  const char *key = bt_entry_key(e);
  char *lower = cv_arena_strdup(ld->arena, type ? type : "");
  if (!lower) {
    ld->oom = 1;
    return NULL;
  }
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  int key_col = key ? find_col(&ld->lines, line, key, at_col) : at_col;
  add_pair(ld, &m, "key", line, key_col,
           scalar(ld, line, key_col, key ? key : ""));
  add_pair(ld, &m, "type", line, at_col, scalar(ld, line, at_col, lower));
  cvpdf_node *year = NULL, *month = NULL, *date = NULL;
  char *name = NULL;
  AST *f = NULL;
  while (!ld->oom && (f = bt_next_field(e, f, &name))) {
    int fl = f->line;
    /* Field names as BibTeX reads them: case does not matter. */
    name = cv_arena_strdup(ld->arena, name ? name : "");
    if (!name) {
      ld->oom = 1;
      break;
    }
    for (char *q = name; *q; q++)
      if (*q >= 'A' && *q <= 'Z')
        *q = (char)(*q - 'A' + 'a');
    int fc = find_col(&ld->lines, fl, name, 1);
    char *tex = field_text(ld, f, fl, fc);
    if (!tex) {
      ld->oom = 1;
      break;
    }
    cvpdf_node *v;
    if (!strcmp(name, "author") || !strcmp(name, "editor")) {
      v = names(ld, tex, fl, fc);
    } else {
      char *text = text_of(ld, tex, is_verbatim(name), fl, fc);
      v = text ? scalar(ld, fl, fc, text) : NULL;
    }
    free(tex);
    if (!v)
      break;
    if (!strcmp(name, "year"))
      year = v;
    else if (!strcmp(name, "month"))
      month = v;
    else if (!strcmp(name, "date"))
      date = v;
    add_pair(ld, &m, name, fl, fc, v);
  }
  /* A year with a month, or a biblatex date, becomes `date` in the form
   * "2021-05" that CV dates accept. */
  if (!ld->oom && date && is_year(date->str)) {
    int mo = date->str[4] == '-' ? month_number(date->str + 5) : 0;
    date->str = mo ? cv_arena_printf(ld->arena, "%.4s-%02d", date->str, mo)
                   : cv_arena_strndup(ld->arena, date->str, 4);
    if (!date->str)
      ld->oom = 1;
    else
      date->len = strlen(date->str);
  } else if (!ld->oom && !date && year && month && is_year(year->str) &&
             month_number(month->str)) {
    char *d = cv_arena_printf(ld->arena, "%.4s-%02d", year->str,
                              month_number(month->str));
    add_pair(ld, &m, "date", month->line, month->col,
             d ? scalar(ld, month->line, month->col, d) : NULL);
  }
  return nl_finish(ld, &m, CVPDF_NODE_MAP, line, at_col);
}

/* ---- the file -------------------------------------------------------- */

static const char *const month_macros[][2] = {
    {"jan", "January"}, {"feb", "February"}, {"mar", "March"},
    {"apr", "April"},   {"may", "May"},      {"jun", "June"},
    {"jul", "July"},    {"aug", "August"},   {"sep", "September"},
    {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};

/* Parses every entry of the file; called with bt_lock held. */
static cvpdf_node *parse_locked(loader *ld, FILE *f, const char *buf,
                                size_t len) {
  nodelist seq = {0};
  /* The standard month macros, and no @string left from another file. */
  bt_delete_all_macros();
  for (int i = 0; i < 12; i++) {
    char name[4], text[16];
    snprintf(name, sizeof name, "%s", month_macros[i][0]);
    snprintf(text, sizeof text, "%s", month_macros[i][1]);
    bt_add_macro_text(name, text, NULL, 0);
  }
  /* libbtparse expands and pastes values as it parses (its default string
   * options, set again in case anything in the process changed them).  It
   * warns about an undefined macro only on stderr, and leaks the empty
   * value it stands for: a few bytes per such field, left as they are
   * because parsing raw values instead leaks on every field. */
  bt_set_stringopts(BTE_REGULAR, BTO_FULL);
  bt_reset_error_counts();
  int failed = 0;
  boolean ok = 1;
  AST *e;
  while ((e = bt_parse_entry(f, (char *)ld->file, 0, &ok))) {
    if (!ok) {
      int col = find_col(&ld->lines, e->line, "@", 1);
      const char *key = bt_entry_key(e);
      const char *type = bt_entry_type(e);
      cv_diags_add(ld->diags, CV_SEV_ERROR, ld->file, e->line, col,
                   "BibTeX entry '@%s{%s' does not parse: expected fields "
                   "written name = {value} or name = \"value\", separated "
                   "by commas, with balanced braces and quotes, and the "
                   "entry closed by '}'",
                   type ? type : "", key ? key : "");
      failed = 1;
    } else if (!failed && bt_entry_metatype(e) == BTE_REGULAR) {
      nl_push(ld, &seq, NULL, entry(ld, e));
    }
    bt_free_ast(e);
    if (ld->oom)
      break;
  }
  /* libbtparse keeps the file it is reading in static data, cleared only
   * when a call finds that file at its end; after some lexical errors the
   * call that returned NULL has not cleared it, and a later call with
   * another file then ends the process (exit, in the library).  So after
   * such errors the library is asked once more, with the file at its end
   * (after a clean read that only earns a warning on stderr). */
  if (bt_get_error_count(BTERR_LEXERR) || bt_get_error_count(BTERR_SYNTAX)) {
    while (fgetc(f) != EOF)
      ;
    for (int i = 0; i < 2; i++) {
      AST *rest = bt_parse_entry(f, (char *)ld->file, 0, NULL);
      if (!rest)
        break;
      bt_free_ast(rest);
    }
  }
  if (!ld->oom && !failed &&
      (bt_get_error_count(BTERR_SYNTAX) || bt_get_error_count(BTERR_LEXERR))) {
    /* An error outside any entry (text after the last one, a lone '@'). */
    int line, col;
    pos_of(&ld->lines, len, &line, &col);
    cv_diags_add(ld->diags, CV_SEV_ERROR, ld->file, line, col,
                 "BibTeX file does not parse: expected entries written "
                 "@type{key, name = {value}, ...}");
    failed = 1;
  }
  (void)buf;
  cvpdf_node *root = nl_finish(ld, &seq, CVPDF_NODE_SEQ, 1, 1);
  return failed ? NULL : root;
}

typedef struct key_ref {
  const cvpdf_node *key;
  size_t entry;
} key_ref;

static int key_ref_cmp(const void *a, const void *b) {
  const key_ref *x = a, *y = b;
  int c = strcmp(x->key->str, y->key->str);
  return c ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* Keys given twice are a warning: the CV prints both, BibTeX would not.
 * The keys are sorted once (by key, then file order), so a file of any
 * size is checked in n log n; the warnings still come in file order.
 * Returns -1 when out of memory. */
static int check_keys(loader *ld, const cvpdf_node *seq) {
  size_t n = seq->n, m = 0;
  key_ref *v = cv_malloc_n(n ? n : 1, sizeof *v);
  const cvpdf_node **first = cv_calloc_n(n ? n : 1, sizeof *first);
  if (!v || !first) {
    free(v);
    free(first);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const cvpdf_node *k = cv_node_get(seq->items[i], "key");
    if (k && k->str)
      v[m++] = (key_ref){k, i};
  }
  qsort(v, m, sizeof *v, key_ref_cmp);
  for (size_t j = 1, g = 0; j < m; j++) {
    if (strcmp(v[j].key->str, v[g].key->str))
      g = j;
    else
      first[v[j].entry] = v[g].key;
  }
  for (size_t i = 0; i < n; i++) {
    if (!first[i])
      continue;
    const cvpdf_node *k = cv_node_get(seq->items[i], "key");
    cv_diags_add(ld->diags, CV_SEV_WARNING, ld->file, k->line, k->col,
                 "BibTeX key '%s' is used twice (first at line %d); "
                 "both entries are printed",
                 k->str, first[i]->line);
  }
  free(v);
  free(first);
  return 0;
}

/* libbtparse ends the whole process (exit) on some malformed input, e.g.
 * "bt_postprocess_field: invalid AST node".  So a child process reads the
 * file first, exactly as it will be read here; only when the child comes
 * back cleanly does this process read it.  Called with bt_lock held, so the
 * child starts from the library's state between two files.  Returns 1 when
 * the file is safe to read, 0 (with the library's last message in why)
 * when the reader would have stopped the process; a failure to start the
 * child counts as unsafe. */
static int reader_survives(loader *ld, const char *buf, size_t len, char *why,
                           size_t cap) {
  why[0] = '\0';
  if (read_in_process)
    return 1;
  int fds[2];
  if (pipe(fds) < 0) {
    snprintf(why, cap, "%s", strerror(errno));
    return 0;
  }
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(why, cap, "%s", strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return 0;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 2); /* the library's messages tell the parent why */
    FILE *f = fmemopen((void *)buf, len, "r");
    if (f)
      (void)parse_locked(ld, f, buf, len);
    _exit(f ? 0 : 3);
  }
  close(fds[1]);
  char out[4096];
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fds[0], out + n, sizeof out - 1 - n);
    if (r > 0 && n + (size_t)r < sizeof out - 1) {
      n += (size_t)r;
      continue;
    }
    if (r < 0 && errno == EINTR)
      continue;
    if (r > 0) { /* full: keep the latest messages */
      n += (size_t)r;
      memmove(out, out + n / 2, n - n / 2);
      n -= n / 2;
      continue;
    }
    break;
  }
  close(fds[0]);
  out[n] = '\0';
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(why, cap, "%s", strerror(errno));
      return 0;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 1;
  /* The last line the library printed says what stopped it. */
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
    out[--n] = '\0';
  char *last = strrchr(out, '\n');
  const char *msg = last ? last + 1 : out;
  size_t ml = strlen(msg);
  if (ml >= cap)
    ml = cap - 1;
  memcpy(why, msg, ml);
  why[ml] = '\0';
  return 0;
}

const cvpdf_node *cv_bibtex_load(const char *path, const cvpdf_node *at,
                                 cv_arena *arena, cv_diags *diags) {
  char why[256];
  struct stat sb;
  int fd = cv_input_open(NULL, path, 0, NULL, &sb, why, sizeof why);
  if (fd < 0) {
    cv_diag_at(diags, CV_SEV_ERROR, at, "cannot read BibTeX file '%s': %s",
               path, why);
    return NULL;
  }
  const cvpdf_node *n = cv_bibtex_load_fd(fd, path, at, arena, diags);
  close(fd);
  return n;
}

const cvpdf_node *cv_bibtex_load_fd(int fd, const char *path,
                                    const cvpdf_node *at, cv_arena *arena,
                                    cv_diags *diags) {
  const char *afile = at ? at->file : NULL;
  int aline = at ? at->line : 0, acol = at ? at->col : 0;
  size_t len = 0;
  int err = 0;
  struct stat sb;
  size_t hint = fstat(fd, &sb) == 0 ? (size_t)sb.st_size : 0;
  char *buf = cv_input_read(fd, hint, (size_t)16 << 20, &len, &err);
  if (!buf) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': %s", path,
                 err == EFBIG ? "larger than 16 MiB" : strerror(err));
    return NULL;
  }
  loader ld;
  memset(&ld, 0, sizeof ld);
  ld.arena = arena;
  ld.diags = diags;
  ld.file = cv_arena_strdup(arena, path);
  ld.tex.diags = diags;
  ld.tex.file = ld.file;
  if (!ld.file || lines_init(&ld.lines, buf, len)) {
    free(buf);
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': out of memory", path);
    return NULL;
  }
  const cvpdf_node *root = NULL;
  size_t bad = cv_utf8_check(buf, len);
  const char *nul = memchr(buf, 0, len);
  if (nul && (bad == (size_t)-1 || (size_t)(nul - buf) < bad))
    bad = (size_t)(nul - buf);
  if (bad != (size_t)-1) {
    int line, col;
    pos_of(&ld.lines, bad, &line, &col);
    cv_diags_add(diags, CV_SEV_ERROR, ld.file, line, col,
                 "expected UTF-8 text, found byte 0x%02X (save the file as "
                 "UTF-8, or write accents in LaTeX such as {\\'e})",
                 (unsigned char)buf[bad]);
    goto done;
  }
  if (len == 0) {
    /* fmemopen refuses an empty buffer; an empty file has no entries. */
    nodelist none = {0};
    root = nl_finish(&ld, &none, CVPDF_NODE_SEQ, 1, 1);
    goto done;
  }
  FILE *f = fmemopen(buf, len, "r");
  if (!f) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': %s", path, strerror(errno));
    goto done;
  }
  int rc = pthread_once(&bt_once, bt_init_once);
  if (rc == 0)
    rc = pthread_mutex_lock(&bt_lock);
  if (rc != 0) {
    fclose(f);
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': %s", path, strerror(rc));
    goto done;
  }
  char why[512];
  if (!reader_survives(&ld, buf, len, why, sizeof why)) {
    pthread_mutex_unlock(&bt_lock);
    fclose(f);
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': expected BibTeX entries, "
                 "found input the BibTeX reader stops on (%s)",
                 path, why[0] ? why : "no message");
    goto done;
  }
  cvpdf_node *seq = parse_locked(&ld, f, buf, len);
  pthread_mutex_unlock(&bt_lock);
  fclose(f);
  if (ld.oom) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': out of memory", path);
    goto done;
  }
  if (seq && check_keys(&ld, seq) < 0) {
    cv_diags_add(diags, CV_SEV_ERROR, afile, aline, acol,
                 "cannot read BibTeX file '%s': out of memory", path);
    goto done;
  }
  root = seq;
done:
  free(ld.lines.start);
  free(buf);
  return root;
}
