/* cvpdf - the builder behind the plugin API: blocks (paragraphs, rows,
 * lists, pairs, labels, headings) typeset into a vertical list of lines,
 * cut into pages and placed into the display list. */
#ifndef CV_LAYOUT_H
#define CV_LAYOUT_H

#include "text/cldr.h"
#include "typeset/display.h"
#include "typeset/linebreak.h"
#include "typeset/pagebuild.h"
#include "typeset/source.h"
#include "typeset/services.h"
#include "typeset/theme.h"

/* The builder's services, unchecked: they trust their arguments.  Plugins
 * receive the checked table of services.h (cv_host_table), which calls
 * these. */
const cvpdf_host *cv_builder_services(void);

/* Creates a builder for one document.  Borrows theme, shaper, arena and
 * diags for its lifetime.  arena holds what outlives pages (strings
 * handed to plugins, BibTeX data); lines and runs live in the builder's
 * own memory, which it also makes the shaper use until it is destroyed.
 * lang: the CV's language. */
cvpdf_builder *cv_builder_create(const cv_theme *theme, cv_shaper *sh,
                                 cv_arena *arena, cv_diags *diags,
                                 const char *lang);
void cv_builder_destroy(cvpdf_builder *b);

/* Closes any open contact line, entry or list (end of a section). */
void cv_builder_end_section(cvpdf_builder *b);
/* Sets the plugin type being built (for layout options). */
void cv_builder_set_type(cvpdf_builder *b, const char *type);
/* The language of the section built next, when it is not the CV's
 * (BCP 47, "de"): its elements carry it (a tagged PDF's /Lang).  Ends
 * with the section. */
void cv_builder_set_lang(cvpdf_builder *b, const char *lang);
/* The CV has translated fields (languages:): text printed from another
 * language than the document's (a missing translation) gets that
 * language's /Lang on its structure element. */
void cv_builder_set_text_langs(cvpdf_builder *b, int on);
/* The node (a section, or the top level for the header) whose strings the
 * plugin hands the builder next: a problem found in one (a link the PDF
 * may not hold) is reported at the field it came from. */
void cv_builder_set_source(cvpdf_builder *b, const cvpdf_node *node);
/* Non-zero once an error was reported through the builder. */
int cv_builder_failed(const cvpdf_builder *b);
const char *cv_builder_author(const cvpdf_builder *b);
/* The field the author's name came from (for messages), or NULL. */
const cvpdf_node *cv_builder_author_at(const cvpdf_builder *b);
/* Sets the document date printed by a footer's or header's {date}
 * (seconds since 1970, UTC); the pipeline passes the PDF's date.  Until
 * set, it is the time the builder was created. */
void cv_builder_set_date(cvpdf_builder *b, int64_t date);
/* The section about to be built, by its title and id (either may be
 * NULL): its date ranges add their length of time when the theme's dates:
 * spans names it (any case, '_' for a space). */
void cv_builder_set_section(cvpdf_builder *b, const char *title,
                            const char *id);
/* Dates written (text/cldr.h) are kept in and taken from c (borrowed;
 * NULL: none). */
void cv_builder_set_datecache(cvpdf_builder *b, cv_datecache *c);
/* Safe mode: files the CV names (BibTeX) must lie in the CV's directory,
 * and links may not be relative. */
void cv_builder_set_safe(cvpdf_builder *b, int safe);
/* Files the CV names (BibTeX) are recorded in inputs (borrowed), so that
 * no output of the run replaces one. */
void cv_builder_set_inputs(cvpdf_builder *b, cv_inputs *inputs);

/* The CV's photo (borrowed until the document is written), placed as the
 * layout says (theme.h's photo_*) beside the header about to be built:
 * the header's lines are set narrower beside it, or below it.  The end
 * call, after the header's section has ended, restores the measure and
 * makes what follows start below the photo.  A NULL image, or a layout
 * that places no photo, places nothing. */
void cv_builder_photo_begin(cvpdf_builder *b, const cv_image *img);
void cv_builder_photo_end(cvpdf_builder *b);

/* Reads the image file that node path names (relative to the CV file it
 * comes from, as the photo's), with alternate text alt (may be NULL):
 * *out gets it, valid until the document is written.  Returns 0, or -1
 * after reporting at path why it cannot be used. */
typedef int (*cv_image_loader)(void *ud, const cvpdf_node *path,
                               const char *alt, const cv_image **out);
/* Images plugins place (the image service) are read through load; until
 * set, an image is an error. */
void cv_builder_set_image_loader(cvpdf_builder *b, cv_image_loader load,
                                 void *ud);

/* Where pages go.  They are cut as soon as nothing still to come can
 * move their breaks, while the plugins are still building, and the
 * memory of their lines is then reused: set the sink before building. */
void cv_builder_set_sink(cvpdf_builder *b, cv_pagesink sink);
/* Keeps every line until the builder is destroyed, so a sink may hold on
 * to the pages it was given (the trace's cv_docout_sink). */
void cv_builder_keep_pages(cvpdf_builder *b);
/* Delivers the remaining pages (one page at least), then the running
 * header and footer of every page to the sink's margin().  Returns 0, or
 * -1 after an error reported through the builder's diagnostics. */
int cv_builder_finish(cvpdf_builder *b);
/* cv_builder_finish in two steps, for a document whose page numbers
 * depend on others (a bundle): flush delivers the remaining pages (then
 * cv_builder_pages says how many), margins the running header and footer
 * of each, its pages numbered from first, {pages} being total.  Return 0,
 * or -1 as cv_builder_finish. */
int cv_builder_flush(cvpdf_builder *b);
size_t cv_builder_pages(const cvpdf_builder *b);
int cv_builder_margins(cvpdf_builder *b, size_t first, size_t total);

/* The layout the builder sets the document in. */
const cv_theme *cv_builder_theme(const cvpdf_builder *b);

/* Statistics of the typesetting, for timing output. */
typedef struct cv_layout_stats {
  size_t paragraphs, lines, hyphenated, passes[5], overfull;
  double t_shape, t_break; /* seconds */
} cv_layout_stats;
const cv_layout_stats *cv_builder_stats(const cvpdf_builder *b);
/* The logical structure of what was built (owned by the builder). */
const cv_structure *cv_builder_structure(const cvpdf_builder *b);

#endif
