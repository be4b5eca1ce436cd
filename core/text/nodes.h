/* cvpdf - glyph runs and the box/glue/penalty node lists that the line
 * breaker reads (Knuth & Plass 1981; tex.web part 38). */
#ifndef CV_NODES_H
#define CV_NODES_H

#include <stddef.h>
#include <stdint.h>

struct cv_font;

typedef struct cv_color {
  float r, g, b;
} cv_color;

/* One shaped glyph.  Advances and offsets in points. */
typedef struct cv_glyph {
  uint32_t gid;
  float adv, dx, dy;
  /* The characters this glyph stands for (UTF-8, arena-owned): the whole
   * cluster on its first glyph ("ffi" for the ffi ligature), len 0 on the
   * others.  The PDF backend builds ToUnicode from it. */
  const char *text;
  uint32_t text_len;
} cv_glyph;

/* A run of glyphs in one font, size and colour. */
typedef struct cv_run {
  struct cv_font *font;
  float size;
  cv_color color;
  uint32_t n;
  cv_glyph *g;
  float width;           /* sum of advances */
  float ascent, descent; /* pt, descent positive below baseline */
  const char *link;      /* URI or NULL */
  /* ActualText for extraction, or NULL: an icon sets it to a word
   * ("Email") or "" so no private-use character is ever extracted. */
  const char *actual_text;
  /* The structure element the run belongs to when it is not the one of
   * the block it is set in (an item of the contact line: its own list
   * item), and that element's role; 0: the block's. */
  uint32_t tag;
  uint8_t role;
  /* The language of a phrase the CV marks as in another one (its tag,
   * arena-owned); NULL: the paragraph's. */
  const char *lang;
} cv_run;

typedef enum cv_hnode_kind {
  CV_BOX = 0,
  CV_GLUE = 1,
  CV_PENALTY = 2
} cv_hnode_kind;

#define CV_INF_PENALTY 10000
#define CV_EJECT_PENALTY (-10000)
/* The flag of a hyphen in a word that a layout breaks only as a last
 * resort (a capitalised word): legal only once the emergency pass has
 * failed, and then at this penalty, so that it is taken only in place of
 * a line that would be very loose. */
#define CV_HYPHEN_LAST_RESORT 2
#define CV_LAST_RESORT_PENALTY 3000
/* Stretch that stands for TeX's fil order: any finite amount is dwarfed. */
#define CV_FIL 1.0e5

typedef struct cv_hnode {
  uint8_t kind;           /* cv_hnode_kind */
  uint8_t flagged;        /* penalty: a hyphenation break (1), or one
                           * taken only on the last passes (below) */
  int penalty;            /* penalty value */
  double width;           /* box/glue natural width; penalty: width if broken */
  double stretch, shrink; /* glue */
  double height, depth;   /* box */
  cv_run *run;            /* box content (may be NULL: empty box, indent) */
  cv_run *hyphen;         /* penalty: drawn at the line end if broken here */
} cv_hnode;

typedef struct cv_hlist {
  cv_hnode *v;
  size_t n, cap;
  int failed; /* out of memory while appending */
} cv_hlist;

void cv_hlist_init(cv_hlist *l);
void cv_hlist_fini(cv_hlist *l);
cv_hnode *cv_hlist_push(cv_hlist *l); /* zeroed; NULL sets failed */
void cv_hlist_box(cv_hlist *l, double w, cv_run *run);
void cv_hlist_glue(cv_hlist *l, double w, double stretch, double shrink);
void cv_hlist_penalty(cv_hlist *l, double w, int penalty, int flagged);

#endif
