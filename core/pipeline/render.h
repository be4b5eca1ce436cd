/* cvpdf - the pipeline: CV file -> model -> plugins -> layout -> PDF. */
#ifndef CV_RENDER_H
#define CV_RENDER_H

#include "base/diag.h"
#include "document/model.h"
#include "output/pdf.h"

/* The caches a process shares between its renders (text/font.h and
 * text/text.h); the pipeline only passes them on. */
typedef struct cv_fontcache cv_fontcache;
typedef struct cv_hyphcache cv_hyphcache;
typedef struct cv_datecache cv_datecache; /* text/cldr.h */

struct cv_render_outlet;

/* The top-level keys core reads itself; the others are the header
 * plugin's fields.  One table for validating a CV and for `cvpdf schema`. */
typedef enum cv_core_kind {
  CV_CORE_STRING,    /* a name or tag */
  CV_CORE_TEXT,      /* printed text: any scalar */
  CV_CORE_MAP,       /* a mapping (theme overrides) */
  CV_CORE_SECTIONS,  /* the list of sections */
  CV_CORE_PHOTO,     /* a path, or {path, alt} */
  CV_CORE_LANGUAGES, /* a list of language tags */
  CV_CORE_PDF,       /* {standard: pdfa-2 | none} */
  CV_CORE_DATE       /* a day, 2026-09-14 */
} cv_core_kind;

typedef struct cv_core_key {
  const char *name;
  cv_core_kind kind;
  const char *doc; /* one line, for the JSON Schema */
} cv_core_key;

/* Ends at name NULL; in the order `cvpdf schema` lists them. */
extern const cv_core_key cv_core_keys[];

typedef struct cv_render_opts {
  const char *input; /* path, or the name used in messages with data */
  const char *data;  /* when non-NULL: the CV itself, len bytes */
  size_t len;
  const char *output; /* NULL: the input's name with .pdf */
  const char *trace;  /* also write the placement trace here, or NULL */
  const char *layout; /* overrides the CV's `layout:` */
  const char *const *plugin_dirs; /* searched first (CLI), NULL-terminated */
  const char *default_plugin_dir; /* searched last */
  const char *const *layout_dirs;
  const char *const *font_dirs;
  const char *const *hyph_dirs;
  const char *const *locale_dirs; /* locales/LANG.yaml: words by language */
  cv_limits limits;
  /* Tagged variants: print untagged items and those tagged with one of
   * these (NULL-terminated); NULL prints everything.  See tags.h. */
  const char *const *only;
  /* The language of the render (overrides the CV's `language:`): its
   * translated fields print in it (document/lang.h), its dates and words
   * follow it.  NULL: the CV's own.  lang_all (check --lang all): every
   * missing translation is a warning. */
  const char *lang;
  int lang_all;
  /* PNG output: the pictures' name (cv_png_page_name), output being a
   * temporary PDF they are drawn from; no picture may replace a file the
   * run read (the photo, say).  NULL otherwise. */
  const char *png_output;
  /* Validate everything (all sections, even after errors) and build the
   * blocks, but lay out no pages and write nothing. */
  int check_only;
  /* Fail, writing nothing, when the document has more pages than this;
   * 0 means CV_DEFAULT_MAX_PAGES. */
  size_t max_pages;
  /* Safe mode, for services rendering CVs they do not trust: plugins only
   * from plugin_dirs and default_plugin_dir ($CVPDF_PLUGIN_PATH is
   * ignored), and the CV may name only installed layouts, not layout files.
   * (Fonts come from the installed manifests in either mode: a CV's
   * `theme:` can name families, never font files.) */
  int safe;
  /* A photo given as a web address is read only from the photo cache
   * (pipeline/fetch.h): no connection is made.  (Safe mode makes none
   * either, nor reads that cache.) */
  int offline;
  /* Shared by the documents of one process (borrowed; NULL: private to
   * this render): font files and hyphenation patterns are then loaded once,
   * and renders may run in parallel threads. */
  cv_fontcache *font_cache;
  cv_hyphcache *hyph_cache;
  cv_datecache *date_cache; /* NULL: every date is written afresh */
  /* The files of safe mode without the rest of it, for a server: the CV
   * may name files (BibTeX) only beneath its own directory and layouts
   * only by installed name, while plugins are found as usual. */
  int confine_files;
  /* The PDF is only drawn on screen (cvpdf serve): saved as a preview
   * (output/pdf.h), with the same pages and fonts, quicker to write and
   * to read but larger. */
  int preview;
  /* Safe mode renders in a child process (pipeline/sandbox.h) stopped
   * after this many seconds of CPU time, or twice as many of real time;
   * 0 means CV_DEFAULT_MAX_SECONDS. */
  size_t max_seconds;
  /* Set in that child: the finished trace and PDF go to its parent,
   * which writes them; or by a server keeping the PDF in memory (a render
   * with an outlet runs in the calling process, safe or not).  NULL:
   * cv_render writes them itself. */
  const struct cv_render_outlet *outlet;
  /* A bundle: these documents (NULL-terminated), each with its own layout,
   * rendered into one PDF at output, which -- unlike input, the name
   * messages about the bundle use -- must be set.  NULL: input alone. */
  const char *const *bundle;
  /* A bundle's page numbers: CV_PAGES_LAYOUT as each document's layout
   * says (page_numbers:), or the same for all. */
  int page_numbers;
  /* Write PDF/A-2 (pipeline/pdfa.h): the sRGB profile is read as the CV
   * is prepared, and a render without it fails.  1 PDF/A (--pdfa), -1
   * plain PDF (--no-pdfa), 0 as the CV's or its layout's pdf: says. */
  int pdfa;
} cv_render_opts;

enum { CV_PAGES_LAYOUT, CV_PAGES_RESTART, CV_PAGES_CONTINUE };

#define CV_DEFAULT_MAX_PAGES 500
#define CV_DEFAULT_MAX_SECONDS 60

/* Where a render's finished files go instead of the file system. */
typedef struct cv_render_outlet {
  void *ud;
  int (*trace)(void *ud, const cv_docout *doc, cv_diags *d);
  int (*pdf)(void *ud, cv_pdf *pdf, const cv_docinfo *info, cv_diags *d);
} cv_render_outlet;

typedef struct cv_render_stats {
  double t_parse, t_plugins, t_build, t_shape, t_break, t_pages, t_write,
      t_total;
  size_t pages, bytes, lines, paragraphs, hyphenated, overfull;
  char output[4096];
} cv_render_stats;

/* Renders one CV.  On failure nothing is written at the output path (the
 * PDF goes to a temporary file renamed into place) and diags say why.
 * Returns 0 or -1. */
int cv_render(const cv_render_opts *o, cv_diags *diags, cv_render_stats *stats);

/* Writes what a render made elsewhere (a sandboxed child) as cv_render
 * would have: trace (when o->trace is set) to o->trace, then the PDF bytes
 * to out (NULL: none) atomically, its size in *bytes.  Returns 0 or -1. */
int cv_render_write_made(const cv_render_opts *o, const cv_buf *trace,
                         const char *out, const void *pdf, size_t len,
                         cv_diags *d, size_t *bytes);

/* The output path for an input: dir/name.pdf for dir/name.yaml. */
char *cv_default_output(const char *input);

#endif
