/* cvpdf - a layout's places: fields at a fixed position of the sheet that
 * a plugin sets blocks in (the letter's envelope window).  Read from a
 * layout's (or a CV's theme's) `places:`, usually inside its letter:
 * block:
 *
 *     places:
 *       din5008: {top: 45mm, left: 20mm, width: 85mm, height: 45mm,
 *                 inset_top: 17.7mm, inset_left: 5mm}
 *
 * A place named again replaces the one before (a CV's theme over its
 * layout, a layout over the one it extends). */
#define _POSIX_C_SOURCE 200809L
#include "typeset/theme_read.h"

#include <string.h>

/* Within an A3 sheet: a place off any page cvpdf sets is a typo. */
static const cv_lr_range R_PLACE = {0, 1191};

static cv_place *place_slot(cv_lr *r, const cvpdf_node *key) {
  const char *name = cv_node_str(key);
  cv_theme *t = r->t;
  for (size_t i = 0; i < t->nplaces; i++)
    if (!strcmp(t->places[i].name, name))
      return &t->places[i];
  if (t->nplaces == CV_MAX_PLACES) {
    cv_lr_err(r, key, "places: expected at most %d places, found more",
              CV_MAX_PLACES);
    return NULL;
  }
  cv_place *p = &t->places[t->nplaces];
  memset(p, 0, sizeof *p);
  if (!(p->name = cv_arena_strdup(r->arena, name)))
    return NULL;
  t->nplaces++;
  return p;
}

static void read_place(cv_lr *r, const cvpdf_node *key, const cvpdf_node *m) {
  static const char *const keys[] = {
      "top", "left", "width", "height", "inset_top", "inset_left", NULL};
  if (!cv_lr_is_map(r, m, cv_node_str(key)))
    return;
  if (cv_lr_known_keys(r, m, keys, "a place") < 0)
    return;
  for (int i = 0; i < 4; i++)
    if (!cv_node_get(m, keys[i])) {
      cv_lr_err(r, m,
                "place %s is missing '%s' (expected top, left, width "
                "and height, and inset_top and inset_left if any)",
                cv_node_str(key), keys[i]);
      return;
    }
  cv_place *p = place_slot(r, key);
  if (!p)
    return;
  double *out[] = {&p->top,    &p->left,      &p->width,
                   &p->height, &p->inset_top, &p->inset_left};
  int before = r->errors;
  for (int i = 0; keys[i]; i++) {
    const cvpdf_node *v = cv_node_get(m, keys[i]);
    *out[i] = 0;
    if (v)
      cv_lr_length(r, v, keys[i], out[i], R_PLACE);
  }
  if (r->errors == before &&
      (p->inset_top >= p->height || p->inset_left >= p->width))
    cv_lr_err(r, m,
              "place %s: expected its insets inside it, found "
              "inset_top %g pt of a height of %g pt, inset_left %g pt "
              "of a width of %g pt",
              p->name, p->inset_top, p->height, p->inset_left, p->width);
}

void cv_lr_places(cv_lr *r, const cvpdf_node *v) {
  if (!cv_lr_is_map(r, v, "places"))
    return;
  for (size_t i = 0; i < cv_node_len(v); i++)
    read_place(r, cv_node_key_at(v, i), cv_node_value_at(v, i));
}

const cv_place *cv_theme_place(const cv_theme *t, const char *name) {
  for (size_t i = 0; name && i < t->nplaces; i++)
    if (!strcmp(t->places[i].name, name))
      return &t->places[i];
  return NULL;
}
