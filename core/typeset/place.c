/* cvpdf - blocks at a fixed position of the page, images on a line of
 * their own, and a day's date: what a letter needs besides the blocks of a
 * CV.
 *
 * A place is reached in the flow: the space before its first line is
 * made what brings that line to the place's top, its lines are set in the
 * place's width from its left edge, and the space after it what brings
 * the next line below the place.  So the reading order and the structure
 * stay those of the blocks, and a header taller than the place allows is
 * found (and warned about) rather than drawn over. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

#include <string.h>

#include "document/schema.h"
#include "text/cldr.h"

#define MM (72.0 / 25.4)

/* The places a layout declares (places:, typeset/theme_places.c), by
 * name, as a list for a message: "din5008, din5008a". */
static const char *place_names(const cvpdf_builder *b, char *buf, size_t cap) {
  size_t at = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < b->theme->nplaces && at < cap; i++)
    at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? ", " : "",
                           b->theme->places[i].name);
  return b->theme->nplaces ? buf : "none";
}

void cv_bld_frame_save(const cvpdf_builder *b, frame *f) {
  *f = (frame){b->measure, b->base, b->indent};
}

void cv_bld_frame_restore(cvpdf_builder *b, const frame *f) {
  b->measure = f->measure;
  b->base = f->base;
  b->indent = f->indent;
}

double cv_bld_height_from(const cvpdf_builder *b, size_t from, int lead_glue,
                          int *boxes) {
  double used = 0;
  int seen = 0;
  size_t i = from > b->dropped ? from - b->dropped : 0;
  for (; i < b->nv; i++) {
    const cv_vitem *it = &b->v[i];
    if (it->kind == CV_VBOX) {
      used += it->height + it->depth;
      seen = 1;
    } else if (it->kind == CV_VGLUE && (seen || lead_glue)) {
      used += it->width;
    }
  }
  if (boxes)
    *boxes = seen;
  return used;
}

int cv_h_place_begin(cvpdf_builder *b, const char *name) {
  cv_bld_begin_block(b);
  const cv_theme *t = b->theme;
  const cv_place *p = cv_theme_place(t, name);
  if (!p && name) {
    char names[256];
    cv_diags_add(
        b->diags, CV_SEV_WARNING, b->src.root ? b->src.root->file : NULL,
        b->src.root ? b->src.root->line : 0, b->src.root ? b->src.root->col : 0,
        "the layout declares no place '%s' (its places: %s); the blocks "
        "meant for it follow the text instead",
        name, place_names(b, names, sizeof names));
  }
  if (!p || b->place_on)
    return 0;
  int boxes;
  double used = cv_bld_height_from(b, b->page_start + b->dropped, 0, &boxes);
  double top = p->top + p->inset_top - t->margin_top;
  double body = t->page_h - t->margin_top - t->margin_bottom;
  if (used > top || top > body) {
    cv_diags_add(
        b->diags, CV_SEV_WARNING, b->src.root ? b->src.root->file : NULL,
        b->src.root ? b->src.root->line : 0, b->src.root ? b->src.root->col : 0,
        "the %s address field starts %.1f mm below the page's top, "
        "but what comes before it reaches %.1f mm: it is set below "
        "that instead (a smaller header or photo leaves room)",
        name, (p->top + p->inset_top) / MM, (t->margin_top + used) / MM);
    return 0;
  }
  if (!boxes) {
    /* Space at the top of a page is dropped: an empty line keeps it. */
    vline *l = cv_bld_vline_new(b);
    if (!l)
      return 0;
    cv_bld_add_box(b, l, 0, 0, 0, 0);
  }
  b->pending_space = top - used;
  b->place_on = 1;
  b->place_name = name;
  b->place_top = top;
  b->place_bottom = p->top + p->height - t->margin_top;
  b->place_at = b->nv + b->dropped;
  cv_bld_frame_save(b, &b->place_saved);
  double x = p->left + p->inset_left - t->margin_left;
  double w = p->width - p->inset_left;
  b->indent = b->base = x > 0 ? x : 0;
  b->measure = b->indent + w < b->measure ? b->indent + w : b->measure;
  b->keep = 1; /* the place stays on this page */
  return 1;
}

void cv_h_place_end(cvpdf_builder *b) {
  cv_bld_begin_block(b);
  if (!b->place_on)
    return;
  b->place_on = 0;
  cv_bld_frame_restore(b, &b->place_saved);
  b->keep = 0;
  double used = cv_bld_height_from(b, b->place_at, 0, NULL);
  double room = b->place_bottom - b->place_top;
  if (used > room)
    cv_diags_add(
        b->diags, CV_SEV_WARNING, b->src.root ? b->src.root->file : NULL,
        b->src.root ? b->src.root->line : 0, b->src.root ? b->src.root->col : 0,
        "the address is %.1f mm high, more than the %.1f mm of the "
        "%s address field: its last lines fall outside the window",
        used / 72 * 25.4, room / 72 * 25.4, b->place_name);
  else
    b->pending_space = room - used + b->theme->sp_medium;
}

/* ---- a day's date ------------------------------------------------------ */

const char *cv_h_day_date(cvpdf_builder *b, const cvpdf_node *date) {
  if (cv_date_literal(date))
    return cv_h_escape(b, cv_date_literal(date));
  const char *s = cv_node_str(date);
  cv_date d = {0};
  if (s && cv_date_parse(s, &d) != 0) {
    cv_h_error(b, date,
               "expected a date such as 2026-03-14, March 2026 or today, "
               "found '%s'",
               s);
    return NULL;
  }
  if (s && !d.present && !d.day) /* a month or a year, as a CV prints it */
    return cv_builder_services()->date_range(b, date, NULL);
  if ((!s || d.present) && cv_h_today(b, &d) < 0)
    return NULL;
  char buf[128];
  cv_cldr_day_date(buf, sizeof buf, b->lang, d.year, d.month, d.day);
  return cv_h_escape(b, buf);
}

/* ---- images ------------------------------------------------------------ */

void cv_builder_set_image_loader(cvpdf_builder *b, cv_image_loader load,
                                 void *ud) {
  b->image_loader = load;
  b->image_ud = ud;
}

void cv_h_image(cvpdf_builder *b, const char *style, const cvpdf_node *path,
                const char *alt) {
  cv_bld_begin_block(b);
  const cv_image *img = NULL;
  if (!b->image_loader) {
    cv_h_error(b, path, "images cannot be read here");
    return;
  }
  if (b->image_loader(b->image_ud, path, alt, &img) < 0 || !img) {
    b->failed = 1;
    return;
  }
  if (!img->px_w || !img->px_h)
    return;
  const cv_style *s = cv_bld_style(b, style);
  double room = b->measure - b->indent;
  double h = s->ts.size, w = h * img->px_w / img->px_h;
  if (w > room) {
    h *= room / w;
    w = room;
  }
  vline *l;
  pitem *p = cv_bld_figure(b, img, cv_bld_container(b), w, h, &l);
  if (!p)
    return;
  p->x = b->indent + (s->align == CV_ALIGN_RIGHT    ? room - w
                      : s->align == CV_ALIGN_CENTER ? (room - w) / 2
                                                    : 0);
  cv_bld_add_space(b, s->space_before);
  cv_bld_add_box(b, l, h, 0, 0, 1);
  cv_bld_add_space(b, s->space_after);
}
