/* cvpdf - running headers and footers: their fields ({page}, {pages},
 * {name}, {date}, words) expanded and set once the number of pages is
 * known. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "document/schema.h"
#include "text/cldr.h"

/* "November 2023" in the CV's language: the document date for {date}. */
static void put_date(cvpdf_builder *b, cv_buf *out) {
  time_t tt = (time_t)b->date;
  struct tm tm;
  if (!gmtime_r(&tt, &tm))
    return;
  char buf[128];
  cv_cldr_month_year_cached(b->dates, buf, sizeof buf, b->lang,
                            tm.tm_year + 1900, tm.tm_mon + 1, CV_MONTH_LONG);
  cv_buf_puts(out, buf);
}

/* Expands the fields of a footer or header text into markup. */
static void expand_fields(cvpdf_builder *b, const char *text, size_t page,
                          size_t pages, cv_buf *out) {
  for (const char *p = text; *p; p++) {
    const char *close = *p == '{' ? strchr(p, '}') : NULL;
    if (!close || close - p > 40) {
      cv_buf_putc(out, *p);
      continue;
    }
    char key[48];
    snprintf(key, sizeof key, "%.*s", (int)(close - p - 1), p + 1);
    if (!strcmp(key, "page"))
      cv_buf_printf(out, "%zu", page);
    else if (!strcmp(key, "pages"))
      cv_buf_printf(out, "%zu", pages);
    else if (!strcmp(key, "name"))
      cv_buf_puts(out, b->author ? cv_h_escape(b, b->author) : "");
    else if (!strcmp(key, "date"))
      put_date(b, out);
    else
      cv_buf_puts(out, cv_h_escape(b, cv_h_word(b, key)));
    p = close;
  }
}

/* Places a footer, running header or last-updated line; y is its
 * baseline.  It is aligned in the entries' width (spacing: entry_left and
 * entry_right), as the dates beside them are. */
static int add_margin_text(cvpdf_builder *b, cv_page *pg, const char *text,
                           const char *sname, cv_align al, double y,
                           size_t page, size_t pages) {
  if (!text)
    return 0;
  cv_buf txt;
  cv_buf_init(&txt);
  expand_fields(b, text, page, pages, &txt);
  double w = 0;
  vline *line = txt.data && txt.len
                    ? cv_bld_line_items(b, cv_bld_style(b, sname), txt.data, &w)
                    : NULL;
  cv_buf_fini(&txt);
  /* The text block as entries see it, whatever section is open. */
  const cv_theme *t = b->theme;
  double x = t->margin_left + t->entry_left;
  double m = t->page_w - t->margin_left - t->margin_right - t->entry_left -
             t->entry_right;
  if (al == CV_ALIGN_CENTER)
    x += (m - w) / 2;
  else if (al == CV_ALIGN_RIGHT)
    x += m - w;
  for (size_t i = 0; line && i < line->n; i++)
    if (cv_bld_place_item(b, pg, &line->items[i], x, y) < 0)
      return -1;
  return 0;
}

int cv_bld_add_footer(cvpdf_builder *b, cv_page *pg, int first, size_t page,
                      size_t pages) {
  const cv_theme *t = b->theme;
  double y = t->margin_bottom * 0.5;
  if (y < 24)
    y = 24;
  cv_source_set(&b->src, t->footer_at);
  if (add_margin_text(b, pg, t->footer, "footer", t->footer_align, y, page,
                      pages) < 0)
    return -1;
  /* The header's baseline sits halfway into the top margin, and never
   * closer than 24pt to the edge of the paper; so does the last-updated
   * line on the first page. */
  double top = t->margin_top * 0.5;
  if (top < 24)
    top = 24;
  if (first && t->updated) {
    cv_source_set(&b->src, t->updated_at);
    if (add_margin_text(b, pg, t->updated, "header", t->updated_align,
                        t->page_h - top, page, pages) < 0)
      return -1;
  }
  if (first && !t->header_first)
    return 0;
  cv_source_set(&b->src, t->header_at);
  return add_margin_text(b, pg, t->header, "header", t->header_align,
                         t->page_h - top, page, pages);
}
