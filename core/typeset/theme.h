/* cvpdf - layouts (themes): every look-and-feel value, read from
 * layouts/NAME.yaml and overridden by the CV's own `theme:` mapping. */
#ifndef CV_THEME_H
#define CV_THEME_H

#include "document/model.h"
#include "text/text.h"

typedef enum cv_align {
  CV_ALIGN_JUSTIFY = 0,
  CV_ALIGN_LEFT,
  CV_ALIGN_CENTER,
  CV_ALIGN_RIGHT
} cv_align;

#define CV_MAX_LOCALE_WORDS 128

typedef struct cv_style {
  const char *name;
  cv_textstyle ts;
  double leading; /* baseline to baseline, pt */
  cv_align align;
  double space_before, space_after;
  int rule;          /* heading: a rule */
  int rule_position; /* 0 below the title, 1 after it on its line, 2 in the
                        side column beside it */
  double rule_width;
  cv_color rule_color;
  unsigned set; /* which fields the layout set (for inheritance) */
} cv_style;

#define CV_MAX_STYLES 48
#define CV_BULLET_LEVELS 4
#define CV_MAX_ICONS 64
/* section titles dates: spans names */
#define CV_MAX_SPANS 16
/* hyphenate_capitals: last_resort (0 and 1 are false and true). */
#define CV_CAPITALS_LAST_RESORT 2

typedef struct cv_icon {
  const char *kind; /* "email" */
  uint32_t cp;      /* code point in the icon font */
  const char *word; /* extracted text, "" for none */
} cv_icon;

/* A field at a fixed position of the sheet that blocks can be set in
 * (a letter's envelope window), from the layout's places:.  Points from
 * the sheet's top left corner; the text starts inset_top below its top
 * and inset_left in from its left. */
#define CV_MAX_PLACES 8
typedef struct cv_place {
  const char *name;
  double top, left, width, height, inset_top, inset_left;
} cv_place;

typedef struct cv_theme {
  const char *name;
  double page_w, page_h;
  double margin_top, margin_bottom, margin_left, margin_right;
  int hyphenate;
  /* Line breaking (layout key breaking:): TeX's finishing rules. */
  int final_hyphen_demerits; /* \finalhyphendemerits */
  int hyphen_run;            /* hyphenated lines in a row, at most */
  int hyphenate_capitals;    /* \uchyph; CV_CAPITALS_LAST_RESORT */
  int lone_tail;             /* a last line may be only a word's tail */
  double letterspace;   /* em: most letter spacing of a loose justified line */
  int ragged_shrink;    /* ragged lines may squeeze their spaces */
  double last_line_min; /* em: a shorter last line costs demerits */
  double emergency_stretch; /* em, on the last feasible pass only */
  const char *language;     /* default language */
  const char *fallbacks[8]; /* fallback families, NULL-terminated */
  const char *icon_family;  /* NULL: no icons */
  cv_style styles[CV_MAX_STYLES];
  size_t nstyles;
  /* spacing, pt */
  double sp_section, sp_entry, sp_item, sp_small, sp_medium, sp_large;
  double heading_after; /* space after a heading (and its rule) */
  double sp_list;       /* above a list, besides its first item's sp_item */
  /* entries set in from the text's left and right edges (headings not) */
  double entry_left, entry_right;
  /* lists */
  double list_indent;
  /* markup, one per level of nesting; NULL: the level before's */
  const char *bullets[CV_BULLET_LEVELS];
  /* a numbered list's mark, one format per level ("%d.", "%a)"); NULL:
   * the level before's.  With more than one, a numbered item's sub-items
   * are numbered too, else they are bullets. */
  const char *numbers[CV_BULLET_LEVELS];
  /* entry labels: "hang" (label column left of the entry) */
  double label_width;
  int label_in_margin; /* the label column is outdented into the margin */
  /* a side column left of all content (dates in moderncv style): its
   * width and the gap after it; 0 for none */
  double side_width, side_gap;
  cv_align side_align;
  /* pairs */
  int pair_grid; /* grid with a label column, else run-in */
  double pair_label_width;
  /* contacts */
  const char *contact_separator;
  double contact_gap; /* between two items, separator included; < 0: auto */
  cv_icon icons[CV_MAX_ICONS];
  size_t nicons;
  /* dates */
  int month_style; /* 0 none, 1 short, 2 long, 3 numeric, 4 dotted */
  const char *date_separator;
  /* the least width a row's right part (dates, places) takes: the left
   * part wraps before it; 0: as wide as the text there */
  double date_width;
  /* dates: spans: the titles (or ids) of the sections whose date ranges
   * add their length of time, "(2 years, 3 months)" */
  const char *spans[CV_MAX_SPANS];
  size_t nspans;
  /* footer and running header: text with fields {page}, {pages}, {name},
   * {date} (the document date) and {WORD} (a word of the CV's language,
   * e.g. {of}); NULL: none.  The header is left off the first page, which
   * carries the name already, unless header_first is set. */
  const char *footer;
  cv_align footer_align;
  const char *header;
  cv_align header_align;
  int header_first;
  /* the last-updated line (updated:): text with the same fields, set on
   * the first page where the running header goes ("{updated} {date}":
   * "Last updated September 2026"); NULL: none, and in letters */
  const char *updated;
  cv_align updated_align;
  /* In a bundle of several documents (cvpdf render --bundle): whether
   * this document's page numbers (footer {page} and {pages}, and the PDF's
   * page labels) run on from the document before it (1), or restart at 1
   * (0, the default: each document numbered as it is alone). */
  int page_numbers_continue;
  /* Where the footer's and header's texts were set (for messages about
   * them), NULL when not set. */
  const cvpdf_node *footer_at, *header_at, *updated_at;
  /* per-section-type options: pairs "type.key" -> value */
  const char *opt_keys[32];
  const char *opt_vals[32];
  size_t nopts;
  /* words per language: "lang.key" -> value */
  const char *word_keys[64];
  const char *word_vals[64];
  size_t nwords;
  /* the words of locales/LANG.yaml, below the layout's and the CV's:
   * "lang.key" -> value, for the CV's language, its base language and en */
  const char *locale_keys[CV_MAX_LOCALE_WORDS];
  const char *locale_vals[CV_MAX_LOCALE_WORDS];
  size_t nlocale;
  /* the language's locale file says `hyphenation_patterns: false`: Debian
   * ships none for it, so its words are set unhyphenated without a warning */
  int no_patterns;
  /* the CV's photo: beside the header (left or right of it) or above it,
   * `photo_size` pt high, `photo_gap` pt from the text, clipped to a
   * circle when photo_round; CV_PHOTO_NONE leaves it out */
  int photo_position;
  double photo_size, photo_gap;
  int photo_round;
  /* pdf: standard: pdfa-2 (1) writes PDF/A-2, as render --pdfa does;
   * none (0, the default) plain PDF. */
  int pdfa;
  /* places: (typeset/theme_places.c) */
  cv_place places[CV_MAX_PLACES];
  size_t nplaces;
} cv_theme;

enum { CV_PHOTO_NONE, CV_PHOTO_RIGHT, CV_PHOTO_LEFT, CV_PHOTO_CENTER };

/* Reads layout `name` (a file name in one of dirs, or a path ending in
 * .yaml; an unknown one is reported at name_at, which may be NULL) and
 * applies overrides (a mapping from the CV, may be NULL).  Every number
 * is checked against its range, and the margins and columns against the
 * page.  Names are checked against types (the section types the plugins
 * declare, NULL-terminated; NULL checks none): a section type, layout
 * option or option value, word key or style name that nothing reads is an
 * error at its position, with the nearest known name.  The layout files
 * read are recorded in inputs (may be NULL).  Strings live in arena.
 * letter: the document is a letter, so the layout's and the overrides'
 * `letter:` blocks (values for a letter's page) apply after the rest.
 * Returns 0, or -1 with positioned diags. */
int cv_theme_load(cv_theme *t, const char *name, const cvpdf_node *name_at,
                  const char *const *dirs, const cvpdf_node *overrides,
                  int letter, const cvpdf_section_type *const *types,
                  cv_inputs *inputs, cv_arena *arena, cv_diags *diags);
/* Reads a CV's own top-level `pdf:` mapping into t, over what the layout
 * and the theme: overrides said (the same keys as a layout's pdf:).
 * Returns 0, or -1 after an error at its node. */
int cv_theme_read_pdf(cv_theme *t, const cvpdf_node *pdf, cv_arena *arena,
                      cv_diags *diags);
/* The place called name, or NULL when the layout declares none such. */
const cv_place *cv_theme_place(const cv_theme *t, const char *name);
/* Style names cvpdf and its plugin guide use (docs/plugins.md),
 * NULL-terminated: a layout may define any of them. */
extern const char *const cv_std_styles[];

/* Reads the locale files (LANG.yaml in one of dirs) for lang, its base
 * language and en into t's locale words; a language without a file is
 * no error.  Returns 0, or -1 with positioned diags for a bad file. */
int cv_theme_load_locales(cv_theme *t, const char *lang,
                          const char *const *dirs, cv_inputs *inputs,
                          cv_arena *arena, cv_diags *diags);

/* The style called name, falling back along "a.b" -> "a" -> "body". */
const cv_style *cv_theme_style(const cv_theme *t, const char *name);
const char *cv_theme_word(const cv_theme *t, const char *lang, const char *key);
/* The same; *english (may be NULL) is set when lang has no such word and
 * the English one (or the key itself) stands in for it. */
const char *cv_theme_word_in(const cv_theme *t, const char *lang,
                             const char *key, int *english);
const char *cv_theme_option(const cv_theme *t, const char *type,
                            const char *key);
const cv_icon *cv_theme_icon(const cv_theme *t, const char *kind);

/* Whether fmt is a list number's format: text around one %d (1, 2, 3),
 * %a or %A (a, b, c), %i or %I (i, ii, iii). */
int cv_number_format_ok(const char *fmt);
/* Number n in format fmt into out (cap bytes); a number past what
 * letters or numerals write is written in digits. */
void cv_number_mark(char *out, size_t cap, const char *fmt, int n);

#endif
