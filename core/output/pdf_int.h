/* cvpdf - what the pieces of the PDF writer share (internal to
 * core/output): the writer, the fonts it uses and the content streams
 * waiting for their subsets, and the functions one piece calls in
 * another.  The pieces:
 *   pdf.c          the writer's lifetime, errors, compressed streams,
 *                  strings, pages, document information, saving;
 *   pdf_fonts.c    the glyphs each font needs, subsetting (hb-subset),
 *                  font objects and ToUnicode maps;
 *   pdf_content.c  page content streams, links and the outline;
 *   pdf_tags.c     marked content and the structure tree (as text);
 *   pdf_meta.c     XMP metadata;
 *   pdf_compact.c  the file rewritten with object streams;
 *   pdf_image.c    images. */
#ifndef CV_PDF_INT_H
#define CV_PDF_INT_H

#include "output/pdf.h"
#include "text/font.h"

#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <libdeflate.h>

/* Nothing here is part of libcvpdf's interface. */
#pragma GCC visibility push(hidden)

/* A compressor and its output buffer, reused from stream to stream. */
typedef struct zbuf {
  struct libdeflate_compressor *c;
  int level; /* 0: the writer's own (ZLEVEL); set before the first use */
  int store; /* a preview's: stored, not compressed */
  unsigned char *out;
  size_t cap;
} zbuf;

/* libharu reports errors through a callback; the first one is kept here
 * (no globals: the handler gets this through user_data). */
typedef struct pdf_err {
  HPDF_STATUS code, detail;
} pdf_err;

typedef struct glyph_text {
  const char *s; /* the writer's copy */
  uint32_t len;
} glyph_text;

/* One font as used by the document: which glyphs, what they stand for,
 * and after subsetting, the new glyph ids and the PDF font objects. */
typedef struct font_use {
  cv_font *font;
  hb_set_t *gids;    /* glyph ids (in the whole font) drawn */
  hb_map_t *text_ix; /* gid -> index in texts */
  glyph_text *texts;
  size_t ntexts, cap;
  hb_subset_plan_t *plan;
  const hb_map_t *old_to_new; /* owned by plan */
  unsigned nglyphs;           /* glyphs in the subset */
  int *width;                 /* by new gid, in 1000ths of an em */
  HPDF_Dict type0;            /* made at first use, filled when saving */
  /* Hyphens the line breaker added draw through a twin of type0 whose
   * ToUnicode says U+00AD (soft hyphen): extractors drop them, so a word
   * broken over two lines comes back whole, while the same glyph typed as
   * a hyphen stays "-".  Made when the first such glyph is drawn. */
  hb_set_t *soft;  /* glyph ids drawn as soft hyphens */
  HPDF_Dict soft0; /* the twin, sharing the CID font */
  /* The space glyph put between words (pdf_content.c): its id + 1 once
   * noted, -1 when the font has none, 0 not looked up yet; its width. */
  int space, space_w;
  /* Made by prepare_font, possibly in another thread: */
  unsigned char *file;       /* the subset font program, compressed */
  size_t file_len, file_raw; /* its compressed and original sizes */
  cv_status st;              /* why preparing it failed */
} font_use;

/* A content stream waiting for the subsets: its operators, and where each
 * glyph code is (4 hex digits, a glyph id of the whole font) with the
 * font it belongs to, as runs of codes in one font. */
typedef struct code_run {
  uint32_t first; /* index in pos of its first code */
  uint16_t font;  /* index in cv_pdf.fonts */
} code_run;

typedef struct pending {
  HPDF_Dict stream;
  char *ops;
  size_t len;
  uint32_t *pos; /* offsets of the codes in ops */
  size_t npos, cappos;
  code_run *runs;
  size_t nruns, capruns;
} pending;

/* Tagging: what each marked-content sequence belongs to, in the order
 * written, and the Link elements and annotations (pdf_tags.c). */
enum { KID_MCID, KID_LINK, KID_ANNOT };
#define LINK_BIT 0x80000000u

typedef struct tag_kid {
  uint8_t kind;   /* KID_* */
  uint32_t owner; /* element; a Link's number | LINK_BIT */
  uint32_t page;  /* KID_MCID */
  uint32_t value; /* the MCID, Link or annotation number */
} tag_kid;

/* An element inside a leaf's text: a Link, or a Span of a phrase in
 * another language (uri NULL). */
typedef struct tag_link {
  uint32_t leaf;    /* the element the link is in */
  const char *uri;  /* the writer's copy; NULL: a Span */
  const char *lang; /* its /Lang (the writer's copy), or NULL */
} tag_link;

typedef struct tag_annot {
  HPDF_Annotation a;
  uint32_t page;
} tag_annot;

typedef struct tags {
  tag_kid *kids;
  size_t nkids, capkids;
  tag_link *links;
  size_t nlinks, caplinks;
  uint32_t last_owner; /* of the last marked-content sequence begun */
  tag_annot *annots;
  size_t nannots, capannots;
  uint32_t *mcids; /* MCIDs used on each page */
  size_t npages, capmcids;
} tags;

/* Objects the writer makes as text rather than as libharu objects (the
 * structure tree: thousands of small dictionaries), each numbered on
 * from libharu's last object, or standing in for a placeholder libharu
 * holds so that its objects can refer to it (pdf_compact.c). */
typedef struct pdf_obj_text {
  uint32_t num;
  size_t off, len; /* in text */
  uint32_t cols;   /* the text is cells of cols bytes; 0: free text */
} pdf_obj_text;

typedef struct pdf_objs {
  cv_buf text;
  pdf_obj_text *v; /* by number */
  size_t n, cap;
} pdf_objs;

/* An image the document holds, and the object that holds it. */
typedef struct pdf_image {
  const cv_image *src;
  HPDF_Image obj;
} pdf_image;

struct cv_pdf {
  HPDF_Doc pdf;
  pdf_err err;
  cv_status *st; /* of the call in progress */
  font_use *fonts;
  size_t nfonts, capfonts;
  cv_arena texts; /* glyph texts for ToUnicode */
  HPDF_Page *pages;
  size_t npages, cappages;
  HPDF_Outline last[9]; /* the last outline entry at each level */
  cv_buf content;       /* scratch: one content stream */
  pending *pend;        /* content streams waiting for the subsets */
  size_t npend, cappend;
  zbuf z;    /* compression, for this thread */
  tags tags; /* marked content and what it belongs to */
  int failed;
  /* cv_pdf_made: the whole file, made by another process */
  const void *made;
  size_t made_len;
  /* images drawn (the photo), each embedded once */
  pdf_image *images;
  size_t nimages, capimages;
  /* A bundle's parts (cv_pdf_part): the title of the part whose first
   * page comes next (NULL: none), what its element numbers are shifted by,
   * how many levels its outline entries go down, and the pages where page
   * labels start again at 1 (none: one range from the first page). */
  const char *part_title;
  uint32_t tag_base;
  int mark_shift;
  size_t *label_starts;
  size_t nlabels, caplabels;
  pdf_objs objs; /* objects made as text */
  int untagged;  /* benchmarks only: no marked content (pdf.h) */
};

/* ---- pdf.c ------------------------------------------------------------- */

/* Every failure passes through here: w fails, w->st says why (with
 * libharu's cause when it has one).  Returns -1. */
int cv_pdf_fail(cv_pdf *w, const char *what);
/* Fails when libharu stored an error without raising it. */
int cv_pdf_check_doc(cv_pdf *w, const char *what);
/* Deflates data into z->out; *n gets the size.  0, or -1. */
int cv_pdf_deflate(zbuf *z, const void *data, size_t len, size_t *n);
void cv_pdf_zbuf_fini(zbuf *z);
/* Stores n bytes compressed already into the stream of dictionary s. */
int cv_pdf_put_deflated(cv_pdf *w, HPDF_Dict s, const void *data, size_t n);
/* Compresses data into the stream of dictionary s. */
int cv_pdf_put_stream(cv_pdf *w, HPDF_Dict s, const void *data, size_t len);
/* A new indirect stream object holding data; NULL on error. */
HPDF_Dict cv_pdf_new_stream(cv_pdf *w, const void *data, size_t len);
/* An indirect dictionary; NULL on error. */
HPDF_Dict cv_pdf_new_indirect(cv_pdf *w);
/* v as 4 hex digits. */
void cv_pdf_put_hex4(cv_buf *b, unsigned v);
/* UTF-8 as UTF-16BE hex digits; invalid bytes become U+FFFD. */
void cv_pdf_put_utf16_hex(cv_buf *b, const char *s, size_t n);
/* A PDF text string (UTF-16BE with BOM); NULL when out of memory. */
HPDF_Binary cv_pdf_text_string(cv_pdf *w, const char *s);

/* ---- pdf_fonts.c ------------------------------------------------------- */

/* The record of font f in w, made at first use; NULL when out of memory. */
font_use *cv_pdf_use_font(cv_pdf *w, cv_font *f);
void cv_pdf_font_use_fini(font_use *fu);
/* Notes that g is drawn; its text becomes its ToUnicode entry if it is
 * the first seen, unless it is a soft hyphen (see font_use.soft).  0, or
 * -1 when out of memory. */
int cv_pdf_note_glyph(cv_pdf *w, font_use *fu, const cv_glyph *g);
/* Whether g stands for a soft hyphen (U+00AD) drawn at a line end. */
int cv_pdf_soft_hyphen(const cv_glyph *g);
/* A glyph's /W width, in 1000ths of an em. */
int cv_pdf_glyph_width(const cv_font *f, uint32_t gid);
/* Subsets every font used and compresses its program. */
void cv_pdf_prepare_fonts(cv_pdf *w);
/* Fills fu's Type0 font object and makes the objects under it. */
int cv_pdf_embed_font(cv_pdf *w, font_use *fu);

/* ---- pdf_content.c ----------------------------------------------------- */

/* Writes the items of pg as one content stream into s, kept pending until
 * the fonts are subset; wrap: inside q ... Q (a page's body), else marked
 * as a pagination artifact (its running header and footer). */
int cv_pdf_put_items(cv_pdf *w, HPDF_Page page, HPDF_Dict s, const cv_page *pg,
                     int wrap);
void cv_pdf_pending_fini(pending *p);
/* The outline entry of a bundle's part, at the top of page (from 0), with
 * the part's entries to come under it. */
int cv_pdf_put_part_mark(cv_pdf *w, size_t page, const char *title);
/* Rewrites the codes of p as the subsets' glyph ids and compresses it
 * into its stream. */
int cv_pdf_finish_pending(cv_pdf *w, pending *p);

/* ---- pdf_tags.c -------------------------------------------------------- */

/* Starts a marked-content sequence on page (from 0) for element leaf, in
 * its Link when uri is a link (not NULL or ""), else in a Span of its own
 * when lang names the language of a phrase (not NULL or ""), role its
 * tag: writes "/role <</MCID n", for the caller to end the property list
 * (">> BDC").  A phrase's Span goes on over the sequences that follow it
 * directly (a phrase broken over lines).  0; 1 when the page holds no
 * more sequences (nothing written); -1 when out of memory. */
int cv_pdf_tag_begin(cv_pdf *w, cv_buf *b, size_t page, uint32_t leaf,
                     const char *uri, const char *lang, const char *role);
/* Ties link annotation a on page to the Link element of leaf for uri
 * (leaf 0: no element).  0, or -1 when out of memory. */
int cv_pdf_tag_annot(cv_pdf *w, HPDF_Annotation a, size_t page, uint32_t leaf,
                     const char *uri);
/* Writes the structure tree, MarkInfo, and each page's StructParents and
 * tab order.  0, or -1 (w failed). */
int cv_pdf_put_structure(cv_pdf *w, const cv_structure *s);
void cv_pdf_tags_fini(tags *t);

/* ---- pdf_compact.c ----------------------------------------------------- */

/* The PDF of len bytes libharu wrote (followed by a NUL byte), with the
 * objects of extra, rewritten with every object that is not a stream in
 * compressed object streams, a cross-reference stream and a
 * deterministic /ID, appended to out; fast: the object streams
 * stored, not compressed (a preview), else compressed (OBJ_ZLEVEL).  0, or
 * -1 with st. */
int cv_pdf_compact(const void *pdf, size_t len, const pdf_objs *extra, int fast,
                   cv_buf *out, cv_status *st);
/* Starts object num in o's text, which the caller then appends to
 * o->text and ends with cv_pdf_objs_end.  Numbers go up.  0, or -1 when
 * out of memory. */
int cv_pdf_objs_begin(pdf_objs *o, uint32_t num);
void cv_pdf_objs_end(pdf_objs *o);
/* The object being made is written in cells of cols bytes, one token a
 * cell (cv_pdf_put_cell): the packer gives it an object stream of rows
 * of that width, where a row is stored as its difference from the one
 * before (pdf_compact.c). */
void cv_pdf_objs_cells(pdf_objs *o, uint32_t cols);
/* Token s (n bytes, at most cols - 1) right-aligned in a cell of cols
 * bytes, after padding b's text from start up to a whole number of
 * cells.  A longer token goes after one space and spills over. */
void cv_pdf_put_cell(cv_buf *b, size_t start, uint32_t cols, const char *s,
                     size_t n);
void cv_pdf_objs_fini(pdf_objs *o);
/* v in decimal; " num 0 R". */
void cv_pdf_put_uint(cv_buf *b, uint32_t v);
void cv_pdf_put_ref(cv_buf *b, uint32_t num);

/* ---- pdf_meta.c -------------------------------------------------------- */

/* Writes the XMP metadata of d (after the document information is set):
 * pdfa 0, or 'a' or 'b' for PDF/A-2a or -2b.  0, or -1 (w failed). */
int cv_pdf_put_xmp(cv_pdf *w, const cv_docinfo *d, int pdfa);
/* PDF/A: the catalog's output intent, sRGB from d's ICC profile.  0, or
 * -1 (w failed). */
int cv_pdf_put_output_intent(cv_pdf *w, const cv_docinfo *d);

/* ---- pdf_image.c -------------------------------------------------------- */

/* Draws image item it into the content in b (outside a text object); in
 * a tagged page it is inside the caller's sequence for its Figure element,
 * else in a /Figure sequence of its own that carries the alternate text. */
int cv_pdf_put_image(cv_pdf *w, HPDF_Page page, cv_buf *b, const cv_dl_item *it,
                     int tagged);

#pragma GCC visibility pop

#endif
