/* cvpdf - layouts (themes). */
#define _POSIX_C_SOURCE 200809L
#include "typeset/theme.h"
#include "typeset/theme_read.h"

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

/* The smallest text area the margins may leave: room for a few words on
 * a line and a few lines on a page. */
#define MIN_TEXT 144.0
/* The least a column or label leaves for the text beside it: a short
 * word; less would set the text past the right margin. */
#define MIN_BESIDE 24.0

/* Each length has a range that keeps the page sensible: a value outside
 * it would print off the page, over other text or not at all. */
static const cv_lr_range R_MARGIN = {0, 288}, R_SIZE = {3, 144},
                         R_LEADING = {1, 144}, R_SPACE = {0, 144},
                         R_RULE = {0, 10}, R_COLUMN = {0, 288}, R_GAP = {0, 72},
                         R_LABEL = {12, 288}, R_TRACKING = {-0.2, 1},
                         R_PHOTO = {24, 216};

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

static void read_style(cv_lr *r, const char *name, const cvpdf_node *m) {
  static const char *const keys[] = {
      "family",        "size",        "color",    "bold",       "italic",
      "smallcaps",     "uppercase",   "tracking", "leading",    "align",
      "space_before",  "space_after", "rule",     "rule_width", "rule_color",
      "rule_position", "code_family", NULL};
  if (!cv_lr_is_map(r, m, name))
    return;
  cv_lr_known_keys(r, m, keys, "a style");
  cv_style *s = style_slot(r->t, name, r->arena);
  if (!s) {
    cv_lr_err(r, m, "too many styles (at most %d)", CV_MAX_STYLES);
    return;
  }
  const cvpdf_node *v;
  int b = 0;
  double d;
  if ((v = cv_node_get(m, "family")) && cv_lr_scalar(r, v, "family")) {
    s->ts.family = cv_arena_strdup(r->arena, cv_node_str(v));
    s->set |= S_FAMILY;
  }
  if ((v = cv_node_get(m, "code_family")) &&
      cv_lr_scalar(r, v, "code_family")) {
    s->ts.code_family = cv_arena_strdup(r->arena, cv_node_str(v));
    s->set |= S_CODE;
  }
  if ((v = cv_node_get(m, "size")) && !cv_lr_length(r, v, "size", &d, R_SIZE)) {
    s->ts.size = d;
    s->set |= S_SIZE;
  }
  if ((v = cv_node_get(m, "leading")) &&
      !cv_lr_length(r, v, "leading", &d, R_LEADING)) {
    s->leading = d;
    s->set |= S_LEADING;
  }
  if ((v = cv_node_get(m, "color")) && !cv_lr_color(r, v, &s->ts.color))
    s->set |= S_COLOR;
  if ((v = cv_node_get(m, "bold")) && !cv_lr_bool(r, v, "bold", &b)) {
    s->ts.bold = b;
    s->set |= S_BOLD;
  }
  if ((v = cv_node_get(m, "italic")) && !cv_lr_bool(r, v, "italic", &b)) {
    s->ts.italic = b;
    s->set |= S_ITALIC;
  }
  if ((v = cv_node_get(m, "smallcaps")) && !cv_lr_bool(r, v, "smallcaps", &b)) {
    s->ts.smallcaps = b;
    s->set |= S_SMALLCAPS;
  }
  if ((v = cv_node_get(m, "uppercase")) && !cv_lr_bool(r, v, "uppercase", &b)) {
    s->ts.uppercase = b;
    s->set |= S_UPPER;
  }
  if ((v = cv_node_get(m, "tracking")) &&
      !cv_lr_number(r, v, "tracking", &s->ts.tracking, R_TRACKING, "em"))
    s->set |= S_TRACKING;
  if ((v = cv_node_get(m, "align")) && !cv_lr_align(r, v, &s->align))
    s->set |= S_ALIGN;
  if ((v = cv_node_get(m, "space_before")) &&
      !cv_lr_length(r, v, "space_before", &s->space_before, R_SPACE))
    s->set |= S_BEFORE;
  if ((v = cv_node_get(m, "space_after")) &&
      !cv_lr_length(r, v, "space_after", &s->space_after, R_SPACE))
    s->set |= S_AFTER;
  if ((v = cv_node_get(m, "rule")) && !cv_lr_bool(r, v, "rule", &b)) {
    s->rule = b;
    s->set |= S_RULE;
  }
  if ((v = cv_node_get(m, "rule_width")))
    cv_lr_length(r, v, "rule_width", &s->rule_width, R_RULE);
  if ((v = cv_node_get(m, "rule_color")))
    cv_lr_color(r, v, &s->rule_color);
  if ((v = cv_node_get(m, "rule_position")) &&
      cv_lr_scalar(r, v, "rule_position")) {
    static const char *const pos[] = {"below", "after", "column", NULL};
    const char *p = cv_node_str(v);
    int found = -1;
    for (int i = 0; pos[i]; i++)
      if (!strcmp(p, pos[i]))
        found = i;
    if (found < 0)
      cv_lr_err(r, v,
                "rule_position: expected below, after or column, found '%s'",
                p);
    else
      s->rule_position = found;
  }
}

static void read_page(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"size", "margins", NULL};
  static const char *const mkeys[] = {"top",   "bottom", "left",
                                      "right", "all",    NULL};
  if (!cv_lr_is_map(r, m, "page"))
    return;
  cv_lr_known_keys(r, m, keys, "page");
  cv_theme *t = r->t;
  const cvpdf_node *v = cv_node_get(m, "size");
  if (v && cv_lr_scalar(r, v, "page size")) {
    const char *s = cv_node_str(v);
    if (!strcasecmp(s, "A4"))
      t->page_w = 595.276, t->page_h = 841.89;
    else if (!strcasecmp(s, "Letter"))
      t->page_w = 612, t->page_h = 792;
    else
      cv_lr_err(r, v, "page size: expected A4 or Letter, found '%s'", s);
  }
  const cvpdf_node *mg = cv_node_get(m, "margins");
  if (mg && cv_lr_is_map(r, mg, "margins")) {
    cv_lr_known_keys(r, mg, mkeys, "margins");
    static const char *const names[] = {"top", "bottom", "left", "right"};
    double *slots[] = {&t->margin_top, &t->margin_bottom, &t->margin_left,
                       &t->margin_right};
    double d;
    if ((v = cv_node_get(mg, "all")) &&
        !cv_lr_length(r, v, "margin", &d, R_MARGIN))
      for (int i = 0; i < 4; i++) {
        *slots[i] = d;
        cv_lr_note(r, &r->at[W_TOP + i], v);
      }
    for (int i = 0; i < 4; i++) {
      char what[32];
      snprintf(what, sizeof what, "%s margin", names[i]);
      if ((v = cv_node_get(mg, names[i])) &&
          !cv_lr_length(r, v, what, slots[i], R_MARGIN))
        cv_lr_note(r, &r->at[W_TOP + i], v);
    }
  }
}

static void read_fonts(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"fallbacks", "icons", NULL};
  if (!cv_lr_is_map(r, m, "fonts"))
    return;
  cv_lr_known_keys(r, m, keys, "fonts");
  const cvpdf_node *v = cv_node_get(m, "fallbacks");
  if (v) {
    size_t n = cv_node_len(v);
    if (n > 7) {
      cv_lr_err(r, v, "fallbacks: expected at most 7 families, found %zu", n);
      n = 7;
    }
    for (size_t i = 0; i < n; i++)
      r->t->fallbacks[i] = cv_lr_dupstr(r, cv_node_at(v, i), "fallback family");
    r->t->fallbacks[n] = NULL;
  }
  if ((v = cv_node_get(m, "icons"))) {
    const char *s = cv_node_str(v);
    r->t->icon_family =
        (s && (!strcmp(s, "none") || !*s)) ? NULL : cv_lr_dupstr(r, v, "icons");
  }
}

static void read_spacing(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {
      "section",       "entry", "item",       "small",       "medium", "large",
      "heading_after", "list",  "entry_left", "entry_right", NULL};
  cv_theme *t = r->t;
  double *slots[] = {&t->sp_section,    &t->sp_entry,  &t->sp_item,
                     &t->sp_small,      &t->sp_medium, &t->sp_large,
                     &t->heading_after, &t->sp_list,   &t->entry_left,
                     &t->entry_right};
  if (!cv_lr_is_map(r, m, "spacing"))
    return;
  cv_lr_known_keys(r, m, keys, "spacing");
  for (size_t i = 0; keys[i]; i++) {
    const cvpdf_node *v = cv_node_get(m, keys[i]);
    if (v && !cv_lr_length(r, v, keys[i], slots[i], R_SPACE) &&
        !strncmp(keys[i], "entry_", 6))
      cv_lr_note(r, &r->at[W_ENTRY], v);
  }
}

/* A column's width: 0 for none, or wide enough for a word. */
static void column_width(cv_lr *r, const cvpdf_node *v, const char *what,
                         const char *none, double *out, int slot) {
  double d;
  if (cv_lr_length(r, v, what, &d, R_COLUMN) < 0)
    return;
  cv_lr_note(r, &r->at[slot], v);
  if (d > 0 && d < 12)
    cv_lr_err(r, v, "%s: expected 0 (%s) or 12 to 288 pt, found '%s'", what,
              none, cv_node_str(v));
  else
    *out = d;
}

static void read_labels(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"width", "in_margin", NULL};
  if (!cv_lr_is_map(r, m, "labels"))
    return;
  cv_lr_known_keys(r, m, keys, "labels");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "width")))
    column_width(r, v, "label width", "no label column", &r->t->label_width,
                 W_LABEL);
  if ((v = cv_node_get(m, "in_margin")) &&
      !cv_lr_bool(r, v, "in_margin", &r->t->label_in_margin))
    cv_lr_note(r, &r->at[W_LABEL], v);
}

static void read_column(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"width", "gap", "align", NULL};
  if (!cv_lr_is_map(r, m, "column"))
    return;
  cv_lr_known_keys(r, m, keys, "column");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "width")))
    column_width(r, v, "column width", "no column", &r->t->side_width,
                 W_COLUMN);
  if ((v = cv_node_get(m, "gap")) &&
      !cv_lr_length(r, v, "column gap", &r->t->side_gap, R_GAP))
    cv_lr_note(r, &r->at[W_COLUMN], v);
  if ((v = cv_node_get(m, "align")))
    cv_lr_align(r, v, &r->t->side_align);
}

static void read_pairs(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"grid", "label_width", NULL};
  if (!cv_lr_is_map(r, m, "pairs"))
    return;
  cv_lr_known_keys(r, m, keys, "pairs");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "grid")))
    cv_lr_bool(r, v, "grid", &r->t->pair_grid);
  if ((v = cv_node_get(m, "label_width")) &&
      !cv_lr_length(r, v, "label_width", &r->t->pair_label_width, R_LABEL))
    cv_lr_note(r, &r->at[W_PAIR], v);
}

static void read_photo(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"position", "size", "round", "gap", NULL};
  static const char *const positions[] = {"none", "right", "left", "center",
                                          NULL};
  if (!cv_lr_is_map(r, m, "photo"))
    return;
  cv_lr_known_keys(r, m, keys, "photo");
  const cvpdf_node *v;
  int i;
  if ((v = cv_node_get(m, "position")) &&
      (i = cv_lr_choice(r, v, "photo", positions,
                        "a position of right, left, center or "
                        "none")) >= 0)
    r->t->photo_position = i;
  if ((v = cv_node_get(m, "size")))
    cv_lr_length(r, v, "photo size", &r->t->photo_size, R_PHOTO);
  if ((v = cv_node_get(m, "gap")))
    cv_lr_length(r, v, "photo gap", &r->t->photo_gap, R_GAP);
  if ((v = cv_node_get(m, "round")))
    cv_lr_bool(r, v, "round", &r->t->photo_round);
}

static void read_contact(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"separator", "gap", "icons", NULL};
  if (!cv_lr_is_map(r, m, "contact"))
    return;
  cv_lr_known_keys(r, m, keys, "contact");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "separator")))
    r->t->contact_separator = cv_lr_dupstr(r, v, "separator");
  if ((v = cv_node_get(m, "gap")))
    cv_lr_length(r, v, "contact gap", &r->t->contact_gap, R_GAP);
  const cvpdf_node *ic = cv_node_get(m, "icons");
  if (!ic || !cv_lr_is_map(r, ic, "icons"))
    return;
  /* kind: "f0e0 Email" -- code point in hex, then the word extraction
   * gives (none when absent). */
  for (size_t i = 0; i < cv_node_len(ic); i++) {
    const char *kind = cv_node_str(cv_node_key_at(ic, i));
    const cvpdf_node *val = cv_node_value_at(ic, i);
    const char *s = cv_lr_scalar(r, val, "icon");
    if (!s)
      continue;
    char *end;
    unsigned long cp = strtoul(s, &end, 16);
    if (end == s || cp == 0 || cp > 0x10FFFF) {
      cv_lr_err(r, val,
                "icon: expected a hex code point such as f0e0, found '%s'", s);
      continue;
    }
    while (*end == ' ')
      end++;
    cv_icon *slot = NULL;
    for (size_t j = 0; j < r->t->nicons; j++)
      if (!strcmp(r->t->icons[j].kind, kind))
        slot = &r->t->icons[j];
    if (!slot && r->t->nicons == CV_MAX_ICONS)
      cv_lr_err(r, val, "icons: expected at most %d kinds, found more",
                CV_MAX_ICONS);
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

static void read_dates(cv_lr *r, const cvpdf_node *m) {
  static const char *const keys[] = {"month", "separator", "width", "spans",
                                     NULL};
  static const char *const styles[] = {"none",    "short",  "long",
                                       "numeric", "dotted", NULL};
  if (!cv_lr_is_map(r, m, "dates"))
    return;
  cv_lr_known_keys(r, m, keys, "dates");
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "month"))) {
    const char *s = cv_lr_scalar(r, v, "month");
    int found = -1;
    for (int i = 0; s && styles[i]; i++)
      if (!strcmp(s, styles[i]))
        found = i;
    if (s && found < 0)
      cv_lr_err(
          r, v,
          "month: expected none, short, long, numeric or dotted, found '%s'",
          s);
    else if (s)
      r->t->month_style = found;
  }
  if ((v = cv_node_get(m, "separator")))
    r->t->date_separator = cv_lr_dupstr(r, v, "separator");
  if ((v = cv_node_get(m, "width")) &&
      !cv_lr_length(r, v, "dates width", &r->t->date_width, R_COLUMN))
    cv_lr_note(r, &r->at[W_ENTRY], v);
  if (!(v = cv_node_get(m, "spans")))
    return;
  size_t n = cv_node_len(v);
  if (v->kind != CVPDF_NODE_SEQ || n > CV_MAX_SPANS) {
    cv_lr_err(r, v,
              "spans: expected a list of at most %d section titles, "
              "found %s",
              CV_MAX_SPANS, cv_node_kind_name(v));
    return;
  }
  for (size_t i = 0; i < n; i++)
    r->t->spans[i] = cv_lr_dupstr(r, cv_node_at(v, i), "spans");
  r->t->nspans = n;
}

/* footer: and header: share a shape: {text, align} or none; the header
 * also takes first_page. */
/* A copy of scalar n in the reader's arena (the layout file's tree goes
 * away), for messages about its text. */
static const cvpdf_node *keep_node(cv_lr *r, const cvpdf_node *n,
                                   const char *text) {
  cvpdf_node *c = cv_arena_alloc(r->arena, sizeof *c);
  if (!c)
    return NULL;
  c->kind = CVPDF_NODE_SCALAR;
  c->file = cv_arena_strdup(r->arena, n->file ? n->file : "");
  c->line = n->line;
  c->col = n->col;
  c->str = (char *)text;
  c->len = strlen(text);
  return c;
}

static void read_margin_text(cv_lr *r, const cvpdf_node *m, const char *what,
                             const char **text, const cvpdf_node **at,
                             cv_align *al, int *first) {
  static const char *const fkeys[] = {"text", "align", NULL};
  static const char *const hkeys[] = {"text", "align", "first_page", NULL};
  const char *s = cv_node_str(m);
  if (s) { /* footer: none */
    if (strcmp(s, "none") && strcmp(s, "false"))
      cv_lr_err(r, m, "%s: expected a mapping or none, found '%s'", what, s);
    *text = NULL;
    return;
  }
  if (!cv_lr_is_map(r, m, what))
    return;
  cv_lr_known_keys(r, m, first ? hkeys : fkeys, what);
  const cvpdf_node *v;
  if ((v = cv_node_get(m, "text"))) {
    *text = cv_lr_dupstr(r, v, what);
    *at = *text ? keep_node(r, v, *text) : NULL;
    const char *p = *text ? strchr(*text, '{') : NULL;
    for (; p; p = strchr(p + 1, '{'))
      if (!strchr(p, '}'))
        cv_lr_err(r, v, "%s: expected '}' after '{' in '%s'", what, *text);
  }
  if ((v = cv_node_get(m, "align")))
    cv_lr_align(r, v, al);
  if (first && (v = cv_node_get(m, "first_page")))
    cv_lr_bool(r, v, "first_page", first);
}

/* page_numbers: continue | restart (in a bundle of documents). */
static void read_page_numbers(cv_lr *r, const cvpdf_node *v) {
  const char *s = cv_node_str(v);
  if (s && !strcmp(s, "continue"))
    r->t->page_numbers_continue = 1;
  else if (s && !strcmp(s, "restart"))
    r->t->page_numbers_continue = 0;
  else
    cv_lr_err(r, v, "page_numbers: expected continue or restart, found '%s'",
              s ? s : cv_node_kind_name(v));
}

/* Section options are the plugins' to read, except label_width, which
 * core sets the label column with: a length, kept in points.  Returns 0
 * after reporting a bad one. */
static int section_length(cv_lr *r, const char *key, const cvpdf_node *n,
                          const char **val) {
  const char *dot = strrchr(key, '.');
  if (!dot || strcmp(dot + 1, "label_width"))
    return 1;
  double d;
  if (cv_lr_length(r, n, "label_width", &d, R_LABEL) < 0)
    return 0;
  if (cv_lr_unit_pt(cv_lr_decimal_end(*val)) !=
      1) /* "30mm": the column reads points */
    *val = cv_arena_printf(r->arena, "%.17g", d);
  return *val != NULL;
}

/* "type.key" pairs from a two-level mapping, replacing earlier values. */
static void read_pairs2(cv_lr *r, const cvpdf_node *m, const char *what,
                        const char **keys, const char **vals, size_t *n,
                        size_t cap) {
  if (!cv_lr_is_map(r, m, what))
    return;
  int opts = keys == r->t->opt_keys;
  for (size_t i = 0; i < cv_node_len(m); i++) {
    const char *outer = cv_node_str(cv_node_key_at(m, i));
    const cvpdf_node *inner = cv_node_value_at(m, i);
    int bad = 0;
    const cvpdf_section_type *t =
        opts ? cv_lr_check_type(r, cv_node_key_at(m, i), &bad) : NULL;
    if (bad || !cv_lr_is_map(r, inner, outer))
      continue;
    for (size_t j = 0; j < cv_node_len(inner); j++) {
      const cvpdf_node *kn = cv_node_key_at(inner, j);
      const cvpdf_node *vn = cv_node_value_at(inner, j);
      if (opts ? cv_lr_check_option(r, t, kn, vn) : cv_lr_check_word(r, kn))
        continue;
      const char *k =
          cv_arena_printf(r->arena, "%s.%s", outer, cv_node_str(kn));
      const char *v = cv_lr_dupstr(r, vn, what);
      if (!k || !v)
        continue;
      size_t slot = *n;
      for (size_t q = 0; q < *n; q++)
        if (!strcmp(keys[q], k))
          slot = q;
      if (slot == cap) {
        cv_lr_err(r, inner, "too many %s entries (at most %zu)", what, cap);
        return;
      }
      if (opts && !section_length(r, k, vn, &v))
        continue;
      keys[slot] = k;
      vals[slot] = v;
      if (slot == *n)
        (*n)++;
    }
  }
}

static void apply(cv_lr *r, const cvpdf_node *root, const char *what);

/* A layout's (or a CV's theme's) letter: block: values that apply to a
 * letter only, over the others.  Not nested, and no extends: in it. */
static void apply_letter(cv_lr *r, const cvpdf_node *v, const char *what) {
  if (!cv_lr_is_map(r, v, "letter"))
    return;
  const cvpdf_node *bad = cv_node_get(v, "letter");
  if (!bad)
    bad = cv_node_get(v, "extends");
  if (bad) {
    cv_lr_err(r, bad, "%s: expected in the layout, found inside letter:",
              bad == cv_node_get(v, "letter") ? "letter" : "extends");
    return;
  }
  if (r->letter)
    apply(r, v, what);
}

/* what: "layout" for a layout file, "theme" for a CV's overrides. */
static void apply(cv_lr *r, const cvpdf_node *root, const char *what) {
  static const char *const keys[] = {
      "name",     "page",     "language",     "hyphenate", "fonts",   "styles",
      "spacing",  "lists",    "labels",       "pairs",     "contact", "dates",
      "footer",   "sections", "words",        "extends",   "column",  "header",
      "breaking", "photo",    "page_numbers", "letter",    "pdf",     "places",
      "updated",  NULL};
  if (!cv_lr_is_map(r, root, what))
    return;
  cv_lr_known_keys(r, root, keys,
                   strcmp(what, "theme") ? "the layout" : "the theme");
  const cvpdf_node *v;
  /* A CV picks the layout its theme: starts from with layout:. */
  if (!strcmp(what, "theme") && (v = cv_node_get(root, "extends")))
    cv_lr_err(r, v,
              "extends: expected in a layout file, found in a CV's "
              "theme (pick the layout with layout: instead)");
  if ((v = cv_node_get(root, "name")))
    r->t->name = cv_lr_dupstr(r, v, "name");
  if ((v = cv_node_get(root, "page")))
    read_page(r, v);
  if ((v = cv_node_get(root, "language")) &&
      (r->t->language = cv_lr_dupstr(r, v, "language")) &&
      !cv_language_tag_ok(r->t->language))
    cv_lr_err(r, v,
              "language: expected a language tag such as en, de or pt-BR, "
              "found '%s'",
              r->t->language);
  if ((v = cv_node_get(root, "hyphenate")))
    cv_lr_bool(r, v, "hyphenate", &r->t->hyphenate);
  if ((v = cv_node_get(root, "breaking")))
    cv_lr_breaking(r, v);
  if ((v = cv_node_get(root, "fonts")))
    read_fonts(r, v);
  if ((v = cv_node_get(root, "styles")) && cv_lr_is_map(r, v, "styles"))
    for (size_t i = 0; i < cv_node_len(v); i++)
      if (!cv_lr_check_style(r, cv_node_key_at(v, i)))
        read_style(r, cv_node_str(cv_node_key_at(v, i)),
                   cv_node_value_at(v, i));
  if ((v = cv_node_get(root, "spacing")))
    read_spacing(r, v);
  if ((v = cv_node_get(root, "lists")))
    cv_lr_lists(r, v);
  if ((v = cv_node_get(root, "labels")))
    read_labels(r, v);
  if ((v = cv_node_get(root, "pairs")))
    read_pairs(r, v);
  if ((v = cv_node_get(root, "column")))
    read_column(r, v);
  if ((v = cv_node_get(root, "contact")))
    read_contact(r, v);
  if ((v = cv_node_get(root, "photo")))
    read_photo(r, v);
  if ((v = cv_node_get(root, "dates")))
    read_dates(r, v);
  if ((v = cv_node_get(root, "footer")))
    read_margin_text(r, v, "footer", &r->t->footer, &r->t->footer_at,
                     &r->t->footer_align, NULL);
  if ((v = cv_node_get(root, "header")))
    read_margin_text(r, v, "header", &r->t->header, &r->t->header_at,
                     &r->t->header_align, &r->t->header_first);
  if ((v = cv_node_get(root, "updated"))) {
    if (!r->t->updated) /* updated: {align: left} */
      r->t->updated = "{updated} {date}";
    read_margin_text(r, v, "updated", &r->t->updated, &r->t->updated_at,
                     &r->t->updated_align, NULL);
  }
  if ((v = cv_node_get(root, "page_numbers")))
    read_page_numbers(r, v);
  if ((v = cv_node_get(root, "pdf")))
    cv_lr_pdf(r, v);
  if ((v = cv_node_get(root, "places")))
    cv_lr_places(r, v);
  if ((v = cv_node_get(root, "sections")))
    read_pairs2(r, v, "sections", r->t->opt_keys, r->t->opt_vals, &r->t->nopts,
                32);
  if ((v = cv_node_get(root, "words")))
    read_pairs2(r, v, "words", r->t->word_keys, r->t->word_vals, &r->t->nwords,
                64);
  if ((v = cv_node_get(root, "letter")))
    apply_letter(r, v, what);
}

/* Checks that need the whole theme (a layout, what it extends, the CV's
 * overrides): the margins leave room for text, and the columns fit. */
static void check_geometry(cv_lr *r) {
  const cv_theme *t = r->t;
  double w = t->page_w - t->margin_left - t->margin_right;
  double h = t->page_h - t->margin_top - t->margin_bottom;
  if (w < MIN_TEXT || h < MIN_TEXT) {
    int horiz = w < MIN_TEXT;
    int a = horiz ? W_LEFT : W_TOP, b = horiz ? W_RIGHT : W_BOTTOM;
    const double *ma = horiz ? &t->margin_left : &t->margin_top;
    const double *mb = horiz ? &t->margin_right : &t->margin_bottom;
    int at = r->at[b].file && (*mb >= *ma || !r->at[a].file) ? b : a;
    cv_lr_err_at(
        r, &r->at[at],
        "margins: the %s (%g pt) and %s (%g pt) margins leave %g pt of "
        "the page's %g pt for text; expected at least %g pt",
        horiz ? "left" : "top", *ma, horiz ? "right" : "bottom", *mb,
        horiz ? w : h, horiz ? t->page_w : t->page_h, MIN_TEXT);
    return;
  }
  /* A side column of half the text width or more is left out by the
   * layout (a narrow page keeps its text); one it keeps must leave room. */
  double base = t->side_width > 0 && t->side_width < w / 2
                    ? t->side_width + t->side_gap
                    : 0;
  if (base > 0 && w - base < MIN_BESIDE) {
    cv_lr_err_at(
        r, &r->at[W_COLUMN],
        "column: the width (%g pt) and gap (%g pt) leave %g pt of the %g "
        "pt text width beside the column; expected at least %g pt",
        t->side_width, t->side_gap, w - base, w, MIN_BESIDE);
    return; /* nothing beside it would fit either */
  }
  /* Labels in the margin hang left of the text (and its side column). */
  double lw = t->label_width, room = t->margin_left + base;
  if (lw > 0 && (t->label_in_margin ? lw > room : lw > w - base - MIN_BESIDE))
    cv_lr_err_at(
        r, &r->at[W_LABEL],
        "labels: expected a width of 0 (no label column) or at most %g pt "
        "(%s), found %g pt",
        t->label_in_margin ? room : w - base - MIN_BESIDE,
        t->label_in_margin ? "the room left of the text, as in_margin is "
                             "true"
                           : "the text width less room for the entry",
        lw);
  /* Entries set in, with their dates' width, leave room for a word. */
  double in = t->entry_left + t->entry_right + t->date_width;
  if (in > w - base - MIN_BESIDE)
    cv_lr_err_at(r, &r->at[W_ENTRY],
                 "spacing: entry_left (%g pt), entry_right (%g pt) and dates: "
                 "width (%g pt) leave %g pt of the %g pt text width for an "
                 "entry; expected at least %g pt",
                 t->entry_left, t->entry_right, t->date_width, w - base - in,
                 w - base, MIN_BESIDE);
  if (t->pair_label_width > w - base - MIN_BESIDE)
    cv_lr_err_at(
        r, &r->at[W_PAIR],
        "pairs: expected a label_width of at most %g pt (the text width "
        "less room for the value), found %g pt",
        w - base - MIN_BESIDE, t->pair_label_width);
}

static void defaults(cv_theme *t, cv_arena *a) {
  memset(t, 0, sizeof *t);
  t->name = "default";
  t->page_w = 595.276;
  t->page_h = 841.89;
  t->margin_top = t->margin_bottom = t->margin_left = t->margin_right = 56;
  t->hyphenate = 1;
  /* TeX's final hyphen demerits; and beyond TeX, no last line that is
   * only a word's tail while another way exists, two hyphens in a row at
   * most, no capitalised word broken, a last line of two ems at least
   * where a better break exists. */
  t->final_hyphen_demerits = 5000;
  t->lone_tail = 0;
  t->hyphen_run = 2;
  t->last_line_min = 2;
  t->emergency_stretch = 1.5;
  t->language = "en";
  t->sp_section = 10;
  t->sp_entry = 5;
  t->sp_item = 1;
  t->sp_small = 3;
  t->sp_medium = 6;
  t->sp_large = 12;
  t->heading_after = 4;
  t->contact_gap = -1;
  t->list_indent = 12;
  t->bullets[0] = "•";
  t->numbers[0] = "%d.";
  t->label_width = 32;
  t->pair_label_width = 110;
  t->contact_separator = " | ";
  t->month_style = 1;
  t->date_separator = " – ";
  t->footer_align = CV_ALIGN_CENTER;
  t->header_align = CV_ALIGN_RIGHT;
  t->updated_align = CV_ALIGN_RIGHT;
  t->side_align = CV_ALIGN_LEFT;
  t->photo_position = CV_PHOTO_RIGHT;
  t->photo_size = 72;
  t->photo_gap = 12;
  cv_style *body = style_slot(t, "body", a);
  body->ts.family = "Linux Libertine O";
  body->ts.size = 10;
  body->leading = 12.5;
  body->set = ~0u;
}

/* Unset fields inherit: "a.b" from "a", everything from "body". */
/* A `link` style's colour is that of linked text in every style but the
 * header's (name, headline, contact line), which keep their own. */
static void link_colour(cv_theme *t) {
  const cv_style *link = NULL;
  for (size_t i = 0; i < t->nstyles; i++)
    if (!strcmp(t->styles[i].name, "link") && (t->styles[i].set & S_COLOR))
      link = &t->styles[i];
  for (size_t i = 0; link && i < t->nstyles; i++) {
    cv_style *s = &t->styles[i];
    if (strncmp(s->name, "contact", 7) && strcmp(s->name, "name") &&
        strcmp(s->name, "headline")) {
      s->ts.link_colored = 1;
      s->ts.link_color = link->ts.color;
    }
  }
}

static void inherit(cv_theme *t) {
  link_colour(t);
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
      s->leading =
          (s->set & S_SIZE)
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
  /* The name as typed, cut short and without line breaks. */
  char shown[64];
  size_t n = 0;
  for (; name[n] && n + 4 < sizeof shown; n++)
    shown[n] = (unsigned char)name[n] < 0x20 ? '?' : name[n];
  while (name[n] && n > 0 && ((unsigned char)shown[n - 1] & 0xC0) == 0x80)
    n--; /* a cut never splits a character */
  snprintf(shown + n, sizeof shown - n, "%s", name[n] ? "..." : "");
  cv_diag_at(diags, CV_SEV_ERROR, at,
             "unknown layout '%s'; installed layouts: %s", shown,
             known.len ? known.data : "none");
  cv_buf_fini(&known);
  return -1;
}

/* Applies layout file `name`, after the layout it extends (at most a few
 * levels, so a cycle ends in an error rather than a loop). */
static int apply_file(cv_lr *r, const char *name, const char *const *dirs,
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
    const char *base = cv_lr_scalar(r, ext, "extends");
    if (base && depth >= 4) {
      cv_lr_err(r, ext,
                "extends: layouts extend each other more than 4 levels "
                "deep (a cycle?)");
      rc = -1;
    } else if (base) {
      rc = apply_file(r, base, dirs, ext, depth + 1);
    }
  }
  if (rc == 0)
    apply(r, m->root, "layout");
  /* Strings were copied into arena; positions in diags are copied too. */
  cv_model_destroy(m);
  return rc;
}

/* The styles plugins declare, which the layout need not define: each
 * exists, inheriting from its dotted parent or the body. */
static void declared_styles(cv_theme *t, const cvpdf_section_type *const *types,
                            cv_arena *a) {
  for (size_t i = 0; types && types[i]; i++)
    for (size_t k = 0; types[i]->styles && types[i]->styles[k]; k++)
      style_slot(t, types[i]->styles[k], a);
}

int cv_theme_load(cv_theme *t, const char *name, const cvpdf_node *name_at,
                  const char *const *dirs, const cvpdf_node *overrides,
                  int letter, const cvpdf_section_type *const *types,
                  cv_inputs *inputs, cv_arena *arena, cv_diags *diags) {
  cv_lr r = {.t = t,
             .arena = arena,
             .diags = diags,
             .inputs = inputs,
             .types = types,
             .letter = letter};
  defaults(t, arena);
  if (apply_file(&r, name ? name : "classic", dirs, name_at, 0) < 0)
    return -1;
  if (overrides)
    apply(&r, overrides, "theme");
  if (letter) /* a letter is dated by its own date line */
    t->updated = NULL;
  if (!r.errors)
    check_geometry(&r);
  declared_styles(t, types, arena);
  inherit(t);
  return r.errors ? -1 : 0;
}

/* Called for every block and line: the name is looked up in place, one
 * dotted part shorter at a time ("item.bullet", then "item"), without a
 * copy.  At most a name's first 63 bytes count. */
const cv_style *cv_theme_style(const cv_theme *t, const char *name) {
  name = name ? name : "body";
  size_t len = 0;
  while (len < 63 && name[len])
    len++;
  for (size_t k = len + 1; k-- > 0;) {
    if (k == len || name[k] == '.')
      for (size_t i = 0; i < t->nstyles; i++)
        if (!strncmp(t->styles[i].name, name, k) && !t->styles[i].name[k])
          return &t->styles[i];
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

/* A word in lang, then in lang's base language ("pt-BR" -> "pt"), from
 * keys/vals; NULL when neither has it. */
static const char *word_in(const char *const *keys, const char *const *vals,
                           size_t n, const char *lang, const char *key) {
  char l[16];
  snprintf(l, sizeof l, "%s", lang);
  const char *v = lookup2(keys, vals, n, l, key);
  char *dash = strpbrk(l, "-_");
  if (!v && dash) {
    *dash = '\0';
    v = lookup2(keys, vals, n, l, key);
  }
  if (!v && !strcmp(l, "no"))
    v = lookup2(keys, vals, n, "nb", key);
  return v;
}

/* The layout's and the CV's words come first, then the language's locale
 * file, then both in English, then the key itself. */
const char *cv_theme_word(const cv_theme *t, const char *lang,
                          const char *key) {
  return cv_theme_word_in(t, lang, key, NULL);
}

const char *cv_theme_word_in(const cv_theme *t, const char *lang,
                             const char *key, int *english) {
  const char *l = lang ? lang : "en";
  const char *v = word_in(t->word_keys, t->word_vals, t->nwords, l, key);
  if (!v)
    v = word_in(t->locale_keys, t->locale_vals, t->nlocale, l, key);
  if (english)
    *english = !v;
  if (!v)
    v = lookup2(t->word_keys, t->word_vals, t->nwords, "en", key);
  if (!v)
    v = lookup2(t->locale_keys, t->locale_vals, t->nlocale, "en", key);
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
