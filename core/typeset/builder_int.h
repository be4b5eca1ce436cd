/* cvpdf - what the pieces of the builder share (internal to core/typeset):
 * the builder itself, the lines it keeps on its vertical list, and the
 * functions one piece calls in another.  The pieces:
 *   layout.c   the builder's lifetime, its vertical list, the generations
 *              of material and the page sink;
 *   lines.c    node lists set into lines (line breaking, placing);
 *   blocks.c   the block services (headings, entries, paragraphs, rows,
 *              lists, pairs, the contact line, labels and side column);
 *   host.c     the other services (reading nodes, messages, strings,
 *              dates, BibTeX) and the table that holds them all;
 *   margins.c  running headers and footers;
 *   photo.c    the CV's photo beside the header;
 *   place.c    blocks at a fixed position (a letter's address window),
 *              images and a day's date. */
#ifndef CV_BUILDER_INT_H
#define CV_BUILDER_INT_H

#include "document/schema.h"
#include "typeset/layout.h"

#define CV_MAX_ENGLISH 16

/* Nothing here is part of libcvpdf's interface. */
#pragma GCC visibility push(hidden)

/* An item placed on a line, relative to the line's left edge (x) and
 * baseline (dy, up positive). */
typedef struct pitem {
  uint8_t kind; /* cv_dl_kind */
  uint64_t seq; /* reading order: when the builder made it */
  uint32_t tag; /* the structure element it belongs to (display.h) */
  uint8_t role; /* that element's role */
  double x, dy, w, h;
  cv_run *run;
  cv_color color;
  const char *uri;
  const char *title;
  int level;
  const cv_image *image;
  int round;
} pitem;

typedef struct vline {
  pitem *items;
  size_t n, cap;
} vline;

#define MAX_LISTS 8

/* The measure and indents, saved while a photo or a place narrows them. */
typedef struct frame {
  double measure, base, indent;
} frame;

typedef struct list_state {
  cvpdf_list_kind kind;
  int counter;
  double offset; /* its text column, right of the enclosing one's */
} list_state;

/* Lines, runs and glyphs are allocated in generations of material.  A
 * generation ends at a quiet moment (nothing queued for lines still to
 * come) and is freed once every line pushed before its end is on a
 * written page: a long CV never holds more than a few pages of it. */
typedef struct material {
  cv_arena arena;
  size_t end; /* items pushed to v before the next generation began */
} material;

struct cvpdf_builder {
  const cv_theme *theme;
  cv_shaper *sh;
  cv_arena *arena; /* the current generation's */
  cv_arena *perm;  /* what outlives pages: strings handed to plugins */
  material **gens; /* oldest first; the last is current */
  size_t ngens, capgens;
  cv_diags *diags;
  const char *lang;
  cv_datecache *dates; /* borrowed, or NULL */
  int64_t date;        /* the document date, seconds since 1970 (UTC) */
  const char *type;    /* section type being built */
  int spans;           /* its date ranges add their length (dates: spans) */
  int failed;
  int stopped; /* the page sink refused a page: nothing more is set */
  const char *author;
  double measure;

  cv_vitem *v;
  size_t nv, capv;
  size_t dropped; /* items written out and removed from the front of v */

  /* pages */
  cv_pagesink sink;
  int keep_pages;    /* material lives until the builder goes (trace) */
  size_t page_start; /* index in v where the next page's material starts */
  size_t npages;     /* pages delivered */
  cv_page scratch;   /* the display list of the page being delivered */
  cv_page_scan scan; /* how far the next page's end has been looked for */
  double pending_space;
  int keep;         /* > 0: page breaks forbidden before the next line */
  int keep_content; /* content lines still to keep with the head */
  int keep_after;   /* set keep once the next line is placed: an entry's
                       head may start a page, but stays with what follows */

  /* entry */
  int in_entry;
  int inset; /* the layout's entry_left/right applied to base and measure */
  int warned_label;
  int safe;          /* files the CV names must stay in its directory */
  cv_inputs *inputs; /* files read are recorded here (borrowed; may be NULL) */
  cv_source src;     /* where the plugin's strings came from */
  const cvpdf_node *author_src; /* the source root when the author was set */
  size_t entry_start;           /* first vertical item of the open entry */
  double indent;                /* left indent of blocks */
  double base;                  /* indent of a section's blocks: after the side
                                   column, if the layout has one */
  double label_col;    /* the section's label column so far (0: none) */
  vline **label_lines; /* hanging label lines still to place */
  size_t nlabel, label_next;

  list_state lists[MAX_LISTS];
  int depth;

  cv_hlist contact;
  int ncontacts;

  cv_layout_stats stats;
  uint64_t seq; /* the last reading-order number handed out */

  /* The logical structure (display.h), built from the blocks. */
  cv_structure st;
  uint32_t tag;               /* what new items belong to; 0: artifacts */
  uint32_t sect;              /* the open section (0: none yet) */
  uint32_t entry;             /* the open entry (0: none) */
  uint32_t list[MAX_LISTS];   /* each open list */
  uint32_t lbody[MAX_LISTS];  /* the body of its open item (0: none) */
  uint32_t pairs;             /* the list consecutive pairs go into */
  size_t blocks, pairs_block; /* blocks begun; the last pair's number */
  uint32_t contact_tag;       /* the contact line's list (L) */
  const char *sect_lang;      /* the section's own language, or NULL */
  int text_langs;             /* look for text printed from another language */
  /* Words of the CV's language printed in English, theirs missing. */
  const char *english[CV_MAX_ENGLISH];
  size_t nenglish;

  /* the photo beside the header (photo.c) */
  int photo_on;
  int photo_pos;   /* CV_PHOTO_*, once placed */
  size_t photo_at; /* vertical items (dropped ones counted) before
                      the header's first line */
  double photo_h;  /* how far below that line it reaches */
  frame photo_saved;

  /* a block at a fixed position (place.c) */
  int place_on;
  double place_top;    /* where its content started, from the text top */
  double place_bottom; /* where what follows it starts, from the text top */
  size_t place_at;     /* vertical items (dropped counted) before it */
  frame place_saved;
  const char *place_name;
  /* images the plugins name, read by the pipeline (place.c) */
  cv_image_loader image_loader;
  void *image_ud;
};

/* The page break before an entry's second content line (\clubpenalty). */
#define CV_SOFT_KEEP_PENALTY 150

/* Line breaking passes to run (tex.web section 863). */
typedef enum { BREAK_ALL, BREAK_FIRST_ONLY, BREAK_HYPHENATED } break_mode;

#define BREAK_FAILED ((size_t)-1)

/* ---- layout.c: the builder and its vertical list ---------------------- */

/* An error ends the document: reported once, at no position. */
void cv_bld_oom(cvpdf_builder *b);
void cv_bld_fail(cvpdf_builder *b, const cv_status *st);
/* The shaper's link filter: a target the PDF may not hold is dropped with
 * a warning at the field it came from. */
const char *cv_bld_link_filter(void *ud, const char *uri);
const cv_style *cv_bld_style(cvpdf_builder *b, const char *name);
/* An item appended to l (zeroed), or NULL when out of memory (reported).
 * Pointers into l->items are valid until the next call on l. */
pitem *cv_bld_vline_add(cvpdf_builder *b, vline *l);
vline *cv_bld_vline_new(cvpdf_builder *b);
/* Space before the next line: the largest asked for since the last one. */
void cv_bld_add_space(cvpdf_builder *b, double s);
/* Appends a line box, preceded by its break penalty and pending space.
 * content: whether the line counts as content for keep-with-head. */
void cv_bld_add_box(cvpdf_builder *b, vline *l, double h, double d, int penalty,
                    int content);
/* Keeps what was just emitted with the head of what follows. */
void cv_bld_keep_with_next(cvpdf_builder *b, int content_lines);
/* Copies the items of line into the next line appended, shifted by dx. */
void cv_bld_queue_items(cvpdf_builder *b, const vline *line, double dx);
/* Appends the items of line to l, shifted by dx. */
void cv_bld_add_items(cvpdf_builder *b, vline *l, const vline *line, double dx);
/* Back at the section's left edge, outside any list, with no keep
 * pending: where an entry or a section ends. */
void cv_bld_reset(cvpdf_builder *b);
/* Sets a section's content in from the text's edges by the layout's
 * spacing: entry_left and entry_right (on), or back (off). */
void cv_bld_inset(cvpdf_builder *b, int on);
/* Places the hanging label lines still pending, on lines of their own. */
void cv_bld_flush_labels(cvpdf_builder *b);
/* Puts p on pg, its line's left edge at x0 and baseline at base. */
int cv_bld_place_item(cvpdf_builder *b, cv_page *pg, const pitem *p, double x0,
                      double base);
/* Hands the pages nothing still to come can change to the sink (all of
 * them when final). */
void cv_bld_fire_pages(cvpdf_builder *b, int final);

/* ---- lines.c: node lists into lines ------------------------------------ */

/* Makes the interword glue of in ragged (stretch R) into out. */
void cv_bld_make_ragged(cvpdf_builder *b, cv_hlist *in, cv_hlist *out,
                        double R);
/* Ends a paragraph: a fil glue, then a forced break. */
void cv_bld_finish_paragraph(cv_hlist *l);
/* Breaks hl (finished) into lines placed at x0, first_w wide, then rest_w:
 * the count, and the lines in *out_lines; BREAK_FAILED in mode
 * BREAK_FIRST_ONLY when the first pass finds no feasible breaks. */
size_t cv_bld_set_lines(cvpdf_builder *b, cv_hlist *hl, const cv_style *s,
                        double x0, double first_w, double rest_w,
                        vline ***out_lines, break_mode mode);
/* Shapes markup in style s into hl (not finished).  0, or -1 (reported). */
int cv_bld_shape_markup(cvpdf_builder *b, const cv_style *s, const char *markup,
                        int hyphenate, cv_hlist *hl);
/* Sets raw as a paragraph and appends its lines (see lines.c). */
void cv_bld_emit_hlist(cvpdf_builder *b, const cv_style *s, cv_hlist *raw,
                       const char *markup, double x0, double width,
                       double first_cut, const vline *right, double right_w,
                       int content);
/* One unbreakable line from x = 0, its width in *width; NULL when there is
 * nothing to draw. */
vline *cv_bld_line_items(cvpdf_builder *b, const cv_style *s,
                         const char *markup, double *width);

/* ---- blocks.c: the block services ------------------------------------- */

/* A new structure element under parent (0 when out of memory, reported). */
uint32_t cv_bld_elem(cvpdf_builder *b, cv_role role, uint32_t parent);

/* Sets the contact line gathered so far. */
void cv_bld_flush_contacts(cvpdf_builder *b);
void cv_h_heading(cvpdf_builder *b, const char *title);
void cv_h_subheading(cvpdf_builder *b, const char *title);
void cv_h_entry_begin(cvpdf_builder *b, const char *label);
void cv_h_entry_end(cvpdf_builder *b);
void cv_h_paragraph(cvpdf_builder *b, const char *sname, const char *markup);
void cv_h_row(cvpdf_builder *b, const char *lstyle, const char *left,
              const char *rstyle, const char *right);
void cv_h_list_begin(cvpdf_builder *b, cvpdf_list_kind kind);
void cv_h_list_end(cvpdf_builder *b);
void cv_h_item_begin(cvpdf_builder *b, const char *markup);
void cv_h_item_end(cvpdf_builder *b);
void cv_h_item(cvpdf_builder *b, const char *markup);
void cv_h_pair(cvpdf_builder *b, const char *label, const char *value);
void cv_h_contact(cvpdf_builder *b, const char *kind, const char *text,
                  const char *url);
void cv_h_rule(cvpdf_builder *b);
void cv_h_space(cvpdf_builder *b, const char *name);
/* What every block does first: the contact line set, no element open,
 * the pages nothing can change any more written. */
void cv_bld_begin_block(cvpdf_builder *b);
/* The structure element a new block goes into. */
uint32_t cv_bld_container(const cvpdf_builder *b);

/* ---- photo.c ----------------------------------------------------------- */

/* A new line holding image img, w x h, as a Figure element under parent
 * with the image's alternate text: the item, its line in *line; NULL when
 * out of memory (reported). */
pitem *cv_bld_figure(cvpdf_builder *b, const cv_image *img, uint32_t parent,
                     double w, double h, vline **line);

/* ---- place.c ----------------------------------------------------------- */

/* Saves the measure and indents into f, and sets them back from it. */
void cv_bld_frame_save(const cvpdf_builder *b, frame *f);
void cv_bld_frame_restore(cvpdf_builder *b, const frame *f);
/* The height the vertical list takes from item `from` (dropped ones
 * counted) to its end: its boxes and its glue, the glue before the first
 * box only when lead_glue; *boxes (may be NULL) gets whether it has a
 * box. */
double cv_bld_height_from(const cvpdf_builder *b, size_t from, int lead_glue,
                          int *boxes);
const char *cv_h_day_date(cvpdf_builder *b, const cvpdf_node *date);
/* The document's date ("today": the CV's date:, else SOURCE_DATE_EPOCH's
 * or the clock's day) into d; -1 when it is out of range. */
int cv_h_today(const cvpdf_builder *b, cv_date *d);
int cv_h_place_begin(cvpdf_builder *b, const char *name);
void cv_h_place_end(cvpdf_builder *b);
void cv_h_image(cvpdf_builder *b, const char *style, const cvpdf_node *path,
                const char *alt);

/* ---- host.c: the other services the blocks use ------------------------- */

void cv_h_error(cvpdf_builder *b, const cvpdf_node *at, const char *fmt, ...);
/* Strings in the builder's lasting arena; "" when out of memory. */
const char *cv_h_fmt(cvpdf_builder *b, const char *fmt, ...);
/* text with markup characters escaped, so it prints as it is. */
const char *cv_h_escape(cvpdf_builder *b, const char *text);
const char *cv_h_word(cvpdf_builder *b, const char *key);
const char *cv_h_option(cvpdf_builder *b, const char *key);

/* ---- margins.c --------------------------------------------------------- */

/* Places page `page` of `pages`'s running footer and header on pg; first:
 * the document's first page (no running header unless the layout asks). */
int cv_bld_add_footer(cvpdf_builder *b, cv_page *pg, int first, size_t page,
                      size_t pages);

/* The numbering of a list whose marks are the bullet mark, or numbers
 * in format fmt (not NULL) (list_marks.c). */
cv_numbering cv_list_numbering(const char *mark, const char *fmt);

#pragma GCC visibility pop

#endif
