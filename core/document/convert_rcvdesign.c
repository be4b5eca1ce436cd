/* cvpdf - RenderCV's design: colours, fonts, sizes, alignment, bullet
 * marks, margins and spacing that have a cvpdf counterpart become theme
 * overrides (styles:, lists:, spacing:, contact:, dates:, column:, page:
 * margins); every other key is a warning that names it at its position.
 * The page size, 2.x page margins and the theme are read by
 * convert_rendercv.c. */
#define _POSIX_C_SOURCE 200809L
#include "document/convert_int.h"

#include <stdint.h>
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

/* A RenderCV (LaTeX) length in points: pt (TeX's, taken as PDF's), bp,
 * mm, cm, in, pc, em and ex (of the body's size `em`); a bare number is
 * points.  -1 when it is not one, or negative. */
static double length_pt(const char *s, double em) {
  static const struct {
    const char *unit;
    double pt;
  } units[] = {{"", 1},           {"pt", 1},         {"bp", 1},
               {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72},
               {"pc", 12},        {"em", 0},         {"ex", 0}};
  char *end;
  double v = strtod(s, &end);
  if (end == s || v < 0)
    return -1;
  while (*end == ' ')
    end++;
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (!strcmp(end, units[i].unit))
      return v * (units[i].pt > 0           ? units[i].pt
                  : units[i].unit[1] == 'm' ? em
                                            : em / 2);
  return -1;
}

typedef struct dctx {
  cv_conv *c;
  const char *theme; /* design.theme, or NULL */
  cvpdf_node *th;
  const cvpdf_node *bullet[2]; /* highlights' bullet and nested_bullet */
  double em;                   /* the body's size, for em lengths */
} dctx;

/* The mapping at dotted path under the theme overrides, made when
 * missing. */
static cvpdf_node *group(dctx *d, const cvpdf_node *at, const char *path) {
  cvpdf_node *m = d->th;
  char name[32];
  for (const char *p = path; m && *p;) {
    size_t n = strcspn(p, ".");
    snprintf(name, sizeof name, "%.*s", (int)n, p);
    cvpdf_node *next = (cvpdf_node *)cv_node_get(m, name);
    if (!next) {
      next = cv_conv_map(d->c, at);
      cv_conv_set(d->c, m, name, at, next);
    }
    m = next;
    p += n + (p[n] == '.');
  }
  return m;
}

/* group.key = val, replacing an earlier value. */
static void put(dctx *d, const cvpdf_node *at, const char *grp, const char *key,
                cvpdf_node *val) {
  cvpdf_node *m = group(d, at, grp);
  if (!m || !val)
    return;
  for (size_t i = 0; i < m->n; i++)
    if (!strcmp(m->keys[i]->str, key)) {
      m->items[i] = val;
      return;
    }
  cv_conv_set(d->c, m, key, at, val);
}

static void put_pt(dctx *d, const cvpdf_node *at, const char *grp,
                   const char *key, double pt) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.4g", pt);
  put(d, at, grp, key, cv_conv_scalar(d->c, at, buf));
}

/* styles.<style>.<key> = val in the theme overrides. */
static void set_style(dctx *d, const cvpdf_node *at, const char *style,
                      const char *key, const char *val) {
  char grp[48];
  snprintf(grp, sizeof grp, "styles.%s", style);
  put(d, at, grp, key, cv_conv_scalar(d->c, at, val));
}

/* The cvpdf style a RenderCV element name stands for. */
static const char *style_of(const char *element) {
  static const char *const map[][2] = {{"body", "body"},
                                       {"name", "name"},
                                       {"headline", "headline"},
                                       {"connections", "contact"},
                                       {"section_titles", "heading"},
                                       {"links", "link"},
                                       {"footer", "footer"}};
  return cv_conv_lookup(map, sizeof map / sizeof *map, element);
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

/* Google Fonts' "Noto Sans TC", "Noto Serif JP", ...: the regional
 * subsets of Noto CJK, which Debian ships whole as "Noto Sans CJK TC";
 * that name in buf, or NULL for any other family. */
static const char *noto_cjk(const char *family, char *buf, size_t cap) {
  static const char *const regions[] = {"SC", "TC", "HK", "JP", "KR"};
  const char *kind = !strncmp(family, "Noto Sans ", 10)    ? "Sans"
                     : !strncmp(family, "Noto Serif ", 11) ? "Serif"
                                                           : NULL;
  const char *r = kind ? family + 6 + strlen(kind) : "";
  for (size_t i = 0; kind && i < sizeof regions / sizeof *regions; i++)
    if (!strcmp(r, regions[i])) {
      snprintf(buf, cap, "Noto %s CJK %s", kind, r);
      return buf;
    }
  return NULL;
}

static int put_font(dctx *d, const cvpdf_node *v, const char *path,
                    const char *style) {
  char buf[40];
  const char *cjk = noto_cjk(v->str, buf, sizeof buf);
  if (cjk && (!d->c->font_ok || d->c->font_ok(cjk))) {
    set_style(d, v, style, "family", cjk);
    return 1;
  }
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
  double pt = length_pt(v->str, d->em);
  if (pt < 3 || pt > 144) {
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

/* RenderCV's spacing (1.x margins.*, 0.x options.margins.*, 2.x
 * header, section_titles, sections, entries): the theme's length at
 * group.key, which takes at most `max` points. */
static const struct space {
  const char *path, *group, *key;
  double max;
} spaces[] = {
    {"margins.section_title.top", "spacing", "section", 144},
    {"margins.section_title.bottom", "spacing", "heading_after", 144},
    {"margins.entry_area.vertical_between", "spacing", "entry", 144},
    {"margins.entry_area.left_and_right", "spacing", "entry_left", 144},
    {"margins.entry_area.left_and_right", "spacing", "entry_right", 144},
    {"margins.entry_area.left", "spacing", "entry_left", 144},
    {"margins.entry_area.right", "spacing", "entry_right", 144},
    {"margins.highlights_area.top", "spacing", "list", 144},
    {"margins.highlights_area.left", "lists", "indent", 36},
    {"margins.highlights_area.vertical_between_bullet_points", "spacing",
     "item", 144},
    {"margins.header.bottom", "styles.contact", "space_after", 144},
    {"margins.header.vertical_between_name_and_connections", "styles.name",
     "space_after", 144},
    {"margins.header.horizontal_between_connections", "contact", "gap", 72},
    {"header.space_below_name", "styles.name", "space_after", 144},
    {"header.space_below_headline", "styles.headline", "space_after", 144},
    {"header.space_below_connections", "styles.contact", "space_after", 144},
    {"header.connections.space_between_connections", "contact", "gap", 72},
    {"section_titles.space_above", "spacing", "section", 144},
    {"section_titles.space_below", "spacing", "heading_after", 144},
    {"sections.space_between_regular_entries", "spacing", "entry", 144},
    {"entries.side_space", "spacing", "entry_left", 144},
    {"entries.side_space", "spacing", "entry_right", 144},
    /* The dates' and places' column: the side column of a layout that
     * has one (modern), else the least width of a row's right part. */
    {"margins.entry_area.date_and_location_width", NULL, NULL, 288},
    {"entries.date_and_location_width", NULL, NULL, 288},
    {"date_and_location_width", NULL, NULL, 288},
    {"date_width", NULL, NULL, 288}};

/* A length of the table above; 0 when path is none of them. */
static int put_space(dctx *d, const cvpdf_node *v, const char *path) {
  int found = 0;
  for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++) {
    const struct space *sp = &spaces[i];
    if (strcmp(path, sp->path))
      continue;
    double pt = length_pt(v->str, d->em);
    if (pt < 0 || pt > sp->max) {
      char why[96];
      snprintf(why, sizeof why,
               "is not a length of 0 to %g pt cvpdf reads; left out", sp->max);
      return left_out(d, v, path, why);
    }
    found = 1;
    if (sp->group) {
      put_pt(d, v, sp->group, sp->key, pt);
      continue;
    }
    const char *l = d->theme ? cv_rcv_layout_for(d->theme) : NULL;
    if (l && !strcmp(l, "modern"))
      put_pt(d, v, "column", "width", pt < 12 ? 12 : pt);
    else
      put_pt(d, v, "dates", "width", pt);
  }
  return found;
}

/* moderncv's content_scale: the text block's share of the page's width
 * and height (LaTeX geometry's scale), centred: the page margins. */
static int put_scale(dctx *d, const cvpdf_node *v, const char *path) {
  char *end;
  double k = strtod(v->str, &end);
  if (end == v->str || *end || k < 0.5 || k > 1)
    return left_out(d, v, path,
                    "is not a scale of 0.5 to 1 cvpdf reads; left out");
  const char *size = cv_node_get_str(cv_node_get(d->th, "page"), "size");
  int a4 = size && !strcasecmp(size, "A4");
  double w = a4 ? 595.276 : 612, h = a4 ? 841.89 : 792;
  static const char *const sides[] = {"left", "right", "top", "bottom"};
  for (int i = 0; i < 4; i++)
    put_pt(d, v, "page.margins", sides[i], (1 - k) / 2 * (i < 2 ? w : h));
  return 1;
}

/* Switches: the RenderCV key, the value that cvpdf does without a word
 * (its layouts draw icons and number pages, and draw no external-link
 * icon), the theme's group.key = value for the other, or NULL when cvpdf
 * cannot do what the other asks, with why. */
static const struct toggle {
  const char *path;
  int as_cvpdf;
  const char *group, *key, *value, *why;
} toggles[] = {
    {"use_icons_for_connections", 1, "fonts", "icons", "none", NULL},
    {"header.connections.show_icons", 1, "fonts", "icons", "none", NULL},
    {"disable_page_numbering", 0, "", "footer", "none", NULL},
    {"disable_page_numbers", 0, "", "footer", "none", NULL},
    {"page.show_footer", 1, "", "footer", "none", NULL},
    {"disable_external_link_icons", 1, NULL, NULL, NULL,
     "has no cvpdf counterpart: cvpdf draws no icon after a link; left out"},
    {"links.show_external_link_icon", 0, NULL, NULL, NULL,
     "has no cvpdf counterpart: cvpdf draws no icon after a link; left out"},
    {"links.underline", 0, NULL, NULL, NULL,
     "has no cvpdf counterpart: cvpdf underlines no link; left out"}};

static int put_toggle(dctx *d, const cvpdf_node *v, const char *path) {
  for (size_t i = 0; i < sizeof toggles / sizeof *toggles; i++) {
    const struct toggle *t = &toggles[i];
    if (strcmp(path, t->path))
      continue;
    int b = cv_node_bool(v);
    if (b < 0)
      return left_out(d, v, path, "is not true or false; left out");
    if (b == t->as_cvpdf)
      return 1;
    if (!t->group)
      return left_out(d, v, path, t->why);
    put(d, v, t->group, t->key, cv_conv_scalar(d->c, v, t->value));
    return 1;
  }
  return 0;
}

/* The separator between connections (LaTeX math such as "$|$" as its
 * text, as every RenderCV string). */
static int put_separator(dctx *d, const cvpdf_node *v) {
  put(d, v, "contact", "separator", cv_conv_scalar(d->c, v, v->str));
  return 1;
}

/* FontAwesome 6 names of RenderCV's custom_connections and the FontAwesome
 * 4.7 code point of the same picture (fonts-font-awesome's). */
static const struct fa_icon {
  const char *name;
  uint32_t cp;
} fa_icons[] = {{"address-book", 0xf2b9},
                {"address-card", 0xf2bb},
                {"amazon", 0xf270},
                {"android", 0xf17b},
                {"apple", 0xf179},
                {"arrow-up-right-from-square", 0xf08e},
                {"at", 0xf1fa},
                {"behance", 0xf1b4},
                {"bitbucket", 0xf171},
                {"bolt", 0xf0e7},
                {"book", 0xf02d},
                {"bookmark", 0xf02e},
                {"briefcase", 0xf0b1},
                {"building", 0xf1ad},
                {"building-columns", 0xf19c},
                {"calendar", 0xf073},
                {"calendar-days", 0xf073},
                {"camera", 0xf030},
                {"car", 0xf1b9},
                {"certificate", 0xf0a3},
                {"chart-bar", 0xf080},
                {"chart-line", 0xf201},
                {"chart-pie", 0xf200},
                {"circle-info", 0xf05a},
                {"circle-user", 0xf2bd},
                {"cloud", 0xf0c2},
                {"code", 0xf121},
                {"codepen", 0xf1cb},
                {"comment", 0xf075},
                {"comments", 0xf086},
                {"compass", 0xf14e},
                {"copyright", 0xf1f9},
                {"cube", 0xf1b2},
                {"cubes", 0xf1b3},
                {"database", 0xf1c0},
                {"desktop", 0xf108},
                {"dribbble", 0xf17d},
                {"earth-americas", 0xf0ac},
                {"envelope", 0xf0e0},
                {"envelope-open", 0xf2b6},
                {"etsy", 0xf2d7},
                {"facebook", 0xf09a},
                {"facebook-f", 0xf09a},
                {"fax", 0xf1ac},
                {"file", 0xf15b},
                {"file-code", 0xf1c9},
                {"file-lines", 0xf0f6},
                {"file-pdf", 0xf1c1},
                {"film", 0xf008},
                {"fire", 0xf06d},
                {"flag", 0xf024},
                {"flask", 0xf0c3},
                {"flickr", 0xf16e},
                {"folder", 0xf07b},
                {"folder-open", 0xf07c},
                {"free-code-camp", 0xf2c5},
                {"gamepad", 0xf11b},
                {"gear", 0xf013},
                {"gears", 0xf085},
                {"github", 0xf09b},
                {"github-alt", 0xf113},
                {"gitlab", 0xf296},
                {"globe", 0xf0ac},
                {"google", 0xf1a0},
                {"google-plus", 0xf0d5},
                {"graduation-cap", 0xf19d},
                {"handshake", 0xf2b5},
                {"hashtag", 0xf292},
                {"headphones", 0xf025},
                {"heart", 0xf004},
                {"home", 0xf015},
                {"house", 0xf015},
                {"id-badge", 0xf2c1},
                {"id-card", 0xf2c2},
                {"image", 0xf03e},
                {"imdb", 0xf2d8},
                {"info", 0xf129},
                {"instagram", 0xf16d},
                {"key", 0xf084},
                {"landmark", 0xf19c},
                {"language", 0xf1ab},
                {"laptop", 0xf109},
                {"leaf", 0xf06c},
                {"lightbulb", 0xf0eb},
                {"link", 0xf0c1},
                {"linkedin", 0xf0e1},
                {"linkedin-in", 0xf0e1},
                {"linux", 0xf17c},
                {"location-dot", 0xf041},
                {"location-pin", 0xf041},
                {"lock", 0xf023},
                {"magnifying-glass", 0xf002},
                {"map", 0xf279},
                {"map-pin", 0xf276},
                {"medium", 0xf23a},
                {"microphone", 0xf130},
                {"mobile", 0xf10b},
                {"mobile-screen", 0xf10b},
                {"mobile-screen-button", 0xf10b},
                {"music", 0xf001},
                {"newspaper", 0xf1ea},
                {"paper-plane", 0xf1d8},
                {"paypal", 0xf1ed},
                {"pen", 0xf040},
                {"pen-to-square", 0xf044},
                {"pencil", 0xf040},
                {"phone", 0xf095},
                {"plane", 0xf072},
                {"podcast", 0xf2ce},
                {"print", 0xf02f},
                {"puzzle-piece", 0xf12e},
                {"question", 0xf128},
                {"quora", 0xf2c4},
                {"quote-left", 0xf10d},
                {"reddit", 0xf1a1},
                {"rocket", 0xf135},
                {"rss", 0xf09e},
                {"search", 0xf002},
                {"server", 0xf233},
                {"shield", 0xf132},
                {"skype", 0xf17e},
                {"slack", 0xf198},
                {"soundcloud", 0xf1be},
                {"spotify", 0xf1bc},
                {"square-arrow-up-right", 0xf14c},
                {"square-github", 0xf092},
                {"square-twitter", 0xf081},
                {"stack-overflow", 0xf16c},
                {"star", 0xf005},
                {"steam", 0xf1b6},
                {"suitcase", 0xf0f2},
                {"tag", 0xf02b},
                {"tags", 0xf02c},
                {"telegram", 0xf2c6},
                {"terminal", 0xf120},
                {"trademark", 0xf25c},
                {"tree", 0xf1bb},
                {"trophy", 0xf091},
                {"twitch", 0xf1e8},
                {"twitter", 0xf099},
                {"university", 0xf19c},
                {"user", 0xf007},
                {"users", 0xf0c0},
                {"video", 0xf03d},
                {"vimeo", 0xf27d},
                {"whatsapp", 0xf232},
                {"wikipedia-w", 0xf266},
                {"windows", 0xf17a},
                {"wordpress", 0xf19a},
                {"wrench", 0xf0ad},
                {"x-twitter", 0xf099},
                {"youtube", 0xf16a}};

uint32_t cv_rcv_fa_icon(const char *name) {
  size_t lo = 0, hi = sizeof fa_icons / sizeof *fa_icons;
  while (lo < hi) { /* the table is sorted by name */
    size_t mid = (lo + hi) / 2;
    int k = strcmp(name, fa_icons[mid].name);
    if (!k)
      return fa_icons[mid].cp;
    if (k < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
}

void cv_rcv_icons(cv_conv *c, cvpdf_node *th, const cvpdf_node *icons) {
  dctx d = {c, NULL, th, {NULL, NULL}, 10};
  for (size_t i = 0; icons && i < icons->n; i++)
    put(&d, icons->items[i], "contact.icons", icons->keys[i]->str,
        icons->items[i]);
}

/* RenderCV 2.x typography.small_caps.ELEMENT and bold.ELEMENT,
 * header.alignment and section_titles.line_thickness: the styles'. */
static int put_v2_style(dctx *d, const cvpdf_node *v, const char *path) {
  static const char *const flags[][2] = {
      {"typography.small_caps.", "smallcaps"}, {"typography.bold.", "bold"}};
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(flags[i][0]);
    const char *style =
        strncmp(path, flags[i][0], n) ? NULL : style_of(path + n);
    if (!style)
      continue;
    int b = cv_node_bool(v);
    if (b < 0)
      return left_out(d, v, path, "is not true or false; left out");
    set_style(d, v, style, flags[i][1], b ? "true" : "false");
    return 1;
  }
  if (!strcmp(path, "header.alignment")) {
    static const char *const aligns[] = {"left", "center", "right"};
    static const char *const header[] = {"name", "headline", "contact"};
    for (size_t i = 0; i < 3; i++)
      if (!strcmp(v->str, aligns[i])) {
        for (size_t j = 0; j < 3; j++)
          set_style(d, v, header[j], "align", v->str);
        return 1;
      }
    return left_out(d, v, path, "is not left, center or right; left out");
  }
  if (!strcmp(path, "section_titles.line_thickness")) {
    double pt = length_pt(v->str, d->em);
    if (pt < 0 || pt > 10)
      return left_out(d, v, path,
                      "is not a length of 0 to 10 pt cvpdf reads; left out");
    put_pt(d, v, "styles.heading", "rule_width", pt);
    return 1;
  }
  return 0;
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
  if (!strncmp(path, "margins.page.", 13)) { /* 1.x: the page margins */
    put(d, v, "page.margins", path + 13, cv_conv_scalar(d->c, v, v->str));
    return 1;
  }
  if (!strcmp(path, "margins.entry_area.education_degree_width"))
    return left_out(d, v, path,
                    "has no cvpdf counterpart: cvpdf prints the degree on "
                    "the entry's row, not in a column of its own; left out");
  if (!strcmp(path, "seperator_between_connections") ||
      !strcmp(path, "header.connections.separator"))
    return put_separator(d, v);
  if (put_toggle(d, v, path) || put_v2_style(d, v, path))
    return 1;
  if (!strcmp(path, "content_scale"))
    return put_scale(d, v, path);
  if (put_space(d, v, path))
    return 1;
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
    if (v->kind == CVPDF_NODE_SCALAR && !*v->str &&
        (!strcmp(path, "seperator_between_connections") ||
         !strcmp(path, "header.connections.separator"))) {
      put_separator(d, v); /* '': none */
      continue;
    }
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
  const char *size = cv_node_get_str(design, "font_size");
  if (!size)
    size = cv_node_get_str(
        cv_node_get(cv_node_get(design, "typography"), "font_size"), "body");
  double em = size ? length_pt(size, 10) : 10;
  dctx d = {
      c, cv_node_get_str(design, "theme"), th, {NULL, NULL}, em > 0 ? em : 10};
  walk(&d, design, "");
  /* lists: bullet: the mark of each level (RenderCV's nested one is •
   * when only the first is given). */
  const cvpdf_node *at = d.bullet[0] ? d.bullet[0] : d.bullet[1];
  if (!at)
    return;
  cvpdf_node *marks = cv_conv_seq(c, at);
  for (int i = 0; i < 2; i++)
    cv_conv_push(c, marks,
                 cv_conv_scalar(c, at, d.bullet[i] ? d.bullet[i]->str : "•"));
  put(&d, at, "lists", "bullet", marks);
}
