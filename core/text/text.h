/* cvpdf - text: inline markup (md4c), shaping (HarfBuzz), break
 * opportunities (libunibreak) and hyphenation (libhyphen), turned into the
 * box/glue/penalty node lists of nodes.h. */
#ifndef CV_TEXT_H
#define CV_TEXT_H

#include "text/font.h"
#include "text/nodes.h"

/* Inline markup, parsed: a flat list of spans. */
#define CV_SPAN_BOLD 0x1u
#define CV_SPAN_ITALIC 0x2u
#define CV_SPAN_CODE 0x4u
#define CV_SPAN_BREAK 0x8u /* hard line break (text empty) */

typedef struct cv_span {
  const char *text; /* UTF-8, arena-owned, entities decoded */
  size_t len;
  unsigned flags;
  const char *link; /* URI or NULL */
  /* The language of a phrase the text marks as in another language
   * (<span lang="de">), a language tag; NULL: the paragraph's. */
  const char *lang;
} cv_span;

/* Parses inline markup (**bold**, *italic*, `code`, [text](url), <url>,
 * backslash escapes, HTML entities, <span lang="de">phrase</span>) with
 * md4c.  Block syntax is not interpreted: a leading "1." or "-" stays
 * text; other raw HTML stays text too, as does a span whose language is
 * no language tag (cv_markup_check_langs reports it).  Spans live in
 * arena. */
int cv_markup_parse(cv_arena *arena, const char *markup, size_t len,
                    cv_span **spans, size_t *nspans, cv_status *st);

/* Calls report for each problem of the language spans in markup: the
 * byte offset in markup of the tag at fault ((size_t)-1 when it cannot be
 * told), whether it is an error (a language that is no tag, or that no
 * one speaks) or a warning (a span without lang, one left open, a stray
 * </span>), and the message, with a "did you mean" where one fits.
 * Returns the number of errors. */
typedef void (*cv_markup_report)(void *ud, size_t offset, int error,
                                 const char *msg);
int cv_markup_check_langs(const char *markup, size_t len,
                          cv_markup_report report, void *ud);

/* Whether the language of tag (its first subtag) is one ISO 639 names
 * ("de", "pt-BR", "gsw"); 0 for a well-formed tag of no language ("dx"). */
int cv_language_known(const char *tag);
/* The language code a mistyped one or a language's English name most
 * likely meant ("German" -> "de", "dx" -> "de"), written to buf; NULL when
 * nothing comes close. */
const char *cv_language_suggest(const char *word, char *buf, size_t cap);

/* How a piece of text looks: resolved from a layout style. */
typedef struct cv_textstyle {
  const char *family; /* fonts manifest family */
  double size;        /* pt */
  cv_color color;
  int bold, italic;             /* base variant; spans toggle */
  int smallcaps;                /* OpenType smcp+c2sc, or scaled capitals */
  int uppercase;                /* text transformed to upper case */
  double tracking;              /* extra space after each glyph, in em */
  const char *const *fallbacks; /* fallback families, NULL-terminated */
  const char *code_family;      /* family for `code` spans, or NULL */
  int link_colored;             /* linked text takes link_color */
  cv_color link_color;
} cv_textstyle;

typedef struct cv_shaper cv_shaper;

/* Hyphenation patterns loaded once per process and shared read-only by the
 * shapers of several documents, in any threads.  Destroy it after every
 * shaper that uses it. */
typedef struct cv_hyphcache cv_hyphcache;
/* An empty cache, or NULL when out of memory. */
cv_hyphcache *cv_hyphcache_create(void);
/* Frees the cache and its patterns; NULL is accepted. */
void cv_hyphcache_destroy(cv_hyphcache *c);

/* Whether tag is a language tag as BCP 47 shapes them: "en", "de-CH",
 * "pt_BR", "sr-Latn-RS" (subtags of 1 to 8 letters or digits, the first
 * of 2 to 8 letters; at most 35 characters). */
int cv_language_tag_ok(const char *tag);

/* lang: BCP 47 tag ("en", "de-DE"); picks hyphenation patterns from
 * hyph_dirs (searched in order; NULL-terminated) and the HarfBuzz language.
 * Missing patterns are not an error: words are then not hyphenated, and
 * cv_shaper_hyphenates tells the caller, who warns where the language was
 * asked for.  The shaper borrows fs and arena; results live in arena. */
cv_shaper *cv_shaper_create(cv_fontset *fs, cv_arena *arena, const char *lang,
                            const char *const *hyph_dirs, cv_status *st);
/* Whether hyphenation patterns were found for the shaper's language. */
int cv_shaper_hyphenates(const cv_shaper *sh);
/* 1 when lang's script needs no hyphenation patterns (zh, ja, ko, ...). */
int cv_hyph_needless(const char *lang);
void cv_shaper_destroy(cv_shaper *sh);
/* Results of later calls (runs, glyph arrays, paragraph text, spans) are
 * allocated in arena; what was returned before stays where it was.  The
 * shaping cache keeps its own arena, so arena may be destroyed or reset
 * once nothing uses what was shaped into it. */
void cv_shaper_set_arena(cv_shaper *sh, cv_arena *arena);
/* Every link target of the spans shaped from now on passes through
 * filter, which returns the target the runs carry or NULL for none (a
 * link the document must not hold).  NULL: links are kept as they are. */
void cv_shaper_set_link_filter(cv_shaper *sh,
                               const char *(*filter)(void *ud, const char *uri),
                               void *ud);
/* Words printed in another language than the shaper's (English words
 * the CV's language has none of): wherever one stands whole in text of no
 * language of its own, it is set as a phrase in lang.  words and lang are
 * borrowed until the next call; n 0 for none. */
void cv_shaper_set_foreign_words(cv_shaper *sh, const char *const *words,
                                 size_t n, const char *lang);
/* Takes patterns from c (borrowed) instead of loading a private copy;
 * call before shaping. */
void cv_shaper_set_hyphcache(cv_shaper *sh, cv_hyphcache *c);

/* What cv_shape_spans hyphenates: words (CV_HYPHENATE), and with
 * CV_HYPHENATE_CAPITALS also words that begin with a capital (names, as
 * TeX's \uchyph=1; always in German, which capitalises nouns), or with
 * CV_HYPHENATE_CAPITALS_LAST those only as a last resort (their hyphens
 * flagged CV_HYPHEN_LAST_RESORT); 0 for none. */
#define CV_HYPHENATE 0x1
#define CV_HYPHENATE_CAPITALS 0x2
#define CV_HYPHENATE_CAPITALS_LAST 0x4

/* Appends to out the nodes of the spans in style: boxes for words (split at
 * hyphenation points as hyphenate says), glue for spaces (natural = the
 * font's space, stretch 1/2, shrink 1/3 of it; justified paragraphs) or
 * fixed-width glue (ragged: stretch 0, shrink 1/3), penalties at break
 * opportunities (flagged with the hyphen's width at hyphenation points;
 * 0-width after explicit hyphens, slashes and dashes; -10000 forced at
 * CV_SPAN_BREAK).  No paragraph end is added.  Returns 0, or -1 with st. */
int cv_shape_spans(cv_shaper *sh, const cv_textstyle *style,
                   const cv_span *spans, size_t nspans, int hyphenate,
                   int justify, cv_hlist *out, cv_status *st);

/* One unbreakable run (labels, bullets, right parts of rows, page numbers).
 * markup is parsed; links kept on the runs.  Appends boxes (and kerns) only;
 * returns total width via *width. */
int cv_shape_line(cv_shaper *sh, const cv_textstyle *style, const char *markup,
                  cv_hlist *out, double *width, cv_status *st);

/* Characters no installed font covered (each listed once, the first 64 in
 * the order met), for warnings. */
size_t cv_shaper_missing(const cv_shaper *sh, const uint32_t **cps);

#endif
