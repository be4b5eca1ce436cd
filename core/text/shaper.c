/* cvpdf - the shaper: its lifetime and language, what it remembers of
 * each font (small capitals, the space, which characters it has), the
 * characters no font covers, and runs shaped with HarfBuzz through a cache
 * of shaped words. */
#define _POSIX_C_SOURCE 200809L
#include "text/text_int.h"

#include <hb-ot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== the shaper ======================================================= */

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

void cv_shaper_set_foreign_words(cv_shaper *sh, const char *const *words,
                                 size_t n, const char *lang) {
  sh->fwords = lang ? words : NULL;
  sh->nfwords = words && lang ? n : 0;
  sh->fwlang = lang;
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
  /* Missing patterns are no failure: the caller warns (cv_shaper_hyphenates).
   */
  if (!cv_hyph_find(lang, hyph_dirs, sh->hyph_path, sizeof sh->hyph_path))
    sh->hyph_path[0] = '\0';
  /* Kept for the patterns of phrases in other languages. */
  for (int i = 0; hyph_dirs && hyph_dirs[i] && i < CV_HYPH_DIRS; i++)
    if (!(sh->hyph_dirs[i] = cv_strdup(hyph_dirs[i]))) {
      cv_status_set(st, "out of memory creating the shaper");
      cv_shaper_destroy(sh);
      return NULL;
    }
  return sh;
}

static void copy_sub(char *dst, size_t cap, const char *lang) {
  size_t bl = strcspn(lang, "-_");
  if (bl >= cap)
    bl = cap - 1;
  memcpy(dst, lang, bl);
  dst[bl] = '\0';
}

int cv_shaper_lang_slot(cv_shaper *sh, const char *lang) {
  if (!lang || !*lang)
    return 0;
  hb_language_t hb = hb_language_from_string(lang, -1);
  if (hb == sh->hb_lang)
    return 0;
  for (int i = 0; i < sh->nxlangs; i++)
    if (sh->xlangs[i]->hb == hb)
      return i + 1;
  if (sh->nxlangs >= CV_PHRASE_LANGS)
    return 0;
  lang_slot *l = calloc(1, sizeof *l);
  if (!l)
    return 0;
  l->hb = hb;
  copy_sub(l->sub, sizeof l->sub, lang);
  if (!cv_hyph_find(lang, (const char *const *)sh->hyph_dirs, l->hyph_path,
                    sizeof l->hyph_path))
    l->hyph_path[0] = '\0';
  sh->xlangs[sh->nxlangs++] = l;
  return sh->nxlangs;
}

hb_language_t cv_shaper_hb_lang(const cv_shaper *sh, int ls) {
  return ls > 0 && ls <= sh->nxlangs ? sh->xlangs[ls - 1]->hb : sh->hb_lang;
}

const char *cv_shaper_sub_lang(const cv_shaper *sh, int ls) {
  return ls > 0 && ls <= sh->nxlangs ? sh->xlangs[ls - 1]->sub : sh->lang;
}

int cv_shaper_hyphenates(const cv_shaper *sh) {
  return sh && sh->hyph_path[0];
}

void cv_shaper_destroy(cv_shaper *sh) {
  if (!sh)
    return;
  if (sh->hyph && !sh->hyphcache)
    hnj_hyphen_free(sh->hyph);
  for (int i = 0; i < sh->nxlangs; i++) {
    if (sh->xlangs[i]->hyph && !sh->hyphcache)
      hnj_hyphen_free(sh->xlangs[i]->hyph);
    free(sh->xlangs[i]);
  }
  for (int i = 0; i < CV_HYPH_DIRS; i++)
    free(sh->hyph_dirs[i]);
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

void cv_shaper_note_missing(cv_shaper *sh, uint32_t cp) {
  if (sh->nmissing >= CV_MISSING_KEPT)
    return;
  for (size_t i = 0; i < sh->nmissing; i++)
    if (sh->missing[i] == cp)
      return;
  if (cv_grow((void **)&sh->missing, &sh->capmissing, sh->nmissing + 1,
              sizeof *sh->missing) == 0)
    sh->missing[sh->nmissing++] = cp;
}

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
  int smcp;  /* -1: not looked up yet */
  int space; /* -1: not looked up yet, 0: no space glyph, 1 */
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

int cv_shaper_has_smcp(cv_shaper *sh, const cv_font *f) {
  font_info *fi = font_info_get(sh, f);
  if (!fi)
    return font_has_feature(f, HB_TAG('s', 'm', 'c', 'p'));
  if (fi->smcp < 0)
    fi->smcp = font_has_feature(f, HB_TAG('s', 'm', 'c', 'p'));
  return fi->smcp;
}

/* cv_font_glyph(f, cp) != 0, remembered. */
int cv_shaper_has_glyph(cv_shaper *sh, const cv_font *f, uint32_t cp) {
  size_t h = ((size_t)cp * 0x9E3779B1u ^ (size_t)((uintptr_t)f >> 4)) & 511;
  struct glyph_hit *g = &sh->ghit[h];
  if (g->f != f || g->cp != cp)
    *g = (struct glyph_hit){f, cp, cv_font_glyph(f, cp) != 0};
  return g->has;
}

/* ==== shaping ========================================================= */

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
  hb_buffer_set_language(buf, cv_shaper_hb_lang(sh, (int)(feats >> 3)));
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
                            pos[i].x_advance, pos[i].x_offset, pos[i].y_offset};
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
cv_run *cv_shape_run(shape_ctx *c, size_t a, size_t b, cv_font *f, double size,
                     const span_info *si) {
  cv_shaper *sh = c->sh;
  const para *p = c->p;
  /* The language is part of what a cached run was shaped as. */
  unsigned feats = (unsigned)si->smcp | (c->style->tracking != 0 ? 4u : 0u) |
                   (unsigned)si->ls << 3;
  shape_entry *e = shape_entry_get(c, a, b, f, feats);
  unsigned n = e ? e->n : 0;
  /* The run and its glyphs in one block (zeroed by the arena). */
  cv_run *run =
      e ? cv_arena_alloc(sh->arena,
                         sizeof *run + (size_t)(n ? n : 1) * sizeof(cv_glyph))
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
  run->color = si->link && c->style->link_colored ? c->style->link_color
                                                  : c->style->color;
  run->n = n;
  run->g = g;
  run->width = (float)width;
  run->ascent = (float)units(f, size, f->ascender);
  run->descent = (float)units(f, size, -f->descender);
  run->link = si->link;
  run->lang = si->lang;
  return run;
}

double cv_shape_space_width(shape_ctx *c, cv_font *f, double size) {
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
