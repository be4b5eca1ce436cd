/* cvpdf - the display list: pages of placed items, filled by layout and
 * read by the backends. */
#include "typeset/display.h"

#include <stdlib.h>
#include <string.h>

void cv_docout_init(cv_docout *d) { memset(d, 0, sizeof *d); }

void cv_docout_fini(cv_docout *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->npages; i++)
    free(d->pages[i].items);
  free(d->pages);
  d->pages = NULL;
  d->npages = d->cap = 0;
}

cv_page *cv_docout_add_page(cv_docout *d, double width, double height) {
  if (cv_grow((void **)&d->pages, &d->cap, d->npages + 1, sizeof *d->pages) <
      0)
    return NULL;
  cv_page *p = &d->pages[d->npages++];
  memset(p, 0, sizeof *p);
  p->width = width;
  p->height = height;
  return p;
}

cv_dl_item *cv_page_add(cv_page *p) {
  if (cv_grow((void **)&p->items, &p->cap, p->n + 1, sizeof *p->items) < 0)
    return NULL;
  cv_dl_item *it = &p->items[p->n++];
  memset(it, 0, sizeof *it);
  return it;
}

static int copy_items(cv_page *to, const cv_page *from, cv_status *st) {
  for (size_t i = 0; i < from->n; i++) {
    cv_dl_item *it = cv_page_add(to);
    if (!it) {
      cv_status_set(st, "out of memory keeping page items");
      return -1;
    }
    *it = from->items[i];
  }
  return 0;
}

static int docout_page(void *ud, const cv_page *pg, cv_status *st) {
  cv_page *p = cv_docout_add_page(ud, pg->width, pg->height);
  if (!p) {
    cv_status_set(st, "out of memory keeping a page");
    return -1;
  }
  return copy_items(p, pg, st);
}

static int docout_margin(void *ud, size_t index, const cv_page *items,
                         cv_status *st) {
  cv_docout *d = ud;
  if (index >= d->npages) {
    cv_status_set(st, "margin items for page %zu of %zu", index + 1,
                  d->npages);
    return -1;
  }
  return copy_items(&d->pages[index], items, st);
}

cv_pagesink cv_docout_sink(cv_docout *d) {
  return (cv_pagesink){d, docout_page, docout_margin};
}
