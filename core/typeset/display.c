/* cvpdf - the display list: pages of placed items, filled by layout and
 * read by the backends. */
#include "typeset/display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cv_docout_init(cv_docout *d) {
  memset(d, 0, sizeof *d);
}

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
  if (cv_grow((void **)&d->pages, &d->cap, d->npages + 1, sizeof *d->pages) < 0)
    return NULL;
  cv_page *p = &d->pages[d->npages++];
  memset(p, 0, sizeof *p);
  p->width = width;
  p->height = height;
  p->foot_need = -1;
  return p;
}

cv_dl_item *cv_page_add(cv_page *p) {
  if (cv_grow((void **)&p->items, &p->cap, p->n + 1, sizeof *p->items) < 0)
    return NULL;
  cv_dl_item *it = &p->items[p->n++];
  memset(it, 0, sizeof *it);
  return it;
}

/* An item's place in reading order: sorting these, not the items, moves
 * 16 bytes a step instead of a whole item. */
typedef struct sort_key {
  uint64_t seq;
  size_t at; /* the item's index before the sort */
} sort_key;

/* Merges the sorted halves [lo, mid) and [mid, hi) of a through tmp: keys
 * of equal seq keep their order. */
static void merge(sort_key *a, sort_key *tmp, size_t lo, size_t mid,
                  size_t hi) {
  if (a[mid - 1].seq <= a[mid].seq)
    return; /* in order already, as most of a page is */
  size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi)
    tmp[k++] = a[j].seq < a[i].seq ? a[j++] : a[i++];
  while (i < mid)
    tmp[k++] = a[i++];
  while (j < hi)
    tmp[k++] = a[j++];
  memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

int cv_page_sort(cv_page *p) {
  size_t n = p->n, sorted = 1;
  for (size_t i = 1; i < n && sorted; i++)
    sorted = p->items[i - 1].seq <= p->items[i].seq;
  if (sorted)
    return 0;
  sort_key *key = cv_malloc_n(2 * n, sizeof *key);
  cv_dl_item *out = cv_malloc_n(n, sizeof *out);
  if (!key || !out) {
    free(key);
    free(out);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    key[i] = (sort_key){p->items[i].seq, i};
  for (size_t w = 1; w < n; w *= 2)
    for (size_t lo = 0; lo + w < n; lo += 2 * w)
      merge(key, key + n, lo, lo + w, lo + 2 * w < n ? lo + 2 * w : n);
  /* Only the items between the first and the last that moved are
   * copied. */
  size_t lo = 0, hi = n;
  while (lo < n && key[lo].at == lo)
    lo++;
  while (hi > lo && key[hi - 1].at == hi - 1)
    hi--;
  for (size_t i = lo; i < hi; i++)
    out[i] = p->items[key[i].at];
  memcpy(p->items + lo, out + lo, (hi - lo) * sizeof *out);
  free(key);
  free(out);
  return 0;
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
  p->foot_hole = pg->foot_hole;
  p->foot_need = pg->foot_need;
  return copy_items(p, pg, st);
}

static int docout_margin(void *ud, size_t index, const cv_page *items,
                         cv_status *st) {
  cv_docout *d = ud;
  if (index >= d->npages) {
    cv_status_set(st, "margin items for page %zu of %zu", index + 1, d->npages);
    return -1;
  }
  return copy_items(&d->pages[index], items, st);
}

cv_pagesink cv_docout_sink(cv_docout *d) {
  return (cv_pagesink){d, docout_page, docout_margin};
}

uint32_t cv_structure_add(cv_structure *s, cv_role role, uint32_t parent) {
  if (s->n >= UINT32_MAX - 1 ||
      cv_grow((void **)&s->v, &s->cap, s->n ? s->n + 1 : 2, sizeof *s->v) < 0)
    return 0;
  if (s->n == 0) /* element 0: none */
    s->v[s->n++] = (cv_selem){0};
  s->v[s->n] =
      (cv_selem){.role = (uint8_t)role, .parent = parent < s->n ? parent : 0};
  return (uint32_t)s->n++;
}

void cv_structure_fini(cv_structure *s) {
  free(s->v);
  memset(s, 0, sizeof *s);
}

const char *cv_role_name(cv_role role) {
  static const char *const names[] = {
      "NonStruct", "Document", "Sect", "Div", "H1",    "H2",     "H3",
      "P",         "L",        "LI",   "Lbl", "LBody", "Figure", "Part"};
  return (unsigned)role < sizeof names / sizeof *names ? names[role]
                                                       : "NonStruct";
}

const char *cv_numbering_name(cv_numbering num) {
  static const char *const names[] = {"Disc",       "Decimal",    "None",
                                      "Circle",     "Square",     "LowerRoman",
                                      "UpperRoman", "LowerAlpha", "UpperAlpha"};
  return (unsigned)num < sizeof names / sizeof *names ? names[num] : "None";
}

size_t cv_pdf_text_units(const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p & 0xC0) != 0x80)
      n += *p >= 0xF0 ? 2 : 1; /* beyond the BMP: a surrogate pair */
  return n;
}

/* The scheme of uri ("javascript" for "javascript:x"), its length in
 * *len; NULL when uri has none.  RFC 3986: a letter, then letters, digits,
 * '+', '-' or '.', then ':'. */
static const char *scheme(const char *uri, size_t *len) {
  size_t i = 0;
  while ((uri[i] >= 'a' && uri[i] <= 'z') || (uri[i] >= 'A' && uri[i] <= 'Z') ||
         (i > 0 && ((uri[i] >= '0' && uri[i] <= '9') || uri[i] == '+' ||
                    uri[i] == '-' || uri[i] == '.')))
    i++;
  *len = i;
  return i > 0 && uri[i] == ':' ? uri : NULL;
}

static int refuse(char *why, size_t cap, const char *reason) {
  snprintf(why, cap, "%s", reason);
  return 1;
}

int cv_link_refused(const char *uri, int safe, char *why, size_t cap) {
  static const char *const allowed[] = {"http", "https", "mailto", "tel", NULL};
  size_t n = strlen(uri), sl;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)uri[i] < 0x20 || uri[i] == 0x7F)
      return refuse(why, cap, "a control character in it");
  if (n > CV_MAX_LINK) {
    snprintf(why, cap, "a link of %zu bytes (at most %d)", n, CV_MAX_LINK);
    return 1;
  }
  if (scheme(uri, &sl)) {
    for (size_t i = 0; allowed[i]; i++)
      if (strlen(allowed[i]) == sl && !strncasecmp(uri, allowed[i], sl))
        return 0;
    snprintf(why, cap, "the scheme '%.*s:'", sl > 32 ? 32 : (int)sl, uri);
    return 1;
  }
  /* Without a scheme, a ':' before the first '/', '?' or '#' is a scheme
   * that is not one ("java script:"): a reader may still take it for one. */
  if (memchr(uri, ':', strcspn(uri, "/?#")))
    return refuse(why, cap, "a ':' that does not end a scheme");
  /* "/etc/passwd" is a file: link in disguise; "//host/x" (or "\\host")
   * one to another machine's files, which some readers open. */
  if (uri[0] == '/' || uri[0] == '\\')
    return refuse(why, cap, "an absolute path");
  return safe ? refuse(why, cap, "a relative link (safe mode allows none)") : 0;
}
