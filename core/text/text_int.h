/* cvpdf - what the pieces of text shaping share (internal to core/text):
 * the shaper, its cache entries and the state of the paragraph being
 * shaped, and the functions one piece calls in another.  The pieces:
 *   text.c    spans into node lists: fonts per character, break
 *             opportunities (libunibreak, UAX #14), words, spaces;
 *   shaper.c  the shaper's lifetime, what it knows of each font, and
 *             shaping runs (HarfBuzz) through its cache;
 *   hyphen.c  hyphenation patterns (libhyphen), shared by documents,
 *             and words split at their hyphenation points;
 *   markup.c  inline markup (md4c) into spans, which needs none of this. */
#ifndef CV_TEXT_INT_H
#define CV_TEXT_INT_H

#include "text/text.h"
#include "text/uax14.h"

#include <hb.h>
#include <hyphen.h>

/* Nothing here is part of libcvpdf's interface. */
#pragma GCC visibility push(hidden)

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
  unsigned feats;   /* smcp level | no-ligatures << 2 | language << 3 */
  int cached;       /* in the cache (else the shaper's scratch entry) */
  const char *text; /* the entry's own copy (cached entries) */
  size_t len;
  hb_direction_t dir;
  unsigned n;
  int nhyph;     /* -1: hyphenation points not computed yet */
  uint8_t *hyph; /* byte offsets from the run's start (words < 256 B) */
  shape_glyph g[];
} shape_entry;

#define SHAPE_CACHE_MAX (1u << 16) /* entries; past it, shape uncached */

/* A language a phrase is set in (<span lang="de">) other than the
 * shaper's own: shaped and hyphenated as that language is. */
typedef struct lang_slot {
  hb_language_t hb;
  char sub[16];         /* its language subtag */
  char hyph_path[4096]; /* "" when the language has no patterns */
  HyphenDict *hyph;     /* loaded on first need */
  int hyph_failed;
} lang_slot;

/* Languages of phrases a shaper keeps; a phrase in yet another one is
 * set as the shaper's language. */
#define CV_PHRASE_LANGS 8
#define CV_HYPH_DIRS 8

struct cv_shaper {
  cv_fontset *fs;
  cv_hyphcache *hyphcache; /* borrowed, or NULL */
  cv_arena cache_arena;    /* the entries, with glyphs and text */
  shape_entry **cache;     /* open addressing, cap a power of two */
  size_t ncache, capcache;
  shape_entry *scratch; /* an uncacheable run's, until the next run */
  size_t capscratch;    /* glyphs scratch has room for */
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
  char lang[16];        /* language subtag for libunibreak */
  HyphenDict *hyph;     /* loaded on first need: it costs more than shaping */
  char hyph_path[4096]; /* "" when the language has no patterns */
  int hyph_failed;
  hb_buffer_t *buf;
  /* Words in another language, and that language (borrowed). */
  const char *const *fwords;
  size_t nfwords;
  const char *fwlang;
  /* Languages of phrases, and where their patterns are looked for. */
  lang_slot *xlangs[CV_PHRASE_LANGS];
  int nxlangs;
  char *hyph_dirs[CV_HYPH_DIRS + 1];
  uint32_t *missing;
  size_t nmissing, capmissing;
  /* Decides which link targets runs may carry (NULL: all). */
  const char *(*link_filter)(void *ud, const char *uri);
  void *link_ud;
};

/* ==== paragraph state ================================================= */

typedef struct span_info {
  cv_font *font; /* main font of the span */
  cv_variant v;
  const char *link;
  int smcp; /* 0 none, 1 smcp, 2 smcp+c2sc */
  int fake_smallcaps;
  const char *lang; /* a phrase's language tag, or NULL */
  int ls;           /* its slot: 0 the shaper's language, k xlangs[k - 1] */
} span_info;

/* Per-byte attributes of the paragraph text; only entries at the first
 * byte of a character are meaningful. */
typedef struct para {
  const char *text; /* arena copy: glyph texts point into it */
  size_t len;
  uint32_t *span; /* span index */
  cv_font **font;
  uint8_t *small; /* scaled capital (fake small caps) */
  char *brks;     /* valid inside the words word_breaks was asked for */
  int brks_whole; /* brks holds the whole paragraph's */
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
  hb_direction_t dir; /* of the last run shaped */
  shape_entry *last;  /* its cache entry, or NULL */
} shape_ctx;

/* The code point at s[i] (U+FFFD for an invalid byte); *k gets its
 * length in bytes.  ASCII, most of a CV's text, is decoded here: every
 * loop over a paragraph's characters calls this once a character. */
static inline uint32_t decode_at(const char *s, size_t n, size_t i, int *k) {
  if (i < n && (unsigned char)s[i] < 0x80) {
    *k = 1;
    return (unsigned char)s[i];
  }
  uint32_t cp = 0xFFFD;
  *k = cv_utf8_decode(s + i, n - i, &cp);
  if (*k <= 0) {
    *k = 1;
    cp = 0xFFFD;
  }
  return cp;
}

/* Font units to points. */
static inline double units(const cv_font *f, double size, double v) {
  return v * size / (double)f->upem;
}

/* ---- text.c ------------------------------------------------------------ */

/* Appends a box holding run, as tall and deep as its font. */
void cv_shape_emit_box(shape_ctx *c, cv_run *run);
/* The size of the text at byte i: smaller for a scaled capital. */
double cv_shape_run_size(shape_ctx *c, size_t i);

/* ---- shaper.c ---------------------------------------------------------- */

/* The slot of a phrase's language (0: the shaper's own, or no room). */
int cv_shaper_lang_slot(cv_shaper *sh, const char *lang);
/* HarfBuzz's language and the language subtag of slot ls. */
hb_language_t cv_shaper_hb_lang(const cv_shaper *sh, int ls);
const char *cv_shaper_sub_lang(const cv_shaper *sh, int ls);

/* Notes a character no installed font has, for the warning. */
void cv_shaper_note_missing(cv_shaper *sh, uint32_t cp);
/* Whether f has OpenType small capitals (remembered). */
int cv_shaper_has_smcp(cv_shaper *sh, const cv_font *f);
/* cv_font_glyph(f, cp) != 0, remembered. */
int cv_shaper_has_glyph(cv_shaper *sh, const cv_font *f, uint32_t cp);
/* Shapes text[a, b) of the paragraph in one font and size; NULL (c->st
 * set) when out of memory. */
cv_run *cv_shape_run(shape_ctx *c, size_t a, size_t b, cv_font *f, double size,
                     const span_info *si);
/* The width of an interword space in f at size. */
double cv_shape_space_width(shape_ctx *c, cv_font *f, double size);

/* ---- hyphen.c ---------------------------------------------------------- */

/* Whether slot ls's language has hyphenation patterns. */
int cv_shaper_slot_hyphenates(const cv_shaper *sh, int ls);
/* Finds the pattern file for lang in dirs; 0 and path "" when there is
 * none. */
int cv_hyph_find(const char *lang, const char *const *dirs, char *path,
                 size_t cap);
/* Appends run, the word text[a, b), split at its hyphenation points with
 * a penalty flagged `flag` at each (1, or CV_HYPHEN_LAST_RESORT).  0, or
 * -1 with c->st. */
int cv_shape_emit_hyphenated(shape_ctx *c, cv_run *run, size_t a, size_t b,
                             const span_info *si, int flag);
/* The break a soft hyphen at byte `at` allows. */
int cv_shape_emit_soft_hyphen(shape_ctx *c, size_t at);

#pragma GCC visibility pop

#endif
