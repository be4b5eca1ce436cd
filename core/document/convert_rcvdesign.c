/* cvpdf - RenderCV's design: colours, fonts, sizes, alignment and bullet
 * marks that have a cvpdf counterpart become theme overrides (styles:,
 * lists:); every other key is a warning that names it at its position.
 * The page (size, margins) and the theme are read by convert_rendercv.c. */
#define _POSIX_C_SOURCE 200809L
#include "document/convert_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RC "RenderCV"

/* Keys convert_rendercv.c reads (page: size and margins; theme). */
static const char *const read_elsewhere[] = {"theme",
                                             "page_size",
                                             "page.size",
                                             "page.top_margin",
                                             "page.bottom_margin",
                                             "page.left_margin",
                                             "page.right_margin",
                                             NULL};

/* A RenderCV colour: "#004f90", "rgb(0, 79, 144)" or a few names (1.x
 * took xcolor's).  "#RRGGBB" in buf, or NULL. */
static const char *colour(const char *s, char *buf, size_t cap) {
  static const struct {
    const char *name, *hex;
  } names[] = {{"black", "#000000"},  {"white", "#FFFFFF"},
               {"red", "#FF0000"},    {"green", "#00FF00"},
               {"blue", "#0000FF"},   {"gray", "#808080"},
               {"grey", "#808080"},   {"darkgray", "#404040"},
               {"purple", "#BF0040"}, {"orange", "#FF8000"}};
  unsigned r, g, b;
  char end;
  if (s[0] == '#' && strlen(s) == 7 &&
      strspn(s + 1, "0123456789abcdefABCDEF") == 6) {
    snprintf(buf, cap, "#%s", s + 1);
    for (char *p = buf; *p; p++)
      if (*p >= 'a' && *p <= 'f')
        *p = (char)(*p - 'a' + 'A');
    return buf;
  }
  if (sscanf(s, " rgb ( %u , %u , %u %c", &r, &g, &b, &end) == 4 &&
      end == ')' && r < 256 && g < 256 && b < 256) {
    snprintf(buf, cap, "#%02X%02X%02X", r, g, b);
    return buf;
  }
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcasecmp(s, names[i].name))
      return names[i].hex;
  return NULL;
}

/* "10pt", "10 pt" or a bare number: points; 0 when it is not one. */
static double points(const char *s) {
  char *end;
  double v = strtod(s, &end);
  while (*end == ' ')
    end++;
  if (end == s || v <= 0 || (*end && strcmp(end, "pt")))
    return 0;
  return v;
}

typedef struct dctx {
  cv_conv *c;
  const char *theme; /* design.theme, or NULL */
  cvpdf_node *th, *styles;
  const cvpdf_node *bullet[2]; /* highlights' bullet and nested_bullet */
} dctx;

/* styles.<style>.<key> = val in the theme overrides. */
static void set_style(dctx *d, const cvpdf_node *at, const char *style,
                      const char *key, const char *val) {
  cv_conv *c = d->c;
  if (!d->styles) {
    d->styles = cv_conv_map(c, at);
    cv_conv_set(c, d->th, "styles", at, d->styles);
  }
  cvpdf_node *s = (cvpdf_node *)cv_node_get(d->styles, style);
  if (!s) {
    s = cv_conv_map(c, at);
    cv_conv_set(c, d->styles, style, at, s);
  }
  cv_conv_set(c, s, key, at, cv_conv_scalar(c, at, val));
}

/* The cvpdf style a RenderCV element name stands for. */
static const char *style_of(const char *element) {
  static const char *const map[][2] = {{"body", "body"},
                                       {"name", "name"},
                                       {"headline", "headline"},
                                       {"connections", "contact"},
                                       {"section_titles", "heading"},
                                       {"footer", "footer"}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcmp(element, map[i][0]))
      return map[i][1];
  return NULL;
}

/* A warning naming the design key at path and its value, which is left
 * out for `why`. */
static int left_out(dctx *d, const cvpdf_node *v, const char *path,
                    const char *why) {
  cv_conv_warn(d->c, v, RC " design.%s '%s' %s", path, v->str, why);
  return 1;
}

/* A colour for style, or a warning naming path. */
static int put_colour(dctx *d, const cvpdf_node *v, const char *path,
                      const char *style) {
  char buf[16];
  const char *hex = colour(v->str, buf, sizeof buf);
  if (!hex) {
    return left_out(d, v, path,
                    "is not a colour cvpdf reads (#RRGGBB, "
                    "rgb(R, G, B)); left out");
  }
  set_style(d, v, style, "color", hex);
  return 1;
}

/* Whether family is the default font of the RenderCV theme: its layout
 * stands for the theme, fonts included, as a theme maps to a layout. */
static int theme_font(const dctx *d, const char *family) {
  static const char *const defaults[][2] = {
      {"classic", "Source Sans 3"},
      {"classic", "SourceSans3"}, /* 0.x */
      {"engineeringresumes", "Charter"},
      {"sb2nov", "New Computer Modern"}};
  for (size_t i = 0; d->theme && i < sizeof defaults / sizeof *defaults; i++)
    if (!strcasecmp(d->theme, defaults[i][0]) &&
        !strcasecmp(family, defaults[i][1]))
      return 1;
  return 0;
}

static int put_font(dctx *d, const cvpdf_node *v, const char *path,
                    const char *style) {
  int ok = !d->c->font_ok || d->c->font_ok(v->str);
  if (!ok && theme_font(d, v->str))
    return 1; /* the layout's font */
  if (!ok) {
    return left_out(d, v, path,
                    "is not installed (fontconfig); using "
                    "the layout's font");
  }
  set_style(d, v, style, "family", v->str);
  return 1;
}

static int put_size(dctx *d, const cvpdf_node *v, const char *path,
                    const char *style) {
  double pt = points(v->str);
  if (pt <= 0 || pt > 144) {
    return left_out(d, v, path,
                    "is not a size in points cvpdf reads; "
                    "left out");
  }
  char buf[32];
  snprintf(buf, sizeof buf, "%g", pt);
  set_style(d, v, style, "size", buf);
  return 1;
}

static int put_align(dctx *d, const cvpdf_node *v, const char *path) {
  /* 1.x wrote left-aligned and justified-with-no-hyphenation. */
  const char *a = !strncasecmp(v->str, "justified", 9) ? "justify"
                  : !strncasecmp(v->str, "left", 4)    ? "left"
                                                       : NULL;
  if (!a) {
    return left_out(d, v, path,
                    "has no cvpdf counterpart (justified, "
                    "left); left out");
  }
  set_style(d, v, "body", "align", a);
  return 1;
}

/* RenderCV 1.x margins.page.top ...: the theme's page margins. */
static int put_margin(dctx *d, const cvpdf_node *v, const char *side) {
  cv_conv *c = d->c;
  cvpdf_node *page = (cvpdf_node *)cv_node_get(d->th, "page");
  if (!page) {
    page = cv_conv_map(c, v);
    cv_conv_set(c, d->th, "page", v, page);
  }
  cvpdf_node *m = (cvpdf_node *)cv_node_get(page, "margins");
  if (!m) {
    m = cv_conv_map(c, v);
    cv_conv_set(c, page, "margins", v, m);
  }
  cv_conv_set(c, m, side, v, cv_conv_scalar(c, v, v->str));
  return 1;
}

/* One leaf of design at path: mapped, or 0. */
static int leaf(dctx *d, const char *path, const cvpdf_node *v) {
  if (!strncmp(path, "options.", 8)) { /* 0.x: design.options */
    path += 8;
    if (!strcmp(path, "primary_color"))
      path = "color";
  }
  const char *dot = strrchr(path, '.');
  const char *last = dot ? dot + 1 : path;
  const char *style = style_of(last);
  if (style && !strncmp(path, "colors.", 7) && !strchr(path + 7, '.'))
    return put_colour(d, v, path, style);
  if (!strcmp(path, "color")) { /* 1.x: the accent, of titles and name */
    char buf[16];
    put_colour(d, v, path, "heading");
    return !colour(v->str, buf, sizeof buf) || put_colour(d, v, path, "name");
  }
  if (!strcmp(path, "typography.font_family") || !strcmp(path, "font"))
    return put_font(d, v, path, "body");
  if (style && !strncmp(path, "typography.font_family.", 23))
    return put_font(d, v, path, style);
  if (style && !strncmp(path, "typography.font_size.", 21))
    return put_size(d, v, path, style);
  if (!strcmp(path, "font_size"))
    return put_size(d, v, path, "body");
  if (!strcmp(path, "header_font_size"))
    return put_size(d, v, path, "name");
  if (!strcmp(path, "typography.alignment") || !strcmp(path, "text_alignment"))
    return put_align(d, v, path);
  if (!strcmp(path, "entries.highlights.bullet") ||
      !strcmp(path, "highlights.bullet"))
    return (d->bullet[0] = v) != NULL;
  if (!strcmp(path, "entries.highlights.nested_bullet") ||
      !strcmp(path, "highlights.nested_bullet"))
    return (d->bullet[1] = v) != NULL;
  if (!strncmp(path, "margins.page.", 13))
    return put_margin(d, v, path + 13);
  for (size_t i = 0; read_elsewhere[i]; i++)
    if (!strcmp(path, read_elsewhere[i]))
      return 1;
  return 0;
}

/* Walks design: each leaf mapped, or a warning at its key. */
static void walk(dctx *d, const cvpdf_node *m, const char *prefix) {
  for (size_t i = 0; i < m->n; i++) {
    const cvpdf_node *k = m->keys[i], *v = m->items[i];
    char path[160];
    snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", k->str);
    if (cv_conv_is_null(v) || cv_rcv_date_key(path))
      continue;
    if (v->kind == CVPDF_NODE_MAP) {
      walk(d, v, path);
      continue;
    }
    if (v->kind == CVPDF_NODE_SCALAR && leaf(d, path, v))
      continue;
    cv_conv_warn(d->c, k, RC " design.%s has no cvpdf counterpart; left out",
                 path);
  }
}

void cv_rcv_design(cv_conv *c, const cvpdf_node *design, cvpdf_node *th) {
  if (!design || design->kind != CVPDF_NODE_MAP || !th)
    return;
  dctx d = {c, cv_node_get_str(design, "theme"), th, NULL, {NULL, NULL}};
  walk(&d, design, "");
  /* lists: bullet: the mark of each level (RenderCV's nested one is •
   * when only the first is given). */
  const cvpdf_node *at = d.bullet[0] ? d.bullet[0] : d.bullet[1];
  if (!at)
    return;
  cvpdf_node *lists = cv_conv_map(c, at), *marks = cv_conv_seq(c, at);
  for (int i = 0; i < 2; i++)
    cv_conv_push(c, marks,
                 cv_conv_scalar(c, at, d.bullet[i] ? d.bullet[i]->str : "•"));
  cv_conv_set(c, lists, "bullet", at, marks);
  cv_conv_set(c, th, "lists", at, lists);
}
