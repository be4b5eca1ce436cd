/* A host stub for section plugins: loads one plugin, feeds it the sections
 * of a fixture CV it handles, and prints every builder call it makes, one
 * per line.  Plugins are thus tested without the CLI or the layout engine
 * (after collectd's plugin_mock.c).
 *
 *   plugin_stub PLUGIN.so FIXTURE.yaml
 *
 * Exit status: 0 when every build returned 0 and reported no error. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/bibtex.h"
#include "document/model.h"
#include "pipeline/plugin_host.h"
#include "document/schema.h"
#include "document/tags.h"

struct cvpdf_builder {
  cv_arena arena;
  int errors;
};

static void q(const char *s) {
  if (!s) {
    fputs("NULL", stdout);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      putchar('\\');
    if (*s == '\n')
      fputs("\\n", stdout);
    else
      putchar(*s);
  }
  putchar('"');
}

static void call(const char *name, int n, ...) {
  va_list ap;
  va_start(ap, n);
  fputs(name, stdout);
  for (int i = 0; i < n; i++) {
    putchar(' ');
    q(va_arg(ap, const char *));
  }
  va_end(ap);
  putchar('\n');
}

static cvpdf_node_kind s_kind(const cvpdf_node *n) {
  return n ? n->kind : CVPDF_NODE_NONE;
}
static const char *s_key_at(const cvpdf_node *m, size_t i) {
  return cv_node_str(cv_node_key_at(m, i));
}
static int s_get_bool(const cvpdf_node *m, const char *k, int d) {
  int v = cv_node_bool(cv_node_get(m, k));
  return v < 0 ? d : v;
}
static void s_report(cvpdf_builder *b, const char *what, const cvpdf_node *at,
                     const char *fmt, va_list ap) {
  printf("%s %d:%d ", what, at ? at->line : 0, at ? at->col : 0);
  vprintf(fmt, ap);
  putchar('\n');
  if (!strcmp(what, "error"))
    b->errors++;
}
static void s_error(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                    ...) {
  va_list ap;
  va_start(ap, fmt);
  s_report(b, "error", at, fmt, ap);
  va_end(ap);
}
static void s_warn(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                   ...) {
  va_list ap;
  va_start(ap, fmt);
  s_report(b, "warning", at, fmt, ap);
  va_end(ap);
}
static const char *s_fmt(cvpdf_builder *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *s = cv_arena_vprintf(&b->arena, fmt, ap);
  va_end(ap);
  return s;
}
static const char *s_escape(cvpdf_builder *b, const char *t) {
  (void)b;
  return t; /* the stub records text as the plugin gave it */
}
/* Dates are recorded raw, so fixtures show what the plugin passed. */
static const char *s_date_range(cvpdf_builder *b, const cvpdf_node *a,
                                const cvpdf_node *z) {
  if (!a && !z)
    return NULL;
  return s_fmt(b, "<%s..%s>", a ? cv_node_str(a) : "", z ? cv_node_str(z) : "");
}
static const char *s_word(cvpdf_builder *b, const char *k) {
  (void)b;
  return k;
}
static const char *s_option(cvpdf_builder *b, const char *k) {
  (void)b;
  return getenv(k) ? getenv(k) : NULL;
}
static void s_heading(cvpdf_builder *b, const char *t) {
  (void)b;
  call("heading", 1, t);
}
static void s_subheading(cvpdf_builder *b, const char *t) {
  (void)b;
  call("subheading", 1, t);
}
static void s_entry_begin(cvpdf_builder *b, const char *l) {
  (void)b;
  call("entry_begin", 1, l);
}
static void s_entry_end(cvpdf_builder *b) {
  (void)b;
  call("entry_end", 0);
}
static void s_paragraph(cvpdf_builder *b, const char *s, const char *m) {
  (void)b;
  call("paragraph", 2, s, m);
}
static void s_row(cvpdf_builder *b, const char *ls, const char *l,
                  const char *rs, const char *r) {
  (void)b;
  call("row", 4, ls, l, rs, r);
}
static void s_list_begin(cvpdf_builder *b, cvpdf_list_kind k) {
  (void)b;
  call(k == CVPDF_LIST_NUMBERED ? "list_begin numbered" : "list_begin bullet",
       0);
}
static void s_item(cvpdf_builder *b, const char *m) {
  (void)b;
  call("item", 1, m);
}
static void s_item_begin(cvpdf_builder *b, const char *m) {
  (void)b;
  call("item_begin", 1, m);
}
static void s_item_end(cvpdf_builder *b) {
  (void)b;
  call("item_end", 0);
}
static void s_list_end(cvpdf_builder *b) {
  (void)b;
  call("list_end", 0);
}
static void s_pair(cvpdf_builder *b, const char *l, const char *v) {
  (void)b;
  call("pair", 2, l, v);
}
static void s_contact(cvpdf_builder *b, const char *k, const char *t,
                      const char *u) {
  (void)b;
  call("contact", 3, k, t, u);
}
static void s_rule(cvpdf_builder *b) {
  (void)b;
  call("rule", 0);
}
static void s_space(cvpdf_builder *b, const char *n) {
  (void)b;
  call("space", 1, n);
}
static void s_set_author(cvpdf_builder *b, const char *n) {
  (void)b;
  call("set_author", 1, n);
}

/* BibTeX files load for real, relative to the fixture. */
static cv_diags *stub_diags;
static const cvpdf_node *s_load_bibtex(cvpdf_builder *b, const cvpdf_node *at,
                                       const char *path) {
  const char *file = at ? at->file : NULL;
  const char *slash = file ? strrchr(file, '/') : NULL;
  const char *full = path;
  if (path && path[0] != '/' && slash)
    full = s_fmt(b, "%.*s/%s", (int)(slash - file), file, path);
  call("load_bibtex", 1, path);
  const cvpdf_node *n = cv_bibtex_load(full, at, &b->arena, stub_diags);
  if (!n)
    b->errors++;
  return n;
}

static const cvpdf_host stub = {
    .abi_major = CVPDF_ABI_MAJOR,
    .abi_minor = CVPDF_ABI_MINOR,
    .size = sizeof(cvpdf_host),
    .kind = s_kind,
    .get = cv_node_get,
    .str = cv_node_str,
    .get_str = cv_node_get_str,
    .len = cv_node_len,
    .at = cv_node_at,
    .key_at = s_key_at,
    .value_at = cv_node_value_at,
    .get_bool = s_get_bool,
    .error = s_error,
    .warn = s_warn,
    .fmt = s_fmt,
    .escape = s_escape,
    .date_range = s_date_range,
    .word = s_word,
    .option = s_option,
    .heading = s_heading,
    .subheading = s_subheading,
    .entry_begin = s_entry_begin,
    .entry_end = s_entry_end,
    .paragraph = s_paragraph,
    .row = s_row,
    .list_begin = s_list_begin,
    .item = s_item,
    .item_begin = s_item_begin,
    .item_end = s_item_end,
    .list_end = s_list_end,
    .pair = s_pair,
    .contact = s_contact,
    .rule = s_rule,
    .space = s_space,
    .set_author = s_set_author,
    .load_bibtex = s_load_bibtex,
};

static void print_diags(cv_diags *d) {
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < d->n; i++) {
    cv_buf_reset(&b);
    cv_diag_format(&d->v[i], &b);
    printf("%s\n", b.data);
  }
  cv_buf_fini(&b);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: plugin_stub PLUGIN.so FIXTURE.yaml\n");
    return 2;
  }
  cv_status st = {0};
  cv_plugins *ps = cv_plugins_create(&stub);
  if (!ps || cv_plugins_load_file(ps, argv[1], &st) < 0) {
    fprintf(stderr, "%s\n", st.msg);
    cv_plugins_destroy(ps);
    return 2;
  }
  cv_diags d;
  cv_diags_init(&d);
  stub_diags = &d;
  cv_model *m = cv_model_load_file(argv[2], NULL, &d);
  if (!m) {
    print_diags(&d);
    cv_diags_fini(&d);
    cv_plugins_destroy(ps);
    return 2;
  }
  /* As the host does: tags are taken out before plugins see the tree. */
  if (cv_tags_apply(m->root, NULL, &d) > 0) {
    print_diags(&d);
    cv_model_destroy(m);
    cv_diags_fini(&d);
    cv_plugins_destroy(ps);
    return 1;
  }
  struct cvpdf_builder b;
  memset(&b, 0, sizeof b);
  cv_arena_init(&b.arena);
  int rc = 0;
  const cvpdf_section_type *t = NULL;
  const cv_plugin *p = cv_plugins_find(ps, "header", &t);
  static const char *const top[] = {"sections", "layout",  "language", "theme",
                                    "title",    "subject", "keywords", NULL};
  static const char *const sec_keys[] = {"type", "title", "id", NULL};
  if (p) {
    printf("# header\n");
    if (cv_schema_validate(m->root, t->fields, top, "the CV", &d) > 0)
      rc = 1;
    else if (p->desc->build(p->state, &stub, &b, "header", m->root) != 0)
      rc = 1;
  }
  const cvpdf_node *secs = cv_node_get(m->root, "sections");
  for (size_t i = 0; i < cv_node_len(secs); i++) {
    const cvpdf_node *s = cv_node_at(secs, i);
    const char *type = cv_node_get_str(s, "type");
    p = type ? cv_plugins_find(ps, type, &t) : NULL;
    if (!p)
      continue;
    printf("# section %zu: %s\n", i + 1, type);
    char what[64];
    snprintf(what, sizeof what, "%s section", type);
    if (cv_schema_validate(s, t->fields, sec_keys, what, &d) > 0) {
      rc = 1;
      continue;
    }
    if (p->desc->build(p->state, &stub, &b, type, s) != 0)
      rc = 1;
  }
  print_diags(&d);
  if (b.errors)
    rc = 1;
  cv_arena_fini(&b.arena);
  cv_model_destroy(m);
  cv_diags_fini(&d);
  cv_plugins_destroy(ps);
  return rc;
}
