/* cvpdf - layouts (themes). */
#define _POSIX_C_SOURCE 200809L
#include "typeset/theme.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Which style fields a layout set, so unset ones inherit from the parent. */
enum {
  S_FAMILY = 1u << 0,
  S_SIZE = 1u << 1,
  S_COLOR = 1u << 2,
  S_BOLD = 1u << 3,
  S_ITALIC = 1u << 4,
  S_SMALLCAPS = 1u << 5,
  S_UPPER = 1u << 6,
  S_TRACKING = 1u << 7,
  S_LEADING = 1u << 8,
  S_ALIGN = 1u << 9,
  S_BEFORE = 1u << 10,
  S_AFTER = 1u << 11,
  S_RULE = 1u << 12,
  S_CODE = 1u << 13
};

typedef struct reader {
  cv_theme *t;
  cv_arena *arena;
  cv_diags *diags;
  int errors;
  cv_inputs *inputs; /* layout files read are recorded here (may be NULL) */
} reader;

static void err(reader *r, const cvpdf_node *n, const char *fmt, ...)
    CV_PRINTF(3, 4);
static void err(reader *r, const cvpdf_node *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diags_vadd(r->diags, CV_SEV_ERROR, n ? n->file : NULL, n ? n->line : 0,
                n ? n->col : 0, fmt, ap);
  va_end(ap);
  r->errors++;
}

static const char *scalar(reader *r, const cvpdf_node *n, const char *what) {
  const char *s = cv_node_str(n);
  if (!s)
    err(r, n, "%s: expected a scalar, found %s", what, cv_node_kind_name(n));
  return s;
}

/* Lengths: a bare number is points; units pt, mm, cm, in. */
static int length(reader *r, const cvpdf_node *n, const char *what,
                  double *out) {
  const char *s = scalar(r, n, what);
  if (!s)
    return -1;
  char *end;
  double v = strtod(s, &end);
  while (*end == ' ')
    end++;
  double k = 1;
  if (!strcmp(end, "") || !strcmp(end, "pt"))
    k = 1;
  else if (!strcmp(end, "mm"))
    k = 72.0 / 25.4;
  else if (!strcmp(end, "cm"))
    k = 72.0 / 2.54;
  else if (!strcmp(end, "in"))
    k = 72.0;
  else
    end = NULL;
  if (end == NULL || end == s || v != v || v < -2000 || v > 2000) {
    err(r, n, "%s: expected a length such as 10, 10pt, 5mm or 0.5in, found '%s'",
        what, s);
    return -1;
  }
  *out = v * k;
  return 0;
}

static int boolean(reader *r, const cvpdf_node *n, const char *what,
                   int *out) {
  int b = cv_node_bool(n);
  if (b < 0) {
    err(r, n, "%s: expected true or false, found %s", what,
        cv_node_str(n) ? cv_node_str(n) : cv_node_kind_name(n));
    return -1;
  }
  *out = b;
  return 0;
}

static int color(reader *r, const cvpdf_node *n, cv_color *out) {
  const char *s = scalar(r, n, "color");
  if (!s)
    return -1;
  unsigned v;
  char tail;
  if (s[0] != '#' || strlen(s) != 7 || sscanf(s + 1, "%6x%c", &v, &tail) != 1) {
    err(r, n, "expected a colour as #RRGGBB, found '%s'", s);
    return -1;
  }
  out->r = (float)((v >> 16) & 255) / 255.0f;
  out->g = (float)((v >> 8) & 255) / 255.0f;
  out->b = (float)(v & 255) / 255.0f;
  return 0;
}

static int align(reader *r, const cvpdf_node *n, cv_align *out) {
  static const char *const names[] = {"justify", "left", "center", "right",
                                      NULL};
  const char *s = scalar(r, n, "align");
  if (!s)
    return -1;
  for (int i = 0; names[i]; i++)
    if (!strcmp(s, names[i])) {
      *out = (cv_align)i;
      return 0;
    }
  const char *near = cv_nearest(s, names);
  err(r, n, "align: expected justify, left, center or right, found '%s'%s%s%s",
      s, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
  return -1;
}

/* Reports keys of map not in names; returns 0 when all are known. */
static int known_keys(reader *r, const cvpdf_node *map,
                      const char *const *names, const char *what) {
  int bad = 0;
  for (size_t i = 0; i < cv_node_len(map); i++) {
    const cvpdf_node *k = cv_node_key_at(map, i);
    const char *key = cv_node_str(k);
    int ok = 0;
    for (size_t j = 0; names[j]; j++)
      if (!strcmp(key, names[j]))
        ok = 1;
    if (ok)
      continue;
    const char *near = cv_nearest(key, names);
    if (near)
      err(r, k, "unknown key '%s' in %s; did you mean '%s'?", key, what, near);
    else
      err(r, k, "unknown key '%s' in %s", key, what);
    bad = 1;
  }
  return bad ? -1 : 0;
}

static int is_map(reader *r, const cvpdf_node *n, const char *what) {
  if (n && n->kind == CVPDF_NODE_MAP)
    return 1;
  if (n)
    err(r, n, "%s: expected a mapping, found %s", what, cv_node_kind_name(n));
  return 0;
}

static cv_style *style_slot(cv_theme *t, const char *name, cv_arena *a) {
  for (size_t i = 0; i < t->nstyles; i++)
    if (!strcmp(t->styles[i].name, name))
      return &t->styles[i];
  if (t->nstyles == CV_MAX_STYLES)
    return NULL;
  cv_style *s = &t->styles[t->nstyles++];
  memset(s, 0, sizeof *s);
  s->name = cv_arena_strdup(a, name);
  return s;
}

static void read_style(reader *r, const char *name, const cvpdf_node *m) {
  static const char *const keys[] = {
      "family", "size",   "color",        "bold",         "italic",
      "smallcaps", "uppercase", "tracking", "leading",    "align",
      "space_before", "space_after", "rule", "rule_width", "rule_color",
      "rule_position",
      "code_family", NULL};
  if (!is_map(r, m, name))
    return;
  known_keys(r, m, keys, "a style");
  cv_style *s = style_slot(r->t, name, r->arena);
  if (!s) {
    err(r, m, "too many styles (at most %d)", CV_MAX_STYLES);
    return;
  }
  const cvpdf_node *v;
  int b = 0;
  double d;
  if ((v = cv_node_get(m, "family")) && scalar(r, v, "family")) {
    s->ts.family = cv_arena_strdup(r->arena, cv_node_str(v));
    s->set |= S_FAMILY;
  }
  if ((v = cv_node_get(m, "code_family")) && scalar(r, v, "code_family")) {
    s->ts.code_family = cv_arena_strdup(r->arena, cv_node_str(v));
    s->set |= S_CODE;
  }
  if ((v = cv_node_get(m, "size")) && !length(r, v, "size", &d)) {
    if (d < 3 || d > 200)
      err(r, v, "size: expected 3 to 200 pt, found %g", d);
    s->ts.size = d;
    s->set |= S_SIZE;
  }
  if ((v = cv_node_get(m, "leading")) && !length(r, v, "leading", &d)) {
    s->leading = d;
    s->set |= S_LEADING;
  }
  if ((v = cv_node_get(m, "color")) && !color(r, v, &s->ts.color))
    s->set |= S_COLOR;
  if ((v = cv_node_get(m, "bold")) && !boolean(r, v, "bold", &b)) {
    s->ts.bold = b;
    s->set |= S_BOLD;
  }
  if ((v = cv_node_get(m, "italic")) && !boolean(r, v, "italic", &b)) {
    s->ts.italic = b;
    s->set |= S_ITALIC;
  }
  if ((v = cv_node_get(m, "smallcaps")) && !boolean(r, v, "smallcaps", &b)) {
    s->ts.smallcaps = b;
    s->set |= S_SMALLCAPS;
  }
  if ((v = cv_node_get(m, "uppercase")) && !boolean(r, v, "uppercase", &b)) {
    s->ts.uppercase = b;
    s->set |= S_UPPER;
  }
  if ((v = cv_node_get(m, "tracking")) && scalar(r, v, "tracking")) {
    s->ts.tracking = strtod(cv_node_str(v), NULL);
    s->set |= S_TRACKING;
  }
  if ((v = cv_node_get(m, "align")) && !align(r, v, &s->align))
    s->set |= S_ALIGN;
  if ((v = cv_node_get(m, "space_before")) &&
      !length(r, v, "space_before", &s->space_before))
    s->set |= S_BEFORE;
  if ((v = cv_node_get(m, "space_after")) &&
      !length(r, v, "space_after", &s->space_after))
    s->set |= S_AFTER;
  if ((v = cv_node_get(m, "rule")) && !boolean(r, v, "rule", &b)) {
    s->rule = b;
    s->set |= S_RULE;
  }
  if ((v = cv_node_get(m, "rule_width")))
    length(r, v, "rule_width", &s->rule_width);
  if ((v = cv_node_get(m, "rule_color")))
    color(r, v, &s->rule_color);
  if ((v = cv_node_get(m, "rule_position")) && scalar(r, v, "rule_position")) {
    static const char *const pos[] = {"below", "after", "column", NULL};
    const char *p = cv_node_str(v);
    int found = -1;
    for (int i = 0; pos[i]; i++)
      if (!strcmp(p, pos[i]))
        found = i;
    if (found < 0)
      err(r, v, "rule_position: expected below, after or column, found '%s'",
          p);
    else
      s->rule_position = found;
  }
}

static const char *dupstr(reader *r, const cvpdf_node *n, const char *what) {
  const char *s = scalar(r, n, what);
  return s ? cv_arena_strdup(r->arena, s) : NULL;
}

static void read_page(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"size", "margins", NULL};
  static const char *const mkeys[] = {"top", "bottom", "left", "right", "all",
                                      NULL};
  if (!is_map(r, m, "page"))
    return;
  known_keys(r, m, keys, "page");
  cv_theme *t = r->t;
  const cvpdf_node *v = cv_node_get(m, "size");
  if (v && scalar(r, v, "page size")) {
    const char *s = cv_node_str(v);
    if (!strcasecmp(s, "A4"))
      t->page_w = 595.276, t->page_h = 841.89;
    else if (!strcasecmp(s, "Letter"))
      t->page_w = 612, t->page_h = 792;
    else
      err(r, v, "page size: expected A4 or Letter, found '%s'", s);
  }
  const cvpdf_node *mg = cv_node_get(m, "margins");
  if (mg && is_map(r, mg, "margins")) {
    known_keys(r, mg, mkeys, "margins");
    double d;
    if ((v = cv_node_get(mg, "all")) && !length(r, v, "margin", &d))
      t->margin_top = t->margin_bottom = t->margin_left = t->margin_right = d;
    if ((v = cv_node_get(mg, "top")))
      length(r, v, "top margin", &t->margin_top);
    if ((v = cv_node_get(mg, "bottom")))
      length(r, v, "bottom margin", &t->margin_bottom);
    if ((v = cv_node_get(mg, "left")))
      length(r, v, "left margin", &t->margin_left);
    if ((v = cv_node_get(mg, "right")))
      length(r, v, "right margin", &t->margin_right);
  }
}

static void read_fonts(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"fallbacks", "icons", NULL};
  if (!is_map(r, m, "fonts"))
    return;
  known_keys(r, m, keys, "fonts");
  const cvpdf_node *v = cv_node_get(m, "fallbacks");
  if (v) {
    size_t n = cv_node_len(v);
    if (n > 7)
      n = 7;
    for (size_t i = 0; i < n; i++)
      r->t->fallbacks[i] = dupstr(r, cv_node_at(v, i), "fallback family");
    r->t->fallbacks[n] = NULL;
  }
  if ((v = cv_node_get(m, "icons"))) {
    const char *s = cv_node_str(v);
    r->t->icon_family =
        (s && (!strcmp(s, "none") || !*s)) ? NULL : dupstr(r, v, "icons");
  }
}

static void read_spacing(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"section", "entry", "item",
                                     "small",   "medium", "large",
                                     "heading_after", NULL};
  double *slots[] = {&r->t->sp_section, &r->t->sp_entry,  &r->t->sp_item,
                     &r->t->sp_small,   &r->t->sp_medium, &r->t->sp_large,
                     &r->t->heading_after};
  if (!is_map(r, m, "spacing"))
    return;
  known_keys(r, m, keys, "spacing");
  for (size_t i = 0; keys[i]; i++) {
    const cvpdf_node *v = cv_node_get(m, keys[i]);
    if (v)
      length(r, v, keys[i], slots[i]);
  }
}

static void read_lists(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"indent", "bullet", "number", NULL};
  if (!is_map(r, m, "lists"))
    return;
  known_keys(r, m, keys, "lists");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "indent")))
    length(r, v, "indent", &r->t->list_indent);
  if ((v = cv_node_get(m, "bullet")))
    r->t->bullet = dupstr(r, v, "bullet");
  if ((v = cv_node_get(m, "number"))) {
    const char *s = dupstr(r, v, "number");
    const char *p = s ? strchr(s, '%') : NULL;
    if (!p || p[1] != 'd' || strchr(p + 2, '%'))
      err(r, v, "number: expected a format with one %%d such as \"%%d.\"");
    else
      r->t->number_format = s;
  }
}

static void read_labels(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"width", "in_margin", NULL};
  if (!is_map(r, m, "labels"))
    return;
  known_keys(r, m, keys, "labels");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "width")))
    length(r, v, "label width", &r->t->label_width);
  if ((v = cv_node_get(m, "in_margin")))
    boolean(r, v, "in_margin", &r->t->label_in_margin);
}

static void read_column(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"width", "gap", "align", NULL};
  if (!is_map(r, m, "column"))
    return;
  known_keys(r, m, keys, "column");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "width")))
    length(r, v, "column width", &r->t->side_width);
  if ((v = cv_node_get(m, "gap")))
    length(r, v, "column gap", &r->t->side_gap);
  if ((v = cv_node_get(m, "align")))
    align(r, v, &r->t->side_align);
}

static void read_pairs(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"grid", "label_width", NULL};
  if (!is_map(r, m, "pairs"))
    return;
  known_keys(r, m, keys, "pairs");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "grid")))
    boolean(r, v, "grid", &r->t->pair_grid);
  if ((v = cv_node_get(m, "label_width")))
    length(r, v, "label_width", &r->t->pair_label_width);
}

static void read_contact(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"separator", "icons", NULL};
  if (!is_map(r, m, "contact"))
    return;
  known_keys(r, m, keys, "contact");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "separator")))
    r->t->contact_separator = dupstr(r, v, "separator");
  const cvpdf_node *ic = cv_node_get(m, "icons");
  if (!ic || !is_map(r, ic, "icons"))
    return;
  /* kind: "f0e0 Email" -- code point in hex, then the word extraction
   * gives (none when absent). */
  for (size_t i = 0; i < cv_node_len(ic); i++) {
    const char *kind = cv_node_str(cv_node_key_at(ic, i));
    const cvpdf_node *val = cv_node_value_at(ic, i);
    const char *s = scalar(r, val, "icon");
    if (!s)
      continue;
    char *end;
    unsigned long cp = strtoul(s, &end, 16);
    if (end == s || cp == 0 || cp > 0x10FFFF) {
      err(r, val, "icon: expected a hex code point such as f0e0, found '%s'",
          s);
      continue;
    }
    while (*end == ' ')
      end++;
    cv_icon *slot = NULL;
    for (size_t j = 0; j < r->t->nicons; j++)
      if (!strcmp(r->t->icons[j].kind, kind))
        slot = &r->t->icons[j];
    if (!slot && r->t->nicons < CV_MAX_ICONS) {
      slot = &r->t->icons[r->t->nicons++];
      slot->kind = cv_arena_strdup(r->arena, kind);
    }
    if (slot) {
      slot->cp = (uint32_t)cp;
      slot->word = cv_arena_strdup(r->arena, end);
    }
  }
}

static void read_dates(reader *r, const cvpdf_node *m) {
  static const char *const keys[] = {"month", "separator", NULL};
  static const char *const styles[] = {"none",    "short",  "long",
                                       "numeric", "dotted", NULL};
  if (!is_map(r, m, "dates"))
    return;
  known_keys(r, m, keys, "dates");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "month"))) {
    const char *s = scalar(r, v, "month");
    int found = -1;
    for (int i = 0; s && styles[i]; i++)
      if (!strcmp(s, styles[i]))
        found = i;
    if (s && found < 0)
      err(r, v,
          "month: expected none, short, long, numeric or dotted, found '%s'",
          s);
    else if (s)
      r->t->month_style = found;
  }
  if ((v = cv_node_get(m, "separator")))
    r->t->date_separator = dupstr(r, v, "separator");
}

/* footer: and header: share a shape: {text, align} or none; the header
 * also takes first_page. */
static void read_margin_text(reader *r, const cvpdf_node *m, const char *what,
                             const char **text, cv_align *al, int *first) {
  static const char *const fkeys[] = {"text", "align", NULL};
  static const char *const hkeys[] = {"text", "align", "first_page", NULL};
  const char *s = cv_node_str(m);
  if (s) { /* footer: none */
    if (strcmp(s, "none") && strcmp(s, "false"))
      err(r, m, "%s: expected a mapping or none, found '%s'", what, s);
    *text = NULL;
    return;
  }
  if (!is_map(r, m, what))
    return;
  known_keys(r, m, first ? hkeys : fkeys, what);
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "text"))) {
    *text = dupstr(r, v, what);
    const char *p = *text ? strchr(*text, '{') : NULL;
    for (; p; p = strchr(p + 1, '{'))
      if (!strchr(p, '}'))
        err(r, v, "%s: expected '}' after '{' in '%s'", what, *text);
  }
  if ((v = cv_node_get(m, "align")))
    align(r, v, al);
  if (first && (v = cv_node_get(m, "first_page")))
    boolean(r, v, "first_page", first);
}

/* "type.key" pairs from a two-level mapping, replacing earlier values. */
static void read_pairs2(reader *r, const cvpdf_node *m, const char *what,
                        const char **keys, const char **vals, size_t *n,
                        size_t cap) {
  if (!is_map(r, m, what))
    return;
  for (size_t i = 0; i < cv_node_len(m); i++) {
    const char *outer = cv_node_str(cv_node_key_at(m, i));
    const cvpdf_node *inner = cv_node_value_at(m, i);
    if (!is_map(r, inner, outer))
      continue;
    for (size_t j = 0; j < cv_node_len(inner); j++) {
      const char *k = cv_arena_printf(r->arena, "%s.%s", outer,
                                      cv_node_str(cv_node_key_at(inner, j)));
      const char *v = dupstr(r, cv_node_value_at(inner, j), what);
      if (!k || !v)
        continue;
      size_t slot = *n;
      for (size_t q = 0; q < *n; q++)
        if (!strcmp(keys[q], k))
          slot = q;
      if (slot == cap) {
        err(r, inner, "too many %s entries (at most %zu)", what, cap);
        return;
      }
      keys[slot] = k;
      vals[slot] = v;
      if (slot == *n)
        (*n)++;
    }
  }
}

static void apply(reader *r, const cvpdf_node *root) {
  static const char *const keys[] = {
      "name",   "page",   "language", "hyphenate", "fonts",  "styles",
      "spacing", "lists", "labels",   "pairs",     "contact", "dates",
      "footer", "sections", "words",  "extends",   "column",  "header",
      NULL};
  if (!is_map(r, root, "layout"))
    return;
  known_keys(r, root, keys, "the layout");
  const cvpdf_node *v;
  if ((v = cv_node_get(root, "name")))
    r->t->name = dupstr(r, v, "name");
  if ((v = cv_node_get(root, "page")))
    read_page(r, v);
  if ((v = cv_node_get(root, "language")))
    r->t->language = dupstr(r, v, "language");
  if ((v = cv_node_get(root, "hyphenate")))
    boolean(r, v, "hyphenate", &r->t->hyphenate);
  if ((v = cv_node_get(root, "fonts")))
    read_fonts(r, v);
  if ((v = cv_node_get(root, "styles")) && is_map(r, v, "styles"))
    for (size_t i = 0; i < cv_node_len(v); i++)
      read_style(r, cv_node_str(cv_node_key_at(v, i)), cv_node_value_at(v, i));
  if ((v = cv_node_get(root, "spacing")))
    read_spacing(r, v);
  if ((v = cv_node_get(root, "lists")))
    read_lists(r, v);
  if ((v = cv_node_get(root, "labels")))
    read_labels(r, v);
  if ((v = cv_node_get(root, "pairs")))
    read_pairs(r, v);
  if ((v = cv_node_get(root, "column")))
    read_column(r, v);
  if ((v = cv_node_get(root, "contact")))
    read_contact(r, v);
  if ((v = cv_node_get(root, "dates")))
    read_dates(r, v);
  if ((v = cv_node_get(root, "footer")))
    read_margin_text(r, v, "footer", &r->t->footer, &r->t->footer_align, NULL);
  if ((v = cv_node_get(root, "header")))
    read_margin_text(r, v, "header", &r->t->header, &r->t->header_align,
                     &r->t->header_first);
  if ((v = cv_node_get(root, "sections")))
    read_pairs2(r, v, "sections", r->t->opt_keys, r->t->opt_vals, &r->t->nopts,
                32);
  if ((v = cv_node_get(root, "words")))
    read_pairs2(r, v, "words", r->t->word_keys, r->t->word_vals, &r->t->nwords,
                64);
}

static void defaults(cv_theme *t, cv_arena *a) {
  memset(t, 0, sizeof *t);
  t->name = "default";
  t->page_w = 595.276;
  t->page_h = 841.89;
  t->margin_top = t->margin_bottom = t->margin_left = t->margin_right = 56;
  t->hyphenate = 1;
  t->language = "en";
  t->sp_section = 10;
  t->sp_entry = 5;
  t->sp_item = 1;
  t->sp_small = 3;
  t->sp_medium = 6;
  t->sp_large = 12;
  t->heading_after = 4;
  t->list_indent = 12;
  t->bullet = "•";
  t->number_format = "%d.";
  t->label_width = 32;
  t->pair_label_width = 110;
  t->contact_separator = " | ";
  t->month_style = 1;
  t->date_separator = " – ";
  t->footer_align = CV_ALIGN_CENTER;
  t->header_align = CV_ALIGN_RIGHT;
  t->side_align = CV_ALIGN_LEFT;
  cv_style *body = style_slot(t, "body", a);
  body->ts.family = "Linux Libertine O";
  body->ts.size = 10;
  body->leading = 12.5;
  body->set = ~0u;
}

/* Unset fields inherit: "a.b" from "a", everything from "body". */
static void inherit(cv_theme *t) {
  const cv_style *body = cv_theme_style(t, "body");
  for (size_t i = 0; i < t->nstyles; i++) {
    cv_style *s = &t->styles[i];
    if (s == body)
      continue;
    char parent_name[64];
    snprintf(parent_name, sizeof parent_name, "%s", s->name);
    char *dot = strrchr(parent_name, '.');
    const cv_style *p = body;
    if (dot) {
      *dot = '\0';
      p = cv_theme_style(t, parent_name);
    }
    if (!(s->set & S_FAMILY))
      s->ts.family = p->ts.family;
    if (!(s->set & S_CODE))
      s->ts.code_family = p->ts.code_family;
    if (!(s->set & S_SIZE))
      s->ts.size = p->ts.size;
    if (!(s->set & S_COLOR))
      s->ts.color = p->ts.color;
    if (!(s->set & S_BOLD))
      s->ts.bold = p->ts.bold;
    if (!(s->set & S_ITALIC))
      s->ts.italic = p->ts.italic;
    if (!(s->set & S_SMALLCAPS))
      s->ts.smallcaps = p->ts.smallcaps;
    if (!(s->set & S_UPPER))
      s->ts.uppercase = p->ts.uppercase;
    if (!(s->set & S_TRACKING))
      s->ts.tracking = p->ts.tracking;
    if (!(s->set & S_ALIGN))
      s->align = p->align;
    if (!(s->set & S_LEADING))
      s->leading = (s->set & S_SIZE)
                       ? s->ts.size * (p->leading / (p->ts.size ? p->ts.size : 10))
                       : p->leading;
    s->set = ~0u;
  }
  for (size_t i = 0; i < t->nstyles; i++) {
    t->styles[i].ts.fallbacks = t->fallbacks;
    if (t->styles[i].rule && t->styles[i].rule_width <= 0)
      t->styles[i].rule_width = 0.5;
  }
}

static char *find_layout(const char *name, const char *const *dirs,
                         cv_arena *a) {
  size_t n = strlen(name);
  if (n > 5 && !strcmp(name + n - 5, ".yaml"))
    return cv_arena_strdup(a, name);
  for (size_t i = 0; dirs && dirs[i]; i++) {
    char *p = cv_arena_printf(a, "%s/%s.yaml", dirs[i], name);
    struct stat sb;
    if (p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
      return p;
  }
  return NULL;
}

static void list_layouts(const char *const *dirs, cv_buf *out) {
  for (size_t i = 0; dirs && dirs[i]; i++) {
    DIR *d = opendir(dirs[i]);
    if (!d)
      continue;
    struct dirent *e;
    while ((e = readdir(d))) {
      size_t n = strlen(e->d_name);
      if (n > 5 && !strcmp(e->d_name + n - 5, ".yaml")) {
        if (out->len)
          cv_buf_puts(out, ", ");
        cv_buf_put(out, e->d_name, n - 5);
      }
    }
    closedir(d);
  }
}

static int unknown_layout(const char *name, const char *const *dirs,
                          cv_diags *diags, const cvpdf_node *at) {
  cv_buf known;
  cv_buf_init(&known);
  list_layouts(dirs, &known);
  cv_diags_add(diags, CV_SEV_ERROR, at ? at->file : NULL, at ? at->line : 0,
               at ? at->col : 0, "unknown layout '%s'; installed layouts: %s",
               name, known.len ? known.data : "none");
  cv_buf_fini(&known);
  return -1;
}

/* Applies layout file `name`, after the layout it extends (at most a few
 * levels, so a cycle ends in an error rather than a loop). */
static int apply_file(reader *r, const char *name, const char *const *dirs,
                      const cvpdf_node *at, int depth) {
  char *path = find_layout(name, dirs, r->arena);
  if (!path)
    return unknown_layout(name, dirs, r->diags, at);
  cv_model *m = cv_model_load_input(path, NULL, r->inputs, r->diags);
  if (!m)
    return -1;
  int rc = 0;
  const cvpdf_node *ext = m->root && m->root->kind == CVPDF_NODE_MAP
                              ? cv_node_get(m->root, "extends")
                              : NULL;
  if (ext) {
    const char *base = scalar(r, ext, "extends");
    if (base && depth >= 4) {
      err(r, ext, "extends: layouts extend each other more than 4 levels "
                  "deep (a cycle?)");
      rc = -1;
    } else if (base) {
      rc = apply_file(r, base, dirs, ext, depth + 1);
    }
  }
  if (rc == 0)
    apply(r, m->root);
  /* Strings were copied into arena; positions in diags are copied too. */
  cv_model_destroy(m);
  return rc;
}

int cv_theme_load(cv_theme *t, const char *name, const char *const *dirs,
                  const cvpdf_node *overrides, cv_inputs *inputs,
                  cv_arena *arena, cv_diags *diags) {
  reader r = {t, arena, diags, 0, inputs};
  defaults(t, arena);
  if (apply_file(&r, name ? name : "classic", dirs, NULL, 0) < 0)
    return -1;
  if (overrides)
    apply(&r, overrides);
  inherit(t);
  return r.errors ? -1 : 0;
}

const cv_style *cv_theme_style(const cv_theme *t, const char *name) {
  char buf[64];
  snprintf(buf, sizeof buf, "%s", name ? name : "body");
  for (;;) {
    for (size_t i = 0; i < t->nstyles; i++)
      if (!strcmp(t->styles[i].name, buf))
        return &t->styles[i];
    char *dot = strrchr(buf, '.');
    if (!dot)
      break;
    *dot = '\0';
  }
  for (size_t i = 0; i < t->nstyles; i++)
    if (!strcmp(t->styles[i].name, "body"))
      return &t->styles[i];
  return &t->styles[0];
}

static const char *lookup2(const char *const *keys, const char *const *vals,
                           size_t n, const char *a, const char *b) {
  size_t la = strlen(a);
  for (size_t i = 0; i < n; i++)
    if (!strncmp(keys[i], a, la) && keys[i][la] == '.' &&
        !strcmp(keys[i] + la + 1, b))
      return vals[i];
  return NULL;
}

const char *cv_theme_word(const cv_theme *t, const char *lang,
                          const char *key) {
  char l[16];
  snprintf(l, sizeof l, "%s", lang ? lang : "en");
  const char *v = lookup2(t->word_keys, t->word_vals, t->nwords, l, key);
  if (!v) {
    char *dash = strpbrk(l, "-_");
    if (dash) {
      *dash = '\0';
      v = lookup2(t->word_keys, t->word_vals, t->nwords, l, key);
    }
  }
  if (!v)
    v = lookup2(t->word_keys, t->word_vals, t->nwords, "en", key);
  return v ? v : key;
}

const char *cv_theme_option(const cv_theme *t, const char *type,
                            const char *key) {
  return lookup2(t->opt_keys, t->opt_vals, t->nopts, type, key);
}

const cv_icon *cv_theme_icon(const cv_theme *t, const char *kind) {
  for (size_t i = 0; i < t->nicons; i++)
    if (!strcmp(t->icons[i].kind, kind))
      return &t->icons[i];
  return NULL;
}

static int is_file(const char *path) {
  struct stat sb;
  return path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A manifest's `dirs` say where its package puts the files; a file found
 * there needs no fontconfig lookup. */
static void resolve_in_dirs(cv_arena *a, const char *dir,
                            const cvpdf_node *dirs, const char *files[4]) {
  for (int v = 0; v < 4; v++) {
    if (!files[v] || files[v][0] == '/' ||
        is_file(cv_arena_printf(a, "%s/%s", dir, files[v])))
      continue;
    /* "name.ttc#2": the file is name.ttc, the face index stays on. */
    const char *hash = strrchr(files[v], '#');
    int n = hash ? (int)(hash - files[v]) : (int)strlen(files[v]);
    for (size_t i = 0; i < cv_node_len(dirs); i++) {
      const char *d = cv_node_str(cv_node_at(dirs, i));
      char *p = d ? cv_arena_printf(a, "%s/%.*s", d, n, files[v]) : NULL;
      if (is_file(p)) {
        files[v] = cv_arena_printf(a, "%s%s", p, hash ? hash : "");
        break;
      }
    }
  }
}

int cv_fonts_load_manifests(cv_fontset *fs, const char *dir, cv_diags *diags,
                            cv_status *st) {
  static const char *const keys[] = {"family", "package", "dirs", "regular",
                                      "bold", "italic", "bold-italic", NULL};
  struct dirent **list = NULL;
  int n = scandir(dir, &list, NULL, alphasort);
  if (n < 0)
    return 0; /* no such dir: nothing declared */
  int rc = 0;
  cv_arena a;
  cv_arena_init(&a);
  for (int i = 0; i < n; i++) {
    const char *fn = list[i]->d_name;
    size_t len = strlen(fn);
    if (rc == 0 && len > 5 && !strcmp(fn + len - 5, ".yaml")) {
      char *path = cv_arena_printf(&a, "%s/%s", dir, fn);
      cv_model *m = path ? cv_model_load_file(path, NULL, diags) : NULL;
      if (!m) {
        rc = -1;
      } else {
        cv_theme dummy;
        reader r = {&dummy, &a, diags, 0, NULL};
        const cvpdf_node *root = m->root;
        if (is_map(&r, root, "font manifest"))
          known_keys(&r, root, keys, "a font manifest");
        const char *family = cv_node_get_str(root, "family");
        if (!family)
          err(&r, root, "font manifest: missing field 'family'");
        const char *files[4] = {cv_node_get_str(root, "regular"),
                                cv_node_get_str(root, "bold"),
                                cv_node_get_str(root, "italic"),
                                cv_node_get_str(root, "bold-italic")};
        resolve_in_dirs(&a, dir, cv_node_get(root, "dirs"), files);
        if (r.errors ||
            cv_fontset_add_family(fs, family, files, dir, st) < 0)
          rc = -1;
        cv_model_destroy(m);
      }
    }
    free(list[i]);
  }
  free(list);
  cv_arena_fini(&a);
  return rc;
}
