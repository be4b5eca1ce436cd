/* cvpdf - hyphenation: pattern files found by language and loaded once
 * per process (libhyphen), the hyphenation points of a word, and a shaped
 * word split at them with the hyphen each break would draw. */
#define _POSIX_C_SOURCE 200809L
#include "text/text_int.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static int try_dict(const char *dir, const char *tag, char *path, size_t cap) {
  int n = snprintf(path, cap, "%s/hyph_%s.dic", dir, tag);
  if (n < 0 || (size_t)n >= cap)
    return 0;
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Any hyph_BASE_*.dic of dir (Debian names most pattern files by language
 * and region only: hyph_es_ES.dic, hyph_id_ID.dic); the first in name
 * order, so the choice does not depend on the directory's order. */
static int scan_dict(const char *dir, const char *base, char *path,
                     size_t cap) {
  DIR *dp = opendir(dir);
  if (!dp)
    return 0;
  char prefix[32], best[256] = "";
  snprintf(prefix, sizeof prefix, "hyph_%s_", base);
  size_t pl = strlen(prefix);
  struct dirent *de;
  while ((de = readdir(dp))) {
    size_t n = strlen(de->d_name);
    if (strncmp(de->d_name, prefix, pl) || n < pl + 5 || n >= sizeof best ||
        strcmp(de->d_name + n - 4, ".dic"))
      continue;
    if (!best[0] || strcmp(de->d_name, best) < 0)
      snprintf(best, sizeof best, "%s", de->d_name);
  }
  closedir(dp);
  if (!best[0])
    return 0;
  char tag[256];
  snprintf(tag, sizeof tag, "%.*s", (int)(strlen(best) - 9), best + 5);
  return try_dict(dir, tag, path, cap);
}

/* Finds the pattern file for lang: the tag itself, its language, the
 * region patterns are usually written for, the language's own country
 * (es_ES), then any region of the language.  0 and path "" when there is
 * none. */
int cv_hyph_find(const char *lang, const char *const *dirs, char *path,
                 size_t cap) {
  path[0] = '\0';
  static const char *const usual[][2] = {
      {"en", "en_US"}, {"pt", "pt_PT"}, {"sv", "sv_SE"}, {"da", "da_DK"},
      {"cs", "cs_CZ"}, {"no", "nb_NO"}, {"el", "el_GR"}, {"sl", "sl_SI"},
      {"uk", "uk_UA"}, {"be", "be_BY"}, {"ca", "ca_ES"}, {"gl", "gl_ES"},
  };
  char tag[64], base[16], own[40];
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
  snprintf(own, sizeof own, "%s_%s", base, base);
  for (char *p = own + bl + 1; *p; p++)
    *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
  const char *cands[4] = {tag, base, NULL, own};
  for (size_t i = 0; i < sizeof usual / sizeof *usual; i++)
    if (strcmp(usual[i][0], base) == 0)
      cands[2] = usual[i][1];
  for (size_t d = 0; dirs && dirs[d]; d++)
    for (int c = 0; c < 4; c++)
      if (cands[c] && try_dict(dirs[d], cands[c], path, cap))
        return 1;
  for (size_t d = 0; dirs && dirs[d]; d++)
    if (scan_dict(dirs[d], base, path, cap))
      return 1;
  path[0] = '\0';
  return 0;
}

/* Whether lang is written in a script that breaks lines without hyphens
 * (Chinese, Japanese, Korean, Thai-like scripts without patterns, Arabic
 * and Hebrew), so that no patterns are needed. */
int cv_hyph_needless(const char *lang) {
  static const char *const langs[] = {"zh", "ja", "ko", "lo", "km", "my", "bo",
                                      "ar", "fa", "he", "ur", "yi", "vi"};
  size_t bl = strcspn(lang ? lang : "", "-_");
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
    if (bl == strlen(langs[i]) && !strncmp(lang, langs[i], bl))
      return 1;
  return 0;
}

/* Patterns at path, loaded on first use into *d. */
static HyphenDict *load_dict(cv_shaper *sh, const char *path, HyphenDict **d,
                             int *failed) {
  if (!*d && !*failed && path[0]) {
    *d = sh->hyphcache ? hyphcache_get(sh->hyphcache, path)
                       : hnj_hyphen_load(path);
    *failed = *d == NULL;
  }
  return *d;
}

/* The patterns of language slot ls (0: the shaper's language). */
static HyphenDict *shaper_dict(cv_shaper *sh, int ls) {
  if (ls > 0 && ls <= sh->nxlangs) {
    lang_slot *l = sh->xlangs[ls - 1];
    return load_dict(sh, l->hyph_path, &l->hyph, &l->hyph_failed);
  }
  return load_dict(sh, sh->hyph_path, &sh->hyph, &sh->hyph_failed);
}

int cv_shaper_slot_hyphenates(const cv_shaper *sh, int ls) {
  if (ls > 0 && ls <= sh->nxlangs)
    return sh->xlangs[ls - 1]->hyph_path[0] != '\0';
  return sh->hyph_path[0] != '\0';
}

/* ==== hyphenation points =============================================== */

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

/* The hyphen glyph drawn at a line end broken at a hyphenation point. */
static cv_run *hyphen_run(shape_ctx *c, cv_font *f, double size,
                          const span_info *si) {
  static const char hy[] = "-";
  cv_shaper *sh = c->sh;
  hb_buffer_clear_contents(sh->buf);
  hb_buffer_add_utf8(sh->buf, hy, 1, 0, 1);
  hb_buffer_set_language(sh->buf, cv_shaper_hb_lang(sh, si->ls));
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
  /* It stands for a soft hyphen: extractors drop it and the word comes
   * back whole, where a typed hyphen stays "-". */
  g->text = "\xC2\xAD";
  g->text_len = 2;
  *r = (cv_run){.font = f,
                .size = (float)size,
                .color = c->style->color,
                .n = 1,
                .g = g,
                .width = g->adv,
                .ascent = (float)units(f, size, f->ascender),
                .descent = (float)units(f, size, -f->descender),
                .link = si->link,
                .lang = si->lang};
  return r;
}

/* Hyphenation points of text[a, b) as byte offsets (break before them).
 * Returns the count, at most max. */
static int hyphen_points(shape_ctx *c, int ls, size_t a, size_t b, size_t *pts,
                         int max) {
  HyphenDict *d = shaper_dict(c->sh, ls);
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

int cv_shape_emit_hyphenated(shape_ctx *c, cv_run *run, size_t a, size_t b,
                             const span_info *si, int flag) {
  size_t pts[32];
  int np;
  shape_entry *e = c->last;
  if (e && e->text && e->nhyph >= 0) {
    np = e->nhyph;
    for (int k = 0; k < np; k++)
      pts[k] = a + e->hyph[k];
  } else {
    np = hyphen_points(c, si->ls, a, b, pts, 32);
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
    cv_shape_emit_box(c, run);
    return 0;
  }
  cv_run *hy = hyphen_run(c, run->font, run->size, si);
  if (!hy) {
    cv_shape_emit_box(c, run);
    return c->st && c->st->failed ? -1 : 0;
  }
  int pi = flag == CV_HYPHEN_LAST_RESORT ? CV_LAST_RESORT_PENALTY : 50;
  unsigned from = 0;
  for (int k = 0; k < np; k++) {
    unsigned at = split_glyph(run, c->p, pts[k]);
    if (at <= from)
      continue;
    cv_run *piece = sub_run(c, run, from, at);
    if (!piece)
      return -1;
    cv_shape_emit_box(c, piece);
    cv_hlist_penalty(c->out, hy->width, pi, flag);
    if (!c->out->failed)
      c->out->v[c->out->n - 1].hyphen = hy;
    from = at;
  }
  cv_run *last = sub_run(c, run, from, run->n);
  if (!last)
    return -1;
  cv_shape_emit_box(c, last);
  return 0;
}

/* A soft hyphen is invisible unless the line breaks there: then it is a
 * hyphenation point like the patterns' ones. */
int cv_shape_emit_soft_hyphen(shape_ctx *c, size_t at) {
  const span_info *si = &c->p->si[c->p->span[at]];
  cv_run *hy = hyphen_run(c, c->p->font[at], cv_shape_run_size(c, at), si);
  if (!hy)
    return c->st && c->st->failed ? -1 : 0;
  cv_hlist_penalty(c->out, hy->width, 50, 1);
  if (!c->out->failed)
    c->out->v[c->out->n - 1].hyphen = hy;
  return 0;
}
