/* cvpdf - the checked service table: what a plugin hands the host is
 * checked here, and misuse is reported at the section being built, naming
 * the plugin, before the builder (layout.c) sees it.  A plugin is code the
 * host runs but did not write: a NULL title, a style name that is not a
 * string, a list closed twice must end in a message, not in a crash inside
 * the host. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/services.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "typeset/layout.h"

/* Longest text a plugin may hand one service: far beyond any CV (whose
 * input is itself bounded), far below what overflows the int lengths of
 * the shaping libraries. */
#define MAX_TEXT (64u << 20)
/* Misuse reports per call: a plugin looping over bad calls says so once
 * per kind of mistake, not a million times. */
#define MAX_MISUSES 20
/* The builder nests lists this deep; a deeper list_begin is refused. */
#define MAX_LIST_DEPTH 8

/* The calls this thread is in, innermost first.  Per thread: renders run
 * in parallel threads, each calling its own plugins. */
static _Thread_local cv_plugin_call *current;
static _Thread_local cv_plugin_call *mirror;

/* ---- strings a signal handler may build ------------------------------- */

void cv_str_append(char *out, size_t n, size_t *len, const char *s) {
  if (!n)
    return;
  while (s && *s && *len + 1 < n)
    out[(*len)++] = *s++;
  out[*len < n ? *len : n - 1] = '\0';
}

void cv_str_append_int(char *out, size_t n, size_t *len, long v) {
  char digits[24];
  size_t k = sizeof digits;
  unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
  digits[--k] = '\0';
  do {
    digits[--k] = (char)('0' + u % 10);
    u /= 10;
  } while (u && k > 1);
  if (v < 0 && k > 0)
    digits[--k] = '-';
  cv_str_append(out, n, len, digits + k);
}

/* Copies s into a field of n bytes, cut short if need be. */
static void set_field(char *field, size_t n, const char *s) {
  size_t len = 0;
  field[0] = '\0';
  cv_str_append(field, n, &len, s);
}

/* ---- call records ----------------------------------------------------- */

void cv_plugin_call_begin(cv_plugin_call *c, cv_call_phase phase,
                          const char *plugin, cvpdf_builder *b,
                          const char *type, const cvpdf_node *at) {
  memset(c, 0, sizeof *c);
  c->phase = (int)phase;
  set_field(c->plugin, sizeof c->plugin, plugin ? plugin : "?");
  set_field(c->type, sizeof c->type, type);
  if (at) {
    set_field(c->file, sizeof c->file, at->file);
    c->line = at->line;
    c->col = at->col;
  }
  c->pid = (int)getpid();
  c->builder = b;
  c->node = at;
  c->outer = current;
  current = c;
  if (mirror) {
    cv_plugin_call copy = *c;
    copy.builder = NULL;
    copy.node = NULL;
    copy.outer = NULL;
    *mirror = copy;
  }
}

static void misuse(cv_plugin_call *c, const char *service, const char *fmt, ...)
    CV_PRINTF(3, 4);

void cv_plugin_call_end(cv_plugin_call *c) {
  if (c->phase == CV_CALL_BUILD && c->builder) {
    if (c->items > 0)
      misuse(c, "item_begin", "and never closed the item with item_end()");
    if (c->lists > c->implicit_list)
      misuse(c, "list_begin", "and never closed the list with list_end()");
  }
  current = c->outer;
  if (mirror)
    mirror->phase = 0;
}

const cv_plugin_call *cv_plugin_call_current(void) {
  return current;
}

void cv_plugin_call_mirror(cv_plugin_call *m) {
  mirror = m;
}

/* Notes that the host's service `name` (NULL: none) runs for the plugin:
 * the host's own code can end the process too (the BibTeX reader exits on
 * some input), and the report should say so. */
static void in_service(const char *name) {
  if (current)
    set_field(current->service, sizeof current->service, name);
  if (mirror)
    set_field(mirror->service, sizeof mirror->service, name);
}

size_t cv_plugin_call_describe(const cv_plugin_call *c, const char *event,
                               char *out, size_t n) {
  size_t len = 0;
  if (n)
    out[0] = '\0';
  if (c->phase == CV_CALL_LOAD) {
    cv_str_append(out, n, &len, "plugin file '");
    cv_str_append(out, n, &len, c->plugin);
    cv_str_append(out, n, &len, "' ");
    cv_str_append(out, n, &len, event);
    cv_str_append(out, n, &len, " while being loaded");
    return len;
  }
  if (c->service[0]) {
    cv_str_append(out, n, &len, "the host's ");
    cv_str_append(out, n, &len, c->service);
    cv_str_append(out, n, &len, "(), called by plugin '");
    cv_str_append(out, n, &len, c->plugin);
    cv_str_append(out, n, &len, "', ");
  } else {
    cv_str_append(out, n, &len, "plugin '");
    cv_str_append(out, n, &len, c->plugin);
    cv_str_append(out, n, &len, "' ");
  }
  cv_str_append(out, n, &len, event);
  if (c->phase == CV_CALL_INIT) {
    cv_str_append(out, n, &len, " in its init()");
  } else if (c->phase == CV_CALL_FINI) {
    cv_str_append(out, n, &len, " in its fini()");
  } else if (!strcmp(c->type, "header")) {
    cv_str_append(out, n, &len, " while building the header");
  } else {
    cv_str_append(out, n, &len, " while building this '");
    cv_str_append(out, n, &len, c->type);
    cv_str_append(out, n, &len, "' section");
  }
  return len;
}

/* ---- reporting misuse ------------------------------------------------- */

static const cvpdf_host *raw(void) {
  return cv_builder_services();
}

/* Reports at the section: "plugin 'x' called heading() with a NULL title".
 * Only a build call has a builder to report through; misuse during init
 * or fini is refused without a word (the call does nothing). */
static void misuse(cv_plugin_call *c, const char *service, const char *fmt,
                   ...) {
  if (!c || c->phase != CV_CALL_BUILD || !c->builder ||
      c->misuses++ >= MAX_MISUSES)
    return;
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  const char *more = c->misuses == MAX_MISUSES
                         ? " (further misuse in this section is not reported)"
                         : "";
  raw()->error(c->builder, c->node, "plugin '%s' called %s() %s%s", c->plugin,
               service, what, more);
}

/* The builder a service may work on: the one handed to the plugin being
 * run, or, outside any plugin call, the one the host itself passes.
 * NULL (after a report when there is a section to report at) otherwise. */
static cvpdf_builder *use(cvpdf_builder *b, const char *service) {
  cv_plugin_call *c = current;
  if (!c)
    return b;
  if (c->phase == CV_CALL_BUILD && b && b == c->builder)
    return b;
  if (b)
    misuse(c, service, "with a builder that is not this section's");
  else
    misuse(c, service, "with a NULL builder");
  return NULL;
}

/* A text argument the service needs: not NULL, not absurdly long. */
static int text_ok(const char *service, const char *what, const char *s) {
  if (!s) {
    misuse(current, service, "with a NULL %s; expected text", what);
    return 0;
  }
  size_t n = strnlen(s, MAX_TEXT + 1);
  if (n > MAX_TEXT) {
    misuse(current, service, "with a %s longer than %u MiB", what,
           MAX_TEXT >> 20);
    return 0;
  }
  size_t bad = cv_utf8_check(s, n);
  if (bad != (size_t)-1) {
    misuse(current, service, "with a %s that is not UTF-8 (byte %zu is 0x%02X)",
           what, bad, (unsigned)(unsigned char)s[bad]);
    return 0;
  }
  return 1;
}

/* Optional text: NULL is fine, an absurd length is not. */
static int opt_text_ok(const char *service, const char *what, const char *s) {
  return !s || text_ok(service, what, s);
}

static int defines(const cv_theme *t, const char *name, size_t len) {
  for (size_t i = 0; t && i < t->nstyles; i++)
    if (t->styles[i].name && strlen(t->styles[i].name) == len &&
        !memcmp(t->styles[i].name, name, len))
      return 1;
  /* The names layouts are written for: a layout may leave any of them
   * undefined, and it then prints in the body style. */
  for (size_t i = 0; cv_std_styles[i]; i++)
    if (strlen(cv_std_styles[i]) == len && !memcmp(cv_std_styles[i], name, len))
      return 1;
  return 0;
}

/* A style name that is known or that the layout defines, itself or by a
 * dotted prefix ("item.number" falls back to "item"); any other name (a
 * typing error, say) would silently print in the body style. */
static int style_ok(cvpdf_builder *b, const char *service, const char *name) {
  if (!text_ok(service, "style name", name))
    return 0;
  const cv_theme *t = cv_builder_theme(b);
  size_t len = strlen(name);
  while (len > 0) {
    if (defines(t, name, len))
      return 1;
    while (len > 0 && name[len - 1] != '.')
      len--;
    if (len > 0)
      len--; /* drop the dot */
  }
  misuse(current, service,
         "with the style '%.60s', which is not a style name (and the layout "
         "does not define it)",
         name);
  return 0;
}

/* ---- reading the document --------------------------------------------- */

static int key_ok(const char *service, const char *key) {
  if (key && strnlen(key, MAX_TEXT + 1) <= MAX_TEXT)
    return 1;
  misuse(current, service,
         key ? "with an absurdly long key" : "with a NULL key");
  return 0;
}

static const cvpdf_node *g_get(const cvpdf_node *map, const char *key) {
  return key_ok("get", key) ? raw()->get(map, key) : NULL;
}

static const char *g_get_str(const cvpdf_node *map, const char *key) {
  return key_ok("get_str", key) ? raw()->get_str(map, key) : NULL;
}

static int g_get_bool(const cvpdf_node *map, const char *key, int dflt) {
  return key_ok("get_bool", key) ? raw()->get_bool(map, key, dflt) : dflt;
}

/* ---- diagnostics and text helpers ------------------------------------- */

/* vsnprintf into memory of its own: the builder's functions are variadic
 * and cannot take a va_list.  NULL after a report when fmt is NULL or the
 * text absurd. */
static char *format(const char *service, const char *fmt, va_list ap) {
  if (!fmt) {
    misuse(current, service, "with a NULL format");
    return NULL;
  }
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  if (n < 0 || (unsigned)n > MAX_TEXT) {
    misuse(current, service,
           "with a format that makes no text or more "
           "than %u MiB",
           MAX_TEXT >> 20);
    return NULL;
  }
  char *s = malloc((size_t)n + 1);
  if (s)
    vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

static void g_error(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                    ...) {
  if (!(b = use(b, "error")))
    return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = format("error", fmt, ap);
  va_end(ap);
  raw()->error(b, at, "%s", msg ? msg : "(the plugin's message was lost)");
  free(msg);
}

static void g_warn(cvpdf_builder *b, const cvpdf_node *at, const char *fmt,
                   ...) {
  if (!(b = use(b, "warn")))
    return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = format("warn", fmt, ap);
  va_end(ap);
  if (msg)
    raw()->warn(b, at, "%s", msg);
  free(msg);
}

static const char *g_fmt(cvpdf_builder *b, const char *fmt, ...) {
  if (!(b = use(b, "fmt")))
    return "";
  va_list ap;
  va_start(ap, fmt);
  char *s = format("fmt", fmt, ap);
  va_end(ap);
  const char *r = s ? raw()->fmt(b, "%s", s) : "";
  free(s);
  return r;
}

static const char *g_escape(cvpdf_builder *b, const char *text) {
  if (!(b = use(b, "escape")) || !opt_text_ok("escape", "text", text))
    return NULL;
  return raw()->escape(b, text);
}

static const char *g_join(cvpdf_builder *b, const char *const *parts, size_t n,
                          const char *sep) {
  if (!(b = use(b, "join")) || !opt_text_ok("join", "separator", sep))
    return NULL;
  if (!parts && n) {
    misuse(current, "join", "with a NULL list of %zu parts; expected text", n);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    if (!opt_text_ok("join", "part", parts[i]))
      return NULL;
  return raw()->join(b, parts, n, sep);
}

static const char *g_date_range(cvpdf_builder *b, const cvpdf_node *start,
                                const cvpdf_node *end) {
  if (!(b = use(b, "date_range")))
    return NULL;
  return raw()->date_range(b, start, end);
}

static const char *g_word(cvpdf_builder *b, const char *key) {
  if (!(b = use(b, "word")) || !text_ok("word", "key", key))
    return "";
  return raw()->word(b, key);
}

static const char *g_option(cvpdf_builder *b, const char *key) {
  if (!(b = use(b, "option")) || !text_ok("option", "key", key))
    return NULL;
  return raw()->option(b, key);
}

/* ---- blocks ----------------------------------------------------------- */

static void g_heading(cvpdf_builder *b, const char *title) {
  if ((b = use(b, "heading")) && text_ok("heading", "title", title))
    raw()->heading(b, title);
}

static void g_subheading(cvpdf_builder *b, const char *title) {
  if ((b = use(b, "subheading")) && text_ok("subheading", "title", title))
    raw()->subheading(b, title);
}

/* What the builder closes when an entry ends or a new one begins. */
static void entry_closed(cv_plugin_call *c) {
  c->entries = c->lists = c->items = c->implicit_list = 0;
}

static void g_entry_begin(cvpdf_builder *b, const char *label) {
  if (!(b = use(b, "entry_begin")) ||
      !opt_text_ok("entry_begin", "label", label))
    return;
  /* A new entry closes the open one: that is the builder's shorthand. */
  if (current && current->entries)
    entry_closed(current);
  if (current)
    current->entries = 1;
  raw()->entry_begin(b, label);
}

static void g_entry_end(cvpdf_builder *b) {
  if (!(b = use(b, "entry_end")))
    return;
  if (current && current->entries == 0) {
    misuse(current, "entry_end", "without an entry_begin() before it");
    return;
  }
  if (current)
    entry_closed(current);
  raw()->entry_end(b);
}

static void g_paragraph(cvpdf_builder *b, const char *style,
                        const char *markup) {
  if ((b = use(b, "paragraph")) && style_ok(b, "paragraph", style) &&
      text_ok("paragraph", "text", markup))
    raw()->paragraph(b, style, markup);
}

static void g_row(cvpdf_builder *b, const char *lstyle, const char *left,
                  const char *rstyle, const char *right) {
  if (!(b = use(b, "row")) || !opt_text_ok("row", "left text", left) ||
      !opt_text_ok("row", "right text", right))
    return;
  /* A style is needed only for a part that is there. */
  if ((left && !style_ok(b, "row", lstyle)) ||
      (right && !style_ok(b, "row", rstyle)))
    return;
  raw()->row(b, lstyle, left, rstyle, right);
}

static void g_list_begin(cvpdf_builder *b, cvpdf_list_kind kind) {
  if (!(b = use(b, "list_begin")))
    return;
  if (kind != CVPDF_LIST_BULLET && kind != CVPDF_LIST_NUMBERED) {
    misuse(current, "list_begin",
           "with the list kind %d; expected CVPDF_LIST_BULLET or "
           "CVPDF_LIST_NUMBERED",
           (int)kind);
    kind = CVPDF_LIST_BULLET;
  }
  if (current && current->lists >= MAX_LIST_DEPTH) {
    misuse(current, "list_begin", "with %d lists open; at most %d may nest",
           current->lists, MAX_LIST_DEPTH);
    return;
  }
  if (current)
    current->lists++;
  raw()->list_begin(b, kind);
}

static void g_list_end(cvpdf_builder *b) {
  if (!(b = use(b, "list_end")))
    return;
  if (current && current->lists == 0) {
    misuse(current, "list_end", "without a list_begin() before it");
    return;
  }
  if (current && --current->lists == 0)
    current->implicit_list = 0;
  raw()->list_end(b);
}

/* An item outside any list starts one (the builder's shorthand), which
 * needs no list_end. */
static void item_opens_list(void) {
  if (current && current->lists == 0) {
    current->lists = 1;
    current->implicit_list = 1;
  }
}

static void g_item_begin(cvpdf_builder *b, const char *markup) {
  if (!(b = use(b, "item_begin")) || !opt_text_ok("item_begin", "text", markup))
    return;
  item_opens_list();
  if (current)
    current->items++;
  raw()->item_begin(b, markup);
}

static void g_item_end(cvpdf_builder *b) {
  if (!(b = use(b, "item_end")))
    return;
  if (current && current->items == 0) {
    misuse(current, "item_end", "without an item_begin() before it");
    return;
  }
  if (current)
    current->items--;
  raw()->item_end(b);
}

static void g_item(cvpdf_builder *b, const char *markup) {
  if (!(b = use(b, "item")) || !text_ok("item", "text", markup))
    return;
  item_opens_list();
  raw()->item(b, markup);
}

static void g_pair(cvpdf_builder *b, const char *label, const char *value) {
  if (!(b = use(b, "pair")) || !opt_text_ok("pair", "label", label) ||
      !opt_text_ok("pair", "value", value))
    return;
  if (!label && !value) {
    misuse(current, "pair", "with neither a label nor a value");
    return;
  }
  raw()->pair(b, label, value);
}

static void g_contact(cvpdf_builder *b, const char *kind, const char *text,
                      const char *url) {
  if ((b = use(b, "contact")) && text_ok("contact", "kind", kind) &&
      opt_text_ok("contact", "text", text) &&
      opt_text_ok("contact", "link", url))
    raw()->contact(b, kind, text, url);
}

static void g_rule(cvpdf_builder *b) {
  if ((b = use(b, "rule")))
    raw()->rule(b);
}

static void g_space(cvpdf_builder *b, const char *name) {
  if (!(b = use(b, "space")) || !text_ok("space", "name", name))
    return;
  if (strcmp(name, "small") && strcmp(name, "medium") && strcmp(name, "large"))
    misuse(current, "space",
           "with the space '%.60s'; expected small, medium or large", name);
  else
    raw()->space(b, name);
}

static void g_set_author(cvpdf_builder *b, const char *name) {
  if ((b = use(b, "set_author")) && text_ok("set_author", "name", name))
    raw()->set_author(b, name);
}

static const cvpdf_node *g_load_bibtex(cvpdf_builder *b, const cvpdf_node *at,
                                       const char *path) {
  if (!(b = use(b, "load_bibtex")) || !opt_text_ok("load_bibtex", "path", path))
    return NULL;
  /* The path is relative to the CV that names it: without a node there is
   * no CV to be relative to. */
  if (!at) {
    misuse(current, "load_bibtex",
           "without the node that names the file; expected the node of "
           "the 'bibtex' field");
    return NULL;
  }
  in_service("load_bibtex");
  const cvpdf_node *n = raw()->load_bibtex(b, at, path);
  in_service(NULL);
  return n;
}

static const char *g_day_date(cvpdf_builder *b, const cvpdf_node *date) {
  if (!(b = use(b, "day_date")))
    return NULL;
  return raw()->day_date(b, date);
}

static int g_place_begin(cvpdf_builder *b, const char *name) {
  if (!(b = use(b, "place_begin")) || !text_ok("place_begin", "name", name))
    return 0;
  return raw()->place_begin(b, name);
}

static void g_place_end(cvpdf_builder *b) {
  if ((b = use(b, "place_end")))
    raw()->place_end(b);
}

static void g_image(cvpdf_builder *b, const char *style, const cvpdf_node *path,
                    const char *alt) {
  if (!(b = use(b, "image")) || !style_ok(b, "image", style) ||
      !opt_text_ok("image", "alternate text", alt))
    return;
  /* The file is relative to the CV that names it. */
  if (!path || path->kind != CVPDF_NODE_SCALAR) {
    misuse(current, "image",
           "without the text node that names the file; expected the node "
           "of the image's field");
    return;
  }
  in_service("image");
  raw()->image(b, style, path, alt);
  in_service(NULL);
}

static cvpdf_node_kind g_kind(const cvpdf_node *n) {
  return raw()->kind(n);
}
static const char *g_str(const cvpdf_node *n) {
  return raw()->str(n);
}
static size_t g_len(const cvpdf_node *n) {
  return raw()->len(n);
}
static const cvpdf_node *g_at(const cvpdf_node *n, size_t i) {
  return raw()->at(n, i);
}
static const char *g_key_at(const cvpdf_node *m, size_t i) {
  return raw()->key_at(m, i);
}
static const cvpdf_node *g_value_at(const cvpdf_node *m, size_t i) {
  return raw()->value_at(m, i);
}

static const cvpdf_host checked_table = {
    .abi_major = CVPDF_ABI_MAJOR,
    .abi_minor = CVPDF_ABI_MINOR,
    .size = sizeof(cvpdf_host),
    .kind = g_kind,
    .get = g_get,
    .str = g_str,
    .get_str = g_get_str,
    .len = g_len,
    .at = g_at,
    .key_at = g_key_at,
    .value_at = g_value_at,
    .get_bool = g_get_bool,
    .error = g_error,
    .warn = g_warn,
    .fmt = g_fmt,
    .escape = g_escape,
    .date_range = g_date_range,
    .word = g_word,
    .option = g_option,
    .heading = g_heading,
    .subheading = g_subheading,
    .entry_begin = g_entry_begin,
    .entry_end = g_entry_end,
    .paragraph = g_paragraph,
    .row = g_row,
    .list_begin = g_list_begin,
    .item = g_item,
    .item_begin = g_item_begin,
    .item_end = g_item_end,
    .list_end = g_list_end,
    .pair = g_pair,
    .contact = g_contact,
    .rule = g_rule,
    .space = g_space,
    .set_author = g_set_author,
    .load_bibtex = g_load_bibtex,
    .join = g_join,
    .day_date = g_day_date,
    .place_begin = g_place_begin,
    .place_end = g_place_end,
    .image = g_image,
};

const cvpdf_host *cv_host_table(void) {
  return &checked_table;
}
