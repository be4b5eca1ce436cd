/* cvpdf - the builder's services other than blocks: reading nodes,
 * messages at a node, strings and dates made for plugins, the author,
 * BibTeX files the CV names; and the table of all the services
 * (cv_builder_services), which services.c checks before they run. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "document/bibtex.h"
#include "document/schema.h"
#include "text/cldr.h"

/* ---- service table: reading ------------------------------------------ */

static cvpdf_node_kind h_kind(const cvpdf_node *n) {
  return n ? n->kind : CVPDF_NODE_NONE;
}

static const char *h_key_at(const cvpdf_node *m, size_t i) {
  return cv_node_str(cv_node_key_at(m, i));
}

static const cvpdf_node *h_value_at(const cvpdf_node *m, size_t i) {
  return cv_node_value_at(m, i);
}

static int h_get_bool(const cvpdf_node *m, const char *key, int dflt) {
  int v = cv_node_bool(cv_node_get(m, key));
  return v < 0 ? dflt : v;
}

static void h_report(cvpdf_builder *b, cv_severity sev, const cvpdf_node *at,
                     const char *fmt, va_list ap) {
  cv_diag_vat(b->diags, sev, at, fmt, ap);
  if (sev == CV_SEV_ERROR)
    b->failed = 1;
}

void cv_h_error(cvpdf_builder *b, const cvpdf_node *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  h_report(b, CV_SEV_ERROR, at, fmt, ap);
  va_end(ap);
}

static void h_warn(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                   ...) {
  va_list ap;
  va_start(ap, fmt);
  h_report(b, CV_SEV_WARNING, at, fmt, ap);
  va_end(ap);
}

const char *cv_h_fmt(cvpdf_builder *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *s = cv_arena_vprintf(b->perm, fmt, ap);
  va_end(ap);
  if (!s)
    cv_bld_oom(b);
  return s ? s : "";
}

/* One allocation for the whole string, so a list of any length joins in
 * linear time and memory. */
static const char *h_join(cvpdf_builder *b, const char *const *parts, size_t n,
                          const char *sep) {
  if (!b || !parts)
    return NULL;
  size_t sl = sep ? strlen(sep) : 0, total = 0, k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = parts[i] ? strlen(parts[i]) : 0;
    if (!l)
      continue;
    if (l > SIZE_MAX - 1 - sl - total) {
      cv_bld_oom(b);
      return NULL;
    }
    total += l + (k++ ? sl : 0);
  }
  char *out = k ? cv_arena_alloc(b->perm, total + 1) : NULL;
  if (k && !out)
    cv_bld_oom(b);
  if (!out)
    return NULL;
  char *o = out;
  k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t l = parts[i] ? strlen(parts[i]) : 0;
    if (!l)
      continue;
    if (k++ && sl)
      o = (char *)memcpy(o, sep, sl) + sl;
    o = (char *)memcpy(o, parts[i], l) + l;
  }
  *o = '\0';
  return out;
}

const char *cv_h_escape(cvpdf_builder *b, const char *text) {
  if (!text)
    return NULL;
  cv_buf out;
  cv_buf_init(&out);
  for (const char *p = text; *p; p++) {
    if (strchr("\\`*_[]<>&!#|~", *p))
      cv_buf_putc(&out, '\\');
    cv_buf_putc(&out, *p);
  }
  const char *r = out.data ? cv_arena_strdup(b->perm, out.data) : "";
  cv_buf_fini(&out);
  return r;
}

const char *cv_h_word(cvpdf_builder *b, const char *key) {
  int english = 0;
  const char *w = cv_theme_word_in(b->theme, b->lang, key, &english);
  /* Printed alone, the English word says it is English (/Lang). */
  if (english && b->lang && strncmp(b->lang, "en", 2) &&
      b->nenglish < CV_MAX_ENGLISH) {
    size_t i = 0;
    while (i < b->nenglish && b->english[i] != w)
      i++;
    if (i == b->nenglish) {
      b->english[b->nenglish++] = w;
      /* Inside a longer text too: a Span with its /Lang. */
      cv_shaper_set_foreign_words(b->sh, b->english, b->nenglish, "en");
    }
  }
  return w;
}

const char *cv_h_option(cvpdf_builder *b, const char *key) {
  return b->type ? cv_theme_option(b->theme, b->type, key) : NULL;
}

static const char *format_date(cvpdf_builder *b, const cvpdf_node *n, int *ok) {
  const char *s = cv_node_str(n);
  cv_date d;
  if (cv_date_literal(n))
    return cv_h_escape(b, cv_date_literal(n));
  if (!s || cv_date_parse(s, &d) != 0) {
    cv_h_error(b, n,
               "expected a date such as 2021, 2021-05, May 2021 or present, "
               "found '%s'",
               s ? s : cv_node_kind_name(n));
    *ok = 0;
    return "";
  }
  if (d.present)
    return cv_h_word(b, "present");
  int ms = b->theme->month_style;
  if (!d.month || ms == 0)
    return cv_h_fmt(b, "%d", d.year);
  if (ms == 3)
    return cv_h_fmt(b, "%02d/%d", d.month, d.year);
  char buf[128];
  cv_cldr_month_year_cached(b->dates, buf, sizeof buf, b->lang, d.year, d.month,
                            ms == 2   ? CV_MONTH_LONG
                            : ms == 4 ? CV_MONTH_DOTTED
                                      : CV_MONTH_SHORT);
  return cv_h_fmt(b, "%s", buf);
}

int cv_h_today(const cvpdf_builder *b, cv_date *d) {
  time_t when = (time_t)b->date;
  struct tm tm;
  if (!gmtime_r(&when, &tm))
    return -1;
  d->year = tm.tm_year + 1900;
  d->month = tm.tm_mon + 1;
  d->day = tm.tm_mday;
  d->present = 0;
  return 0;
}

/* The length of time from start to end, both months counted ("2 years,
 * 3 months"), an open end reaching the document's date; NULL when either
 * is not a date, or the end comes first. */
static const char *span(cvpdf_builder *b, const cvpdf_node *start,
                        const cvpdf_node *end) {
  cv_date s, e;
  if (!start || !end || cv_date_parse(cv_node_str(start), &s) != 0 ||
      cv_date_parse(cv_node_str(end), &e) != 0 || s.present)
    return NULL;
  if (e.present && cv_h_today(b, &e) < 0)
    return NULL;
  int months = (e.year - s.year) * 12; /* years alone: whole years */
  if (s.month && e.month)
    months += e.month - s.month + 1;
  if (months <= 0)
    return NULL;
  char buf[160];
  cv_cldr_duration(buf, sizeof buf, b->lang, months / 12, months % 12);
  /* One unit: a narrow column breaks before it, never inside it. */
  cv_buf out;
  cv_buf_init(&out);
  for (const char *p = buf; *p; p++)
    if (*p == ' ')
      cv_buf_puts(&out, "\xc2\xa0");
    else
      cv_buf_putc(&out, *p);
  const char *r = out.data ? cv_h_escape(b, out.data) : NULL;
  cv_buf_fini(&out);
  return r;
}

static const char *h_date_range(cvpdf_builder *b, const cvpdf_node *start,
                                const cvpdf_node *end) {
  int ok = 1;
  const char *a = start ? format_date(b, start, &ok) : NULL;
  const char *z = end ? format_date(b, end, &ok) : NULL;
  if (!ok)
    return NULL;
  const char *len = b->spans ? span(b, start, end) : NULL;
  if (a && z && strcmp(a, z))
    a = cv_h_fmt(b, "%s%s%s", a, b->theme->date_separator, z);
  else if (!a)
    a = z;
  return len ? cv_h_fmt(b, "%s (%s)", a, len) : a;
}

static void h_set_author(cvpdf_builder *b, const char *name) {
  if (!b->author && name) {
    b->author = cv_arena_strdup(b->perm, name);
    b->author_src = b->src.root;
  }
}

/* The directory of the CV file that node `at` comes from, in the arena,
 * or NULL for the working directory. */
static const char *cv_dir_of(cvpdf_builder *b, const cvpdf_node *at) {
  const char *file = at ? at->file : NULL;
  const char *slash = file ? strrchr(file, '/') : NULL;
  if (!slash)
    return NULL;
  return cv_h_fmt(b, "%.*s", slash == file ? 1 : (int)(slash - file), file);
}

/* Whether path has a ".." component. */
static int has_dotdot(const char *path) {
  for (const char *p = path; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && p[0] == '.' && p[1] == '.')
      return 1;
    p += n;
    p += strspn(p, "/");
  }
  return 0;
}

/* Paths are relative to the CV that names them.  In safe mode the file
 * must resolve beneath the CV's directory, symbolic links included (links
 * that stay inside are followed). */
static const cvpdf_node *h_load_bibtex(cvpdf_builder *b, const cvpdf_node *at,
                                       const char *path) {
  if (!path || !*path) {
    cv_h_error(b, at, "expected a BibTeX file name, found an empty string");
    return NULL;
  }
  const char *dir = cv_dir_of(b, at);
  const char *full =
      path[0] != '/' && dir ? cv_h_fmt(b, "%s/%s", dir, path) : path;
  char why[256];
  struct stat sb;
  int fd = cv_input_open(dir, path, b->safe ? CV_OPEN_BENEATH : 0, b->inputs,
                         &sb, why, sizeof why);
  if (fd < 0 && b->safe && errno == EXDEV) {
    cv_h_error(b, at,
               "expected a BibTeX file in the CV's directory, found '%s'%s "
               "(files outside it are not read in safe mode)",
               path,
               path[0] == '/' || has_dotdot(path) ? ""
                                                  : ", which links out of it");
    return NULL;
  }
  if (fd < 0) {
    cv_h_error(b, at, "cannot read BibTeX file '%s': %s", full, why);
    return NULL;
  }
  const cvpdf_node *n = cv_bibtex_load_fd(fd, full, at, b->perm, b->diags);
  close(fd);
  if (!n)
    b->failed = 1;
  cv_source_add(&b->src, n);
  return n;
}

static const cvpdf_host host_table = {
    .abi_major = CVPDF_ABI_MAJOR,
    .abi_minor = CVPDF_ABI_MINOR,
    .size = sizeof(cvpdf_host),
    .kind = h_kind,
    .get = cv_node_get,
    .str = cv_node_str,
    .get_str = cv_node_get_str,
    .len = cv_node_len,
    .at = cv_node_at,
    .key_at = h_key_at,
    .value_at = h_value_at,
    .get_bool = h_get_bool,
    .error = cv_h_error,
    .warn = h_warn,
    .fmt = cv_h_fmt,
    .escape = cv_h_escape,
    .date_range = h_date_range,
    .word = cv_h_word,
    .option = cv_h_option,
    .heading = cv_h_heading,
    .subheading = cv_h_subheading,
    .entry_begin = cv_h_entry_begin,
    .entry_end = cv_h_entry_end,
    .paragraph = cv_h_paragraph,
    .row = cv_h_row,
    .list_begin = cv_h_list_begin,
    .item = cv_h_item,
    .item_begin = cv_h_item_begin,
    .item_end = cv_h_item_end,
    .list_end = cv_h_list_end,
    .pair = cv_h_pair,
    .contact = cv_h_contact,
    .rule = cv_h_rule,
    .space = cv_h_space,
    .set_author = h_set_author,
    .load_bibtex = h_load_bibtex,
    .join = h_join,
    .day_date = cv_h_day_date,
    .place_begin = cv_h_place_begin,
    .place_end = cv_h_place_end,
    .image = cv_h_image,
};

const cvpdf_host *cv_builder_services(void) {
  return &host_table;
}
