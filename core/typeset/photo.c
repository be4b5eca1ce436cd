/* cvpdf - the CV's photo beside the header.  The layout says where it goes
 * (right or left of the header's lines, or centred above them), how high
 * it is and whether it is round.  It rides on an empty line at the top of
 * the header, reaching down from that line's baseline; the header's lines
 * beside it are set narrower, and what follows the header starts below
 * it. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

/* What a photo beside the header leaves for the header's lines: a name
 * and a contact item or two. */
#define MIN_TEXT_BESIDE 144.0

/* The photo's box: `size` high, as wide as the image's proportions make
 * it (square when round), no wider than room and no higher than half the
 * page's text (scaled down whole). */
static void photo_box(const cv_theme *t, const cv_image *img, double room,
                      double *w, double *h) {
  double most_h = (t->page_h - t->margin_top - t->margin_bottom) / 2;
  *h = t->photo_size < most_h ? t->photo_size : most_h;
  *w = t->photo_round ? *h : *h * img->px_w / img->px_h;
  if (*w > room) {
    *h *= room / *w;
    *w = room;
  }
}

pitem *cv_bld_figure(cvpdf_builder *b, const cv_image *img, uint32_t parent,
                     double w, double h, vline **line) {
  vline *l = *line = cv_bld_vline_new(b);
  pitem *p = l ? cv_bld_vline_add(b, l) : NULL;
  if (!p)
    return NULL;
  p->kind = CV_DL_IMAGE;
  p->role = CV_ROLE_FIGURE;
  p->tag = cv_bld_elem(b, CV_ROLE_FIGURE, parent);
  if (p->tag)
    b->st.v[p->tag].alt = img->alt;
  p->image = img;
  p->w = w;
  p->h = h;
  return p;
}

void cv_builder_photo_begin(cvpdf_builder *b, const cv_image *img) {
  const cv_theme *t = b->theme;
  if (!img || !img->px_w || !img->px_h || t->photo_position == CV_PHOTO_NONE)
    return;
  int pos = t->photo_position;
  double beside = b->measure - b->indent - t->photo_gap - MIN_TEXT_BESIDE;
  if (pos != CV_PHOTO_CENTER && beside < 24)
    pos = CV_PHOTO_CENTER; /* a page too narrow to set text beside it */
  double w, h;
  photo_box(t, img, pos == CV_PHOTO_CENTER ? b->measure - b->indent : beside,
            &w, &h);
  vline *l;
  /* A figure of the document, its alternate text the photo's. */
  pitem *p = cv_bld_figure(b, img, b->sect ? b->sect : 1, w, h, &l);
  if (!p)
    return;
  p->round = t->photo_round;
  b->photo_on = 1;
  b->photo_pos = pos;
  b->photo_h = h;
  cv_bld_frame_save(b, &b->photo_saved);
  if (pos == CV_PHOTO_CENTER) {
    /* Above the header, on a line of its own. */
    p->x = b->indent + (b->measure - b->indent - w) / 2;
    cv_bld_add_box(b, l, h, 0, 0, 0);
    cv_bld_add_space(b, t->photo_gap);
  } else {
    /* On an empty line, reaching down beside the lines that follow. */
    p->dy = -h;
    if (pos == CV_PHOTO_RIGHT) {
      p->x = b->measure - w;
      b->measure -= w + t->photo_gap;
    } else if (b->base > 0 && b->indent == b->base &&
               w + t->side_gap <= b->base) {
      /* In the side column, aligned as its dates are. */
      p->x = t->side_align == CV_ALIGN_RIGHT ? b->base - t->side_gap - w : 0;
    } else {
      p->x = b->indent;
      b->indent += w + t->photo_gap;
      b->base = b->indent;
    }
    cv_bld_add_box(b, l, 0, 0, 0, 0);
  }
  b->photo_at = b->nv + b->dropped;
  b->keep = 1; /* the header stays with its photo */
}

void cv_builder_photo_end(cvpdf_builder *b) {
  if (!b->photo_on)
    return;
  b->photo_on = 0;
  cv_bld_frame_restore(b, &b->photo_saved);
  b->indent = b->base;
  if (b->photo_pos == CV_PHOTO_CENTER)
    return;
  /* The height the header's lines took beside the photo. */
  double used = cv_bld_height_from(b, b->photo_at, 1, NULL);
  if (used < b->photo_h)
    cv_bld_add_space(b, b->photo_h - used + b->theme->sp_medium);
}
