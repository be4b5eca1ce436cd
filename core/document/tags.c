/* cvpdf - tagged variants: selection of tagged items before validation. */
#include "document/tags.h"

#include <stdlib.h>
#include <string.h>

typedef struct tctx {
  const char *const *only; /* NULL: keep everything */
  cv_diags *diags;
  int errors;
  const char **seen; /* distinct tag names met, borrowed from the tree */
  size_t nseen, cap;
} tctx;

static int ascii_ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z')
      x += 32;
    if (y >= 'A' && y <= 'Z')
      y += 32;
    if (x != y)
      return 0;
  }
  return *a == *b;
}

static void terr(tctx *t, const cvpdf_node *at, const char *fmt, ...)
    CV_PRINTF(3, 4);
static void terr(tctx *t, const cvpdf_node *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diag_vat(t->diags, CV_SEV_ERROR, at, fmt, ap);
  va_end(ap);
  t->errors++;
}

/* Remembers a tag name so a selection naming no tag in use can be told
 * apart from one that merely matched nothing here. */
static void note_tag(tctx *t, const cvpdf_node *tag) {
  for (size_t i = 0; i < t->nseen; i++)
    if (ascii_ieq(t->seen[i], tag->str))
      return;
  /* One spare slot for the NULL that cv_nearest needs. */
  if (cv_grow((void **)&t->seen, &t->cap, t->nseen + 2, sizeof *t->seen) < 0) {
    terr(t, tag, "out of memory");
    return;
  }
  t->seen[t->nseen++] = tag->str;
  t->seen[t->nseen] = NULL;
}

static int selected(const tctx *t, const char *tag) {
  for (size_t i = 0; t->only[i]; i++)
    if (ascii_ieq(t->only[i], tag))
      return 1;
  return 0;
}

/* Whether an item with this `tags` value is kept.  An empty list, like a
 * missing one, leaves the item untagged.  A malformed value is reported and
 * the item kept, so the rest of the document is still checked. */
static int tags_keep(tctx *t, const cvpdf_node *v) {
  if (v->kind == CVPDF_NODE_MAP) {
    terr(t, v,
         "field 'tags' expected a word or a list of words, found a "
         "mapping");
    return 1;
  }
  size_t n = v->kind == CVPDF_NODE_SEQ ? v->n : (v->len ? 1 : 0);
  int any = 0, bad = 0;
  for (size_t i = 0; i < n; i++) {
    const cvpdf_node *tag = v->kind == CVPDF_NODE_SEQ ? v->items[i] : v;
    if (tag->kind != CVPDF_NODE_SCALAR || tag->len == 0) {
      terr(t, tag, "item %zu of field 'tags' expected a word, found %s", i + 1,
           tag->kind == CVPDF_NODE_SCALAR ? "an empty value"
           : tag->kind == CVPDF_NODE_MAP  ? "a mapping"
                                          : "a list");
      bad = 1;
      continue;
    }
    note_tag(t, tag);
    if (t->only && selected(t, tag->str))
      any = 1;
  }
  if (!t->only || bad || n == 0)
    return 1;
  return any;
}

static void remove_pair(cvpdf_node *map, size_t i) {
  memmove(map->keys + i, map->keys + i + 1,
          (map->n - i - 1) * sizeof *map->keys);
  memmove(map->items + i, map->items + i + 1,
          (map->n - i - 1) * sizeof *map->items);
  map->n--;
}

static int key_is(const cvpdf_node *key, const char *s) {
  return key && key->kind == CVPDF_NODE_SCALAR && strlen(s) == key->len &&
         memcmp(key->str, s, key->len) == 0;
}

/* Takes `tags` off a list item.  Returns whether the item is kept; *item
 * becomes the text of a bullet written {text: ..., tags: [...]}. */
static int strip_tags(tctx *t, cvpdf_node **item) {
  cvpdf_node *map = *item;
  for (size_t i = 0; i < map->n; i++) {
    if (!key_is(map->keys[i], "tags"))
      continue;
    int keep = tags_keep(t, map->items[i]);
    remove_pair(map, i);
    /* The text, or its translations (document/lang.h). */
    if (map->n == 1 && key_is(map->keys[0], "text") &&
        map->items[0]->kind != CVPDF_NODE_SEQ)
      *item = map->items[0];
    return keep;
  }
  return 1;
}

static int walk_map(tctx *t, cvpdf_node *map, int root);

/* Filters a list.  Returns 1 when the selection emptied it (it had items
 * and has none left), so the section holding it can go too. */
static int walk_seq(tctx *t, cvpdf_node *seq, int sections) {
  size_t out = 0, before = seq->n;
  for (size_t i = 0; i < seq->n; i++) {
    cvpdf_node *it = seq->items[i];
    int keep = 1;
    if (it->kind == CVPDF_NODE_MAP) {
      keep = strip_tags(t, &it);
      if (keep && it->kind == CVPDF_NODE_MAP && walk_map(t, it, 0) && sections)
        keep = 0;
    } else if (it->kind == CVPDF_NODE_SEQ) {
      walk_seq(t, it, 0);
    }
    if (keep)
      seq->items[out++] = it;
  }
  seq->n = out;
  return before > 0 && out == 0;
}

/* Walks the values of a mapping.  Returns 1 when it holds lists and the
 * selection emptied every one of them. */
static int walk_map(tctx *t, cvpdf_node *map, int root) {
  int lists = 0, emptied = 0;
  for (size_t i = 0; i < map->n; i++) {
    cvpdf_node *v = map->items[i];
    /* Layout values are not content: tags there mean nothing. */
    if (root && key_is(map->keys[i], "theme"))
      continue;
    if (v->kind == CVPDF_NODE_SEQ) {
      lists++;
      emptied += walk_seq(t, v, root && key_is(map->keys[i], "sections"));
    } else if (v->kind == CVPDF_NODE_MAP) {
      walk_map(t, v, 0);
    }
  }
  return lists > 0 && emptied == lists;
}

int cv_tags_apply(cvpdf_node *root, const char *const *only, cv_diags *diags) {
  if (!root || root->kind != CVPDF_NODE_MAP)
    return 0;
  tctx t = {only && only[0] ? only : NULL, diags, 0, NULL, 0, 0};
  walk_map(&t, root, 1);
  for (size_t i = 0; t.only && t.only[i]; i++) {
    int used = 0;
    for (size_t k = 0; k < t.nseen && !used; k++)
      used = ascii_ieq(t.seen[k], t.only[i]);
    if (used)
      continue;
    const char *near = t.seen ? cv_nearest(t.only[i], t.seen) : NULL;
    if (near)
      cv_diags_add(diags, CV_SEV_WARNING, root->file, 0, 0,
                   "--only %s: no item is tagged '%s'; did you mean '%s'?",
                   t.only[i], t.only[i], near);
    else
      cv_diags_add(diags, CV_SEV_WARNING, root->file, 0, 0,
                   "--only %s: no item is tagged '%s', so only untagged "
                   "items are printed",
                   t.only[i], t.only[i]);
  }
  free(t.seen);
  return t.errors;
}
