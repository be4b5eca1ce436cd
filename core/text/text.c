/* cvpdf - text: inline markup (md4c), shaping (HarfBuzz), break
 * opportunities (libunibreak, UAX #14) and hyphenation (libhyphen) turned
 * into box/glue/penalty lists (Knuth & Plass 1981). */
#define _POSIX_C_SOURCE 200809L
#include "text/text.h"
#include "text/uax14.h"

#include <hb-ot.h>
#include <hyphen.h>
#include <linebreak.h> /* libunibreak's; the breaker is typeset/linebreak.h */
#include <wordbreak.h>
#include <md4c.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ==== markup ========================================================== */

typedef struct md_state {
  cv_arena *arena;
  cv_buf text;       /* text of the span being collected */
  unsigned flags;    /* of the span being collected */
  const char *link;  /* of the span being collected */
  int strong, em, code;
  const char *links[8]; /* nested links: innermost wins */
  int nlinks;
  int paragraphs;    /* paragraphs seen so far */
  cv_span *spans;
  size_t nspans, cap;
  int failed;
} md_state;

static unsigned md_cur_flags(const md_state *s) {
  return (s->strong ? CV_SPAN_BOLD : 0u) | (s->em ? CV_SPAN_ITALIC : 0u) |
         (s->code ? CV_SPAN_CODE : 0u);
}

static const char *md_cur_link(const md_state *s) {
  return s->nlinks > 0 ? s->links[s->nlinks - 1 < 8 ? s->nlinks - 1 : 7]
                       : NULL;
}

static void md_push_span(md_state *s, const char *text, size_t len,
                         unsigned flags, const char *link) {
  if (cv_grow((void **)&s->spans, &s->cap, s->nspans + 1, sizeof *s->spans)) {
    s->failed = 1;
    return;
  }
  char *t = cv_arena_strndup(s->arena, text, len);
  if (!t) {
    s->failed = 1;
    return;
  }
  s->spans[s->nspans++] = (cv_span){t, len, flags, link};
}

static void md_flush(md_state *s) {
  if (s->text.len)
    md_push_span(s, s->text.data, s->text.len, s->flags, s->link);
  cv_buf_reset(&s->text);
}

/* Text with the current attributes; a change of attributes starts a span. */
static void md_put(md_state *s, const char *t, size_t n) {
  unsigned fl = md_cur_flags(s);
  const char *link = md_cur_link(s);
  if (s->text.len && (fl != s->flags || link != s->link))
    md_flush(s);
  s->flags = fl;
  s->link = link;
  cv_buf_put(&s->text, t, n);
  if (s->text.failed)
    s->failed = 1;
}

static const struct {
  const char *name;
  uint32_t cp;
} named_entities[] = {
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},
    {"quot", '"'},     {"apos", '\''},     {"nbsp", 0xA0},
    {"ndash", 0x2013}, {"mdash", 0x2014},  {"hellip", 0x2026},
    {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},    {"raquo", 0xBB},
    {"copy", 0xA9},    {"reg", 0xAE},      {"trade", 0x2122},
    {"middot", 0xB7},  {"bull", 0x2022},   {"deg", 0xB0},
    {"times", 0xD7},   {"minus", 0x2212},  {"plusmn", 0xB1},
    {"thinsp", 0x2009}, {"ensp", 0x2002},  {"emsp", 0x2003},
    {"shy", 0xAD},     {"euro", 0x20AC},   {"pound", 0xA3},
    {"sect", 0xA7},    {"para", 0xB6},     {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"star", 0x2606},  {"larr", 0x2190},
    {"rarr", 0x2192},  {"eacute", 0xE9},   {"Eacute", 0xC9},
    {"auml", 0xE4},    {"ouml", 0xF6},     {"uuml", 0xFC},
    {"Auml", 0xC4},    {"Ouml", 0xD6},     {"Uuml", 0xDC},
    {"szlig", 0xDF},   {"ccedil", 0xE7},   {"egrave", 0xE8},
    {"aacute", 0xE1},  {"iacute", 0xED},   {"oacute", 0xF3},
    {"uacute", 0xFA},  {"ntilde", 0xF1},   {"zwj", 0x200D},
    {"zwnj", 0x200C},
};

/* "&name;" or "&#123;" / "&#x1F;" to a code point; 0 when unknown. */
static uint32_t entity_decode(const char *t, size_t n) {
  if (n < 3 || t[0] != '&' || t[n - 1] != ';')
    return 0;
  if (t[1] == '#') {
    int hex = n > 3 && (t[2] == 'x' || t[2] == 'X');
    uint32_t v = 0;
    size_t i = hex ? 3 : 2;
    if (i >= n - 1)
      return 0;
    for (; i < n - 1; i++) {
      char c = t[i];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
      if (d < 0 || v > 0x10FFFF)
        return 0;
      v = v * (hex ? 16u : 10u) + (uint32_t)d;
    }
    if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
      return 0xFFFD;
    return v;
  }
  for (size_t i = 0; i < sizeof named_entities / sizeof *named_entities; i++)
    if (strlen(named_entities[i].name) == n - 2 &&
        memcmp(named_entities[i].name, t + 1, n - 2) == 0)
      return named_entities[i].cp;
  return 0;
}

/* Appends an entity decoded, or as written when unknown. */
static void buf_put_entity(cv_buf *b, const char *t, size_t n) {
  uint32_t cp = entity_decode(t, n);
  if (!cp) {
    cv_buf_put(b, t, n);
    return;
  }
  char u[4];
  cv_buf_put(b, u, (size_t)cv_utf8_encode(cp, u));
}

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  (void)detail;
  md_state *s = ud;
  /* Any block after the first is text that happened to be separated by a
   * blank line: it reads as one space. */
  if (type != MD_BLOCK_DOC && type != MD_BLOCK_HTML && s->paragraphs++ > 0 &&
      (s->text.len || s->nspans))
    md_put(s, " ", 1);
  return 0;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *ud) {
  (void)type, (void)detail, (void)ud;
  return 0;
}

static const char *md_attr_string(md_state *s, const MD_ATTRIBUTE *a) {
  cv_buf b;
  cv_buf_init(&b);
  for (unsigned i = 0; a->substr_offsets[i] < a->size; i++) {
    const char *t = a->text + a->substr_offsets[i];
    size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
    if (a->substr_types[i] == MD_TEXT_ENTITY)
      buf_put_entity(&b, t, n);
    else if (a->substr_types[i] != MD_TEXT_NULLCHAR)
      cv_buf_put(&b, t, n);
  }
  const char *r = cv_arena_strndup(s->arena, b.data ? b.data : "", b.len);
  if (!r || b.failed)
    s->failed = 1;
  cv_buf_fini(&b);
  return r;
}

static int md_enter_span(MD_SPANTYPE type, void *detail, void *ud) {
  md_state *s = ud;
  switch (type) {
  case MD_SPAN_STRONG: s->strong++; break;
  case MD_SPAN_EM: s->em++; break;
  case MD_SPAN_CODE: s->code++; break;
  case MD_SPAN_A: {
    const char *href = md_attr_string(s, &((MD_SPAN_A_DETAIL *)detail)->href);
    if (s->nlinks < 8)
      s->links[s->nlinks] = href;
    s->nlinks++;
    break;
  }
  default: break;
  }
  return s->failed ? -1 : 0;
}

/* md4c was seen closing a link it had not opened, on brackets and images
 * nested in a link's text (the markup fuzz corpus keeps that input): no
 * depth may go below zero, or the next link is stored at links[-1]. */
static void leave(int *depth) {
  if (*depth > 0)
    (*depth)--;
}

static int md_leave_span(MD_SPANTYPE type, void *detail, void *ud) {
  (void)detail;
  md_state *s = ud;
  switch (type) {
  case MD_SPAN_STRONG: leave(&s->strong); break;
  case MD_SPAN_EM: leave(&s->em); break;
  case MD_SPAN_CODE: leave(&s->code); break;
  case MD_SPAN_A: leave(&s->nlinks); break;
  default: break;
  }
  return 0;
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *t, MD_SIZE n, void *ud) {
  md_state *s = ud;
  switch (type) {
  case MD_TEXT_NULLCHAR: break;
  case MD_TEXT_BR:
    md_flush(s);
    md_push_span(s, "", 0, CV_SPAN_BREAK | md_cur_flags(s), NULL);
    break;
  case MD_TEXT_SOFTBR: md_put(s, " ", 1); break;
  case MD_TEXT_ENTITY: {
    uint32_t cp = entity_decode(t, n);
    char u[4];
    if (cp)
      md_put(s, u, (size_t)cv_utf8_encode(cp, u));
    else
      md_put(s, t, n);
    break;
  }
  default: md_put(s, t, n); break;
  }
  return s->failed ? -1 : 0;
}

static int line_is_only(const char *p, const char *end, char c) {
  int count = 0;
  for (; p < end; p++) {
    if (*p == c)
      count++;
    else if (*p != ' ' && *p != '\t')
      return 0;
  }
  return count >= 3;
}

/* "]:" within [p, end): a link reference definition.  The line is not
 * NUL-terminated, so no str* function may look at it. */
static int has_label_colon(const char *p, const char *end) {
  for (; p + 1 < end; p++)
    if (p[0] == ']' && p[1] == ':')
      return 1;
  return 0;
}

/* Copies one line into b, escaping what md4c would read as block syntax:
 * a CV field "1. foo" or "- foo" is text, never a list. */
static void escape_line(cv_buf *b, const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    p++; /* indentation would make a code block or a lazy continuation */
  if (p == end)
    return;
  char c = *p;
  const char *q = p;
  while (q < end && *q >= '0' && *q <= '9')
    q++;
  if (q > p && q < end && (*q == '.' || *q == ')')) {
    cv_buf_put(b, p, (size_t)(q - p));
    cv_buf_putc(b, '\\');
    cv_buf_put(b, q, (size_t)(end - q));
    return;
  }
  int esc = c == '#' || c == '>' || c == '-' || c == '+' || c == '=' ||
            c == '|' || (c == '`' && end - p >= 3 && !memcmp(p, "```", 3)) ||
            (c == '~' && end - p >= 3 && !memcmp(p, "~~~", 3)) ||
            (c == '*' && (p + 1 == end || p[1] == ' ' || p[1] == '\t' ||
                          line_is_only(p, end, '*'))) ||
            (c == '_' && line_is_only(p, end, '_')) ||
            (c == '[' && has_label_colon(p, end));
  if (esc)
    cv_buf_putc(b, '\\');
  cv_buf_put(b, p, (size_t)(end - p));
}

int cv_markup_parse(cv_arena *arena, const char *markup, size_t len,
                    cv_span **spans, size_t *nspans, cv_status *st) {
  *spans = NULL;
  *nspans = 0;
  size_t bad = cv_utf8_check(markup, len);
  if (bad != (size_t)-1) {
    cv_status_set(st, "invalid UTF-8 in text at byte %zu", bad);
    return -1;
  }
  cv_buf src;
  cv_buf_init(&src);
  for (const char *p = markup, *end = markup + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    escape_line(&src, p, le);
    if (nl)
      cv_buf_putc(&src, '\n');
    p = nl ? nl + 1 : end;
  }
  md_state s = {.arena = arena};
  cv_buf_init(&s.text);
  MD_PARSER parser = {0};
  parser.flags = MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS |
                 MD_FLAG_COLLAPSEWHITESPACE | MD_FLAG_PERMISSIVEURLAUTOLINKS |
                 MD_FLAG_PERMISSIVEEMAILAUTOLINKS;
  parser.enter_block = md_enter_block;
  parser.leave_block = md_leave_block;
  parser.enter_span = md_enter_span;
  parser.leave_span = md_leave_span;
  parser.text = md_text;
  int rc = src.failed ? -1
                      : md_parse(src.data ? src.data : "", (MD_SIZE)src.len,
                                 &parser, &s);
  if (rc == 0 && !s.failed)
    md_flush(&s);
  cv_buf_fini(&src);
  cv_buf_fini(&s.text);
  if (rc != 0 || s.failed) {
    free(s.spans);
    cv_status_set(st, "out of memory parsing inline markup");
    return -1;
  }
  /* Hand the spans over in the arena, like everything else they point to. */
  if (s.nspans) {
    *spans = cv_arena_alloc_n(arena, s.nspans, sizeof **spans);
    if (!*spans) {
      free(s.spans);
      cv_status_set(st, "out of memory parsing inline markup");
      return -1;
    }
    memcpy(*spans, s.spans, s.nspans * sizeof **spans);
  }
  *nspans = s.nspans;
  free(s.spans);
  return 0;
}

/* ==== characters ====================================================== */

/* Upper case for Latin (ASCII, Latin-1, Extended-A), Greek and Cyrillic:
 * enough for CV headings, independent of the C locale.  One code point to
 * one code point, so character counts never change. */
static uint32_t cp_upper(uint32_t c) {
  if (c >= 'a' && c <= 'z')
    return c - 32;
  if (c < 0xB5)
    return c;
  if (c == 0xB5)
    return 0x39C;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
    return c - 32;
  if (c == 0xFF)
    return 0x178;
  if (c == 0x131)
    return 'I';
  if (c == 0x17F)
    return 'S';
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
    return (c & 1) ? c - 1 : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
    return (c & 1) ? c : c - 1;
  if (c == 0x3C2)
    return 0x3A3;
  if (c >= 0x3B1 && c <= 0x3C9)
    return c - 32;
  if (c >= 0x430 && c <= 0x44F)
    return c - 32;
  if (c >= 0x450 && c <= 0x45F)
    return c - 80;
  return c;
}

static uint32_t cp_lower(uint32_t c) {
  if (c >= 'A' && c <= 'Z')
    return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
    return c + 32;
  if (c == 0x178)
    return 0xFF;
  if ((c >= 0x100 && c <= 0x137 && c != 0x130) || (c >= 0x14A && c <= 0x177))
    return (c & 1) ? c : c + 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
    return (c & 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
    return c + 32;
  if (c >= 0x410 && c <= 0x42F)
    return c + 32;
  if (c >= 0x400 && c <= 0x40F)
    return c + 80;
  return c;
}

static int is_letter(uint32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return 1;
  if (c >= 0xC0 && c <= 0x24F)
    return c != 0xD7 && c != 0xF7;
  return (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x4FF);
}

/* Spaces that separate words (and so become glue).  No-break spaces are
 * deliberately absent: they stay inside a box. */
static int is_break_space(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A && c != 0x2007) || c == 0x205F ||
         c == 0x3000;
}

static int is_newline(uint32_t c) {
  return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}

static int is_hyphen_like(uint32_t c) {
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 ||
         c == 0x2013 || c == 0xAD;
}

/* Characters that go with the font of the character before them. */
static int is_joiner(uint32_t c) {
  return (c >= 0x300 && c <= 0x36F) || c == 0x200C || c == 0x200D ||
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
         (c >= 0x20D0 && c <= 0x20FF);
}

static uint32_t decode_at(const char *s, size_t n, size_t i, int *k) {
  uint32_t cp = 0xFFFD;
  *k = cv_utf8_decode(s + i, n - i, &cp);
  if (*k <= 0) {
    *k = 1;
    cp = 0xFFFD;
  }
  return cp;
}

/* ==== shaper ========================================================== */

/* ==== hyphenation patterns shared by documents ========================= */

typedef struct hyph_entry {
  char *path;
  HyphenDict *dict; /* NULL: the file could not be loaded */
} hyph_entry;

struct cv_hyphcache {
  pthread_mutex_t mu; /* guards the list and the loads */
  hyph_entry *e;
  size_t n, cap;
};

cv_hyphcache *cv_hyphcache_create(void) {
  cv_hyphcache *c = calloc(1, sizeof *c);
  if (c && pthread_mutex_init(&c->mu, NULL) != 0) {
    free(c);
    c = NULL;
  }
  return c;
}

void cv_hyphcache_destroy(cv_hyphcache *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    free(c->e[i].path);
    if (c->e[i].dict)
      hnj_hyphen_free(c->e[i].dict);
  }
  free(c->e);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

/* Loading patterns costs more than shaping a whole CV; hyphenating with a
 * loaded dictionary only reads it, so one copy serves every thread. */
static HyphenDict *hyphcache_get(cv_hyphcache *c, const char *path) {
  if (pthread_mutex_lock(&c->mu) != 0)
    return NULL;
  HyphenDict *d = NULL;
  size_t i = 0;
  while (i < c->n && strcmp(c->e[i].path, path) != 0)
    i++;
  if (i < c->n) {
    d = c->e[i].dict;
  } else {
    char *key = cv_strdup(path);
    if (key && cv_grow((void **)&c->e, &c->cap, c->n + 1, sizeof *c->e) == 0) {
      d = hnj_hyphen_load(path);
      c->e[c->n++] = (hyph_entry){key, d};
      key = NULL;
    }
    free(key);
  }
  pthread_mutex_unlock(&c->mu);
  return d;
}

/* ==== shaping cache ===================================================== */

/* Shaped words recur (names, venues, "and", "the"): a run is cached per
 * font, features and text, in font units, so any size reuses it. */
typedef struct shape_glyph {
  uint32_t gid, cluster; /* cluster: byte offset from the run's start */
  int32_t xa, xo, yo;
} shape_glyph;

/* One allocation: the header, n glyphs, then (cached entries) a copy of
 * the text. */
typedef struct shape_entry {
  uint64_t hash;
  const cv_font *font;
  unsigned feats; /* smcp level | no-ligatures << 2 */
  int cached;     /* in the cache (else the shaper's scratch entry) */
  const char *text; /* the entry's own copy (cached entries) */
  size_t len;
  hb_direction_t dir;
  unsigned n;
  int nhyph; /* -1: hyphenation points not computed yet */
  uint8_t *hyph; /* byte offsets from the run's start (words < 256 B) */
  shape_glyph g[];
} shape_entry;

#define SHAPE_CACHE_MAX (1u << 16) /* entries; past it, shape uncached */

struct cv_shaper {
  cv_fontset *fs;
  cv_hyphcache *hyphcache; /* borrowed, or NULL */
  cv_arena cache_arena;    /* the entries, with glyphs and text */
  shape_entry **cache;     /* open addressing, cap a power of two */
  size_t ncache, capcache;
  shape_entry *scratch;    /* an uncacheable run's, until the next run */
  size_t capscratch;       /* glyphs scratch has room for */
  /* Paragraph arrays, reused from one paragraph to the next. */
  char *ptext;
  uint32_t *pspan;
  uint8_t *psmall;
  struct cv_font **pfont;
  char *pbrks;
  cv_uax14 uax14;
  struct span_info *psi;
  size_t cap_text, cap_span, cap_small, cap_font, cap_brks, cap_si;
  /* Per font: has 'smcp', the space's advance. */
  struct font_info *finfo;
  size_t nfinfo, capfinfo;
  /* Whether a font has a glyph for a character, direct-mapped. */
  struct glyph_hit {
    const struct cv_font *f;
    uint32_t cp;
    int has;
  } ghit[512];
  cv_arena *arena;
  hb_language_t hb_lang;
  char lang[16]; /* language subtag for libunibreak */
  HyphenDict *hyph;   /* loaded on first need: it costs more than shaping */
  char hyph_path[4096]; /* "" when the language has no patterns */
  int hyph_failed;
  hb_buffer_t *buf;
  uint32_t *missing;
  size_t nmissing, capmissing;
  /* Decides which link targets runs may carry (NULL: all). */
  const char *(*link_filter)(void *ud, const char *uri);
  void *link_ud;
};

static int try_dict(const char *dir, const char *tag, char *path,
                    size_t cap) {
  int n = snprintf(path, cap, "%s/hyph_%s.dic", dir, tag);
  if (n < 0 || (size_t)n >= cap)
    return 0;
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int cv_language_tag_ok(const char *tag) {
  size_t len = 0, sub = 0, nsub = 0;
  for (const char *p = tag;; p++, len++) {
    char c = *p;
    if (c == '-' || c == '_' || c == '\0') {
      /* The first subtag is the language (letters), later ones a script,
       * region or variant (letters and digits), each 1 to 8 long. */
      if (sub == 0 || sub > 8 || (nsub == 0 && sub < 2))
        return 0;
      nsub++;
      sub = 0;
      if (c == '\0')
        return len <= 35;
      continue;
    }
    int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alpha && !(nsub > 0 && c >= '0' && c <= '9'))
      return 0;
    sub++;
  }
}

/* Finds the pattern file for lang; 0 and path "" when there is none. */
static int find_hyphenation(const char *lang, const char *const *dirs,
                            char *path, size_t cap) {
  path[0] = '\0';
  static const char *const regions[][2] = {
      {"en", "en_US"}, {"de", "de_DE"}, {"fr", "fr"},    {"it", "it_IT"},
      {"es", "es"},    {"nl", "nl_NL"}, {"pt", "pt_PT"}, {"pl", "pl_PL"},
      {"sv", "sv_SE"}, {"da", "da_DK"}, {"ru", "ru_RU"}, {"cs", "cs_CZ"},
  };
  char tag[64], base[16];
  size_t n = strlen(lang);
  if (n == 0 || n >= sizeof tag)
    return 0;
  for (size_t i = 0; i <= n; i++)
    tag[i] = lang[i] == '-' ? '_' : lang[i];
  size_t bl = strcspn(tag, "_");
  if (bl >= sizeof base)
    return 0;
  memcpy(base, tag, bl);
  base[bl] = '\0';
  const char *cands[3] = {tag, base, NULL};
  for (size_t i = 0; i < sizeof regions / sizeof *regions; i++)
    if (strcmp(regions[i][0], base) == 0)
      cands[2] = regions[i][1];
  for (size_t d = 0; dirs && dirs[d]; d++)
    for (int c = 0; c < 3; c++) {
      if (!cands[c])
        continue;
      if (try_dict(dirs[d], cands[c], path, cap))
        return 1;
    }
  path[0] = '\0';
  return 0;
}

/* The patterns, loaded on first use. */
static HyphenDict *shaper_dict(cv_shaper *sh) {
  if (!sh->hyph && !sh->hyph_failed && sh->hyph_path[0]) {
    sh->hyph = sh->hyphcache ? hyphcache_get(sh->hyphcache, sh->hyph_path)
                             : hnj_hyphen_load(sh->hyph_path);
    sh->hyph_failed = sh->hyph == NULL;
  }
  return sh->hyph;
}

void cv_shaper_set_arena(cv_shaper *sh, cv_arena *arena) {
  if (sh && arena)
    sh->arena = arena;
}

void cv_shaper_set_link_filter(cv_shaper *sh,
                               const char *(*filter)(void *ud, const char *uri),
                               void *ud) {
  sh->link_filter = filter;
  sh->link_ud = ud;
}

void cv_shaper_set_hyphcache(cv_shaper *sh, cv_hyphcache *c) {
  if (sh && !sh->hyph)
    sh->hyphcache = c;
}

cv_shaper *cv_shaper_create(cv_fontset *fs, cv_arena *arena, const char *lang,
                            const char *const *hyph_dirs, cv_status *st) {
  cv_shaper *sh = calloc(1, sizeof *sh);
  if (!sh) {
    cv_status_set(st, "out of memory creating the shaper");
    return NULL;
  }
  sh->fs = fs;
  sh->arena = arena;
  cv_arena_init(&sh->cache_arena);
  if (!lang || !*lang)
    lang = "en";
  sh->hb_lang = hb_language_from_string(lang, -1);
  size_t bl = strcspn(lang, "-_");
  if (bl >= sizeof sh->lang)
    bl = sizeof sh->lang - 1;
  memcpy(sh->lang, lang, bl);
  sh->lang[bl] = '\0';
  sh->buf = hb_buffer_create();
  if (!hb_buffer_allocation_successful(sh->buf)) {
    cv_status_set(st, "out of memory creating the shaper");
    cv_shaper_destroy(sh);
    return NULL;
  }
  if (!find_hyphenation(lang, hyph_dirs, sh->hyph_path, sizeof sh->hyph_path) &&
      st && !st->failed)
    snprintf(st->msg, sizeof st->msg,
             "no hyphenation patterns for language \"%s\" (hyph_%s.dic); "
             "words will not be hyphenated",
             lang, lang);
  return sh;
}

void cv_shaper_destroy(cv_shaper *sh) {
  if (!sh)
    return;
  if (sh->hyph && !sh->hyphcache)
    hnj_hyphen_free(sh->hyph);
  free(sh->cache);
  free(sh->scratch);
  free(sh->ptext);
  free(sh->pspan);
  free(sh->psmall);
  free(sh->pfont);
  free(sh->pbrks);
  cv_uax14_fini(&sh->uax14);
  free(sh->psi);
  free(sh->finfo);
  cv_arena_fini(&sh->cache_arena);
  hb_buffer_destroy(sh->buf);
  free(sh->missing);
  free(sh);
}

size_t cv_shaper_missing(const cv_shaper *sh, const uint32_t **cps) {
  *cps = sh->missing;
  return sh->nmissing;
}

/* The first characters no font has, in the order met: enough for the
 * warning, which names the first 20; a text of many different ones must
 * not search an ever longer list for each. */
#define CV_MISSING_KEPT 64

static void note_missing(cv_shaper *sh, uint32_t cp) {
  if (sh->nmissing >= CV_MISSING_KEPT)
    return;
  for (size_t i = 0; i < sh->nmissing; i++)
    if (sh->missing[i] == cp)
      return;
  if (cv_grow((void **)&sh->missing, &sh->capmissing, sh->nmissing + 1,
              sizeof *sh->missing) == 0)
    sh->missing[sh->nmissing++] = cp;
}

/* ==== paragraph state ================================================= */

typedef struct span_info {
  cv_font *font; /* main font of the span */
  cv_variant v;
  const char *link;
  int smcp; /* 0 none, 1 smcp, 2 smcp+c2sc */
  int fake_smallcaps;
} span_info;

/* Per-byte attributes of the paragraph text; only entries at the first
 * byte of a character are meaningful. */
typedef struct para {
  const char *text; /* arena copy: glyph texts point into it */
  size_t len;
  uint32_t *span; /* span index */
  cv_font **font;
  uint8_t *small; /* scaled capital (fake small caps) */
  char *brks;
  span_info *si;
  size_t nsi;
} para;

typedef struct shape_ctx {
  cv_shaper *sh;
  const cv_textstyle *style;
  para *p;
  cv_hlist *out;
  int hyphenate, justify;
  int line_mode; /* cv_shape_line: boxes only */
  cv_status *st;
  hb_direction_t dir;        /* of the last run shaped */
  shape_entry *last;         /* its cache entry, or NULL */
} shape_ctx;

static int font_has_feature(const cv_font *f, hb_tag_t tag) {
  hb_tag_t tags[128];
  unsigned start = 0, count;
  do {
    count = 128;
    unsigned total = hb_ot_layout_table_get_feature_tags(
        f->hb_face, HB_OT_TAG_GSUB, start, &count, tags);
    for (unsigned i = 0; i < count; i++)
      if (tags[i] == tag)
        return 1;
    start += count;
    if (start >= total)
      break;
  } while (count == 128);
  return 0;
}

typedef struct font_info {
  const cv_font *f;
  int smcp;           /* -1: not looked up yet */
  int space;          /* -1: not looked up yet, 0: no space glyph, 1 */
  hb_position_t space_adv;
} font_info;

/* What the shaper remembers of f (a handful of fonts per document), or
 * NULL when out of memory. */
static font_info *font_info_get(cv_shaper *sh, const cv_font *f) {
  for (size_t i = 0; i < sh->nfinfo; i++)
    if (sh->finfo[i].f == f)
      return &sh->finfo[i];
  if (cv_grow((void **)&sh->finfo, &sh->capfinfo, sh->nfinfo + 1,
              sizeof *sh->finfo))
    return NULL;
  font_info *fi = &sh->finfo[sh->nfinfo++];
  *fi = (font_info){f, -1, -1, 0};
  return fi;
}

static int has_smcp(cv_shaper *sh, const cv_font *f) {
  font_info *fi = font_info_get(sh, f);
  if (!fi)
    return font_has_feature(f, HB_TAG('s', 'm', 'c', 'p'));
  if (fi->smcp < 0)
    fi->smcp = font_has_feature(f, HB_TAG('s', 'm', 'c', 'p'));
  return fi->smcp;
}

/* cv_font_glyph(f, cp) != 0, remembered. */
static int has_glyph(cv_shaper *sh, const cv_font *f, uint32_t cp) {
  size_t h = ((size_t)cp * 0x9E3779B1u ^ (size_t)((uintptr_t)f >> 4)) & 511;
  struct glyph_hit *g = &sh->ghit[h];
  if (g->f != f || g->cp != cp)
    *g = (struct glyph_hit){f, cp, cv_font_glyph(f, cp) != 0};
  return g->has;
}

/* Paragraph arrays live in the shaper and are reused. */
static void para_free(para *p) { memset(p, 0, sizeof *p); }

/* Writes span text (case-transformed as the style asks) at t, with the
 * span index and small-capital flag of each byte.  t has room for 3 bytes
 * per byte of the span (an invalid byte becomes U+FFFD; case mapping never
 * lengthens a character).  Returns the bytes written. */
static size_t para_add_text(char *t, uint32_t *span, uint8_t *small,
                            const cv_span *sp, uint32_t idx, int upper,
                            int fake_sc) {
  if (sp->flags & CV_SPAN_BREAK) {
    t[0] = '\n';
    span[0] = idx;
    small[0] = 0;
    return 1;
  }
  size_t n = 0;
  for (size_t i = 0; i < sp->len;) {
    unsigned char ch = (unsigned char)sp->text[i];
    if (ch < 0x80) { /* ASCII: one byte in, one out */
      char c = (char)ch, sm = 0;
      if (ch >= 'a' && ch <= 'z' && (upper || fake_sc)) {
        c = (char)(ch - 32);
        sm = (char)(fake_sc != 0);
      }
      t[n] = c;
      span[n] = idx;
      small[n] = (uint8_t)sm;
      n++;
      i++;
      continue;
    }
    int k;
    uint32_t cp = decode_at(sp->text, sp->len, i, &k);
    i += (size_t)k;
    uint32_t up = cp_upper(cp);
    uint8_t sm = 0;
    if (fake_sc && up != cp)
      sm = 1;
    if (upper || fake_sc)
      cp = up;
    int m = cv_utf8_encode(cp, t + n);
    for (int j = 0; j < m; j++) {
      span[n + (size_t)j] = idx;
      small[n + (size_t)j] = sm;
    }
    n += (size_t)m;
  }
  return n;
}

static int para_build(shape_ctx *c, const cv_span *spans, size_t nspans) {
  para *p = c->p;
  const cv_textstyle *style = c->style;
  memset(p, 0, sizeof *p);
  cv_shaper *sh = c->sh;
  p->nsi = nspans;
  if (cv_grow((void **)&sh->psi, &sh->cap_si, nspans ? nspans : 1,
              sizeof *sh->psi))
    goto oom;
  p->si = sh->psi;
  memset(p->si, 0, (nspans ? nspans : 1) * sizeof *p->si);
  size_t room = 1;
  for (size_t i = 0; i < nspans; i++) {
    if (spans[i].len > (SIZE_MAX - room) / 4)
      goto oom;
    room += (spans[i].flags & CV_SPAN_BREAK) ? 1 : spans[i].len * 3;
    unsigned fl = spans[i].flags;
    /* **strong** inside a bold style stays bold (as \textbf does), while
     * *emphasis* toggles italic (as \emph does). */
    int bold = (style->bold != 0) || ((fl & CV_SPAN_BOLD) != 0);
    int italic = (style->italic != 0) ^ ((fl & CV_SPAN_ITALIC) != 0);
    cv_variant v = (cv_variant)((bold ? CV_BOLD : 0) | (italic ? CV_ITALIC : 0));
    const char *fam = (fl & CV_SPAN_CODE) && style->code_family
                          ? style->code_family
                          : style->family;
    span_info *si = &p->si[i];
    si->v = v;
    si->link = spans[i].link && sh->link_filter
                   ? sh->link_filter(sh->link_ud, spans[i].link)
                   : spans[i].link;
    si->font = cv_fontset_get(sh->fs, fam, v, c->st);
    if (!si->font)
      return -1;
    if (style->smallcaps) {
      if (has_smcp(sh, si->font))
        si->smcp = style->uppercase ? 2 : 1;
      else
        si->fake_smallcaps = 1;
    }
  }
  if (cv_grow((void **)&sh->ptext, &sh->cap_text, room, 1) ||
      cv_grow((void **)&sh->pspan, &sh->cap_span, room, sizeof *sh->pspan) ||
      cv_grow((void **)&sh->psmall, &sh->cap_small, room, 1))
    goto oom;
  size_t len = 0;
  for (size_t i = 0; i < nspans; i++)
    len += para_add_text(sh->ptext + len, sh->pspan + len, sh->psmall + len,
                         &spans[i], (uint32_t)i,
                         style->uppercase && !p->si[i].smcp,
                         p->si[i].fake_smallcaps && !style->uppercase);
  p->len = len;
  p->text = cv_arena_strndup(sh->arena, sh->ptext, len);
  p->span = sh->pspan;
  p->small = sh->psmall;
  if (!p->text)
    goto oom;
  if (cv_grow((void **)&sh->pfont, &sh->cap_font, len ? len : 1,
              sizeof *sh->pfont) ||
      cv_grow((void **)&sh->pbrks, &sh->cap_brks, len ? len : 1, 1))
    goto oom;
  p->font = sh->pfont;
  p->brks = sh->pbrks;
  memset(p->font, 0, (len ? len : 1) * sizeof *p->font);
  if (cv_uax14_breaks(&sh->uax14, p->text, p->len, sh->lang, p->brks) < 0)
    goto oom;
  /* Fonts per character: the span's font, a fallback for what it lacks. */
  cv_font *prev = NULL;
  for (size_t i = 0; i < p->len;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    span_info *si = &p->si[p->span[i]];
    cv_font *f = si->font;
    if (is_joiner(cp) && prev) {
      f = prev;
    } else if (cp >= 0x20 && !is_break_space(cp) && !is_newline(cp) &&
               cp != 0xA0 && cp != 0x202F && cp != 0x2007 && cp != 0xAD &&
               !has_glyph(c->sh, f, cp)) {
      cv_font *fb = cv_fontset_fallback(c->sh->fs, cp, si->v, style->fallbacks);
      if (fb)
        f = fb;
      else
        note_missing(c->sh, cp);
    }
    p->font[i] = prev = f;
    i += (size_t)k;
  }
  return 0;
oom:
  cv_status_set(c->st, "out of memory shaping text");
  return -1;
}

/* ==== shaping ========================================================= */

static double units(const cv_font *f, double size, double v) {
  return v * size / (double)f->upem;
}

/* Runs in scripts whose shaping ignores the surrounding text (Latin,
 * Greek, punctuation) can be cached by their own text. */
static int cacheable(const char *t, size_t a, size_t b) {
  if (b - a > 255)
    return 0;
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(t, b, i, &k);
    if (!(cp < 0x0530 || (cp >= 0x1E00 && cp < 0x2070) ||
          (cp >= 0x20A0 && cp < 0x2100)))
      return 0;
    i += (size_t)k;
  }
  return 1;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ c[i]) * 0x100000001b3ull; /* FNV-1a */
  return h;
}

static int cache_grow(cv_shaper *sh) {
  size_t cap = sh->capcache ? sh->capcache * 2 : 1024;
  shape_entry **t = cv_calloc_n(cap, sizeof *t);
  if (!t)
    return -1;
  for (size_t i = 0; i < sh->capcache; i++) {
    shape_entry *e = sh->cache[i];
    if (!e)
      continue;
    size_t j = (size_t)e->hash & (cap - 1);
    while (t[j])
      j = (j + 1) & (cap - 1);
    t[j] = e;
  }
  free(sh->cache);
  sh->cache = t;
  sh->capcache = cap;
  return 0;
}

static const hb_feature_t feat_smcp = {HB_TAG('s', 'm', 'c', 'p'), 1, 0,
                                       (unsigned)-1};
static const hb_feature_t feat_c2sc = {HB_TAG('c', '2', 's', 'c'), 1, 0,
                                       (unsigned)-1};
/* Letter-spaced text must not join letters into ligatures. */
static const hb_feature_t feat_noliga = {HB_TAG('l', 'i', 'g', 'a'), 0, 0,
                                         (unsigned)-1};
static const hb_feature_t feat_noclig = {HB_TAG('c', 'l', 'i', 'g'), 0, 0,
                                         (unsigned)-1};

/* Shapes text[a, b) into an entry: the cache's, or the shaper's scratch
 * entry (valid until the next call) when the run cannot be cached. */
static shape_entry *shape_entry_get(shape_ctx *c, size_t a, size_t b,
                                    cv_font *f, unsigned feats) {
  cv_shaper *sh = c->sh;
  const para *p = c->p;
  shape_entry **slot = NULL;
  uint64_t h = 0;
  if (cacheable(p->text, a, b) && sh->ncache < SHAPE_CACHE_MAX) {
    h = hash_bytes(0xcbf29ce484222325ull, p->text + a, b - a);
    h = hash_bytes(h, &f, sizeof f);
    h = hash_bytes(h, &feats, sizeof feats);
    if ((sh->ncache + 1) * 2 > sh->capcache && cache_grow(sh) < 0)
      return NULL;
    size_t j = (size_t)h & (sh->capcache - 1);
    for (shape_entry *e; (e = sh->cache[j]) != NULL;
         j = (j + 1) & (sh->capcache - 1))
      if (e->hash == h && e->font == f && e->feats == feats &&
          e->len == b - a && memcmp(e->text, p->text + a, b - a) == 0)
        return e;
    slot = &sh->cache[j];
  }
  hb_buffer_t *buf = sh->buf;
  hb_buffer_clear_contents(buf);
  hb_buffer_add_utf8(buf, p->text, (int)p->len, (unsigned)a, (int)(b - a));
  hb_buffer_set_language(buf, sh->hb_lang);
  hb_buffer_guess_segment_properties(buf);
  hb_feature_t feat[4];
  unsigned nf = 0;
  if ((feats & 3) >= 1)
    feat[nf++] = feat_smcp;
  if ((feats & 3) == 2)
    feat[nf++] = feat_c2sc;
  if (feats & 4) {
    feat[nf++] = feat_noliga;
    feat[nf++] = feat_noclig;
  }
  hb_shape(f->hb_font, buf, feat, nf);
  unsigned n = 0;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &n);
  if (!hb_buffer_allocation_successful(buf))
    return NULL;
  shape_entry *e;
  if (slot) {
    size_t sz = sizeof *e + (size_t)n * sizeof *e->g;
    e = cv_arena_alloc(&sh->cache_arena, sz + (b - a) + 1);
    if (!e)
      return NULL;
    char *text = (char *)e + sz;
    memcpy(text, p->text + a, b - a);
    text[b - a] = '\0';
    e->text = text;
    e->cached = 1;
  } else {
    if (n > sh->capscratch || !sh->scratch) {
      size_t cap = n > 16 ? n : 16;
      shape_entry *t = malloc(sizeof *t + cap * sizeof *t->g);
      if (!t)
        return NULL;
      free(sh->scratch);
      sh->scratch = t;
      sh->capscratch = cap;
    }
    e = sh->scratch;
    e->text = p->text + a;
    e->cached = 0;
    e->hyph = NULL;
  }
  for (unsigned i = 0; i < n; i++)
    e->g[i] = (shape_glyph){info[i].codepoint, info[i].cluster - (uint32_t)a,
                            pos[i].x_advance, pos[i].x_offset,
                            pos[i].y_offset};
  e->hash = h;
  e->font = f;
  e->feats = feats;
  e->len = b - a;
  e->dir = hb_buffer_get_direction(buf);
  e->n = n;
  e->nhyph = -1;
  if (slot) {
    *slot = e;
    sh->ncache++;
  }
  return e;
}

/* Characters no installed font has (already warned about) are not drawn:
 * their .notdef glyphs go, and their text joins a neighbouring glyph's so
 * the PDF's text still holds them.  Returns the glyphs kept. */
static unsigned drop_notdef(cv_glyph *g, unsigned n, double *width) {
  unsigned k = 0;
  const char *pend = NULL;
  uint32_t pend_len = 0;
  for (unsigned i = 0; i < n; i++) {
    if (g[i].gid != 0) {
      g[k] = g[i];
      if (pend && g[k].text == pend + pend_len) {
        g[k].text = pend;
        g[k].text_len += pend_len;
      }
      pend = NULL;
      k++;
      continue;
    }
    *width -= g[i].adv;
    if (!g[i].text_len)
      continue;
    if (k > 0 && g[k - 1].text &&
        g[k - 1].text + g[k - 1].text_len == g[i].text) {
      g[k - 1].text_len += g[i].text_len;
    } else if (pend && pend + pend_len == g[i].text) {
      pend_len += g[i].text_len;
    } else {
      pend = g[i].text;
      pend_len = g[i].text_len;
    }
  }
  return k;
}

/* Shapes text[a, b) of the paragraph in one font and size.  Glyph texts
 * point into the paragraph text. */
static cv_run *shape_run(shape_ctx *c, size_t a, size_t b, cv_font *f,
                         double size, const span_info *si) {
  cv_shaper *sh = c->sh;
  const para *p = c->p;
  unsigned feats = (unsigned)si->smcp | (c->style->tracking != 0 ? 4u : 0u);
  shape_entry *e = shape_entry_get(c, a, b, f, feats);
  unsigned n = e ? e->n : 0;
  /* The run and its glyphs in one block (zeroed by the arena). */
  cv_run *run = e ? cv_arena_alloc(sh->arena, sizeof *run +
                                                  (size_t)(n ? n : 1) *
                                                      sizeof(cv_glyph))
                  : NULL;
  if (!run) {
    cv_status_set(c->st, "out of memory shaping text");
    return NULL;
  }
  cv_glyph *g = (cv_glyph *)(void *)(run + 1);
  c->dir = e->dir;
  c->last = e;
  double track = c->style->tracking * size;
  double width = 0;
  const shape_glyph *sg = e->g;
  /* Left-to-right text has non-decreasing clusters: a cluster then runs
   * to the next glyph's different one. */
  int monotone = 1;
  for (unsigned i = 1; i < n && monotone; i++)
    monotone = sg[i].cluster >= sg[i - 1].cluster;
  for (unsigned i = 0; i < n; i++) {
    uint32_t cl = sg[i].cluster;
    int first = i == 0 || sg[i - 1].cluster != cl;
    g[i].gid = sg[i].gid;
    g[i].adv = (float)(units(f, size, sg[i].xa) + (first ? track : 0));
    g[i].dx = (float)units(f, size, sg[i].xo);
    g[i].dy = (float)units(f, size, sg[i].yo);
    width += g[i].adv;
    if (!first)
      continue;
    /* The cluster runs to the next larger cluster value (any direction). */
    uint32_t end = (uint32_t)(b - a);
    if (monotone) {
      for (unsigned j = i + 1; j < n; j++)
        if (sg[j].cluster != cl) {
          end = sg[j].cluster;
          break;
        }
    } else {
      for (unsigned j = 0; j < n; j++)
        if (sg[j].cluster > cl && sg[j].cluster < end)
          end = sg[j].cluster;
    }
    g[i].text = p->text + a + cl;
    g[i].text_len = end - cl;
  }
  n = drop_notdef(g, n, &width);
  run->font = f;
  run->size = (float)size;
  run->color = c->style->color;
  run->n = n;
  run->g = g;
  run->width = (float)width;
  run->ascent = (float)units(f, size, f->ascender);
  run->descent = (float)units(f, size, -f->descender);
  run->link = si->link;
  return run;
}

static cv_run *sub_run(shape_ctx *c, const cv_run *r, unsigned from,
                       unsigned to) {
  cv_run *s = cv_arena_alloc(c->sh->arena, sizeof *s);
  if (!s) {
    cv_status_set(c->st, "out of memory shaping text");
    return NULL;
  }
  *s = *r;
  s->g = r->g + from;
  s->n = to - from;
  double w = 0;
  for (unsigned i = 0; i < s->n; i++)
    w += s->g[i].adv;
  s->width = (float)w;
  return s;
}

static void emit_box(shape_ctx *c, cv_run *run) {
  cv_hlist_box(c->out, run->width, run);
  if (c->out->failed || c->out->n == 0)
    return;
  cv_node *nd = &c->out->v[c->out->n - 1];
  nd->height = run->ascent;
  nd->depth = run->descent;
}

static double space_width(shape_ctx *c, cv_font *f, double size) {
  font_info *fi = font_info_get(c->sh, f);
  font_info tmp = {f, -1, -1, 0};
  if (!fi)
    fi = &tmp;
  if (fi->space < 0) {
    hb_codepoint_t g = 0;
    fi->space = hb_font_get_nominal_glyph(f->hb_font, ' ', &g) != 0;
    fi->space_adv = fi->space ? hb_font_get_glyph_h_advance(f->hb_font, g) : 0;
  }
  if (!fi->space)
    return size / 3.0; /* a font without a space: TeX's default 1/3 em */
  return units(f, size, fi->space_adv) + c->style->tracking * size;
}

static double run_size(shape_ctx *c, size_t i) {
  return c->p->small[i] ? c->style->size * 0.8 : c->style->size;
}

/* The hyphen glyph drawn at a line end broken at a hyphenation point. */
static cv_run *hyphen_run(shape_ctx *c, cv_font *f, double size,
                          const span_info *si) {
  static const char hy[] = "-";
  cv_shaper *sh = c->sh;
  hb_buffer_clear_contents(sh->buf);
  hb_buffer_add_utf8(sh->buf, hy, 1, 0, 1);
  hb_buffer_set_language(sh->buf, sh->hb_lang);
  hb_buffer_guess_segment_properties(sh->buf);
  hb_shape(f->hb_font, sh->buf, NULL, 0);
  unsigned n = 0;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(sh->buf, &n);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(sh->buf, &n);
  cv_run *r = cv_arena_alloc(sh->arena, sizeof *r);
  cv_glyph *g = cv_arena_alloc(sh->arena, sizeof *g);
  if (!r || !g || n != 1) {
    if (!r || !g)
      cv_status_set(c->st, "out of memory shaping text");
    return NULL;
  }
  g->gid = info[0].codepoint;
  g->adv = (float)units(f, size, pos[0].x_advance);
  g->text = "-";
  g->text_len = 1;
  *r = (cv_run){.font = f, .size = (float)size, .color = c->style->color,
                .n = 1, .g = g, .width = g->adv,
                .ascent = (float)units(f, size, f->ascender),
                .descent = (float)units(f, size, -f->descender),
                .link = si->link};
  return r;
}

/* Hyphenation points of text[a, b) as byte offsets (break before them).
 * Returns the count, at most max. */
static int hyphen_points(shape_ctx *c, size_t a, size_t b, size_t *pts,
                         int max) {
  HyphenDict *d = shaper_dict(c->sh);
  if (!d)
    return 0;
  const char *t = c->p->text;
  /* Strip punctuation around the word; what is left must be letters. */
  size_t offs[128];
  int nch = 0;
  char word[512];
  size_t wl = 0;
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(t, b, i, &k);
    if (!is_letter(cp)) {
      if (nch == 0) {
        i += (size_t)k;
        continue;
      }
      /* Trailing punctuation only: anything after it disqualifies. */
      for (size_t j = i; j < b;) {
        int k2;
        if (is_letter(decode_at(t, b, j, &k2)))
          return 0;
        j += (size_t)k2;
      }
      break;
    }
    if (nch >= 120 || wl + 4 >= sizeof word)
      return 0;
    offs[nch++] = i;
    uint32_t lc = cp_lower(cp);
    if (d->utf8) {
      char u[4];
      int n = cv_utf8_encode(lc, u);
      memcpy(word + wl, u, (size_t)n);
      wl += (size_t)n;
    } else {
      if (lc > 0xFF)
        return 0; /* an 8-bit dictionary cannot spell this word */
      word[wl++] = (char)lc;
    }
    i += (size_t)k;
  }
  if (nch < 5)
    return 0;
  /* libhyphen looks for its NOHYPHEN strings with strstr: the word must be
   * terminated even though its length is passed. */
  word[wl] = '\0';
  char hyphens[512 + 5];
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  if (hnj_hyphen_hyphenate3(d, word, (int)wl, hyphens, NULL, &rep, &pos, &cut,
                            2, 3, 2, 2) != 0)
    return 0;
  int np = 0;
  /* hyphens[] is indexed by character (libhyphen normalises UTF-8). */
  for (int i = 0; i < nch - 1 && np < max; i++)
    if ((hyphens[i] & 1) && !(rep && rep[i]))
      pts[np++] = offs[i + 1];
  if (rep) {
    for (int i = 0; i < (int)wl; i++)
      free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
  return np;
}

/* Index of the first glyph of the cluster starting at byte off, or 0 when
 * off falls inside a cluster (a ligature across the hyphenation point). */
static unsigned split_glyph(const cv_run *r, const para *p, size_t off) {
  for (unsigned i = 1; i < r->n; i++) {
    size_t cl = (size_t)(r->g[i].text - p->text);
    if (r->g[i].text_len && cl == off)
      return i;
    if (r->g[i].text_len && cl > off)
      return 0;
  }
  return 0;
}

static int emit_hyphenated(shape_ctx *c, cv_run *run, size_t a, size_t b,
                           const span_info *si) {
  size_t pts[32];
  int np;
  shape_entry *e = c->last;
  if (e && e->text && e->nhyph >= 0) {
    np = e->nhyph;
    for (int k = 0; k < np; k++)
      pts[k] = a + e->hyph[k];
  } else {
    np = hyphen_points(c, a, b, pts, 32);
    uint8_t *h = e && e->cached && np
                     ? cv_arena_alloc(&c->sh->cache_arena, (size_t)np)
                     : NULL;
    if (e && e->cached && (h || np == 0)) {
      for (int k = 0; k < np; k++)
        h[k] = (uint8_t)(pts[k] - a);
      e->hyph = h;
      e->nhyph = np;
    }
  }
  if (np == 0 || c->dir != HB_DIRECTION_LTR) {
    emit_box(c, run);
    return 0;
  }
  cv_run *hy = hyphen_run(c, run->font, run->size, si);
  if (!hy) {
    emit_box(c, run);
    return c->st && c->st->failed ? -1 : 0;
  }
  unsigned from = 0;
  for (int k = 0; k < np; k++) {
    unsigned at = split_glyph(run, c->p, pts[k]);
    if (at <= from)
      continue;
    cv_run *piece = sub_run(c, run, from, at);
    if (!piece)
      return -1;
    emit_box(c, piece);
    cv_hlist_penalty(c->out, hy->width, 50, 1);
    if (!c->out->failed)
      c->out->v[c->out->n - 1].hyphen = hy;
    from = at;
  }
  cv_run *last = sub_run(c, run, from, run->n);
  if (!last)
    return -1;
  emit_box(c, last);
  return 0;
}

/* A chunk: text between two break opportunities, split into runs where the
 * font, size or span changes; boxes without glue between do not break. */
static int emit_chunk(shape_ctx *c, size_t a, size_t b, int may_hyphenate) {
  para *p = c->p;
  size_t i = a;
  while (i < b) {
    size_t j = i;
    while (j < b) {
      int k;
      decode_at(p->text, p->len, j, &k);
      size_t nx = j + (size_t)k;
      j = nx;
      if (j < b && (p->font[j] != p->font[i] || p->span[j] != p->span[i] ||
                    p->small[j] != p->small[i]))
        break;
    }
    const span_info *si = &p->si[p->span[i]];
    cv_run *run = shape_run(c, i, j, p->font[i], run_size(c, i), si);
    if (!run)
      return -1;
    if (may_hyphenate && i == a && j == b) {
      if (emit_hyphenated(c, run, a, b, si) < 0)
        return -1;
    } else {
      emit_box(c, run);
    }
    i = j;
  }
  return 0;
}

static int word_has_hard_hyphen(const para *p, size_t a, size_t b) {
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (is_hyphen_like(cp) || cp == '/' || cp == 0x2014)
      return 1;
    i += (size_t)k;
  }
  return 0;
}

/* A soft hyphen is invisible unless the line breaks there: then it is a
 * hyphenation point like the patterns' ones. */
static int emit_soft_hyphen(shape_ctx *c, size_t at) {
  const span_info *si = &c->p->si[c->p->span[at]];
  cv_run *hy = hyphen_run(c, c->p->font[at], run_size(c, at), si);
  if (!hy)
    return c->st && c->st->failed ? -1 : 0;
  cv_hlist_penalty(c->out, hy->width, 50, 1);
  if (!c->out->failed)
    c->out->v[c->out->n - 1].hyphen = hy;
  return 0;
}

/* A word: maximal text between spaces.  Breaks inside it come from UAX #14
 * (after hyphens and slashes, between ideographs). */
static int emit_word(shape_ctx *c, size_t a, size_t b) {
  para *p = c->p;
  int may_hyph = c->hyphenate && !c->line_mode && c->sh->hyph_path[0] &&
                 !word_has_hard_hyphen(p, a, b);
  size_t start = a, prev_at = a;
  uint32_t prev = 0;
  for (size_t i = a; i < b;) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (i > start && !c->line_mode && p->brks[i - 1] == LINEBREAK_ALLOWBREAK) {
      if (emit_chunk(c, start, i, may_hyph) < 0)
        return -1;
      if (prev == 0xAD) {
        if (emit_soft_hyphen(c, prev_at) < 0)
          return -1;
      } else {
        /* A break after a word's own hyphen ("config-gated") reads back
         * as "configgated" in text extraction, which undoes a line-end
         * hyphen: so it is allowed, but only when nothing else fits. */
        int hy = is_hyphen_like(prev) || prev == 0x2014;
        cv_hlist_penalty(c->out, 0, hy ? (prev == 0x2014 ? 50 : 900) : 0, hy);
      }
      start = i;
    }
    prev = cp;
    prev_at = i;
    i += (size_t)k;
  }
  return emit_chunk(c, start, b, may_hyph);
}

static void emit_space(shape_ctx *c, size_t at) {
  cv_font *f = c->p->si[c->p->span[at]].font;
  double w = space_width(c, f, c->style->size);
  if (c->line_mode)
    cv_hlist_box(c->out, w, NULL);
  else if (c->justify)
    cv_hlist_glue(c->out, w, w / 2, w / 3);
  else
    cv_hlist_glue(c->out, w, 0, w / 3);
}

static int shape_para(shape_ctx *c) {
  para *p = c->p;
  size_t i = 0;
  while (i < p->len) {
    int k;
    uint32_t cp = decode_at(p->text, p->len, i, &k);
    if (is_break_space(cp) || (c->line_mode && is_newline(cp))) {
      size_t at = i;
      while (i < p->len && is_break_space(decode_at(p->text, p->len, i, &k)))
        i += (size_t)k;
      emit_space(c, at);
      if (i == at)
        i += (size_t)k; /* a newline in line mode */
      continue;
    }
    if (is_newline(cp)) {
      /* TeX's \newline: fill the line, then force the break. */
      cv_hlist_glue(c->out, 0, CV_FIL, 0);
      cv_hlist_penalty(c->out, 0, CV_EJECT_PENALTY, 0);
      i += (size_t)k;
      continue;
    }
    size_t a = i;
    while (i < p->len) {
      cp = decode_at(p->text, p->len, i, &k);
      if (is_break_space(cp) || is_newline(cp))
        break;
      i += (size_t)k;
    }
    if (emit_word(c, a, i) < 0)
      return -1;
  }
  if (c->out->failed) {
    cv_status_set(c->st, "out of memory building the node list");
    return -1;
  }
  return 0;
}

int cv_shape_spans(cv_shaper *sh, const cv_textstyle *style,
                   const cv_span *spans, size_t nspans, int hyphenate,
                   int justify, cv_hlist *out, cv_status *st) {
  if (nspans == 0)
    return 0;
  para p;
  shape_ctx c = {sh, style, &p, out, hyphenate, justify, 0, st,
                 HB_DIRECTION_LTR, NULL};
  int rc = para_build(&c, spans, nspans);
  if (rc == 0)
    rc = shape_para(&c);
  para_free(&p);
  return rc;
}

int cv_shape_line(cv_shaper *sh, const cv_textstyle *style, const char *markup,
                  cv_hlist *out, double *width, cv_status *st) {
  *width = 0;
  cv_span *spans = NULL;
  size_t nspans = 0;
  if (cv_markup_parse(sh->arena, markup, strlen(markup), &spans, &nspans,
                      st) < 0)
    return -1;
  if (nspans == 0)
    return 0;
  size_t first = out->n;
  para p;
  shape_ctx c = {sh, style, &p, out, 0, 0, 1, st, HB_DIRECTION_LTR, NULL};
  int rc = para_build(&c, spans, nspans);
  if (rc == 0)
    rc = shape_para(&c);
  para_free(&p);
  for (size_t i = first; rc == 0 && i < out->n; i++)
    *width += out->v[i].width;
  return rc;
}
