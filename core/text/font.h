/* cvpdf - fonts: family manifests (fonts/NAME.yaml), fontconfig lookup,
 * FreeType faces and HarfBuzz fonts.  A cv_font is immutable once loaded. */
#ifndef CV_FONT_H
#define CV_FONT_H

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>

#include "base/util.h"

typedef enum cv_variant {
  CV_REGULAR = 0,
  CV_BOLD = 1,
  CV_ITALIC = 2,
  CV_BOLD_ITALIC = 3
} cv_variant;

typedef struct cv_font {
  int id;     /* index in its fontset: stable within one document */
  char *path; /* file the face came from */
  int face_index;
  char *family; /* manifest family name */
  cv_variant variant;
  char *ps_name; /* PostScript name, sanitised for PDF names */
  int is_cff;    /* CFF outlines (.otf): FontFile3/OpenType in PDF */
  unsigned upem;
  /* Metrics in font units. */
  int ascender, descender, cap_height, x_height, line_gap;
  int bbox[4];
  double italic_angle;
  int fixed_pitch, serif, symbolic;
  unsigned fs_type; /* OS/2 fsType: what the licence allows embedding */
  FT_Face ft;       /* NULL once loaded: only the metrics above need it */
  hb_blob_t *blob;  /* whole file, for subsetting */
  hb_face_t *hb_face;
  hb_font_t *hb_font; /* scale = upem: positions come out in font units */
} cv_font;

typedef struct cv_fontset cv_fontset;

/* Font files loaded once per process, shared by the fontsets of several
 * documents (rendered one after another or in parallel threads): each file
 * is read and parsed once; HarfBuzz faces and fonts are shared read-only.
 * Thread-safe.  Destroy it after every fontset that uses it. */
typedef struct cv_fontcache cv_fontcache;

/* An empty cache.  Returns NULL and sets st on failure. */
cv_fontcache *cv_fontcache_create(cv_status *st);
/* Frees the cache; NULL is accepted. */
void cv_fontcache_destroy(cv_fontcache *c);

/* An empty set with a private cache.  Returns NULL and sets st on
 * failure. */
cv_fontset *cv_fontset_create(cv_status *st);
/* An empty set loading its faces through cache (borrowed; NULL: a private
 * one).  One fontset is used by one thread at a time. */
cv_fontset *cv_fontset_create_cached(cv_fontcache *cache, cv_status *st);
void cv_fontset_destroy(cv_fontset *fs);

/* Declares a family from a manifest: files[variant] (CV_REGULAR..
 * CV_BOLD_ITALIC, NULL when the family lacks it).  A file name is used as
 * is when absolute, else looked up in base_dir (may be NULL), else among
 * installed fonts through fontconfig (by file name).  Faces are loaded on
 * first use.  A later declaration of the same family replaces it. */
int cv_fontset_add_family(cv_fontset *fs, const char *family,
                          const char *const files[4], const char *base_dir,
                          cv_status *st);

/* The font of family/variant, loaded on first use.  A missing variant falls
 * back to the nearest one (bold-italic -> bold -> regular).  A family with
 * no manifest is looked up by name through fontconfig.  NULL and st set
 * (naming family, variant and the files tried) when nothing is found. */
cv_font *cv_fontset_get(cv_fontset *fs, const char *family, cv_variant v,
                        cv_status *st);
/* A font by file path (used for icon fonts and fallbacks). */
cv_font *cv_fontset_get_file(cv_fontset *fs, const char *path, cv_status *st);
/* A font that has a glyph for cp, for per-character fallback: first the
 * families named in fallbacks (NULL-terminated, may be NULL), then
 * fontconfig.  NULL when no installed font covers cp. */
cv_font *cv_fontset_fallback(cv_fontset *fs, uint32_t cp, cv_variant v,
                             const char *const *fallbacks);
size_t cv_fontset_count(const cv_fontset *fs);
cv_font *cv_fontset_at(const cv_fontset *fs, size_t i);

/* Why f's licence forbids embedding its outlines in a document (OS/2
 * fsType: restricted licence, or bitmaps only), or NULL when it allows
 * it.  PDF/A embeds every font, so such a font cannot be used there. */
const char *cv_font_embedding_refused(const cv_font *f);

/* Glyph id of cp in font, 0 when absent. */
uint32_t cv_font_glyph(const cv_font *f, uint32_t cp);

#endif
