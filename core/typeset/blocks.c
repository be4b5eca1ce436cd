/* cvpdf - the block services plugins build a section with: headings,
 * entries (with their labels), paragraphs, rows (whose right part may go
 * to the side column), lists and items, pairs, the contact line, rules
 * and space.  Each block is set into lines at once (lines.c) and its
 * lines go on the builder's vertical list (layout.c). */
#define _POSIX_C_SOURCE 200809L
#include "typeset/builder_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- pieces of lines: side column, contact line ----------------------- */

/* Appends a shaped line to a node list as boxes, keeping its spacing. */
static void hlist_add_items(cv_hlist *hl, const vline *line, double width) {
  double x = 0;
  for (size_t i = 0; line && i < line->n; i++) {
    const pitem *p = &line->items[i];
    if (p->x > x)
      cv_hlist_box(hl, p->x - x, NULL); /* the space before it */
    cv_hlist_box(hl, p->run->width, p->run);
    x = p->x + p->run->width;
  }
  if (width > x)
    cv_hlist_box(hl, width - x, NULL);
}

/* Text for the side column, on the next line's baseline; below the side
 * column's lines still pending, so a location broken over two lines and
 * the dates after it are stacked, not printed over each other. */
static void side_text(cvpdf_builder *b, const vline *line, double w) {
  const cv_theme *t = b->theme;
  double dx = t->side_align == CV_ALIGN_RIGHT ? t->side_width - w : 0;
  if (dx < 0)
    dx = 0; /* never into the margin */
  size_t pending = b->nlabel - b->label_next;
  if (pending == 0) {
    cv_bld_queue_items(b, line, dx);
    return;
  }
  /* Below what is pending in the column already (a label, earlier dates). */
  vline **q = cv_arena_alloc_n(b->arena, pending + 1, sizeof *q);
  vline *l = cv_bld_vline_new(b);
  if (!q || !l) {
    cv_bld_oom(b);
    return;
  }
  cv_bld_add_items(b, l, line, dx);
  memcpy(q, b->label_lines + b->label_next, pending * sizeof *q);
  q[pending] = l;
  b->label_lines = q;
  b->nlabel = pending + 1;
  b->label_next = 0;
}

/* ---- contact line ---------------------------------------------------- */

void cv_bld_flush_contacts(cvpdf_builder *b) {
  if (!b->ncontacts)
    return;
  const cv_style *s = cv_bld_style(b, "contact");
  b->ncontacts = 0;
  /* Each item's runs name its list item; the separators are artifacts. */
  b->tag = 0;
  cv_bld_emit_hlist(b, s, &b->contact, NULL, b->indent, b->measure - b->indent,
                    0, NULL, 0, 1);
  cv_hlist_fini(&b->contact);
  cv_hlist_init(&b->contact);
  cv_bld_add_space(b, s->space_after);
}

/* Every block first closes an open contact line; then whatever pages are
 * full go out.  What it draws belongs to no element until it says. */
static void begin_block(cvpdf_builder *b) {
  cv_bld_flush_contacts(b);
  b->tag = 0;
  b->blocks++;
  cv_bld_fire_pages(b, 0);
}

/* ---- structure ------------------------------------------------------- */

uint32_t cv_bld_elem(cvpdf_builder *b, cv_role role, uint32_t parent) {
  uint32_t e = cv_structure_add(&b->st, role, parent);
  if (!e) {
    cv_bld_oom(b);
    return 0;
  }
  /* In a section of another language, its outermost elements say so;
   * those inside them inherit it. */
  const char *pl = parent < b->st.n ? b->st.v[parent].lang : NULL;
  if (b->sect_lang && (!pl || strcmp(pl, b->sect_lang)))
    b->st.v[e].lang = b->sect_lang;
  return e;
}

/* Whether markup is word alone: in emphasis (**Contributions.**) and
 * with markup characters escaped, as plugins print a word. */
static int is_word(const char *markup, const char *word) {
  size_t n = strlen(markup);
  while (n && (markup[n - 1] == '*' || markup[n - 1] == '_'))
    n--;
  while (n && (*markup == '*' || *markup == '_'))
    markup++, n--;
  for (size_t i = 0; i < n; i++, word++) {
    if (markup[i] == '\\' && i + 1 < n)
      i++;
    if (markup[i] != *word)
      return 0;
  }
  return *word == '\0';
}

/* Element e holds text alone: when a translated field printed it from
 * another language (its translation missing), or it is a word printed in
 * English for want of the CV's language's, e carries that language,
 * unless e is in it already. */
static void text_lang(cvpdf_builder *b, uint32_t e, const char *text) {
  if ((!b->text_langs && !b->nenglish) || !e || e >= b->st.n || !text)
    return;
  const char *l = b->text_langs ? cv_source_lang(&b->src, text) : NULL;
  for (size_t i = 0; !l && i < b->nenglish; i++)
    if (is_word(text, b->english[i]))
      l = "en";
  const char *in = b->lang ? b->lang : "";
  for (uint32_t p = e; l && p && p < b->st.n; p = b->st.v[p].parent)
    if (b->st.v[p].lang) {
      in = b->st.v[p].lang;
      break;
    }
  if (l && strcmp(l, in))
    b->st.v[e].lang = cv_arena_strdup(b->perm, l);
}

/* Where a block goes: the open item's body, else the open entry, else the
 * open section, else the document. */
static uint32_t container(const cvpdf_builder *b) {
  if (b->depth > 0 && b->lbody[b->depth - 1])
    return b->lbody[b->depth - 1];
  if (b->in_entry && b->entry)
    return b->entry;
  return b->sect ? b->sect : 1;
}

/* A leaf element under the container: what the block draws next. */
static void leaf(cvpdf_builder *b, cv_role role) {
  b->tag = cv_bld_elem(b, role, container(b));
}

void cv_bld_begin_block(cvpdf_builder *b) {
  begin_block(b);
}

uint32_t cv_bld_container(const cvpdf_builder *b) {
  return container(b);
}

/* ---- service table: blocks ------------------------------------------- */

static void mark_line(cvpdf_builder *b, const char *title, int level) {
  size_t units = cv_pdf_text_units(title);
  if (units > CV_PDF_MAX_TEXT) {
    const cvpdf_node *at = cv_source_find(&b->src, title);
    cv_diag_at(b->diags, CV_SEV_ERROR, at,
               "expected a heading of at most %d characters (UTF-16 code "
               "units: the most a PDF outline entry holds), found %zu",
               CV_PDF_MAX_TEXT, units);
    b->failed = 1;
    return;
  }
  /* The outline entry rides on the last box appended. */
  for (size_t i = b->nv; i-- > 0;) {
    if (b->v[i].kind != CV_VBOX)
      continue;
    pitem *p = cv_bld_vline_add(b, b->v[i].content);
    if (p) {
      p->kind = CV_DL_MARK;
      p->title = cv_arena_strdup(b->arena, title);
      p->level = level;
      p->dy = b->v[i].height;
    }
    return;
  }
}

/* Right edge of the text on a line. */
static double line_extent(const vline *l) {
  double x = 0;
  for (size_t i = 0; i < l->n; i++)
    if (l->items[i].kind == CV_DL_TEXT &&
        l->items[i].x + l->items[i].run->width > x)
      x = l->items[i].x + l->items[i].run->width;
  return x;
}

/* A heading rule on the title's last line: filling the rest of the line
 * after the title (Awesome-CV), or a bar in the side column (moderncv). */
static void heading_rule_beside(cvpdf_builder *b, const cv_style *s) {
  vline *l = NULL;
  for (size_t i = b->nv; i-- > 0 && !l;)
    if (b->v[i].kind == CV_VBOX)
      l = b->v[i].content;
  pitem *p = l ? cv_bld_vline_add(b, l) : NULL;
  if (!p)
    return;
  p->kind = CV_DL_RECT;
  p->h = s->rule_width;
  p->color = s->rule_color;
  /* On the x-height, where the eye expects a rule beside lowercase. */
  p->dy = s->ts.size * 0.3;
  if (s->rule_position == 1) {
    p->x = line_extent(l) + s->ts.size * 0.5;
    p->w = b->measure - p->x;
  } else {
    p->x = 0;
    p->w = b->theme->side_width;
    p->h = s->ts.size * 0.45;
    p->dy = 0;
  }
  if (p->w < 0)
    p->w = 0;
}

void cv_bld_inset(cvpdf_builder *b, int on) {
  if (on == b->inset)
    return;
  double k = on ? 1 : -1;
  b->base += k * b->theme->entry_left;
  b->indent += k * b->theme->entry_left;
  b->measure -= k * b->theme->entry_right;
  b->inset = on;
}

static void heading_block(cvpdf_builder *b, const char *sname,
                          const char *title, int level) {
  begin_block(b);
  if (level == 1) /* a section's title spans the text; what follows not */
    cv_bld_inset(b, 0);
  cv_bld_flush_labels(b);
  const cv_style *s = cv_bld_style(b, sname);
  cv_bld_add_space(b, level == 1 ? b->theme->sp_section : s->space_before);
  if (s->space_before > 0)
    cv_bld_add_space(b, s->space_before);
  if (level == 1) { /* a new section, at the document's level */
    b->sect = cv_bld_elem(b, CV_ROLE_SECT, 1);
    b->tag = cv_bld_elem(b, CV_ROLE_H2, b->sect);
  } else {
    leaf(b, CV_ROLE_H3);
  }
  text_lang(b, b->tag, title);
  cv_hlist hl;
  cv_hlist_init(&hl);
  const char *m = cv_h_escape(b, title);
  if (cv_bld_shape_markup(b, s, m, 0, &hl) == 0)
    cv_bld_emit_hlist(b, s, &hl, m, b->indent, b->measure - b->indent, 0, NULL,
                      0, 0);
  cv_hlist_fini(&hl);
  mark_line(b, title, level);
  cv_bld_keep_with_next(b, 2);
  if (s->rule && s->rule_position == 0) {
    vline *l = cv_bld_vline_new(b);
    pitem *p = l ? cv_bld_vline_add(b, l) : NULL;
    if (p) {
      p->kind = CV_DL_RECT;
      p->x = b->indent;
      p->w = b->measure - b->indent;
      p->h = s->rule_width;
      p->color = s->rule_color;
      cv_bld_add_space(b, s->ts.size * 0.15);
      cv_bld_add_box(b, l, s->rule_width, 0, CV_INF_PENALTY, 0);
    }
  } else if (s->rule) {
    heading_rule_beside(b, s);
  }
  cv_bld_add_space(b, level == 1 ? b->theme->heading_after : s->space_after);
  if (level == 1)
    cv_bld_inset(b, 1);
}

void cv_h_heading(cvpdf_builder *b, const char *title) {
  heading_block(b, "heading", title, 1);
}

void cv_h_subheading(cvpdf_builder *b, const char *title) {
  heading_block(b, "subheading", title, 2);
}

/* The widest stretch of boxes between two glues of hl. */
static double widest_word(const cv_hlist *hl) {
  double w = 0, most = 0;
  for (size_t i = 0; i < hl->n; i++) {
    if (hl->v[i].kind == CV_GLUE)
      w = 0;
    else if (hl->v[i].kind == CV_BOX)
      w += hl->v[i].width;
    if (w > most)
      most = w;
  }
  return most;
}

void cv_h_entry_begin(cvpdf_builder *b, const char *label) {
  begin_block(b);
  if (b->in_entry)
    cv_h_entry_end(b);
  b->in_entry = 1;
  b->entry = cv_bld_elem(b, CV_ROLE_DIV, b->sect ? b->sect : 1);
  b->entry_start = b->nv;
  cv_bld_add_space(b, b->theme->sp_entry);
  /* A page may break before the entry (unless a heading just asked to be
   * kept with it), not between its head and its first two lines. */
  if (b->keep_content < 2)
    b->keep_content = 2;
  b->keep_after = 1;
  if (!label || !*label ||
      (b->theme->label_width <= 0 && !cv_h_option(b, "label_width")))
    return;
  /* The label is set ragged in its column and rides beside the entry's
   * first lines; it reads first, as the entry's own paragraph. */
  leaf(b, CV_ROLE_P);
  const cv_style *s = cv_bld_style(b, "label");
  cv_style ls = *s;
  if (ls.align == CV_ALIGN_JUSTIFY)
    ls.align = CV_ALIGN_LEFT;
  double lw = b->theme->label_width;
  const char *opt = cv_h_option(b, "label_width");
  /* A section's label_width is the width of a column of text (a venue);
   * labels beside the entry in the margin arrangement ("(P2)") take the
   * layout's label width, or their widest word. */
  const char *arr = cv_h_option(b, "arrangement");
  if (arr && !strcmp(arr, "margin"))
    opt = NULL;
  if (opt && atof(opt) > 0 && atof(opt) < b->measure / 2)
    lw = atof(opt); /* per section type: a venue column is wider */
  cv_hlist hl;
  cv_hlist_init(&hl);
  int shaped = cv_bld_shape_markup(b, &ls, label, b->theme->hyphenate, &hl);
  /* As wide as the widest word of the section's labels so far. */
  double need = widest_word(&hl) + 4;
  if (need > lw && need < b->measure / 2)
    lw = need;
  if (b->label_col > lw)
    lw = b->label_col;
  b->label_col = lw;
  double lx = b->theme->label_in_margin ? b->indent - lw : b->indent;
  if (lx < 0) { /* a column in the margin stays inside the text block */
    lw += lx;
    lx = 0;
  }
  if (shaped == 0) {
    cv_hlist rag;
    cv_hlist_init(&rag);
    cv_bld_make_ragged(b, &hl, &rag, ls.ts.size * 3);
    cv_bld_finish_paragraph(&rag);
    b->nlabel = cv_bld_set_lines(b, &rag, &ls, lx, lw - 4, lw - 4,
                                 &b->label_lines, BREAK_ALL);
    b->label_next = 0;
    cv_hlist_fini(&rag);
    for (size_t i = 0; i < b->nlabel && !b->warned_label; i++)
      if (line_extent(b->label_lines[i]) > lx + lw) {
        /* A word wider than the column would print over the entry. */
        b->warned_label = 1;
        cv_diags_add(b->diags, CV_SEV_WARNING, NULL, 0, 0,
                     "label '%s' is wider than the %s label column (%.0fpt); "
                     "set a larger label_width for it in the layout",
                     label, b->type ? b->type : "", lw);
      }
  }
  cv_hlist_fini(&hl);
  if (!b->theme->label_in_margin)
    b->indent += lw;
}

/* Entries of at most this many lines are never split across pages (a
 * publication's title, authors, venue and note read as one). */
#define KEEP_WHOLE_LINES 4

/* An entry's last line never starts a page alone (a note cut off from its
 * entry reads as belonging to the next one), and a short entry is not
 * split at all. */
static void keep_last_line(cvpdf_builder *b) {
  size_t i = b->nv;
  while (i > b->entry_start && b->v[i - 1].kind != CV_VBOX)
    i--;
  if (i == b->entry_start)
    return;
  size_t last = i - 1;
  int boxes_before = 0;
  for (size_t k = b->entry_start; k < last; k++)
    boxes_before += b->v[k].kind == CV_VBOX;
  if (boxes_before < 2)
    return; /* a one- or two-line entry is kept whole by its head already */
  if (boxes_before < KEEP_WHOLE_LINES) {
    size_t k = b->entry_start;
    while (k < last && b->v[k].kind != CV_VBOX)
      k++; /* a break before the entry's first line stays */
    for (; k < last; k++)
      if (b->v[k].kind == CV_VPENALTY && b->v[k].penalty < CV_INF_PENALTY)
        b->v[k].penalty = CV_INF_PENALTY;
    return;
  }
  for (size_t k = last; k-- > b->entry_start;) {
    if (b->v[k].kind == CV_VBOX)
      return;
    if (b->v[k].kind == CV_VPENALTY) {
      b->v[k].penalty = CV_INF_PENALTY;
      return;
    }
  }
}

void cv_h_entry_end(cvpdf_builder *b) {
  begin_block(b);
  if (!b->in_entry)
    return;
  cv_bld_flush_labels(b);
  keep_last_line(b);
  b->in_entry = 0;
  b->entry = 0;
  cv_bld_reset(b);
}

static void paragraph_at(cvpdf_builder *b, const cv_style *s,
                         const char *markup, double x0) {
  cv_hlist hl;
  cv_hlist_init(&hl);
  if (markup && cv_bld_shape_markup(b, s, markup, 0, &hl) < 0) {
    cv_hlist_fini(&hl);
    return;
  }
  if (hl.n)
    cv_bld_emit_hlist(b, s, &hl, markup, x0, b->measure - x0, 0, NULL, 0, 1);
  cv_hlist_fini(&hl);
}

/* When the element last made is an entry's one-line label, nothing made
 * since (it follows the entry's Div), the entry's first line goes on in
 * its paragraph, read "(P2) Title" as the line shows it: one element
 * fewer.  Whether it does. */
static int label_leads(cvpdf_builder *b) {
  uint32_t l = b->entry + 1;
  if (!b->in_entry || !b->entry || l + 1 != b->st.n ||
      b->st.v[l].role != CV_ROLE_P || b->st.v[l].parent != b->entry ||
      b->nlabel != 1 || b->label_next != 0 || b->st.v[l].lang)
    return 0;
  b->tag = l;
  return 1;
}

void cv_h_paragraph(cvpdf_builder *b, const char *sname, const char *markup) {
  begin_block(b);
  if (!markup)
    return;
  const cv_style *s = cv_bld_style(b, sname);
  if (sname && !strcmp(sname, "name")) /* the person's name: the title */
    b->tag = cv_bld_elem(b, CV_ROLE_H1, 1);
  else if (!label_leads(b))
    leaf(b, CV_ROLE_P);
  text_lang(b, b->tag, markup);
  cv_bld_add_space(b, s->space_before);
  paragraph_at(b, s, markup, b->indent);
  cv_bld_add_space(b, s->space_after);
}

/* Whether box node n's text ends with a comma. */
static int ends_with_comma(const cv_hnode *n) {
  if (n->kind != CV_BOX || !n->run)
    return 0;
  for (uint32_t g = n->run->n; g-- > 0;)
    if (n->run->g[g].text_len)
      return n->run->g[g].text[n->run->g[g].text_len - 1] == ',';
  return 0;
}

/* A place broken where a person would: after its commas ("Mountain View,
 * / CA, USA"), not inside a name ("AFB, / OH").  Every other space of hl
 * becomes a tie when each piece between commas fits in width w. */
static void break_after_commas(cvpdf_builder *b, cv_hlist *hl, double w) {
  double piece = 0;
  int commas = 0;
  for (size_t i = 0; i < hl->n; i++) {
    const cv_hnode *n = &hl->v[i];
    int at_comma = n->kind == CV_GLUE && i > 0 && ends_with_comma(&n[-1]);
    if (at_comma && piece > w)
      return;
    commas += at_comma;
    piece = at_comma ? 0 : piece + (n->kind == CV_PENALTY ? 0 : n->width);
  }
  if (!commas || piece > w)
    return;
  cv_hlist out;
  cv_hlist_init(&out);
  for (size_t i = 0; i < hl->n; i++) {
    const cv_hnode *n = &hl->v[i];
    if (n->kind == CV_GLUE && i > 0 && !ends_with_comma(&n[-1]))
      cv_hlist_penalty(&out, 0, CV_INF_PENALTY, 0);
    if (n->kind == CV_PENALTY && !n->flagged)
      continue; /* no break inside a piece */
    cv_hnode *c = cv_hlist_push(&out);
    if (c)
      *c = *n;
  }
  if (out.failed) {
    cv_hlist_fini(&out);
    cv_bld_oom(b);
    return;
  }
  cv_hlist_fini(hl);
  *hl = out;
}

/* Text too wide for the side column ("Wright-Patterson AFB, OH") is
 * broken into lines of the column's width, riding beside the next lines as
 * a label does.  Returns 0 when that is not possible (a label is pending
 * there already, or the text does not shape), leaving it to side_text. */
static int side_lines(cvpdf_builder *b, const cv_style *rs,
                      const char *markup) {
  if (b->label_next < b->nlabel)
    return 0;
  cv_style cs = *rs;
  cs.align = b->theme->side_align == CV_ALIGN_JUSTIFY ? CV_ALIGN_LEFT
                                                      : b->theme->side_align;
  cv_hlist hl, rag;
  cv_hlist_init(&hl);
  cv_hlist_init(&rag);
  size_t n = 0;
  vline **lines = NULL;
  double w = b->theme->side_width;
  if (cv_bld_shape_markup(b, &cs, markup, 0, &hl) == 0) {
    break_after_commas(b, &hl, w);
    cv_bld_make_ragged(b, &hl, &rag, cs.ts.size * 3);
    cv_bld_finish_paragraph(&rag);
    n = cv_bld_set_lines(b, &rag, &cs, 0, w, w, &lines, BREAK_ALL);
  }
  cv_hlist_fini(&rag);
  cv_hlist_fini(&hl);
  if (n == 0 || n == BREAK_FAILED)
    return 0;
  b->label_lines = lines;
  b->nlabel = n;
  b->label_next = 0;
  return 1;
}

void cv_h_row(cvpdf_builder *b, const char *lstyle, const char *left,
              const char *rstyle, const char *right) {
  begin_block(b);
  if (!left && !right)
    return;
  if (!label_leads(b))
    leaf(b, CV_ROLE_P);
  /* Both parts in one element: it takes a language they share. */
  if (!left || !right ||
      (b->text_langs && cv_source_lang(&b->src, left) &&
       cv_source_lang(&b->src, right)))
    text_lang(b, b->tag, left ? left : right);
  const cv_style *ls = cv_bld_style(b, lstyle);
  const cv_style *rs = cv_bld_style(b, rstyle);
  double rw = 0;
  vline *rr = right ? cv_bld_line_items(b, rs, right, &rw) : NULL;
  cv_style row = *ls;
  if (row.align == CV_ALIGN_JUSTIFY)
    row.align = CV_ALIGN_LEFT;
  if (rs->leading > row.leading)
    row.leading = rs->leading;
  double cut = rr ? rw + ls->ts.size : 0;
  if (rr && cut < b->theme->date_width) /* a column of the layout's width */
    cut = b->theme->date_width;
  if (rr && b->base - (b->inset ? b->theme->entry_left : 0) > 0) {
    /* The side column holds what rows put on the right (dates). */
    if (rw <= b->theme->side_width || !side_lines(b, rs, right))
      side_text(b, rr, rw);
    rr = NULL;
    cut = 0;
  }
  /* Rows are the head of an entry: they do not count as content lines. */
  cv_hlist hl;
  cv_hlist_init(&hl);
  if (left && cv_bld_shape_markup(b, &row, left, 0, &hl) < 0) {
    cv_hlist_fini(&hl);
    return;
  }
  cv_bld_emit_hlist(b, &row, &hl, left, b->indent, b->measure - b->indent, cut,
                    rr, rw, !b->in_entry);
  cv_hlist_fini(&hl);
}

static double list_text_x(cvpdf_builder *b) {
  double x = b->indent;
  for (int i = 0; i < b->depth; i++)
    x += b->lists[i].offset;
  return x;
}

/* The layout's bullet, or number format when numbered, for lists at
 * nesting level `level` (0: outermost): the last one it gives up to it. */
static const char *level_mark(const cvpdf_builder *b, int numbered, int level) {
  const char *const *v = numbered ? b->theme->numbers : b->theme->bullets;
  const char *mark = NULL;
  for (int i = 0; i <= level && i < CV_BULLET_LEVELS; i++)
    if (v[i])
      mark = v[i];
  return mark;
}

/* A list's mark at nesting level `level`: the layout's bullet for that
 * level, or its number in the layout's format. */
static vline *list_mark(cvpdf_builder *b, cvpdf_list_kind kind, int n,
                        int level, double *w) {
  int numbered = kind == CVPDF_LIST_NUMBERED;
  const char *mark = level_mark(b, numbered, level);
  if (numbered) {
    char num[64];
    cv_number_mark(num, sizeof num, mark ? mark : "%d.", n);
    mark = cv_h_fmt(b, "%s", num);
  }
  *w = 0;
  return cv_bld_line_items(
      b, cv_bld_style(b, numbered ? "item.number" : "item.bullet"),
      mark ? mark : "", w);
}

/* Space between a mark and its item's text. */
static double mark_gap(cvpdf_builder *b) {
  return cv_bld_style(b, "item")->ts.size * 0.4;
}

/* How far a list's text column sits right of the enclosing one: the
 * layout's indent, or more when the mark would not fit in it, so that
 * marks stay inside the text block (a list of ten or more numbers gets
 * room for two digits from its first item on, as LaTeX's enumerate does
 * with a widest label). */
static double list_offset(cvpdf_builder *b, cvpdf_list_kind kind) {
  double w = 0, w2 = 0;
  list_mark(b, kind, 8, b->depth, &w);
  /* Numerals and letters: viii and h are as wide as they go below ten. */
  const char *fmt = level_mark(b, 1, b->depth);
  if (kind == CVPDF_LIST_NUMBERED &&
      cv_list_numbering(NULL, fmt ? fmt : "%d.") == CV_NUM_DECIMAL)
    list_mark(b, kind, 88, b->depth, &w2);
  double need = (w2 > w ? w2 : w) + mark_gap(b);
  return need > b->theme->list_indent ? need : b->theme->list_indent;
}

void cv_h_list_begin(cvpdf_builder *b, cvpdf_list_kind kind) {
  begin_block(b);
  if (b->depth == MAX_LISTS) {
    cv_h_error(b, NULL, "lists nested deeper than %d levels", MAX_LISTS);
    return;
  }
  /* A numbered item's sub-items are numbered when the layout gives
   * numbers a format per level. */
  if (kind == CVPDF_LIST_BULLET && b->depth > 0 &&
      b->lists[b->depth - 1].kind == CVPDF_LIST_NUMBERED &&
      b->theme->numbers[1])
    kind = CVPDF_LIST_NUMBERED;
  b->lists[b->depth].kind = kind;
  b->lists[b->depth].counter = 0;
  uint32_t l = cv_bld_elem(b, CV_ROLE_L, container(b));
  int numbered = kind == CVPDF_LIST_NUMBERED;
  const char *mark = level_mark(b, numbered, b->depth);
  if (l)
    b->st.v[l].numbered = (uint8_t)cv_list_numbering(
        numbered ? NULL : mark, numbered ? (mark ? mark : "%d.") : NULL);
  b->list[b->depth] = l;
  b->lbody[b->depth] = 0;
  b->lists[b->depth].offset = list_offset(b, kind);
  if (b->depth == 0)
    cv_bld_add_space(b, b->theme->sp_list);
  b->depth++;
  /* A lead-in ("Contributions.") stays with the first item. */
  if (b->depth == 1 && b->nv + b->dropped > 0)
    cv_bld_keep_with_next(b, 1);
}

void cv_h_list_end(cvpdf_builder *b) {
  begin_block(b);
  if (b->depth > 0)
    b->depth--;
}

void cv_h_item_begin(cvpdf_builder *b, const char *markup) {
  begin_block(b);
  if (b->depth == 0)
    cv_h_list_begin(b, CVPDF_LIST_BULLET);
  list_state *ls = &b->lists[b->depth - 1];
  ls->counter++;
  uint32_t li = cv_bld_elem(b, CV_ROLE_LI, b->list[b->depth - 1]);
  b->tag = cv_bld_elem(b, CV_ROLE_LBL, li);
  b->lbody[b->depth - 1] = 0;
  const cv_style *s = cv_bld_style(b, "item");
  double mw = 0;
  vline *mr = list_mark(b, ls->kind, ls->counter, b->depth - 1, &mw);
  double x = list_text_x(b);
  cv_bld_add_space(b, b->theme->sp_item);
  /* The mark is set flush right just before the text column. */
  cv_bld_queue_items(b, mr, x - mw - mark_gap(b));
  b->lbody[b->depth - 1] = cv_bld_elem(b, CV_ROLE_LBODY, li);
  leaf(b, CV_ROLE_P);
  text_lang(b, b->tag, markup);
  paragraph_at(b, s, markup ? markup : "", x);
}

void cv_h_item_end(cvpdf_builder *b) {
  begin_block(b);
  if (b->depth > 0)
    b->lbody[b->depth - 1] = 0;
}

/* A pair is an item of a list of pairs (consecutive pairs share one):
 * its label the item's label, its value the body. */
static void pair_item(cvpdf_builder *b) {
  if (!b->pairs || b->pairs_block + 1 != b->blocks) {
    b->pairs = cv_bld_elem(b, CV_ROLE_L, container(b));
    if (b->pairs)
      b->st.v[b->pairs].numbered = 2; /* labelled by words, not marks */
  }
  b->pairs_block = b->blocks;
  b->tag = cv_bld_elem(b, CV_ROLE_LI, b->pairs);
}

void cv_h_item(cvpdf_builder *b, const char *markup) {
  cv_h_item_begin(b, markup);
  cv_h_item_end(b);
}

void cv_h_pair(cvpdf_builder *b, const char *label, const char *value) {
  begin_block(b);
  const cv_style *s = cv_bld_style(b, "pair");
  pair_item(b);
  uint32_t li = b->tag;
  if (!b->theme->pair_grid) {
    b->tag = cv_bld_elem(b, CV_ROLE_LBODY, li);
    size_t n = label ? strlen(label) : 0;
    const char *colon = n && label[n - 1] == ':' ? "" : ":";
    const char *m =
        label ? cv_h_fmt(b, "**%s%s** %s", label, colon, value ? value : "")
              : value;
    cv_bld_add_space(b, b->theme->sp_item);
    if (!label)
      text_lang(b, b->tag, value);
    paragraph_at(b, s, m, list_text_x(b));
    return;
  }
  /* Grid: the label is set in its column beside the value. */
  double lw = b->theme->pair_label_width;
  const cv_style *lsty = cv_bld_style(b, "pair.label");
  cv_style ls = *lsty;
  if (ls.align == CV_ALIGN_JUSTIFY) /* a label is ragged, left or right */
    ls.align = CV_ALIGN_LEFT;
  double x = list_text_x(b);
  cv_hlist hl;
  cv_hlist_init(&hl);
  cv_bld_add_space(b, b->theme->sp_item);
  b->tag = cv_bld_elem(b, CV_ROLE_LBL, li);
  text_lang(b, b->tag, label);
  if (label && cv_bld_shape_markup(b, &ls, label, 0, &hl) == 0) {
    cv_hlist rag;
    cv_hlist_init(&rag);
    cv_bld_make_ragged(b, &hl, &rag, ls.ts.size * 3);
    cv_bld_finish_paragraph(&rag);
    vline **lines = NULL;
    size_t nl =
        cv_bld_set_lines(b, &rag, &ls, x, lw - 6, lw - 6, &lines, BREAK_ALL);
    cv_hlist_fini(&rag);
    /* Merge with pending entry labels would be rare; pairs replace them. */
    cv_bld_flush_labels(b);
    b->label_lines = lines;
    b->nlabel = nl;
    b->label_next = 0;
  }
  cv_hlist_fini(&hl);
  b->tag = cv_bld_elem(b, CV_ROLE_LBODY, li);
  text_lang(b, b->tag, value);
  paragraph_at(b, s, value ? value : "", x + lw);
  cv_bld_flush_labels(b);
}

/* A contact's text escaped for a link's text: an address in it
 * ("@ada@example.social") must not become a link inside the link. */
static const char *link_text(cvpdf_builder *b, const char *text) {
  const char *e = cv_h_escape(b, text);
  if (!strchr(e, '@'))
    return e;
  cv_buf out;
  cv_buf_init(&out);
  for (const char *p = e; *p; p++) {
    if (*p == '@')
      cv_buf_putc(&out, '\\');
    cv_buf_putc(&out, *p);
  }
  const char *r = out.data ? cv_arena_strdup(b->perm, out.data) : e;
  cv_buf_fini(&out);
  return r;
}

void cv_h_contact(cvpdf_builder *b, const char *kind, const char *text,
                  const char *url) {
  if (!text || !*text)
    return;
  const cv_style *s = cv_bld_style(b, "contact");
  cv_status st = {0};
  /* Each side of the separator: half the layout's gap, or a third of an
   * em, stretching and shrinking by as much. */
  double sp = b->theme->contact_gap >= 0 ? b->theme->contact_gap / 2
                                         : s->ts.size * 0.33;
  if (b->ncontacts == 0) { /* the contact line: a list, an item each */
    b->contact_tag = cv_bld_elem(b, CV_ROLE_L, container(b));
    if (b->contact_tag)
      b->st.v[b->contact_tag].numbered = 2;
  }
  uint32_t body =
      cv_bld_elem(b, CV_ROLE_LBODY, cv_bld_elem(b, CV_ROLE_LI, b->contact_tag));
  if (b->ncontacts > 0) {
    /* Between items, the only place the line may break: one glue that
     * draws the separator, so that a break takes the separator with the
     * spaces and none is left at a line's start or end. */
    double w = 0;
    vline *sep =
        cv_bld_line_items(b, cv_bld_style(b, "contact.separator"),
                          cv_h_escape(b, b->theme->contact_separator), &w);
    cv_hlist_glue(&b->contact, 2 * sp + w, sp, sp * 0.6);
    if (sep && sep->n == 1 && !b->contact.failed)
      b->contact.v[b->contact.n - 1].run = sep->items[0].run;
  }
  const cv_icon *ic =
      b->theme->icon_family ? cv_theme_icon(b->theme, kind) : NULL;
  if (ic) {
    cv_style is = *s;
    is.ts.family = b->theme->icon_family;
    is.ts.bold = is.ts.italic = is.ts.smallcaps = is.ts.uppercase = 0;
    char u[8];
    u[cv_utf8_encode(ic->cp, u)] = '\0';
    double w = 0;
    vline *icon = cv_bld_line_items(b, &is, u, &w);
    if (icon) {
      /* The icon font has the glyph: one run, whose text is a word. */
      cv_run *r = icon->items[0].run;
      r->actual_text = ic->word;
      r->tag = body;
      r->role = CV_ROLE_LBODY;
      url = url ? cv_bld_link_filter(b, url) : NULL;
      r->link = url ? cv_arena_strdup(b->arena, url) : NULL;
      hlist_add_items(&b->contact, icon, w);
      cv_hlist_penalty(&b->contact, 0, CV_INF_PENALTY, 0);
      cv_hlist_glue(&b->contact, s->ts.size * 0.3, 0, 0);
    }
  }
  const char *m = url ? cv_h_fmt(b, "[%s](%s)", link_text(b, text), url)
                      : cv_h_escape(b, text);
  cv_span *spans = NULL;
  size_t ns = 0;
  cv_hlist tmp;
  cv_hlist_init(&tmp);
  if (cv_markup_parse(b->arena, m, strlen(m), &spans, &ns, &st) < 0 ||
      cv_shape_spans(b->sh, &s->ts, spans, ns, 0, 0, &tmp, &st) < 0) {
    cv_bld_fail(b, &st);
    cv_hlist_fini(&tmp);
    return;
  }
  /* Inside one item, spaces do not break (keep "Pittsburgh, PA" whole). */
  for (size_t i = 0; i < tmp.n; i++) {
    cv_hnode *n = &tmp.v[i];
    if (n->kind == CV_GLUE)
      cv_hlist_penalty(&b->contact, 0, CV_INF_PENALTY, 0);
    if (n->kind == CV_PENALTY)
      continue;
    cv_hnode *p = cv_hlist_push(&b->contact);
    if (p)
      *p = *n;
    /* Runs may be shared (the shaper caches them): tagged as copies. */
    cv_run *r = p && n->run ? cv_arena_alloc(b->arena, sizeof *r) : NULL;
    if (r) {
      *r = *n->run;
      r->tag = body;
      r->role = CV_ROLE_LBODY;
      p->run = r;
    }
  }
  cv_hlist_fini(&tmp);
  b->ncontacts++;
}

void cv_h_rule(cvpdf_builder *b) {
  begin_block(b);
  const cv_style *s = cv_bld_style(b, "rule");
  vline *l = cv_bld_vline_new(b);
  pitem *p = l ? cv_bld_vline_add(b, l) : NULL;
  if (!p)
    return;
  p->kind = CV_DL_RECT;
  p->x = b->indent;
  p->w = b->measure - b->indent;
  p->h = s->rule_width > 0 ? s->rule_width : 0.4;
  p->color = s->rule_color;
  cv_bld_add_space(b, b->theme->sp_small);
  cv_bld_add_box(b, l, p->h, 0, 0, 0);
  cv_bld_add_space(b, b->theme->sp_small);
}

void cv_h_space(cvpdf_builder *b, const char *name) {
  begin_block(b);
  const cv_theme *t = b->theme;
  double s = t->sp_medium;
  if (name && !strcmp(name, "small"))
    s = t->sp_small;
  else if (name && !strcmp(name, "large"))
    s = t->sp_large;
  cv_bld_add_space(b, s);
}
