/* cvpdf - fonts: family declarations, fontconfig lookup, FreeType faces and
 * HarfBuzz fonts. */
#define _POSIX_C_SOURCE 200809L
#include "text/font.h"

#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include FT_TRUETYPE_TABLES_H
#include FT_FONT_FORMATS_H
#include FT_OUTLINE_H

typedef struct cv_family {
  char *name;
  char *files[4]; /* as declared; NULL when the family lacks the variant */
  char *base_dir;
  cv_font *font[4];  /* loaded faces, borrowed from the fontset's list */
  int resolved[4];   /* a lookup was attempted (successful or not) */
  int from_manifest; /* declared by cv_fontset_add_family */
} cv_family;

/* Fallback lookups are costly (a fontconfig sort); remember every answer. */
typedef struct cv_fallback_hit {
  uint32_t cp;
  cv_variant v;
  const char *const *list; /* the fallbacks list asked with (identity) */
  cv_font *font;           /* NULL: nothing covers cp */
  int used;                /* a slot of the table holds this answer */
} cv_fallback_hit;

/* After this many characters no font had, the code points of all
 * installed fonts are gathered once, so a text full of characters nothing
 * covers costs no fontconfig sort for each. */
#define CV_FC_MISSES_BEFORE_COVER 16

/* A face loaded once per process: the template every fontset copies.  Its
 * FreeType face is closed after the metrics are read (shaping and
 * subsetting use HarfBuzz only), so the template is immutable. */
typedef struct cv_face {
  char *path;
  int index;
  cv_font *font;
} cv_face;

struct cv_fontcache {
  pthread_mutex_t mu; /* guards faces and ft: FreeType loads are not
                         thread-safe on one library */
  FT_Library ft;
  cv_face *faces;
  size_t nfaces, capfaces;
};

struct cv_fontset {
  cv_fontcache *cache; /* borrowed, or owned when own_cache */
  int own_cache;
  FcConfig *fc;      /* a reference to fontconfig's current config */
  FcFontSet *fc_all; /* all installed fonts (file, index), listed lazily */
  cv_family *fam;
  size_t nfam, capfam;
  cv_font **fonts; /* owned */
  size_t nfonts, capfonts;
  cv_fallback_hit *hits; /* open addressing, a power of 2 slots */
  size_t nhits, caphits;
  cv_fallback_hit *fc_fallbacks; /* fonts fontconfig proposed, in order */
  size_t nfcfb, capfcfb;
  size_t fc_misses;    /* characters fontconfig found in no font */
  FcCharSet *fc_cover; /* what the installed fonts cover, or NULL */
};

static const char *const variant_names[4] = {"regular", "bold", "italic",
                                             "bold-italic"};

cv_fontcache *cv_fontcache_create(cv_status *st) {
  cv_fontcache *c = calloc(1, sizeof *c);
  if (!c) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory creating a font cache");
    return NULL;
  }
  if (pthread_mutex_init(&c->mu, NULL) != 0) {
    cv_status_set(st, "cannot create the font cache's lock");
    free(c);
    return NULL;
  }
  if (FT_Init_FreeType(&c->ft) != 0) {
    cv_status_set(st, "cannot initialise FreeType");
    pthread_mutex_destroy(&c->mu);
    free(c);
    return NULL;
  }
  return c;
}

static void font_free(cv_font *f);

void cv_fontcache_destroy(cv_fontcache *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->nfaces; i++) {
    free(c->faces[i].path);
    font_free(c->faces[i].font);
  }
  free(c->faces);
  FT_Done_FreeType(c->ft);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

cv_fontset *cv_fontset_create_cached(cv_fontcache *cache, cv_status *st) {
  cv_fontset *fs = calloc(1, sizeof *fs);
  if (!fs) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory creating a font set");
    return NULL;
  }
  fs->cache = cache;
  if (!fs->cache) {
    if (!(fs->cache = cv_fontcache_create(st))) {
      free(fs);
      return NULL;
    }
    fs->own_cache = 1;
  }
  /* fontconfig is started on first need (a file not found in a manifest's
   * dirs, a family without manifest, a fallback): parsing its
   * configuration costs more than the rest of a small render. */
  return fs;
}

cv_fontset *cv_fontset_create(cv_status *st) {
  return cv_fontset_create_cached(NULL, st);
}

/* fontconfig's current config, started on first use; NULL if it cannot
 * start (callers then find nothing through it). */
static FcConfig *fc_config(cv_fontset *fs) {
  if (!fs->fc && FcInit())
    fs->fc = FcConfigReference(NULL);
  return fs->fc;
}

static void font_free(cv_font *f) {
  if (!f)
    return;
  hb_font_destroy(f->hb_font);
  hb_face_destroy(f->hb_face);
  hb_blob_destroy(f->blob);
  if (f->ft)
    FT_Done_Face(f->ft);
  free(f->path);
  free(f->family);
  free(f->ps_name);
  free(f);
}

static void family_clear(cv_family *fam) {
  free(fam->name);
  free(fam->base_dir);
  for (int i = 0; i < 4; i++)
    free(fam->files[i]);
  memset(fam, 0, sizeof *fam);
}

void cv_fontset_destroy(cv_fontset *fs) {
  if (!fs)
    return;
  for (size_t i = 0; i < fs->nfonts; i++)
    font_free(fs->fonts[i]);
  free(fs->fonts);
  for (size_t i = 0; i < fs->nfam; i++)
    family_clear(&fs->fam[i]);
  free(fs->fam);
  free(fs->hits);
  free(fs->fc_fallbacks);
  if (fs->fc_cover)
    FcCharSetDestroy(fs->fc_cover);
  if (fs->fc_all)
    FcFontSetDestroy(fs->fc_all);
  if (fs->fc)
    FcConfigDestroy(fs->fc);
  if (fs->own_cache)
    cv_fontcache_destroy(fs->cache);
  free(fs);
}

size_t cv_fontset_count(const cv_fontset *fs) {
  return fs->nfonts;
}

cv_font *cv_fontset_at(const cv_fontset *fs, size_t i) {
  return i < fs->nfonts ? fs->fonts[i] : NULL;
}

uint32_t cv_font_glyph(const cv_font *f, uint32_t cp) {
  hb_codepoint_t g = 0;
  if (!f || !hb_font_get_nominal_glyph(f->hb_font, cp, &g))
    return 0;
  return g;
}

/* ---- families -------------------------------------------------------- */

static cv_family *family_find(cv_fontset *fs, const char *name) {
  for (size_t i = 0; i < fs->nfam; i++)
    if (strcasecmp(fs->fam[i].name, name) == 0)
      return &fs->fam[i];
  return NULL;
}

static cv_family *family_new(cv_fontset *fs, const char *name, cv_status *st) {
  if (cv_grow((void **)&fs->fam, &fs->capfam, fs->nfam + 1, sizeof *fs->fam)) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory declaring font family %s",
                   name);
    return NULL;
  }
  cv_family *fam = &fs->fam[fs->nfam];
  memset(fam, 0, sizeof *fam);
  if (!(fam->name = cv_strdup(name))) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory declaring font family %s",
                   name);
    return NULL;
  }
  fs->nfam++;
  return fam;
}

int cv_fontset_add_family(cv_fontset *fs, const char *family,
                          const char *const files[4], const char *base_dir,
                          cv_status *st) {
  cv_family *fam = family_find(fs, family);
  if (fam) {
    /* Fonts already loaded stay in fs->fonts (runs may point at them); the
     * family just forgets them. */
    family_clear(fam);
    if (!(fam->name = cv_strdup(family))) {
      cv_status_fail(st, CV_ERR_NOMEM, "out of memory declaring font family %s",
                     family);
      return -1;
    }
  } else if (!(fam = family_new(fs, family, st))) {
    return -1;
  }
  fam->from_manifest = 1;
  if (base_dir && !(fam->base_dir = cv_strdup(base_dir)))
    goto oom;
  for (int i = 0; i < 4; i++)
    if (files[i] && !(fam->files[i] = cv_strdup(files[i])))
      goto oom;
  return 0;
oom:
  cv_status_fail(st, CV_ERR_NOMEM, "out of memory declaring font family %s",
                 family);
  return -1;
}

/* ---- loading --------------------------------------------------------- */

/* id < 0: "" when raw has no usable character (named later by id). */
static char *sanitise_ps_name(const char *raw, int id) {
  char *out = malloc(64);
  if (!out)
    return NULL;
  size_t n = 0;
  for (const char *p = raw ? raw : ""; *p && n < 60; p++) {
    char c = *p;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-')
      out[n++] = c;
  }
  if (n == 0 && id >= 0)
    n = (size_t)snprintf(out, 64, "CvFont%d", id);
  out[n] = '\0';
  return out;
}

/* Height of a glyph's outline box: the fallback for cap and x heights when
 * OS/2 is too old to carry them. */
static int glyph_top(FT_Face ft, uint32_t cp) {
  FT_UInt g = FT_Get_Char_Index(ft, cp);
  if (!g || FT_Load_Glyph(ft, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING))
    return 0;
  FT_BBox b;
  FT_Outline_Get_CBox(&ft->glyph->outline, &b);
  return (int)b.yMax;
}

static int guess_serif(const TT_OS2 *os2, const char *family) {
  if (os2 && os2->panose[0] == 2 && os2->panose[1] >= 2) {
    if (os2->panose[1] >= 11 && os2->panose[1] <= 13)
      return 0; /* normal/obtuse/perpendicular sans */
    return 1;
  }
  if (os2) {
    int cls = os2->sFamilyClass >> 8;
    if (cls >= 1 && cls <= 7)
      return 1;
    if (cls == 8)
      return 0;
  }
  return family && !strstr(family, "Sans") && !strstr(family, "sans");
}

static void fill_metrics(cv_font *f) {
  FT_Face ft = f->ft;
  f->upem = ft->units_per_EM ? ft->units_per_EM : 1000;
  f->ascender = ft->ascender;
  f->descender = ft->descender;
  f->line_gap = ft->height - ft->ascender + ft->descender;
  f->bbox[0] = (int)ft->bbox.xMin;
  f->bbox[1] = (int)ft->bbox.yMin;
  f->bbox[2] = (int)ft->bbox.xMax;
  f->bbox[3] = (int)ft->bbox.yMax;
  const TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
  if (os2 && os2->version != 0xFFFF && os2->sTypoAscender > 0) {
    f->ascender = os2->sTypoAscender;
    f->descender = os2->sTypoDescender;
    f->line_gap = os2->sTypoLineGap;
  }
  if (os2 && os2->version >= 2 && os2->version != 0xFFFF) {
    f->cap_height = os2->sCapHeight;
    f->x_height = os2->sxHeight;
  }
  if (f->cap_height <= 0)
    f->cap_height = glyph_top(ft, 'H');
  if (f->cap_height <= 0)
    f->cap_height = f->ascender;
  if (f->x_height <= 0)
    f->x_height = glyph_top(ft, 'x');
  const TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
  if (post) {
    f->italic_angle = (double)post->italicAngle / 65536.0;
    f->fixed_pitch = post->isFixedPitch != 0;
  }
  if (FT_IS_FIXED_WIDTH(ft))
    f->fixed_pitch = 1;
  f->serif = guess_serif(os2, ft->family_name);
  f->symbolic = FT_Get_Char_Index(ft, 'a') == 0;
  f->fs_type = FT_Get_FSType_Flags(ft);
}

const char *cv_font_embedding_refused(const cv_font *f) {
  if (f->fs_type & FT_FSTYPE_BITMAP_EMBEDDING_ONLY)
    return "bitmap embedding only";
  /* Restricted: bit 1 alone; a font setting a more permissive bit too
   * allows that one (OpenType's OS/2 specification). */
  if ((f->fs_type & 0x000F) == FT_FSTYPE_RESTRICTED_LICENSE_EMBEDDING)
    return "restricted licence embedding";
  return NULL;
}

/* Loads a face into a template font (cache lock held).  ps_name is left
 * "" when the font has none: each fontset then names it by its own id. */
static cv_font *face_load(FT_Library lib, const char *path, int index,
                          cv_status *st) {
  cv_font *f = calloc(1, sizeof *f);
  if (!f || !(f->path = cv_strdup(path))) {
    free(f);
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory loading %s", path);
    return NULL;
  }
  f->face_index = index;
  if (FT_New_Face(lib, path, index, &f->ft) != 0) {
    f->ft = NULL;
    cv_status_fail(st, CV_ERR_FONT, "%s: FreeType cannot open this font file",
                   path);
    font_free(f);
    return NULL;
  }
  f->blob = hb_blob_create_from_file_or_fail(path);
  if (!f->blob) {
    cv_status_fail(st, CV_ERR_FONT, "%s: cannot read the font file", path);
    font_free(f);
    return NULL;
  }
  f->hb_face = hb_face_create(f->blob, (unsigned)index);
  f->hb_font = hb_font_create(f->hb_face);
  if (!f->hb_face || !f->hb_font || hb_face_get_glyph_count(f->hb_face) == 0) {
    cv_status_fail(st, CV_ERR_FONT, "%s: HarfBuzz cannot read this font", path);
    font_free(f);
    return NULL;
  }
  hb_ot_font_set_funcs(f->hb_font);
  const char *fmt = FT_Get_Font_Format(f->ft);
  f->is_cff = fmt && strcmp(fmt, "CFF") == 0;
  fill_metrics(f);
  hb_font_set_scale(f->hb_font, (int)f->upem, (int)f->upem);
  hb_font_make_immutable(f->hb_font);
  hb_face_make_immutable(f->hb_face);
  f->ps_name = sanitise_ps_name(FT_Get_Postscript_Name(f->ft), -1);
  f->family = cv_strdup(f->ft->family_name ? f->ft->family_name : "");
  /* Everything FreeType was needed for is read: closing the face keeps
   * the template immutable and frees its memory. */
  FT_Done_Face(f->ft);
  f->ft = NULL;
  if (!f->ps_name || !f->family) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory loading %s", path);
    font_free(f);
    return NULL;
  }
  return f;
}

/* The cache's template for path/index, loaded on first use.  Failures are
 * not remembered: the next asker gets the same message. */
static const cv_font *cache_get(cv_fontcache *c, const char *path, int index,
                                cv_status *st) {
  const cv_font *t = NULL;
  if (pthread_mutex_lock(&c->mu) != 0) {
    cv_status_set(st, "cannot take the font cache's lock");
    return NULL;
  }
  for (size_t i = 0; i < c->nfaces && !t; i++)
    if (c->faces[i].index == index && strcmp(c->faces[i].path, path) == 0)
      t = c->faces[i].font;
  if (!t) {
    cv_font *f = NULL;
    char *key = NULL;
    if (cv_grow((void **)&c->faces, &c->capfaces, c->nfaces + 1,
                sizeof *c->faces) != 0 ||
        !(key = cv_strdup(path))) {
      cv_status_fail(st, CV_ERR_NOMEM, "out of memory loading %s", path);
    } else if ((f = face_load(c->ft, path, index, st)) != NULL) {
      c->faces[c->nfaces++] = (cv_face){key, index, f};
      key = NULL;
      t = f;
    }
    free(key);
  }
  pthread_mutex_unlock(&c->mu);
  return t;
}

/* A fontset's own copy of a template: HarfBuzz objects are shared (they are
 * immutable and thread-safe), names and id belong to the fontset. */
static cv_font *font_copy(const cv_font *t, int id) {
  cv_font *f = malloc(sizeof *f);
  if (!f)
    return NULL;
  *f = *t;
  f->id = id;
  f->path = cv_strdup(t->path);
  f->family = cv_strdup(t->family);
  f->ps_name =
      t->ps_name[0] ? cv_strdup(t->ps_name) : sanitise_ps_name(NULL, id);
  f->blob = hb_blob_reference(t->blob);
  f->hb_face = hb_face_reference(t->hb_face);
  f->hb_font = hb_font_reference(t->hb_font);
  if (!f->path || !f->family || !f->ps_name) {
    font_free(f);
    return NULL;
  }
  return f;
}

static cv_font *font_load(cv_fontset *fs, const char *path, int index,
                          cv_status *st) {
  for (size_t i = 0; i < fs->nfonts; i++)
    if (fs->fonts[i]->face_index == index &&
        strcmp(fs->fonts[i]->path, path) == 0)
      return fs->fonts[i];
  if (cv_grow((void **)&fs->fonts, &fs->capfonts, fs->nfonts + 1,
              sizeof *fs->fonts)) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory loading %s", path);
    return NULL;
  }
  const cv_font *t = cache_get(fs->cache, path, index, st);
  if (!t)
    return NULL;
  cv_font *f = font_copy(t, (int)fs->nfonts);
  if (!f) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory loading %s", path);
    return NULL;
  }
  fs->fonts[fs->nfonts++] = f;
  return f;
}

cv_font *cv_fontset_get_file(cv_fontset *fs, const char *path, cv_status *st) {
  return font_load(fs, path, 0, st);
}

/* ---- file lookup ----------------------------------------------------- */

static int file_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* Finds an installed font whose file name is name.  Returns a malloc'd path
 * and sets *index, or NULL. */
static char *fc_find_file(cv_fontset *fs, const char *name, int *index) {
  if (!fs->fc_all) {
    FcPattern *pat = FcPatternCreate();
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_INDEX, (char *)NULL);
    if (pat && os)
      fs->fc_all = FcFontList(fc_config(fs), pat, os);
    if (os)
      FcObjectSetDestroy(os);
    if (pat)
      FcPatternDestroy(pat);
    if (!fs->fc_all)
      return NULL;
  }
  char *best = NULL;
  int best_index = 0;
  for (int i = 0; i < fs->fc_all->nfont; i++) {
    FcChar8 *file = NULL;
    int idx = 0;
    FcPattern *p = fs->fc_all->fonts[i];
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
      continue;
    if (strcmp(base_name((const char *)file), name) != 0)
      continue;
    if (FcPatternGetInteger(p, FC_INDEX, 0, &idx) != FcResultMatch)
      idx = 0;
    /* Variable-font instances share the file with index >= 0x10000: take
     * the plain face with the lowest index. */
    if (best && idx >= best_index)
      continue;
    free(best);
    best = cv_strdup((const char *)file);
    best_index = idx;
  }
  *index = best_index;
  return best;
}

/* Resolves a declared file name to a path: absolute, base_dir, fontconfig. */
static char *resolve_path(cv_fontset *fs, const cv_family *fam,
                          const char *file, int *index);

/* "file.ttc#2" names face 2 of a collection (Noto CJK holds JP, KR, SC,
 * TC and HK faces in one file); a plain name means face 0. */
static char *resolve_file(cv_fontset *fs, const cv_family *fam,
                          const char *file, int *index) {
  const char *hash = strrchr(file, '#');
  char *end = NULL;
  long want = hash ? strtol(hash + 1, &end, 10) : 0;
  if (!hash || hash[1] == '\0' || *end != '\0' || want < 0 || want > 0xFFFF)
    return resolve_path(fs, fam, file, index);
  char *name = cv_strndup(file, (size_t)(hash - file));
  if (!name)
    return NULL;
  char *path = resolve_path(fs, fam, name, index);
  free(name);
  *index = (int)want;
  return path;
}

static char *resolve_path(cv_fontset *fs, const cv_family *fam,
                          const char *file, int *index) {
  *index = 0;
  if (file[0] == '/')
    return file_exists(file) ? cv_strdup(file) : NULL;
  if (fam->base_dir) {
    size_t n = strlen(fam->base_dir) + strlen(file) + 2;
    char *p = malloc(n);
    if (!p)
      return NULL;
    snprintf(p, n, "%s/%s", fam->base_dir, file);
    if (file_exists(p))
      return p;
    free(p);
  }
  return fc_find_file(fs, base_name(file), index);
}

/* Asks pat for variant v (weight and slant) and fills in what fontconfig's
 * configuration and defaults add, ready for a match or a sort. */
static void fc_prepare(cv_fontset *fs, FcPattern *pat, cv_variant v) {
  FcPatternAddInteger(pat, FC_WEIGHT,
                      (v & CV_BOLD) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pat, FC_SLANT,
                      (v & CV_ITALIC) ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcConfigSubstitute(fc_config(fs), pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
}

/* Looks a family up by name; NULL (st set) when fontconfig would substitute
 * another family. */
static cv_font *fc_match_family(cv_fontset *fs, const char *family,
                                cv_variant v, cv_status *st) {
  FcPattern *pat = FcPatternCreate();
  if (!pat) {
    cv_status_fail(st, CV_ERR_NOMEM, "out of memory looking up font %s",
                   family);
    return NULL;
  }
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  fc_prepare(fs, pat, v);
  FcResult res = FcResultNoMatch;
  FcPattern *m = FcFontMatch(fc_config(fs), pat, &res);
  FcPatternDestroy(pat);
  if (!m) {
    cv_status_fail(st, CV_ERR_FONT,
                   "font family \"%s\" (%s) not found: no fonts installed?",
                   family, variant_names[v]);
    return NULL;
  }
  int same = 0;
  FcChar8 *fam = NULL;
  FcChar8 *first = NULL;
  for (int i = 0; FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch;
       i++) {
    if (i == 0)
      first = fam;
    if (strcasecmp((const char *)fam, family) == 0)
      same = 1;
  }
  FcChar8 *file = NULL;
  int index = 0;
  cv_font *f = NULL;
  if (!same) {
    cv_status_fail(st, CV_ERR_FONT,
                   "font family \"%s\" (%s) is not installed (fontconfig "
                   "would substitute \"%s\"); install it or declare its files "
                   "in a fonts manifest",
                   family, variant_names[v], first ? (char *)first : "?");
  } else if (FcPatternGetString(m, FC_FILE, 0, &file) != FcResultMatch) {
    cv_status_fail(st, CV_ERR_FONT,
                   "font family \"%s\": fontconfig gave no file", family);
  } else {
    if (FcPatternGetInteger(m, FC_INDEX, 0, &index) != FcResultMatch)
      index = 0;
    f = font_load(fs, (const char *)file, index, st);
  }
  FcPatternDestroy(m);
  return f;
}

/* The variant actually declared for v: bold-italic -> bold -> regular,
 * italic -> regular, bold -> regular. */
static int declared_variant(const cv_family *fam, cv_variant v) {
  static const int chain[4][4] = {
      {0, -1, -1, -1}, {1, 0, -1, -1}, {2, 0, -1, -1}, {3, 1, 2, 0}};
  for (int i = 0; i < 4 && chain[v][i] >= 0; i++)
    if (fam->files[chain[v][i]])
      return chain[v][i];
  return -1;
}

static cv_font *load_declared(cv_fontset *fs, cv_family *fam, cv_variant v,
                              cv_status *st) {
  int dv = declared_variant(fam, v);
  if (dv < 0) {
    cv_status_fail(st, CV_ERR_FONT,
                   "font family \"%s\" declares no %s face (nor a "
                   "regular one to fall back on)",
                   fam->name, variant_names[v]);
    return NULL;
  }
  if (fam->resolved[dv])
    goto done;
  fam->resolved[dv] = 1;
  int index = 0;
  char *path = resolve_file(fs, fam, fam->files[dv], &index);
  if (!path) {
    cv_status_fail(st, CV_ERR_FONT,
                   "font family \"%s\" (%s): file \"%s\" not found (tried %s%s"
                   "installed fonts)",
                   fam->name, variant_names[dv], fam->files[dv],
                   fam->base_dir ? fam->base_dir : "",
                   fam->base_dir ? ", " : "");
    return NULL;
  }
  fam->font[dv] = font_load(fs, path, index, st);
  free(path);
  if (fam->font[dv]) {
    free(fam->font[dv]->family);
    fam->font[dv]->family = cv_strdup(fam->name);
    fam->font[dv]->variant = (cv_variant)dv;
  }
done:
  if (!fam->font[dv])
    cv_status_fail(st, CV_ERR_FONT,
                   "font family \"%s\" (%s) could not be loaded", fam->name,
                   variant_names[dv]);
  return fam->font[dv];
}

cv_font *cv_fontset_get(cv_fontset *fs, const char *family, cv_variant v,
                        cv_status *st) {
  if (!family || (unsigned)v > CV_BOLD_ITALIC) {
    cv_status_fail(st, CV_ERR_FONT, "no font family given");
    return NULL;
  }
  cv_family *fam = family_find(fs, family);
  if (fam && fam->from_manifest)
    return load_declared(fs, fam, v, st);
  if (!fam && !(fam = family_new(fs, family, st)))
    return NULL;
  if (!fam->resolved[v]) {
    fam->resolved[v] = 1;
    cv_status err = {0};
    fam->font[v] = fc_match_family(fs, family, v, &err);
    if (fam->font[v]) {
      char *name = cv_strdup(family);
      if (name) {
        free(fam->font[v]->family);
        fam->font[v]->family = name;
      }
      fam->font[v]->variant = v;
    } else if (v != CV_REGULAR) {
      /* An installed family without this style: use the nearest one, as
       * for a manifest. */
      cv_variant next = v == CV_BOLD_ITALIC ? CV_BOLD : CV_REGULAR;
      fam->font[v] = cv_fontset_get(fs, family, next, &err);
    }
    if (!fam->font[v]) {
      cv_status_fail(st, err.code, "%s", err.msg);
      return NULL;
    }
  }
  if (!fam->font[v])
    cv_status_fail(st, CV_ERR_FONT, "font family \"%s\" (%s) is not available",
                   family, variant_names[v]);
  return fam->font[v];
}

/* ---- per-character fallback ----------------------------------------- */

static int is_noto(FcPattern *p) {
  FcChar8 *fam = NULL;
  return FcPatternGetString(p, FC_FAMILY, 0, &fam) == FcResultMatch &&
         strncmp((const char *)fam, "Noto", 4) == 0;
}

static int covers(FcPattern *p, uint32_t cp) {
  FcCharSet *cs = NULL;
  return FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) == FcResultMatch &&
         FcCharSetHasChar(cs, cp);
}

/* The union of the installed fonts' character sets (NULL when it cannot
 * be had: fontconfig is then asked for every character). */
static FcCharSet *fc_cover(cv_fontset *fs) {
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_CHARSET, (char *)NULL);
  FcFontSet *set = pat && os ? FcFontList(fc_config(fs), pat, os) : NULL;
  FcCharSet *all = set ? FcCharSetCreate() : NULL;
  for (int i = 0; all && i < set->nfont; i++) {
    FcCharSet *cs = NULL;
    if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &cs) ==
            FcResultMatch &&
        !FcCharSetMerge(all, cs, NULL)) {
      FcCharSetDestroy(all);
      all = NULL;
    }
  }
  if (set)
    FcFontSetDestroy(set);
  if (os)
    FcObjectSetDestroy(os);
  if (pat)
    FcPatternDestroy(pat);
  return all;
}

static cv_font *fc_sort_fallback(cv_fontset *fs, uint32_t cp, cv_variant v);

/* A font fontconfig finds for cp; characters no installed font covers are
 * known as such without a sort once enough of them came. */
static cv_font *fc_fallback(cv_fontset *fs, uint32_t cp, cv_variant v) {
  if (fs->fc_cover && !FcCharSetHasChar(fs->fc_cover, cp))
    return NULL;
  cv_font *f = fc_sort_fallback(fs, cp, v);
  if (!f && ++fs->fc_misses == CV_FC_MISSES_BEFORE_COVER)
    fs->fc_cover = fc_cover(fs);
  return f;
}

static cv_font *fc_sort_fallback(cv_fontset *fs, uint32_t cp, cv_variant v) {
  FcPattern *pat = FcPatternCreate();
  FcCharSet *cs = FcCharSetCreate();
  cv_font *found = NULL;
  if (!pat || !cs || !FcCharSetAddChar(cs, cp))
    goto out;
  FcPatternAddCharSet(pat, FC_CHARSET, cs);
  fc_prepare(fs, pat, v);
  FcResult res;
  FcFontSet *set = FcFontSort(fc_config(fs), pat, FcFalse, NULL, &res);
  if (!set)
    goto out;
  /* fontconfig's order favours the default family; Noto is preferred
   * because it is designed to pair with text faces and covers scripts
   * consistently. */
  FcPattern *pick = NULL;
  for (int pass = 0; pass < 2 && !pick; pass++)
    for (int i = 0; i < set->nfont && !pick; i++)
      if (covers(set->fonts[i], cp) && (pass == 1 || is_noto(set->fonts[i])))
        pick = set->fonts[i];
  FcChar8 *file = NULL;
  if (pick && FcPatternGetString(pick, FC_FILE, 0, &file) == FcResultMatch) {
    int index = 0;
    if (FcPatternGetInteger(pick, FC_INDEX, 0, &index) != FcResultMatch)
      index = 0;
    cv_status ignore = {0};
    found = font_load(fs, (const char *)file, index, &ignore);
    if (found && !cv_font_glyph(found, cp))
      found = NULL; /* fontconfig's charset disagrees with the cmap */
  }
  FcFontSetDestroy(set);
out:
  if (cs)
    FcCharSetDestroy(cs);
  if (pat)
    FcPatternDestroy(pat);
  return found;
}

static cv_font *fallback_lookup(cv_fontset *fs, uint32_t cp, cv_variant v,
                                const char *const *fallbacks) {
  for (size_t i = 0; fallbacks && fallbacks[i]; i++) {
    cv_status ignore = {0};
    cv_font *f = cv_fontset_get(fs, fallbacks[i], v, &ignore);
    if (f && cv_font_glyph(f, cp))
      return f;
  }
  /* A font fontconfig proposed before likely covers the neighbours of its
   * first character (the rest of a CJK name): no new sort needed. */
  for (size_t i = 0; i < fs->nfcfb; i++)
    if (fs->fc_fallbacks[i].v == v &&
        cv_font_glyph(fs->fc_fallbacks[i].font, cp))
      return fs->fc_fallbacks[i].font;
  cv_font *f = fc_fallback(fs, cp, v);
  if (!f)
    return NULL;
  for (size_t i = 0; i < fs->nfcfb; i++)
    if (fs->fc_fallbacks[i].font == f && fs->fc_fallbacks[i].v == v)
      return f;
  if (cv_grow((void **)&fs->fc_fallbacks, &fs->capfcfb, fs->nfcfb + 1,
              sizeof *fs->fc_fallbacks) == 0)
    fs->fc_fallbacks[fs->nfcfb++] = (cv_fallback_hit){cp, v, NULL, f, 1};
  return f;
}

/* The slot of (cp, v, list) in the answers table: its answer, or the
 * empty slot where it goes.  caphits is a power of 2 and never full. */
static cv_fallback_hit *hit_slot(const cv_fontset *fs, uint32_t cp,
                                 cv_variant v, const char *const *list) {
  size_t h =
      (cp * (size_t)2654435761u) ^ ((size_t)v << 29) ^ ((uintptr_t)list >> 4);
  for (size_t i = h & (fs->caphits - 1);; i = (i + 1) & (fs->caphits - 1)) {
    cv_fallback_hit *s = &fs->hits[i];
    if (!s->used || (s->cp == cp && s->v == v && s->list == list))
      return s;
  }
}

/* Doubles the answers table (kept at most half full).  -1: out of
 * memory, the table is unchanged. */
static int hits_grow(cv_fontset *fs) {
  size_t cap = fs->caphits ? fs->caphits * 2 : 64;
  cv_fallback_hit *old = fs->hits, *nw = cv_calloc_n(cap, sizeof *nw);
  if (!nw)
    return -1;
  size_t oldcap = fs->caphits;
  fs->hits = nw;
  fs->caphits = cap;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].used)
      *hit_slot(fs, old[i].cp, old[i].v, old[i].list) = old[i];
  free(old);
  return 0;
}

cv_font *cv_fontset_fallback(cv_fontset *fs, uint32_t cp, cv_variant v,
                             const char *const *fallbacks) {
  if ((unsigned)v > CV_BOLD_ITALIC)
    v = CV_REGULAR;
  if (fs->caphits) {
    cv_fallback_hit *s = hit_slot(fs, cp, v, fallbacks);
    if (s->used)
      return s->font;
  }
  cv_font *f = fallback_lookup(fs, cp, v, fallbacks);
  if ((fs->nhits + 1) * 2 <= fs->caphits || hits_grow(fs) == 0) {
    *hit_slot(fs, cp, v, fallbacks) = (cv_fallback_hit){cp, v, fallbacks, f, 1};
    fs->nhits++;
  }
  return f;
}
