/* cvpdf - the display list: what layout placed on each page, in PDF user
 * space (points, origin bottom left, y up).  Backends (PDF, trace) read it. */
#ifndef CV_DISPLAY_H
#define CV_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "text/nodes.h"
#include "base/util.h"

typedef enum cv_dl_kind {
  CV_DL_TEXT = 0, /* run with its baseline origin at (x, y) */
  CV_DL_RECT = 1, /* filled rectangle (x, y) bottom-left, w x h; rules */
  CV_DL_LINK = 2, /* URI link area (x, y, w, h) */
  CV_DL_MARK = 3, /* outline entry `title` at level (1 = section) at y */
  CV_DL_IMAGE = 4 /* `image` filling (x, y) bottom-left, w x h; clipped to
                     the circle inscribed in that box when `round` */
} cv_dl_kind;

typedef enum cv_image_format {
  CV_IMAGE_PNG = 1,
  CV_IMAGE_JPEG = 2
} cv_image_format;

/* An image the CV names (its photo): the file's bytes as read, checked by
 * the PDF writer's loaders before layout.  Owned by whoever read it, and
 * valid until the document is written. */
typedef struct cv_image {
  const unsigned char *data;
  size_t len;
  cv_image_format format;
  unsigned px_w, px_h; /* size in pixels */
  const char *alt;     /* alternate text (a tagged PDF's /Alt); "" none */
  const char *path;    /* as the CV wrote it, for messages */
  int cmyk; /* a CMYK JPEG, which PDF/A with its sRGB intent cannot hold */
} cv_image;

typedef struct cv_dl_item {
  uint8_t kind;
  uint8_t role; /* TEXT: cv_role of the element tag */
  uint32_t tag; /* TEXT, LINK: the structure element (0: an artifact) */
  uint64_t seq; /* reading order; a page's items are sorted by it */
  double x, y, w, h;
  cv_run *run; /* TEXT */
  /* TEXT: the language of a phrase in another language than its
   * element's (the run's, borrowed), which the PDF tags as a Span of its
   * own; NULL: the element's. */
  const char *lang;
  cv_color color;    /* RECT */
  const char *uri;   /* LINK */
  const char *title; /* MARK */
  int level;         /* MARK */
  /* IMAGE: the image, and whether it is clipped to a circle */
  const cv_image *image;
  int round;
} cv_dl_item;

typedef struct cv_page {
  double width, height;
  cv_dl_item *items;
  size_t n, cap;
  /* The space left empty at the page foot, and the height of what had to
   * go together at the next page's top (cv_page_first_unit); foot_need <
   * 0 on a last page. */
  double foot_hole, foot_need;
} cv_page;

/* The logical structure of the document, as the builder learns it from
 * the blocks a plugin gives (PDF 32000-1, 14.8.4): element 1 is the
 * document, every other has a parent made before it.  Text items name the
 * innermost element they belong to (a leaf: a heading, paragraph, row,
 * list label or body); an item tagged 0 is an artifact (rules, icons,
 * running headers and footers). */
typedef enum cv_role {
  CV_ROLE_NONE = 0,
  CV_ROLE_DOCUMENT,
  CV_ROLE_SECT,
  CV_ROLE_DIV,
  CV_ROLE_H1,
  CV_ROLE_H2,
  CV_ROLE_H3,
  CV_ROLE_P,
  CV_ROLE_L,
  CV_ROLE_LI,
  CV_ROLE_LBL,
  CV_ROLE_LBODY,
  CV_ROLE_FIGURE, /* an image, with its alternate text */
  CV_ROLE_PART    /* one document of a bundle, under the bundle's */
} cv_role;

/* A list's numbering, as its /ListNumbering says it (PDF 32000-1, table
 * 347): the kind of mark the layout draws. */
typedef enum cv_numbering {
  CV_NUM_DISC = 0, /* • */
  CV_NUM_DECIMAL,  /* 1. */
  CV_NUM_NONE,     /* other marks, words (pairs), none */
  CV_NUM_CIRCLE,   /* ◦ */
  CV_NUM_SQUARE,   /* ■ */
  CV_NUM_LOWER_ROMAN,
  CV_NUM_UPPER_ROMAN,
  CV_NUM_LOWER_ALPHA,
  CV_NUM_UPPER_ALPHA
} cv_numbering;

typedef struct cv_selem {
  uint8_t role;     /* cv_role */
  uint8_t numbered; /* L: its cv_numbering */
  uint32_t parent;
  const char *alt;  /* FIGURE: its alternate text (borrowed) */
  const char *lang; /* its language when not its parent's (borrowed) */
} cv_selem;

typedef struct cv_structure {
  cv_selem *v; /* v[0] stands for no element */
  size_t n, cap;
} cv_structure;

/* Appends an element under parent: its number, or 0 when out of memory
 * (the structure then stays as it was). */
uint32_t cv_structure_add(cv_structure *s, cv_role role, uint32_t parent);
void cv_structure_fini(cv_structure *s);
/* The standard structure type of a role ("H1", "LBody"). */
const char *cv_role_name(cv_role role);
/* The /ListNumbering name of a numbering ("Disc", "LowerRoman"). */
const char *cv_numbering_name(cv_numbering num);

/* Document information (UTF-8; NULL when absent). */
typedef struct cv_docinfo {
  const char *title, *author, *subject, *keywords, *creator, *lang;
  int64_t date; /* seconds since the epoch: SOURCE_DATE_EPOCH or now */
  /* The logical structure (borrowed; NULL: an untagged PDF). */
  const cv_structure *structure;
  /* PDF/A-2 (ISO 19005-2): 0 none, 'a' (tagged) or 'b'; its output
   * intent's sRGB ICC profile, icc_len bytes (borrowed). */
  int pdfa;
  const unsigned char *icc;
  size_t icc_len;
} cv_docinfo;

/* What a PDF can hold, checked where a value comes from so that an error
 * names its position (libharu would fail with a code of its own): a text
 * string (document information, outline titles) is at most 65535 bytes of
 * UTF-16 with a byte order mark; a link target at most 65535 bytes once
 * bytes beyond ASCII are written as %XX, so CV_MAX_LINK bytes of UTF-8 are
 * always safe. */
#define CV_PDF_MAX_TEXT 32766
#define CV_MAX_LINK 16384
/* libharu keeps every page in one array of the page tree. */
#define CV_PDF_MAX_PAGES 32767

/* UTF-16 code units of UTF-8 text s: its length as a PDF text string. */
size_t cv_pdf_text_units(const char *s);

/* Whether link target uri may not go into a PDF: 1, with the reason in
 * why (a phrase for "found ..."), or 0.  Allowed: http, https, mailto and
 * tel, and, unless safe (a service rendering CVs it does not trust), a
 * path relative to the PDF (not one starting with '/' or '\\').  Anything else
 * (javascript: runs code in some readers, file: reaches the reader's own files,
 * data: carries a document of its own), control characters and targets longer
 * than CV_MAX_LINK bytes are refused. */
int cv_link_refused(const char *uri, int safe, char *why, size_t cap);

/* A whole document held in memory: what the trace and the tests read. */
typedef struct cv_docout {
  cv_page *pages;
  size_t npages, cap;
  cv_docinfo info;
} cv_docout;

void cv_docout_init(cv_docout *d);
void cv_docout_fini(cv_docout *d); /* frees pages and item arrays only */
cv_page *cv_docout_add_page(cv_docout *d, double width, double height);
cv_dl_item *cv_page_add(cv_page *p); /* zeroed; NULL on out of memory */
/* Puts the items of p in reading order (by seq, equal ones as they were):
 * the order in which the builder made them, which is the order in which
 * the plugin gave its blocks.  0, or -1 when out of memory. */
int cv_page_sort(cv_page *p);

/* Where layout delivers pages as it completes them, so a long document is
 * never held whole.  page() gets the body of each page in order; its
 * items and the runs they point to are valid only during the call.  Once
 * the number of pages is known, margin() gets the running header and
 * footer of page `index` (from 0), again valid only during the call.
 * Both return 0, or -1 with st set. */
typedef struct cv_pagesink {
  void *ud;
  int (*page)(void *ud, const cv_page *pg, cv_status *st);
  int (*margin)(void *ud, size_t index, const cv_page *items, cv_status *st);
} cv_pagesink;

/* A sink that keeps a copy of every page in d, margin items appended to
 * their page.  The copies point to the layout's runs: the layout must be
 * told to keep them (cv_builder_keep_pages) for d to stay readable. */
cv_pagesink cv_docout_sink(cv_docout *d);

#endif
