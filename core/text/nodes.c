/* cvpdf - growable node lists (boxes, glue, penalties). */
#include "text/nodes.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void cv_hlist_init(cv_hlist *l) {
  memset(l, 0, sizeof *l);
}

void cv_hlist_fini(cv_hlist *l) {
  if (!l)
    return;
  free(l->v);
  memset(l, 0, sizeof *l);
}

cv_hnode *cv_hlist_push(cv_hlist *l) {
  /* Once an append failed the list is incomplete; refusing later appends
   * keeps the caller from typesetting a paragraph with a hole in it. */
  if (l->failed)
    return NULL;
  void *v = l->v;
  if (cv_grow(&v, &l->cap, l->n + 1, sizeof *l->v) != 0) {
    l->failed = 1;
    return NULL;
  }
  l->v = v;
  cv_hnode *nd = &l->v[l->n++];
  memset(nd, 0, sizeof *nd);
  return nd;
}

void cv_hlist_box(cv_hlist *l, double w, cv_run *run) {
  cv_hnode *nd = cv_hlist_push(l);
  if (!nd)
    return;
  nd->kind = CV_BOX;
  nd->width = w;
  nd->run = run;
  if (run) {
    nd->height = run->ascent;
    nd->depth = run->descent;
  }
}

void cv_hlist_glue(cv_hlist *l, double w, double stretch, double shrink) {
  cv_hnode *nd = cv_hlist_push(l);
  if (!nd)
    return;
  nd->kind = CV_GLUE;
  nd->width = w;
  nd->stretch = stretch;
  nd->shrink = shrink;
}

void cv_hlist_penalty(cv_hlist *l, double w, int penalty, int flagged) {
  cv_hnode *nd = cv_hlist_push(l);
  if (!nd)
    return;
  nd->kind = CV_PENALTY;
  nd->width = w;
  nd->penalty = penalty;
  nd->flagged = (uint8_t)(flagged < 0 ? 1 : flagged);
}
