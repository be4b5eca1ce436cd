/* cvpdf - small conveniences for section plugins, built only on the host
 * service table (header-only, so a plugin still links against nothing).
 * Strings returned are builder-owned, like those of the host. */
#if !defined(CVPDF_H_IN) && !defined(CVPDF_COMPILATION)
#error "Include <cvpdf/cvpdf.h> instead."
#endif
#ifndef CVPDF_UTIL_H
#define CVPDF_UTIL_H

#include <cvpdf/cvpdf-plugin.h>

#include <stddef.h>
#include <stdlib.h>

/* text as a link to url, or text itself when there is no url.  text is
 * markup and stays markup inside the link. */
static inline const char *cvpdf_linked(const cvpdf_host *h, cvpdf_builder *b,
                                       const char *text, const char *url) {
  if (!text || !url || !*url)
    return text;
  return h->fmt(b, "[%s](%s)", text, url);
}

/* parts[0..n) joined with sep (NULL and empty parts skipped), or NULL when
 * none is left: in one piece on hosts of ABI 1.2 and later, one part at a
 * time through fmt on older ones. */
static inline const char *cvpdf_join(const cvpdf_host *h, cvpdf_builder *b,
                                     const char *const *parts, size_t n,
                                     const char *sep) {
  if (CVPDF_HOST_HAS(h, join))
    return h->join(b, parts, n, sep);
  const char *out = NULL;
  for (size_t i = 0; i < n; i++)
    if (parts[i] && *parts[i])
      out = out ? h->fmt(b, "%s%s%s", out, sep ? sep : "", parts[i]) : parts[i];
  return out;
}

/* Parts collected for one join, however many: add them one by one, then
 * join once (growing a string with fmt instead copies it for every part,
 * and the copies live as long as the document).  A short list stays in
 * the struct; a longer one is on the heap until cvpdf_parts_join. */
typedef struct cvpdf_parts {
  const char **v;
  size_t n, cap;
  const char *sep;
  const char *local[16];
} cvpdf_parts;

static inline void cvpdf_parts_init(cvpdf_parts *p, const char *sep) {
  p->v = p->local;
  p->n = 0;
  p->cap = sizeof p->local / sizeof *p->local;
  p->sep = sep;
}

/* Adds s (NULL and empty are skipped).  Out of memory, the parts so far
 * are joined into one, so nothing is lost. */
static inline void cvpdf_parts_add(const cvpdf_host *h, cvpdf_builder *b,
                                   cvpdf_parts *p, const char *s) {
  if (!s || !*s)
    return;
  if (p->n == p->cap) {
    size_t cap = p->cap * 2;
    const char **v = cap > (size_t)-1 / sizeof *v
                         ? NULL
                         : (const char **)malloc(cap * sizeof *v);
    if (v) {
      for (size_t i = 0; i < p->n; i++)
        v[i] = p->v[i];
      if (p->v != p->local)
        free((void *)p->v);
      p->v = v;
      p->cap = cap;
    } else {
      p->v[0] = cvpdf_join(h, b, p->v, p->n, p->sep);
      p->n = 1;
    }
  }
  p->v[p->n++] = s;
}

/* The parts joined with the separator given to cvpdf_parts_init (NULL when
 * there are none); p is empty again afterwards. */
static inline const char *cvpdf_parts_join(const cvpdf_host *h,
                                           cvpdf_builder *b, cvpdf_parts *p) {
  const char *out = cvpdf_join(h, b, p->v, p->n, p->sep);
  if (p->v != p->local)
    free((void *)p->v);
  cvpdf_parts_init(p, p->sep);
  return out;
}

/* The scalars of n (a scalar or a list) joined with sep; empty items are
 * skipped; NULL when there are none. */
static inline const char *cvpdf_joined(const cvpdf_host *h, cvpdf_builder *b,
                                       const cvpdf_node *n, const char *sep) {
  cvpdf_parts p;
  cvpdf_parts_init(&p, sep);
  for (size_t i = 0; i < h->len(n); i++)
    cvpdf_parts_add(h, b, &p, h->str(h->at(n, i)));
  return cvpdf_parts_join(h, b, &p);
}

/* An entry's dates in the layout's format: `start`/`end` as a range, else
 * `date`, else `year`, else the list `dates` joined with ", ". */
static inline const char *cvpdf_dates(const cvpdf_host *h, cvpdf_builder *b,
                                      const cvpdf_node *e) {
  const cvpdf_node *s = h->get(e, "start"), *z = h->get(e, "end");
  if (s || z)
    return h->date_range(b, s, z);
  if (h->get(e, "date"))
    return h->date_range(b, h->get(e, "date"), NULL);
  if (h->get(e, "year"))
    return h->date_range(b, h->get(e, "year"), NULL);
  const cvpdf_node *ds = h->get(e, "dates");
  cvpdf_parts p;
  cvpdf_parts_init(&p, ", ");
  for (size_t i = 0; i < h->len(ds); i++)
    cvpdf_parts_add(h, b, &p, h->date_range(b, h->at(ds, i), NULL));
  return cvpdf_parts_join(h, b, &p);
}

static inline void cvpdf_list_items(const cvpdf_host *h, cvpdf_builder *b,
                                    const cvpdf_node *list);

/* The items of list as a bullet or numbered list; nothing when empty.  An
 * item {text: ..., items: [...]} (a field declared CVPDF_FIELD_NESTED)
 * holds its sub-items as a bullet list nested in it, marked as the layout
 * marks that level. */
static inline void cvpdf_list(const cvpdf_host *h, cvpdf_builder *b,
                              const cvpdf_node *list, cvpdf_list_kind kind) {
  if (h->len(list) == 0)
    return;
  h->list_begin(b, kind);
  cvpdf_list_items(h, b, list);
  h->list_end(b);
}

/* The items of list (nested ones as cvpdf_list prints them) added to the
 * list open in b, for a plugin that puts items of its own beside them. */
static inline void cvpdf_list_items(const cvpdf_host *h, cvpdf_builder *b,
                                    const cvpdf_node *list) {
  for (size_t i = 0; i < h->len(list); i++) {
    const cvpdf_node *it = h->at(list, i);
    if (h->kind(it) != CVPDF_NODE_MAP) {
      h->item(b, h->str(it));
      continue;
    }
    const cvpdf_node *sub = h->get(it, "items");
    if (h->len(sub) == 0) {
      h->item(b, h->get_str(it, "text"));
      continue;
    }
    h->item_begin(b, h->get_str(it, "text"));
    cvpdf_list(h, b, sub, CVPDF_LIST_BULLET);
    h->item_end(b);
  }
}

/* The usual head of an entry: title and location on the first row,
 * subtitle and dates on the second.  With neither subtitle nor location
 * the dates join the first row, so no row stands nearly empty. */
static inline void cvpdf_head_rows(const cvpdf_host *h, cvpdf_builder *b,
                                   const char *title, const char *subtitle,
                                   const char *location, const char *dates) {
  if (!subtitle && !location) {
    h->row(b, "title", title, "date", dates);
    return;
  }
  h->row(b, "title", title, "location", location);
  if (subtitle || dates)
    h->row(b, "subtitle", subtitle, "date", dates);
}

/* Label/value lines from a mapping (label: value or list of values). */
static inline void cvpdf_pairs_map(const cvpdf_host *h, cvpdf_builder *b,
                                   const cvpdf_node *dict) {
  for (size_t i = 0; i < h->len(dict); i++)
    h->pair(b, h->key_at(dict, i),
            cvpdf_joined(h, b, h->value_at(dict, i), ", "));
}

/* Label/value lines from a list of {label, value} or {label, items}
 * mappings (repeated labels allowed).  Returns non-zero after reporting an
 * item with neither. */
static inline int cvpdf_pairs_list(const cvpdf_host *h, cvpdf_builder *b,
                                   const cvpdf_node *list) {
  int rc = 0;
  for (size_t i = 0; i < h->len(list); i++) {
    const cvpdf_node *p = h->at(list, i);
    const cvpdf_node *v = h->get(p, "value");
    if (v && h->get(p, "items"))
      h->warn(b, p, "pair has both 'value' and 'items'; printing 'value'");
    if (!v)
      v = h->get(p, "items");
    if (!v) {
      h->error(b, p, "pair '%s' needs a 'value' or 'items'",
               h->get_str(p, "label"));
      rc = 1;
      continue;
    }
    h->pair(b, h->get_str(p, "label"), cvpdf_joined(h, b, v, ", "));
  }
  return rc;
}

#endif
