/* cvpdf - the builder: blocks -> lines -> vertical list -> pages.
 *
 * Blocks are typeset as soon as a plugin emits them: the measure is known,
 * so a paragraph goes through shaping and the line breaker at once and
 * only its lines are kept.  Between two line boxes there is always exactly
 * one penalty (the page builder's break point) and possibly glue after it;
 * glue never directly follows a box, so only our penalties are legal page
 * breaks and "keep" is simply a penalty of 10000.
 *
 * This file owns the builder's lifetime, its vertical list, the
 * generations of material its lines live in and the page sink they go to;
 * builder_int.h lists the other pieces. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Bytes a generation takes before it may end (fuzz builds set a small
 * value so that short inputs exercise the freeing too). */
#ifndef CV_GENERATION_BYTES
#define CV_GENERATION_BYTES (256 * 1024)
#endif

/* ---- small helpers ---------------------------------------------------- */

void cv_bld_oom(cvpdf_builder *b) {
  if (!b->failed)
    cv_diags_add(b->diags, CV_SEV_ERROR, NULL, 0, 0, "out of memory");
  b->failed = 1;
}

void cv_bld_fail(cvpdf_builder *b, const cv_status *st) {
  if (!b->failed)
    cv_diags_add(b->diags, CV_SEV_ERROR, NULL, 0, 0, "%s", st->msg);
  b->failed = 1;
}

/* Text from the document for a message: cut short, one line. */
static const char *shown(char *buf, size_t cap, const char *s) {
  size_t n = 0;
  for (; s[n] && n + 4 < cap; n++)
    buf[n] = (unsigned char)s[n] < 0x20 ? '?' : s[n];
  while (s[n] && n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
    n--; /* a cut never splits a character */
  snprintf(buf + n, cap - n, "%s", s[n] ? "..." : "");
  return buf;
}

/* Every link target on its way into a run passes here: one the PDF may
 * not hold is dropped (its text stays), with a warning at the field or
 * markup it came from. */
const char *cv_bld_link_filter(void *ud, const char *uri) {
  cvpdf_builder *b = ud;
  char why[96], buf[80];
  if (!cv_link_refused(uri, b->safe, why, sizeof why))
    return uri;
  const cvpdf_node *at = cv_source_find(&b->src, uri);
  if (cv_source_first(&b->src, at, uri))
    cv_diag_at(b->diags, CV_SEV_WARNING, at,
               "dropped the link to '%s': expected an http, https, mailto "
               "or tel address%s, found %s",
               shown(buf, sizeof buf, uri), b->safe ? "" : " or a relative one",
               why);
  return NULL;
}

const cv_style *cv_bld_style(cvpdf_builder *b, const char *name) {
  return cv_theme_style(b->theme, name);
}

/* Line items live in the arena, freed with the document: growth copies
 * (at most doubling the bytes used), so pointers into items are only valid
 * until the next cv_bld_vline_add on the same line. */
pitem *cv_bld_vline_add(cvpdf_builder *b, vline *l) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    pitem *items = cv_arena_alloc_n(b->arena, cap, sizeof *items);
    if (!items) {
      cv_bld_oom(b);
      return NULL;
    }
    if (l->n)
      memcpy(items, l->items, l->n * sizeof *items);
    l->items = items;
    l->cap = cap;
  }
  pitem *p = &l->items[l->n++];
  memset(p, 0, sizeof *p);
  p->seq = ++b->seq;
  p->tag = b->tag;
  p->role = b->tag < b->st.n ? b->st.v[b->tag].role : 0;
  return p;
}

vline *cv_bld_vline_new(cvpdf_builder *b) {
  vline *l = cv_arena_alloc(b->arena, sizeof *l);
  if (!l)
    cv_bld_oom(b);
  return l;
}

static void vpush(cvpdf_builder *b, cv_vkind kind, double h, double d, double w,
                  int pen, void *content) {
  if (cv_grow((void **)&b->v, &b->capv, b->nv + 1, sizeof *b->v) < 0) {
    cv_bld_oom(b);
    return;
  }
  cv_vitem *it = &b->v[b->nv++];
  it->kind = (unsigned char)kind;
  it->height = h;
  it->depth = d;
  it->width = w;
  it->penalty = pen;
  it->content = content;
}

void cv_bld_add_space(cvpdf_builder *b, double s) {
  if (s > b->pending_space)
    b->pending_space = s;
}

/* Appends a line box, preceded by its break penalty and pending space.
 * content: whether the line counts as content for keep-with-head. */
void cv_bld_add_box(cvpdf_builder *b, vline *l, double h, double d, int penalty,
                    int content) {
  if (b->nv + b->dropped > 0) {
    int p = b->keep ? CV_INF_PENALTY : penalty;
    /* An entry's second content line may start a page at a cost (TeX's
     * \clubpenalty), which the page builder weighs against the hole the
     * page would otherwise leave. */
    if (b->keep && content && b->keep_content == 1 && penalty < CV_INF_PENALTY)
      p = CV_SOFT_KEEP_PENALTY;
    vpush(b, CV_VPENALTY, 0, 0, 0, p, NULL);
    if (b->pending_space > 0)
      vpush(b, CV_VGLUE, 0, 0, b->pending_space, 0, NULL);
  }
  b->pending_space = 0;
  /* A hanging label (entry label, list bullet) rides on the next lines. */
  if (b->label_next < b->nlabel) {
    vline *lab = b->label_lines[b->label_next++];
    for (size_t i = 0; i < lab->n; i++) {
      pitem *p = cv_bld_vline_add(b, l);
      if (p)
        *p = lab->items[i];
    }
  }
  vpush(b, CV_VBOX, h, d, 0, 0, l);
  if (content && b->keep_content > 0 && --b->keep_content == 0)
    b->keep = 0;
  if (b->keep_after) {
    b->keep_after = 0;
    if (b->keep_content > 0)
      b->keep = 1;
  }
  b->stats.lines++;
}

/* Keeps what was just emitted with the head of what follows. */
void cv_bld_keep_with_next(cvpdf_builder *b, int content_lines) {
  b->keep = 1;
  if (content_lines > b->keep_content)
    b->keep_content = content_lines;
}

/* Attaches an item to the next line appended: joined to a pending label
 * line if there is one, else a queue of its own. */
static void queue_beside(cvpdf_builder *b, const pitem *item) {
  if (b->label_next < b->nlabel) {
    pitem *m = cv_bld_vline_add(b, b->label_lines[b->label_next]);
    if (m)
      *m = *item;
    return;
  }
  vline *l = cv_bld_vline_new(b);
  pitem *p = l ? cv_bld_vline_add(b, l) : NULL;
  vline **q = cv_arena_alloc(b->arena, sizeof *q);
  if (!p || !q) {
    cv_bld_oom(b);
    return;
  }
  *p = *item;
  q[0] = l;
  b->label_lines = q;
  b->nlabel = 1;
  b->label_next = 0;
}

/* Copies the items of line into the next line appended, shifted by dx. */
void cv_bld_queue_items(cvpdf_builder *b, const vline *line, double dx) {
  for (size_t i = 0; line && i < line->n; i++) {
    pitem p = line->items[i];
    p.x += dx;
    queue_beside(b, &p);
  }
}

/* Appends the items of line to l, shifted by dx. */
void cv_bld_add_items(cvpdf_builder *b, vline *l, const vline *line,
                      double dx) {
  for (size_t i = 0; line && i < line->n; i++) {
    pitem *p = cv_bld_vline_add(b, l);
    if (!p)
      return;
    *p = line->items[i];
    p->x += dx;
  }
}

void cv_bld_flush_labels(cvpdf_builder *b) {
  while (b->label_next < b->nlabel) {
    vline *l = cv_bld_vline_new(b);
    if (!l)
      return;
    const cv_style *s = cv_bld_style(b, "label");
    cv_bld_add_box(b, l, s->leading * 0.75, s->leading * 0.25, 0, 1);
  }
  b->nlabel = b->label_next = 0;
  b->label_lines = NULL;
}

/* ---- builder lifetime ------------------------------------------------- */

static material *new_generation(cvpdf_builder *b) {
  material *m = calloc(1, sizeof *m);
  if (!m || cv_grow((void **)&b->gens, &b->capgens, b->ngens + 1,
                    sizeof *b->gens) < 0) {
    free(m);
    return NULL;
  }
  cv_arena_init(&m->arena);
  m->end = SIZE_MAX;
  b->gens[b->ngens++] = m;
  b->arena = &m->arena;
  cv_shaper_set_arena(b->sh, b->arena);
  return m;
}

cvpdf_builder *cv_builder_create(const cv_theme *theme, cv_shaper *sh,
                                 cv_arena *arena, cv_diags *diags,
                                 const char *lang) {
  cvpdf_builder *b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  b->theme = theme;
  b->sh = sh;
  b->perm = arena;
  if (!new_generation(b) ||
      cv_structure_add(&b->st, CV_ROLE_DOCUMENT, 0) != 1) {
    cv_builder_destroy(b);
    return NULL;
  }
  b->diags = diags;
  b->lang = lang ? lang : "en";
  b->date = (int64_t)time(NULL); /* cv_builder_set_date fixes it */
  b->measure = theme->page_w - theme->margin_left - theme->margin_right;
  if (theme->side_width > 0 && theme->side_width < b->measure / 2)
    b->base = theme->side_width + theme->side_gap;
  b->indent = b->base;
  cv_hlist_init(&b->contact);
  cv_source_init(&b->src);
  cv_shaper_set_link_filter(sh, cv_bld_link_filter, b);
  return b;
}

void cv_builder_destroy(cvpdf_builder *b) {
  if (!b)
    return;
  /* The shaper may outlive the builder: point it back at lasting memory,
   * and away from the builder's link filter. */
  if (b->sh) {
    cv_shaper_set_arena(b->sh, b->perm);
    cv_shaper_set_link_filter(b->sh, NULL, NULL);
    cv_shaper_set_foreign_words(b->sh, NULL, 0, NULL);
  }
  cv_source_fini(&b->src);
  cv_structure_fini(&b->st);
  for (size_t i = 0; i < b->ngens; i++) {
    cv_arena_fini(&b->gens[i]->arena);
    free(b->gens[i]);
  }
  free(b->gens);
  cv_hlist_fini(&b->contact);
  free(b->scratch.items);
  free(b->v);
  free(b);
}

void cv_bld_reset(cvpdf_builder *b) {
  b->indent = b->base;
  b->depth = 0;
  b->keep = 0;
  b->keep_content = 0;
  b->keep_after = 0;
}

void cv_builder_end_section(cvpdf_builder *b) {
  cv_bld_flush_contacts(b);
  if (b->in_entry)
    cv_h_entry_end(b);
  cv_bld_flush_labels(b);
  cv_bld_inset(b, 0);
  cv_bld_reset(b);
  b->type = NULL;
  b->spans = 0;
  b->label_col = 0;
  b->sect_lang = NULL;
}

void cv_builder_set_lang(cvpdf_builder *b, const char *lang) {
  /* Kept with the structure, to the end: in the arena that outlives pages. */
  int own = !lang || !*lang || (b->lang && !strcmp(lang, b->lang));
  b->sect_lang = own ? NULL : cv_arena_strdup(b->perm, lang);
}

void cv_builder_set_text_langs(cvpdf_builder *b, int on) {
  b->text_langs = on;
}

void cv_builder_set_type(cvpdf_builder *b, const char *type) {
  b->type = type;
}

void cv_builder_set_source(cvpdf_builder *b, const cvpdf_node *node) {
  cv_source_set(&b->src, node);
}

int cv_builder_failed(const cvpdf_builder *b) {
  return b->failed;
}

const char *cv_builder_author(const cvpdf_builder *b) {
  return b->author;
}

const cvpdf_node *cv_builder_author_at(const cvpdf_builder *b) {
  cv_source s = {.root = b->author_src};
  return b->author ? cv_source_find(&s, b->author) : NULL;
}

/* Whether a and b are one name: any case, '_' and ' ' alike. */
static int same_name(const char *a, const char *b) {
  for (;; a++, b++) {
    int x = *a == '_' ? ' ' : tolower((unsigned char)*a);
    int y = *b == '_' ? ' ' : tolower((unsigned char)*b);
    if (x != y)
      return 0;
    if (!x)
      return 1;
  }
}

void cv_builder_set_section(cvpdf_builder *b, const char *title,
                            const char *id) {
  b->spans = 0;
  for (size_t i = 0; i < b->theme->nspans; i++)
    if ((title && same_name(title, b->theme->spans[i])) ||
        (id && same_name(id, b->theme->spans[i])))
      b->spans = 1;
}

void cv_builder_set_date(cvpdf_builder *b, int64_t date) {
  b->date = date;
}

void cv_builder_set_datecache(cvpdf_builder *b, cv_datecache *c) {
  b->dates = c;
}

void cv_builder_set_safe(cvpdf_builder *b, int safe) {
  b->safe = safe;
}

void cv_builder_set_inputs(cvpdf_builder *b, cv_inputs *inputs) {
  b->inputs = inputs;
}

const cv_theme *cv_builder_theme(const cvpdf_builder *b) {
  return b->theme;
}

const cv_structure *cv_builder_structure(const cvpdf_builder *b) {
  return &b->st;
}

const cv_layout_stats *cv_builder_stats(const cvpdf_builder *b) {
  return &b->stats;
}

/* ---- pages ------------------------------------------------------------ */

/* The language run r is in when it is not the one of the element it is
 * set in (a phrase the CV marks, a word printed in English): the element,
 * or the one it is in, says its language, else the document's. */
static const char *phrase_lang(const cvpdf_builder *b, uint32_t tag,
                               const cv_run *r) {
  if (!r || !r->lang || !tag)
    return NULL;
  const char *in = b->lang ? b->lang : "en";
  for (uint32_t e = tag; e && e < b->st.n; e = b->st.v[e].parent) {
    if (b->st.v[e].lang) {
      in = b->st.v[e].lang;
      break;
    }
    if (b->st.v[e].parent >= e)
      break;
  }
  return strcasecmp(in, r->lang) ? r->lang : NULL;
}

int cv_bld_place_item(cvpdf_builder *b, cv_page *pg, const pitem *p, double x0,
                      double base) {
  cv_dl_item *it = cv_page_add(pg);
  if (!it)
    return -1;
  it->kind = p->kind;
  it->seq = p->seq;
  it->tag = p->tag;
  it->role = p->role;
  it->x = x0 + p->x;
  it->y = base + p->dy;
  it->w = p->w;
  it->h = p->h;
  it->run = p->run;
  it->lang = p->kind == CV_DL_TEXT ? phrase_lang(b, p->tag, p->run) : NULL;
  it->color = p->color;
  it->uri = p->uri;
  it->title = p->title;
  it->level = p->level;
  it->image = p->image;
  it->round = p->round;
  return 0;
}

void cv_builder_set_sink(cvpdf_builder *b, cv_pagesink sink) {
  b->sink = sink;
}

void cv_builder_keep_pages(cvpdf_builder *b) {
  b->keep_pages = 1;
}

/* A failed sink ends the typesetting (the document has failed, so setting
 * more text is wasted work).  A status without a message means the sink
 * has reported why itself (the page limit). */
static void sink_failed(cvpdf_builder *b, const cv_status *st) {
  b->stopped = 1;
  if (st->failed && !st->msg[0])
    b->failed = 1;
  else
    cv_bld_fail(b, st->failed ? st
                              : &(cv_status){1, CV_ERR_NOMEM, "out of memory"});
}

/* Places the lines of v[start, end) on a page and hands it to the sink. */
static void deliver_page(cvpdf_builder *b, size_t start, size_t end,
                         double need) {
  const cv_theme *t = b->theme;
  cv_page *pg = &b->scratch;
  pg->n = 0;
  pg->width = t->page_w;
  pg->height = t->page_h;
  double y = t->page_h - t->margin_top;
  int top = 1;
  for (size_t i = start; i < end && i < b->nv; i++) {
    const cv_vitem *it = &b->v[i];
    if (it->kind != CV_VBOX) {
      if (!top && it->kind == CV_VGLUE)
        y -= it->width;
      continue; /* discardable at the top of a page */
    }
    top = 0;
    double base = y - it->height;
    const vline *l = it->content;
    for (size_t k = 0; l && k < l->n; k++)
      if (cv_bld_place_item(b, pg, &l->items[k], t->margin_left, base) < 0) {
        cv_bld_oom(b);
        return;
      }
    y = base - it->depth;
  }
  if (cv_page_sort(pg) < 0) {
    cv_bld_oom(b);
    return;
  }
  pg->foot_hole = top ? 0 : y - t->margin_bottom;
  pg->foot_need = need;
  cv_status st = {0};
  b->npages++;
  if (b->sink.page && b->sink.page(b->sink.ud, pg, &st) < 0)
    sink_failed(b, &st);
}

/* Frees the generations whose lines are all on written pages, and moves
 * what is left of v to its front once most of it is written. */
static void release(cvpdf_builder *b) {
  size_t done = 0;
  while (done + 1 < b->ngens && b->gens[done]->end <= b->page_start) {
    cv_arena_fini(&b->gens[done]->arena);
    free(b->gens[done]);
    done++;
  }
  if (done) {
    memmove(b->gens, b->gens + done, (b->ngens - done) * sizeof *b->gens);
    b->ngens -= done;
  }
  size_t k = b->page_start;
  if (k < 4096 || k < b->nv / 2)
    return;
  memmove(b->v, b->v + k, (b->nv - k) * sizeof *b->v);
  b->scan.next = 0; /* its indices no longer hold */
  b->nv -= k;
  b->dropped += k;
  b->page_start = 0;
  b->entry_start = b->entry_start > k ? b->entry_start - k : 0;
  for (size_t i = 0; i < b->ngens; i++)
    if (b->gens[i]->end != SIZE_MAX)
      b->gens[i]->end = b->gens[i]->end > k ? b->gens[i]->end - k : 0;
}

/* Hands every page that nothing still to come can change to the sink
 * (all pages when final), then frees what they used.  Open entries may
 * still change their own breaks (keep_last_line), so pages are cut only
 * before them. */
void cv_bld_fire_pages(cvpdf_builder *b, int final) {
  if (!b->sink.page || b->failed)
    return;
  const cv_theme *t = b->theme;
  double body_h = t->page_h - t->margin_top - t->margin_bottom;
  size_t limit = !final && b->in_entry ? b->entry_start : b->nv;
  if (!(body_h > 0))
    body_h = 1;
  while (!b->failed) {
    size_t start = cv_page_start(b->v, limit, b->page_start);
    if (start >= limit)
      break;
    size_t end =
        cv_page_end_scan(b->v, limit, start, body_h,
                         cv_bld_style(b, "body")->leading, final, &b->scan);
    if (end == CV_PAGE_OPEN)
      break;
    /* A cut through unbreakable material may fall on a box, which then
     * starts the next page; any other break item belongs to no page. */
    size_t next = (end < limit && b->v[end].kind == CV_VBOX) ? end : end + 1;
    /* What the next page must start with, for the trace's page foot (none
     * after a forced break): the page waits until that is known. */
    double need = -1;
    int forced = end < limit && b->v[end].kind == CV_VPENALTY &&
                 b->v[end].penalty <= -10000;
    if (end < limit && !forced) {
      need = cv_page_first_unit(b->v, limit, end);
      if (need < 0 && !final)
        break;
    }
    deliver_page(b, start, end, need);
    b->page_start = next;
  }
  if (b->keep_pages || final)
    return;
  /* A quiet moment: nothing queued for later lines, so the material
   * allocated so far is only reachable from lines already pushed. */
  material *cur = b->gens[b->ngens - 1];
  if (!b->in_entry && b->label_next >= b->nlabel && !b->ncontacts &&
      cur->arena.total >= CV_GENERATION_BYTES) {
    cur->end = b->nv;
    if (!new_generation(b)) {
      cv_bld_oom(b);
      return;
    }
  }
  release(b);
}

int cv_builder_flush(cvpdf_builder *b) {
  cv_bld_flush_contacts(b);
  cv_bld_flush_labels(b);
  if (b->failed)
    return -1;
  cv_bld_fire_pages(b, 1);
  if (!b->failed && b->npages == 0) {
    /* An empty document is still one (empty) page. */
    deliver_page(b, 0, 0, -1);
  }
  return b->failed ? -1 : 0;
}

size_t cv_builder_pages(const cvpdf_builder *b) {
  return b->npages;
}

int cv_builder_margins(cvpdf_builder *b, size_t first, size_t total) {
  const cv_theme *t = b->theme;
  b->tag = 0;
  for (size_t i = 0; i < b->npages && !b->failed; i++) {
    cv_page *pg = &b->scratch;
    pg->n = 0;
    pg->width = t->page_w;
    pg->height = t->page_h;
    if (cv_bld_add_footer(b, pg, i == 0, first + i, total) < 0 ||
        cv_page_sort(pg) < 0) {
      cv_bld_oom(b);
      break;
    }
    cv_status mst = {0};
    if (b->sink.margin && pg->n && b->sink.margin(b->sink.ud, i, pg, &mst) < 0)
      sink_failed(b, &mst);
  }
  return b->failed ? -1 : 0;
}

int cv_builder_finish(cvpdf_builder *b) {
  if (cv_builder_flush(b) < 0)
    return -1;
  /* Now the number of pages is known: running headers and footers. */
  return cv_builder_margins(b, 1, b->npages);
}
