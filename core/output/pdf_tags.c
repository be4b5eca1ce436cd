/* cvpdf - tagged PDF: the marked-content sequences each page's text is
 * written in, and at the end the structure tree they belong to (PDF
 * 32000-1, 14.7 and 14.8), built from the logical structure the builder
 * recorded (display.h's cv_structure): the name as H1, sections, entries,
 * lists, paragraphs, and Link elements tied to their annotations. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <hpdf_objects.h>

#include <stdlib.h>
#include <string.h>

/* ---- while pages are written -------------------------------------- */

/* MCIDs of one page: its parent tree entry is one array, and libharu's
 * arrays hold at most 8191 entries.  Content past them stays in the
 * sequence before. */
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

/* The Link element of leaf for uri: the last one made when the link goes
 * on (a link broken over two lines is one element), else a new one. */
static int link_elem(cv_pdf *w, uint32_t leaf, const char *uri, uint32_t *out) {
  tags *t = &w->tags;
  for (size_t i = t->nlinks, k = 0; i-- > 0 && k < 8; k++)
    if (t->links[i].leaf == leaf && !strcmp(t->links[i].uri, uri)) {
      *out = (uint32_t)i;
      return 0;
    }
  char *copy = cv_arena_strdup(&w->texts, uri);
  if (!copy || cv_grow((void **)&t->links, &t->caplinks, t->nlinks + 1,
                       sizeof *t->links) < 0)
    return -1;
  *out = (uint32_t)t->nlinks;
  t->links[t->nlinks++] = (tag_link){leaf, copy};
  return add_kid(w, KID_LINK, leaf, 0, *out);
}

int cv_pdf_tag_begin(cv_pdf *w, cv_buf *b, size_t page, uint32_t leaf,
                     const char *uri, const char *role) {
  tags *t = &w->tags;
  if (page < t->npages && t->mcids[page] >= MAX_MCIDS)
    return 1; /* the page's parent tree array is full */
  uint32_t owner = leaf, link;
  if (uri && *uri) {
    if (link_elem(w, leaf, uri, &link) < 0)
      return -1;
    owner = LINK_BIT | link;
    role = "Link";
  }
  while (t->npages <= page) {
    if (cv_grow((void **)&t->mcids, &t->capmcids, t->npages + 1,
                sizeof *t->mcids) < 0)
      return -1;
    t->mcids[t->npages++] = 0;
  }
  uint32_t mcid = t->mcids[page]++;
  cv_buf_printf(b, "/%s <</MCID %u", role, mcid);
  return add_kid(w, KID_MCID, owner, (uint32_t)page, mcid);
}

int cv_pdf_tag_annot(cv_pdf *w, HPDF_Annotation a, size_t page, uint32_t leaf,
                     const char *uri) {
  tags *t = &w->tags;
  uint32_t link;
  if (!leaf)
    return 0;
  if (link_elem(w, leaf, uri, &link) < 0 ||
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

/* One element as written: its dictionary, the dictionary that holds its
 * kids now (itself, or a Div it overflowed into: libharu arrays hold at
 * most 8191 entries), and the page its content starts on. */
typedef struct elem {
  HPDF_Dict dict, holder;
  HPDF_Array k;
  uint32_t nk;
  uint32_t pg; /* page + 1; 0: none yet */
  uint8_t used;
} elem;

#define MAX_KIDS 8000

typedef struct tree {
  cv_pdf *w;
  elem *e;
  /* Per builder element: the element written in its place (itself, or
   * the LBody a lone paragraph's content goes into), and whether it is
   * left out with its children going to its parent (a Div holding one
   * paragraph). */
  uint32_t *as;
  uint8_t *through;
  size_t n;          /* elements: the builder's, then the links */
  size_t nb;         /* the builder's */
  HPDF_Array *ptree; /* per page: the element of each MCID */
  HPDF_Dict *aowner; /* per annotation: the Link element it belongs to */
} tree;

static const char *role_of(const tree *tr, const cv_structure *s, size_t i) {
  return i < tr->nb ? cv_role_name((cv_role)s->v[i].role) : "Link";
}

/* The array to append a kid of element i to (overflowing into a Div). */
static HPDF_Array kids_of(tree *tr, size_t i) {
  elem *el = &tr->e[i];
  if (el->k && el->nk < MAX_KIDS)
    return el->k;
  HPDF_MMgr mm = tr->w->pdf->mmgr;
  HPDF_Array k = HPDF_Array_New(mm);
  if (!k)
    return NULL;
  if (!el->k) {
    if (HPDF_Dict_Add(el->dict, "K", k) != HPDF_OK)
      return NULL;
  } else {
    HPDF_Dict div = cv_pdf_new_indirect(tr->w);
    if (!div || HPDF_Dict_AddName(div, "S", "Div") != HPDF_OK ||
        HPDF_Dict_Add(div, "P", el->holder) != HPDF_OK ||
        HPDF_Array_Add(el->k, div) != HPDF_OK ||
        HPDF_Dict_Add(div, "K", k) != HPDF_OK)
      return NULL;
    el->holder = div;
  }
  el->k = k;
  el->nk = 0;
  return k;
}

static int append_elem(tree *tr, size_t parent, size_t child) {
  HPDF_Array k = kids_of(tr, parent);
  if (!k ||
      HPDF_Dict_Add(tr->e[child].dict, "P", tr->e[parent].holder) != HPDF_OK ||
      HPDF_Array_Add(k, tr->e[child].dict) != HPDF_OK)
    return -1;
  tr->e[parent].nk++;
  return 0;
}

static int append_mcid(tree *tr, size_t i, uint32_t page, uint32_t mcid) {
  cv_pdf *w = tr->w;
  elem *el = &tr->e[i];
  HPDF_Array k = kids_of(tr, i);
  if (!k)
    return -1;
  HPDF_STATUS r = HPDF_OK;
  if (!el->pg) {
    el->pg = page + 1;
    r += HPDF_Dict_Add(el->dict, "Pg", w->pages[page]);
  }
  if (el->pg == page + 1 && el->holder == el->dict) {
    r += HPDF_Array_AddNumber(k, (HPDF_INT32)mcid);
  } else {
    HPDF_Dict mcr = HPDF_Dict_New(w->pdf->mmgr);
    if (!mcr)
      return -1;
    r += HPDF_Array_Add(k, mcr);
    r += HPDF_Dict_AddName(mcr, "Type", "MCR");
    r += HPDF_Dict_Add(mcr, "Pg", w->pages[page]);
    r += HPDF_Dict_AddNumber(mcr, "MCID", (HPDF_INT32)mcid);
  }
  el->nk++;
  /* The parent tree's entry: MCIDs of a page are numbered in order. */
  r += HPDF_Array_Add(tr->ptree[page], el->holder);
  return r == HPDF_OK ? 0 : -1;
}

static int append_annot(tree *tr, size_t i, uint32_t ix) {
  cv_pdf *w = tr->w;
  tag_annot *an = &w->tags.annots[ix];
  HPDF_Array k = kids_of(tr, i);
  HPDF_Dict objr = k ? HPDF_Dict_New(w->pdf->mmgr) : NULL;
  if (!objr)
    return -1;
  HPDF_STATUS r = HPDF_Array_Add(k, objr);
  r += HPDF_Dict_AddName(objr, "Type", "OBJR");
  r += HPDF_Dict_Add(objr, "Pg", w->pages[an->page]);
  r += HPDF_Dict_Add(objr, "Obj", an->a);
  r += HPDF_Dict_AddNumber(an->a, "StructParent", (HPDF_INT32)(w->npages + ix));
  tr->aowner[ix] = tr->e[i].holder;
  tr->e[i].nk++;
  return r == HPDF_OK ? 0 : -1;
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
    if (!tr->e[i].used || s->v[i].role != CV_ROLE_P || kids[i] || p >= i ||
        kids[p] != 1 || own[p])
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

static int make_elems(tree *tr, const cv_structure *s) {
  cv_pdf *w = tr->w;
  for (size_t i = 1; i < tr->n; i++) {
    if (!tr->e[i].used)
      continue;
    /* /Type /StructElem is optional: left out of thousands of them. */
    HPDF_Dict d = cv_pdf_new_indirect(w);
    if (!d || HPDF_Dict_AddName(d, "S", role_of(tr, s, i)) != HPDF_OK)
      return -1;
    tr->e[i].dict = tr->e[i].holder = d;
    if (i < tr->nb && s->v[i].role == CV_ROLE_L) {
      HPDF_Dict a = HPDF_Dict_New(w->pdf->mmgr);
      if (!a || HPDF_Dict_Add(d, "A", a) != HPDF_OK ||
          HPDF_Dict_AddName(a, "O", "List") != HPDF_OK ||
          HPDF_Dict_AddName(a, "ListNumbering",
                            s->v[i].numbered == 1   ? "Decimal"
                            : s->v[i].numbered == 2 ? "None"
                                                    : "Disc") != HPDF_OK)
        return -1;
    }
    if (i < tr->nb && s->v[i].role == CV_ROLE_FIGURE) {
      HPDF_Binary alt = cv_pdf_text_string(w, s->v[i].alt ? s->v[i].alt : "");
      if (!alt || HPDF_Dict_Add(d, "Alt", alt) != HPDF_OK)
        return -1;
    }
  }
  return 0;
}

static int link_tree(tree *tr, const cv_structure *s) {
  for (size_t i = 2; i < tr->nb; i++)
    if (tr->e[i].used && s->v[i].parent < i &&
        append_elem(tr, parent_of(tr, s, i), i) < 0)
      return -1;
  const tags *t = &tr->w->tags;
  for (size_t i = 0; i < t->nkids; i++) {
    const tag_kid *kd = &t->kids[i];
    size_t o = kd->owner & LINK_BIT ? tr->nb + (kd->owner & ~LINK_BIT)
                                    : owner_of(tr, kd->owner);
    if (o >= tr->n || !tr->e[o].dict) {
      /* keeps the page's MCIDs in step with its parent tree array */
      if (kd->kind == KID_MCID &&
          HPDF_Array_Add(tr->ptree[kd->page],
                         HPDF_Null_New(tr->w->pdf->mmgr)) != HPDF_OK)
        return -1;
      continue;
    }
    int rc = 0;
    if (kd->kind == KID_MCID)
      rc = append_mcid(tr, o, kd->page, kd->value);
    else if (kd->kind == KID_LINK)
      rc = append_elem(tr, o, tr->nb + kd->value);
    else
      rc = append_annot(tr, o, kd->value);
    if (rc < 0)
      return -1;
  }
  return 0;
}

/* The parent tree: page i is key i, annotation k is key npages + k; in
 * leaves of at most MAX_KIDS / 2 pairs. */
static HPDF_Dict parent_tree(tree *tr) {
  cv_pdf *w = tr->w;
  const tags *t = &w->tags;
  size_t nkeys = w->npages + t->nannots, per = MAX_KIDS / 2;
  HPDF_Dict root = HPDF_Dict_New(w->pdf->mmgr);
  HPDF_Array kids = root ? HPDF_Array_New(w->pdf->mmgr) : NULL;
  if (!kids || HPDF_Dict_Add(root, "Kids", kids) != HPDF_OK)
    return NULL;
  for (size_t lo = 0; lo < nkeys; lo += per) {
    size_t hi = lo + per < nkeys ? lo + per : nkeys;
    HPDF_Dict leaf = cv_pdf_new_indirect(w);
    HPDF_Array nums = leaf ? HPDF_Array_New(w->pdf->mmgr) : NULL;
    HPDF_Array lim = nums ? HPDF_Array_New(w->pdf->mmgr) : NULL;
    if (!lim)
      return NULL;
    HPDF_STATUS r = HPDF_Array_Add(kids, leaf);
    r += HPDF_Dict_Add(leaf, "Nums", nums);
    r += HPDF_Dict_Add(leaf, "Limits", lim);
    r += HPDF_Array_AddNumber(lim, (HPDF_INT32)lo);
    r += HPDF_Array_AddNumber(lim, (HPDF_INT32)(hi - 1));
    for (size_t k = lo; k < hi && r == HPDF_OK; k++) {
      r += HPDF_Array_AddNumber(nums, (HPDF_INT32)k);
      if (k < w->npages) {
        r += HPDF_Array_Add(nums, tr->ptree[k]);
        continue;
      }
      HPDF_Dict owner = tr->aowner[k - w->npages];
      r += owner ? HPDF_Array_Add(nums, owner)
                 : HPDF_Array_Add(nums, HPDF_Null_New(w->pdf->mmgr));
    }
    if (r != HPDF_OK)
      return NULL;
  }
  return root;
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

static int build_tree(tree *tr, const cv_structure *s) {
  cv_pdf *w = tr->w;
  for (size_t i = 0; i < w->npages; i++)
    if (!(tr->ptree[i] = HPDF_Array_New(w->pdf->mmgr)))
      return -1;
  mark_used(tr, s);
  tr->e[1].used = 1; /* the document, even when empty */
  fold(tr, s);
  if (make_elems(tr, s) < 0 || link_tree(tr, s) < 0 || put_pages(tr) < 0)
    return -1;
  HPDF_Dict root = cv_pdf_new_indirect(w);
  HPDF_Dict pt = root ? parent_tree(tr) : NULL;
  HPDF_Dict mark = pt ? HPDF_Dict_New(w->pdf->mmgr) : NULL;
  if (!mark)
    return -1;
  HPDF_STATUS r = HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
  r += HPDF_Dict_Add(root, "K", tr->e[1].dict);
  r += HPDF_Dict_Add(tr->e[1].dict, "P", root);
  r += HPDF_Dict_Add(root, "ParentTree", pt);
  r += HPDF_Dict_AddNumber(root, "ParentTreeNextKey",
                           (HPDF_INT32)(w->npages + w->tags.nannots));
  r += HPDF_Dict_Add(w->pdf->catalog, "StructTreeRoot", root);
  r += HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
  r += HPDF_Dict_Add(w->pdf->catalog, "MarkInfo", mark);
  return r == HPDF_OK ? 0 : -1;
}

int cv_pdf_put_structure(cv_pdf *w, const cv_structure *s) {
  if (!s || s->n < 2)
    return 0;
  tree tr = {.w = w, .nb = s->n, .n = s->n + w->tags.nlinks};
  tr.e = calloc(tr.n, sizeof *tr.e);
  tr.ptree = cv_malloc_n(w->npages, sizeof *tr.ptree);
  tr.aowner = calloc(w->tags.nannots + 1, sizeof *tr.aowner);
  tr.as = cv_malloc_n(s->n, sizeof *tr.as);
  tr.through = calloc(s->n, 1);
  int rc = tr.e && tr.ptree && tr.aowner && tr.as && tr.through
               ? build_tree(&tr, s)
               : -1;
  free(tr.as);
  free(tr.through);
  free(tr.e);
  free(tr.ptree);
  free(tr.aowner);
  if (rc < 0)
    return w->failed ? -1 : cv_pdf_fail(w, "cannot build the structure tree");
  return cv_pdf_check_doc(w, "cannot build the structure tree");
}
