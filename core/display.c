/* cvpdf - the display list: pages of placed items, filled by layout and
 * read by the backends. */
#include "display.h"

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
