/* cvpdf - small conveniences for section plugins, built only on the host
 * service table (header-only, so a plugin still links against nothing).
 * Strings returned are builder-owned, like those of the host. */
#if !defined(CVPDF_H_IN) && !defined(CVPDF_COMPILATION)
#error "Include <cvpdf/cvpdf.h> instead."
#endif
#ifndef CVPDF_UTIL_H
#define CVPDF_UTIL_H

#include <cvpdf/cvpdf-plugin.h>

/* text as a link to url, or text itself when there is no url.  text is
 * markup and stays markup inside the link. */
static inline const char *cvpdf_linked(const cvpdf_host *h, cvpdf_builder *b,
                                       const char *text, const char *url) {
  if (!text || !url || !*url)
    return text;
  return h->fmt(b, "[%s](%s)", text, url);
}

/* The scalars of n (a scalar or a list) joined with sep; empty items are
 * skipped; NULL when there are none. */
static inline const char *cvpdf_joined(const cvpdf_host *h, cvpdf_builder *b,
                                       const cvpdf_node *n, const char *sep) {
  const char *out = NULL;
  for (size_t i = 0; i < h->len(n); i++) {
    const char *s = h->str(h->at(n, i));
    if (s && *s)
      out = out ? h->fmt(b, "%s%s%s", out, sep, s) : s;
  }
  return out;
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
  const char *out = NULL;
  for (size_t i = 0; i < h->len(ds); i++) {
    const char *one = h->date_range(b, h->at(ds, i), NULL);
    if (one)
      out = out ? h->fmt(b, "%s, %s", out, one) : one;
  }
  return out;
}

/* The items of list as a bullet or numbered list; nothing when empty. */
static inline void cvpdf_list(const cvpdf_host *h, cvpdf_builder *b,
                              const cvpdf_node *list, cvpdf_list_kind kind) {
  size_t n = h->len(list);
  if (n == 0)
    return;
  h->list_begin(b, kind);
  for (size_t i = 0; i < n; i++)
    h->item(b, h->str(h->at(list, i)));
  h->list_end(b);
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
