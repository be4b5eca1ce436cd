/* cvpdf - tagged PDF: the marked-content sequences each page's text is
 * written in, and at the end the structure tree they belong to (PDF
 * 32000-1, 14.7 and 14.8), built from the logical structure the builder
 * recorded (display.h's cv_structure): the name as H1, sections, entries,
 * lists, paragraphs, and Link elements tied to their annotations. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <hpdf_objects.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- while pages are written -------------------------------------- */

/* MCIDs of one page: its parent tree entry is one array, kept within
 * the 8191 entries PDF readers are asked to hold (PDF 32000-1, Annex C).
 * Content past them stays in the sequence before. */
#define MAX_MCIDS 8000

static int add_kid(cv_pdf *w, uint8_t kind, uint32_t owner, uint32_t page,
                   uint32_t value) {
  tags *t = &w->tags;
  if (cv_grow((void **)&t->kids, &t->capkids, t->nkids + 1, sizeof *t->kids) <
      0)
    return -1;
  t->kids[t->nkids++] = (tag_kid){kind, owner, page, value};
  return 0;
}

static int same_lang(const char *a, const char *b) {
  return (!a || !*a) ? !b || !*b : b && !strcmp(a, b);
}

/* A new Link (uri) or Span (uri NULL) element in leaf, in *out. */
static int inline_elem(cv_pdf *w, uint32_t leaf, const char *uri,
                       const char *lang, uint32_t *out) {
  tags *t = &w->tags;
  char *u = uri ? cv_arena_strdup(&w->texts, uri) : NULL;
  char *l = lang && *lang ? cv_arena_strdup(&w->texts, lang) : NULL;
  if ((uri && !u) || (lang && *lang && !l) ||
      cv_grow((void **)&t->links, &t->caplinks, t->nlinks + 1,
              sizeof *t->links) < 0)
    return -1;
  *out = (uint32_t)t->nlinks;
  t->links[t->nlinks++] = (tag_link){leaf, u, l};
  return add_kid(w, KID_LINK, leaf, 0, *out);
}

/* The Link element of leaf for uri: the last one made when the link goes
 * on (a link broken over two lines is one element), else a new one.  A
 * link in a phrase of another language carries its /Lang; lang "*"
 * takes the link in any (an annotation, which knows no language). */
static int link_elem(cv_pdf *w, uint32_t leaf, const char *uri,
                     const char *lang, uint32_t *out) {
  tags *t = &w->tags;
  int any = lang && !strcmp(lang, "*");
  for (size_t i = t->nlinks, k = 0; i-- > 0 && k < 8; k++)
    if (t->links[i].leaf == leaf && t->links[i].uri &&
        !strcmp(t->links[i].uri, uri) &&
        (any || same_lang(t->links[i].lang, lang))) {
      *out = (uint32_t)i;
      return 0;
    }
  return inline_elem(w, leaf, uri, any ? NULL : lang, out);
}

/* The Span of leaf for a phrase in lang: the one the last sequence was
 * in when the phrase goes on (over a line end), else a new one. */
static int span_elem(cv_pdf *w, uint32_t leaf, const char *lang,
                     uint32_t *out) {
  tags *t = &w->tags;
  uint32_t last = t->last_owner;
  if (last & LINK_BIT && (last & ~LINK_BIT) < t->nlinks) {
    const tag_link *l = &t->links[last & ~LINK_BIT];
    if (l->leaf == leaf && !l->uri && same_lang(l->lang, lang)) {
      *out = last & ~LINK_BIT;
      return 0;
    }
  }
  return inline_elem(w, leaf, NULL, lang, out);
}

int cv_pdf_tag_begin(cv_pdf *w, cv_buf *b, size_t page, uint32_t leaf,
                     const char *uri, const char *lang, const char *role) {
  tags *t = &w->tags;
  leaf += w->tag_base; /* a bundle's part counts from its base */
  if (page < t->npages && t->mcids[page] >= MAX_MCIDS)
    return 1; /* the page's parent tree array is full */
  uint32_t owner = leaf, link;
  if (uri && *uri) {
    if (link_elem(w, leaf, uri, lang, &link) < 0)
      return -1;
    owner = LINK_BIT | link;
    role = "Link";
  } else if (lang && *lang) {
    if (span_elem(w, leaf, lang, &link) < 0)
      return -1;
    owner = LINK_BIT | link;
    role = "Span";
  }
  t->last_owner = owner;
  while (t->npages <= page) {
    if (cv_grow((void **)&t->mcids, &t->capmcids, t->npages + 1,
                sizeof *t->mcids) < 0)
      return -1;
    t->mcids[t->npages++] = 0;
  }
  uint32_t mcid = t->mcids[page]++;
  cv_buf_putc(b, '/');
  cv_buf_puts(b, role);
  cv_buf_puts(b, "<</MCID ");
  cv_pdf_put_uint(b, mcid);
  return add_kid(w, KID_MCID, owner, (uint32_t)page, mcid);
}

int cv_pdf_tag_annot(cv_pdf *w, HPDF_Annotation a, size_t page, uint32_t leaf,
                     const char *uri) {
  tags *t = &w->tags;
  uint32_t link;
  if (!leaf)
    return 0;
  leaf += w->tag_base;
  if (link_elem(w, leaf, uri, "*", &link) < 0 ||
      cv_grow((void **)&t->annots, &t->capannots, t->nannots + 1,
              sizeof *t->annots) < 0)
    return -1;
  t->annots[t->nannots] = (tag_annot){a, (uint32_t)page};
  return add_kid(w, KID_ANNOT, LINK_BIT | link, (uint32_t)page,
                 (uint32_t)t->nannots++);
}

void cv_pdf_tags_fini(tags *t) {
  free(t->kids);
  free(t->links);
  free(t->annots);
  free(t->mcids);
  memset(t, 0, sizeof *t);
}

/* ---- the structure tree, at the end -------------------------------- */

/* The tree is written as text (pdf_objs), not as libharu objects: a long
 * CV has tens of thousands of elements, and libharu would allocate and
 * serialise each piece of each of them. */

enum { K_ELEM, K_MCID, K_OBJR };

/* A kid of an element, in a list through next (an index + 1; 0 ends). */
typedef struct kid {
  uint32_t next;
  uint8_t kind; /* K_* */
  uint32_t a;   /* the element; the page; the annotation */
  uint32_t b;   /* K_MCID: the MCID */
} kid;

typedef struct elem {
  uint32_t num;         /* object number; 0: not written */
  uint32_t parent;      /* element; 0: the tree's root */
  uint32_t first, last; /* its kids */
  uint32_t nk;
  uint32_t pg; /* page + 1 its content starts on; 0: none */
  uint8_t used;
} elem;

typedef struct tree {
  cv_pdf *w;
  elem *e;
  size_t n;  /* elements: the builder's, then the links */
  size_t nb; /* the builder's */
  /* Per builder element: the element written in its place (itself, or
   * the LBody a lone paragraph's content goes into), and whether it is
   * left out with its children going to its parent (a Div holding one
   * paragraph). */
  uint32_t *as;
  uint8_t *through;
  kid *k;
  size_t nkid, capkid;
  size_t *slot;     /* per page: where its MCIDs start in owner */
  uint32_t *owner;  /* per MCID of each page: its element (0: none) */
  uint32_t *aowner; /* per annotation: its Link element */
  uint32_t cols;    /* a cell that holds any reference (put_leaves) */
} tree;

static const char *role_of(const tree *tr, const cv_structure *s, size_t i) {
  if (i < tr->nb)
    return cv_role_name((cv_role)s->v[i].role);
  return tr->w->tags.links[i - tr->nb].uri ? "Link" : "Span";
}

static int push_kid(tree *tr, size_t i, uint8_t kind, uint32_t a, uint32_t b) {
  if (cv_grow((void **)&tr->k, &tr->capkid, tr->nkid + 1, sizeof *tr->k) < 0)
    return -1;
  tr->k[tr->nkid] = (kid){0, kind, a, b};
  elem *el = &tr->e[i];
  if (el->last)
    tr->k[el->last - 1].next = (uint32_t)tr->nkid + 1;
  else
    el->first = (uint32_t)tr->nkid + 1;
  el->last = (uint32_t)++tr->nkid;
  el->nk++;
  return 0;
}

/* Which elements hold content, themselves or below them: the others are
 * left out (a row with nothing printed).  Parents come before children. */
static void mark_used(tree *tr, const cv_structure *s) {
  const tags *t = &tr->w->tags;
  for (size_t i = 0; i < t->nkids; i++) {
    uint32_t o = t->kids[i].owner;
    size_t ix = o & LINK_BIT ? tr->nb + (o & ~LINK_BIT) : o;
    if (ix < tr->n)
      tr->e[ix].used = 1;
    if (o & LINK_BIT && t->links[o & ~LINK_BIT].leaf < tr->nb)
      tr->e[t->links[o & ~LINK_BIT].leaf].used = 1;
  }
  for (size_t i = tr->nb; i-- > 2;)
    if (tr->e[i].used && s->v[i].parent < i)
      tr->e[s->v[i].parent].used = 1;
}

/* Elements that say nothing their one child does not: a list item's body
 * holding one paragraph holds its content itself, an entry of one
 * paragraph is that paragraph.  A CV has thousands of them (a bullet, a
 * one-line award), and each is an object and a parent tree entry. */
static void fold(tree *tr, const cv_structure *s) {
  size_t nb = tr->nb;
  uint32_t *kids = calloc(nb, sizeof *kids);
  uint8_t *own = calloc(nb, 1); /* holds content or links itself */
  for (size_t i = 0; i < nb; i++)
    tr->as[i] = (uint32_t)i;
  if (!kids || !own) { /* nothing folded: the tree is still right */
    free(kids);
    free(own);
    return;
  }
  for (size_t i = 2; i < nb; i++)
    if (tr->e[i].used && s->v[i].parent < i)
      kids[s->v[i].parent]++;
  const tags *t = &tr->w->tags;
  for (size_t i = 0; i < t->nkids; i++) {
    uint32_t o = t->kids[i].owner;
    if (!(o & LINK_BIT) && o < nb)
      own[o] = 1;
    else if (o & LINK_BIT && t->links[o & ~LINK_BIT].leaf < nb)
      own[t->links[o & ~LINK_BIT].leaf] = 1;
  }
  for (size_t i = 2; i < nb; i++) {
    uint32_t p = s->v[i].parent;
    /* A paragraph in a language of its own keeps its element: /Lang. */
    if (!tr->e[i].used || s->v[i].role != CV_ROLE_P || kids[i] || p >= i ||
        kids[p] != 1 || own[p] || s->v[i].lang)
      continue;
    if (s->v[p].role == CV_ROLE_LBODY) {
      tr->as[i] = p;
      tr->e[i].used = 0;
    } else if (s->v[p].role == CV_ROLE_DIV && p > 1) {
      tr->through[p] = 1;
      tr->e[p].used = 0;
    }
  }
  free(kids);
  free(own);
}

/* The element i's content and links go to. */
static size_t owner_of(const tree *tr, size_t i) {
  return i < tr->nb ? tr->as[i] : i;
}

/* The element i is appended to: its parent, past those left out. */
static size_t parent_of(const tree *tr, const cv_structure *s, size_t i) {
  size_t p = s->v[i].parent;
  while (p > 1 && p < tr->nb && tr->through[p])
    p = s->v[p].parent;
  return p;
}

/* Each element's kids, in the order they are read: elements in the
 * order the builder made them, then content, links and annotations in
 * the order they were drawn. */
static int link_tree(tree *tr, const cv_structure *s) {
  for (size_t i = 2; i < tr->nb; i++) {
    if (!tr->e[i].used || s->v[i].parent >= i)
      continue;
    tr->e[i].parent = (uint32_t)parent_of(tr, s, i);
    if (push_kid(tr, tr->e[i].parent, K_ELEM, (uint32_t)i, 0) < 0)
      return -1;
  }
  cv_pdf *w = tr->w;
  const tags *t = &w->tags;
  for (size_t i = 0; i < t->nkids; i++) {
    const tag_kid *kd = &t->kids[i];
    size_t o = kd->owner & LINK_BIT ? tr->nb + (kd->owner & ~LINK_BIT)
                                    : owner_of(tr, kd->owner);
    if (o >= tr->n || !tr->e[o].used)
      continue; /* its MCID's parent tree entry stays null */
    int rc = 0;
    if (kd->kind == KID_MCID) {
      tr->owner[tr->slot[kd->page] + kd->value] = (uint32_t)o;
      if (!tr->e[o].pg)
        tr->e[o].pg = kd->page + 1;
      rc = push_kid(tr, o, K_MCID, kd->page, kd->value);
    } else if (kd->kind == KID_LINK) {
      tr->e[tr->nb + kd->value].parent = (uint32_t)o;
      rc = push_kid(tr, o, K_ELEM, (uint32_t)(tr->nb + kd->value), 0);
    } else {
      tr->aowner[kd->value] = (uint32_t)o;
      rc = push_kid(tr, o, K_OBJR, kd->value, 0);
      rc |= HPDF_Dict_AddNumber(t->annots[kd->value].a, "StructParent",
                                (HPDF_INT32)(w->npages + kd->value)) != HPDF_OK;
    }
    if (rc)
      return -1;
  }
  return 0;
}

static uint32_t obj_num(const void *o) {
  return ((const HPDF_Obj_Header *)o)->obj_id & 0x00FFFFFF;
}

static void put_kid(tree *tr, cv_buf *b, const elem *el, const kid *k) {
  cv_pdf *w = tr->w;
  if (k->kind == K_ELEM) {
    cv_pdf_put_ref(b, tr->e[k->a].num);
  } else if (k->kind == K_MCID && el->pg == k->a + 1) {
    cv_buf_putc(b, ' ');
    cv_pdf_put_uint(b, k->b);
  } else if (k->kind == K_MCID) {
    cv_buf_puts(b, "<</Type/MCR/Pg");
    cv_pdf_put_ref(b, obj_num(w->pages[k->a]));
    cv_buf_puts(b, "/MCID ");
    cv_pdf_put_uint(b, k->b);
    cv_buf_puts(b, ">>");
  } else {
    const tag_annot *an = &w->tags.annots[k->a];
    cv_buf_puts(b, "<</Type/OBJR/Pg");
    cv_pdf_put_ref(b, obj_num(w->pages[an->page]));
    cv_buf_puts(b, "/Obj");
    cv_pdf_put_ref(b, obj_num(an->a));
    cv_buf_puts(b, ">>");
  }
}

/* What an element's role needs besides its kids: a list's numbering, a
 * figure's alternate text. */
static void put_attrs(cv_buf *b, const cv_selem *se) {
  if (se->role == CV_ROLE_L) {
    cv_buf_puts(b, "/A<</O/List/ListNumbering/");
    cv_buf_puts(b, cv_numbering_name((cv_numbering)se->numbered));
    cv_buf_puts(b, ">>");
  }
  if (se->role == CV_ROLE_FIGURE) {
    const char *alt = se->alt ? se->alt : "";
    cv_buf_puts(b, "/Alt<FEFF");
    cv_pdf_put_utf16_hex(b, alt, strlen(alt));
    cv_buf_putc(b, '>');
  }
}

/* Text written a token a cell (cv_pdf_put_cell): numbers, references
 * and words. */
typedef struct leaf_out {
  cv_buf *b;
  size_t start;
  uint32_t cols;
} leaf_out;

static void cell(leaf_out *o, const char *s) {
  cv_pdf_put_cell(o->b, o->start, o->cols, s, strlen(s));
}

static void cell_num(leaf_out *o, uint32_t v, int ref) {
  char s[24];
  size_t n = sizeof s;
  if (ref) {
    n -= 4;
    memcpy(s + n, " 0 R", 4);
  }
  do
    s[--n] = (char)('0' + v % 10);
  while ((v /= 10) && n > 0);
  cv_pdf_put_cell(o->b, o->start, o->cols, s + n, sizeof s - n);
}

static void cell_owner(leaf_out *o, const tree *tr, uint32_t owner) {
  if (owner)
    cell_num(o, tr->e[owner].num, 1);
  else
    cell(o, "null");
}

/* Kids from which on an element is written in cells. */
#define CELL_KIDS 16

/* Whether each of el's kids fits a cell: an element, or an MCID on the
 * element's page. */
static int cells_fit(const tree *tr, const elem *el) {
  for (uint32_t k = el->first; k; k = tr->k[k - 1].next) {
    const kid *kd = &tr->k[k - 1];
    if (kd->kind != K_ELEM && !(kd->kind == K_MCID && el->pg == kd->a + 1))
      return 0;
  }
  return 1;
}

/* Element i as an object: /Type /StructElem is optional and left out. */
static int put_elem(tree *tr, const cv_structure *s, size_t i, uint32_t root) {
  cv_pdf *w = tr->w;
  const elem *el = &tr->e[i];
  cv_buf *b = &w->objs.text;
  if (cv_pdf_objs_begin(&w->objs, el->num) < 0)
    return -1;
  cv_buf_puts(b, "<</S/");
  cv_buf_puts(b, role_of(tr, s, i));
  if (el->pg) {
    cv_buf_puts(b, "/Pg");
    cv_pdf_put_ref(b, obj_num(w->pages[el->pg - 1]));
  }
  cv_buf_puts(b, "/P");
  cv_pdf_put_ref(b, el->parent ? tr->e[el->parent].num : root);
  if (i < tr->nb)
    put_attrs(b, &s->v[i]);
  /* A language tag (letters, digits, '-'; checked where it is read). */
  const char *lang =
      i < tr->nb ? s->v[i].lang : tr->w->tags.links[i - tr->nb].lang;
  if (lang)
    cv_buf_printf(b, "/Lang(%s)", lang);
  const kid *one = el->nk == 1 ? &tr->k[el->first - 1] : NULL;
  if (el->nk >= CELL_KIDS && cells_fit(tr, el)) {
    /* A long list of kids (a section's entries) a kid a cell, as the
     * parent tree's leaves are. */
    cv_pdf_objs_cells(&w->objs, tr->cols);
    leaf_out o = {b, w->objs.v[w->objs.n - 1].off, tr->cols};
    cv_buf_puts(b, "/K[");
    for (uint32_t k = el->first; k; k = tr->k[k - 1].next) {
      const kid *kd = &tr->k[k - 1];
      cell_num(&o, kd->kind == K_ELEM ? tr->e[kd->a].num : kd->b,
               kd->kind == K_ELEM);
    }
    cell(&o, "]>>");
    cv_pdf_objs_end(&w->objs);
    return 0;
  }
  if (one && one->kind == K_MCID && el->pg == one->a + 1) {
    cv_buf_puts(b, "/K ");
    cv_pdf_put_uint(b, one->b);
  } else {
    cv_buf_puts(b, "/K[");
    for (uint32_t k = el->first; k; k = tr->k[k - 1].next)
      put_kid(tr, b, el, &tr->k[k - 1]);
    cv_buf_putc(b, ']');
  }
  cv_buf_puts(b, ">>");
  cv_pdf_objs_end(&w->objs);
  return 0;
}

/* The parent tree's leaves: page i is key i, annotation k is key
 * npages + k; at most PER_LEAF keys a leaf, numbered from first.  A leaf
 * is written a token a cell (cv_pdf_put_cell), so that the references
 * of one page stand in rows one under the other: their digits differ
 * little from row to row, and deflate finds the differences' repeats
 * (academic CV at 100x: the parent tree 42 -> 18 KB). */
#define PER_LEAF 1000

static int put_leaves(tree *tr, uint32_t first) {
  cv_pdf *w = tr->w;
  const tags *t = &w->tags;
  size_t nkeys = w->npages + t->nannots;
  cv_buf *b = &w->objs.text;
  uint32_t cols = tr->cols;
  for (size_t lo = 0; lo < nkeys; lo += PER_LEAF) {
    size_t hi = lo + PER_LEAF < nkeys ? lo + PER_LEAF : nkeys;
    if (cv_pdf_objs_begin(&w->objs, first++) < 0)
      return -1;
    cv_pdf_objs_cells(&w->objs, cols);
    leaf_out o = {b, b->len, cols};
    cv_buf_printf(b, "<</Limits[%zu %zu]/Nums[", lo, hi - 1);
    for (size_t k = lo; k < hi; k++) {
      cell_num(&o, (uint32_t)k, 0);
      if (k >= w->npages) {
        cell_owner(&o, tr, tr->aowner[k - w->npages]);
        continue;
      }
      cell(&o, "[");
      size_t nm = k < t->npages ? t->mcids[k] : 0;
      for (size_t m = 0; m < nm; m++)
        cell_owner(&o, tr, tr->owner[tr->slot[k] + m]);
      cell(&o, "]");
    }
    cell(&o, "]>>");
    cv_pdf_objs_end(&w->objs);
  }
  return 0;
}

static int put_pages(tree *tr) {
  cv_pdf *w = tr->w;
  for (size_t i = 0; i < w->npages; i++) {
    HPDF_Page pg = w->pages[i];
    if (HPDF_Dict_AddNumber(pg, "StructParents", (HPDF_INT32)i) != HPDF_OK ||
        HPDF_Dict_AddName(pg, "Tabs", "S") != HPDF_OK)
      return -1;
  }
  return 0;
}

/* The root: a placeholder libharu holds, so the catalog can name it;
 * its text stands in for it once the file is written. */
static int put_root(tree *tr, uint32_t root, uint32_t leaves) {
  cv_pdf *w = tr->w;
  cv_buf *b = &w->objs.text;
  size_t nkeys = w->npages + w->tags.nannots;
  if (cv_pdf_objs_begin(&w->objs, root) < 0)
    return -1;
  cv_buf_puts(b, "<</Type/StructTreeRoot/K");
  cv_pdf_put_ref(b, tr->e[1].num);
  cv_buf_puts(b, "/ParentTree<</Kids[");
  for (size_t lo = 0; lo < nkeys; lo += PER_LEAF)
    cv_pdf_put_ref(b, leaves++);
  cv_buf_printf(b, "]>>/ParentTreeNextKey %zu>>", nkeys);
  cv_pdf_objs_end(&w->objs);
  return 0;
}

/* Elements are numbered, and so packed into object streams, a role at a
 * time (all the Lbl, then all the LBody, ...): alike dictionaries side by
 * side, and object stream indexes of even steps, compress by a tenth
 * more than elements in reading order.  Link elements come last. */
#define RANKS (CV_ROLE_PART + 2)

static int rank_of(const tree *tr, const cv_structure *s, size_t i) {
  return i < tr->nb ? s->v[i].role : RANKS - 1;
}

static int build_tree(tree *tr, const cv_structure *s) {
  cv_pdf *w = tr->w;
  mark_used(tr, s);
  tr->e[1].used = 1; /* the document, even when empty */
  fold(tr, s);
  if (link_tree(tr, s) < 0 || put_pages(tr) < 0)
    return -1;
  HPDF_Dict root = cv_pdf_new_indirect(w);
  HPDF_Dict mark = root ? HPDF_Dict_New(w->pdf->mmgr) : NULL;
  if (!mark ||
      HPDF_Dict_Add(w->pdf->catalog, "StructTreeRoot", root) != HPDF_OK ||
      HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) != HPDF_OK ||
      HPDF_Dict_Add(w->pdf->catalog, "MarkInfo", mark) != HPDF_OK)
    return -1;
  /* Numbered on from libharu's objects, the root being the last. */
  uint32_t next = (uint32_t)w->pdf->xref->entries->count;
  for (int r = 0; r < RANKS; r++)
    for (size_t i = 1; i < tr->n; i++)
      if (tr->e[i].used && rank_of(tr, s, i) == r)
        tr->e[i].num = next++;
  /* " 12345 0 R": room for the largest number, the leaves' included. */
  char big[24];
  size_t nkeys = w->npages + w->tags.nannots;
  tr->cols = (uint32_t)snprintf(big, sizeof big, " %u 0 R",
                                next + (uint32_t)(nkeys / PER_LEAF) + 1);
  if (put_root(tr, obj_num(root), next) < 0)
    return -1;
  /* In the order of their numbers, as the packer takes them. */
  for (int r = 0; r < RANKS; r++)
    for (size_t i = 1; i < tr->n; i++)
      if (tr->e[i].used && rank_of(tr, s, i) == r &&
          put_elem(tr, s, i, obj_num(root)) < 0)
        return -1;
  return put_leaves(tr, next);
}

int cv_pdf_put_structure(cv_pdf *w, const cv_structure *s) {
  if (!s || s->n < 2)
    return 0;
  const tags *t = &w->tags;
  tree tr = {.w = w, .nb = s->n, .n = s->n + t->nlinks};
  tr.e = calloc(tr.n, sizeof *tr.e);
  tr.aowner = calloc(t->nannots + 1, sizeof *tr.aowner);
  tr.as = cv_malloc_n(s->n, sizeof *tr.as);
  tr.through = calloc(s->n, 1);
  tr.slot = cv_malloc_n(t->npages + 1, sizeof *tr.slot);
  size_t nmcid = 0;
  for (size_t i = 0; tr.slot && i < t->npages; i++) {
    tr.slot[i] = nmcid;
    nmcid += t->mcids[i];
  }
  tr.owner = calloc(nmcid + 1, sizeof *tr.owner);
  int rc = tr.e && tr.aowner && tr.as && tr.through && tr.slot && tr.owner
               ? build_tree(&tr, s)
               : -1;
  free(tr.e);
  free(tr.aowner);
  free(tr.as);
  free(tr.through);
  free(tr.slot);
  free(tr.owner);
  free(tr.k);
  if (rc < 0 || w->objs.text.failed)
    return w->failed ? -1 : cv_pdf_fail(w, "cannot build the structure tree");
  return cv_pdf_check_doc(w, "cannot build the structure tree");
}
