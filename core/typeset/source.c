/* cvpdf - finding the node a builder string came from. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cv_source_init(cv_source *s) {
  memset(s, 0, sizeof *s);
}

void cv_source_fini(cv_source *s) {
  for (size_t i = 0; i < s->nsaid; i++)
    free(s->said[i]);
  free(s->said);
  memset(s, 0, sizeof *s);
}

void cv_source_set(cv_source *s, const cvpdf_node *root) {
  s->root = root;
  s->nextra = 0;
}

void cv_source_add(cv_source *s, const cvpdf_node *tree) {
  if (tree && s->nextra < CV_SOURCE_MAX_EXTRA)
    s->extra[s->nextra++] = tree;
}

/* Depth first.  Aliases make the tree a DAG whose expansion the model
 * bounds (--max-nodes); *budget bounds this walk the same way. */
/* exact: a scalar that is text whole and has a language of its own;
 * else one that holds text. */
static const cvpdf_node *find(const cvpdf_node *n, const char *text, int exact,
                              size_t *budget) {
  if (!n || *budget == 0)
    return NULL;
  (*budget)--;
  if (n->kind == CVPDF_NODE_SCALAR)
    return n->str && (exact ? n->lang && !strcmp(n->str, text)
                            : strstr(n->str, text) != NULL)
               ? n
               : NULL;
  for (size_t i = 0; i < n->n; i++) {
    const cvpdf_node *hit = n->kind == CVPDF_NODE_MAP && !exact
                                ? find(n->keys[i], text, exact, budget)
                                : NULL;
    if (!hit)
      hit = find(n->items[i], text, exact, budget);
    if (hit)
      return hit;
  }
  return NULL;
}

static const cvpdf_node *find_all(const cv_source *s, const char *text,
                                  int exact, size_t *budget) {
  if (!*text)
    return NULL;
  const cvpdf_node *hit = find(s->root, text, exact, budget);
  for (size_t i = 0; !hit && i < s->nextra; i++)
    hit = find(s->extra[i], text, exact, budget);
  return hit;
}

const char *cv_source_lang(const cv_source *s, const char *text) {
  size_t budget = 1000000;
  const cvpdf_node *hit = text ? find_all(s, text, 1, &budget) : NULL;
  return hit ? hit->lang : NULL;
}

const cvpdf_node *cv_source_find(const cv_source *s, const char *text) {
  if (!text)
    return s->root;
  size_t budget = 1000000;
  const cvpdf_node *hit = find_all(s, text, 0, &budget);
  /* A plugin may have put a scheme in front of the field: "mailto:" and
   * an e-mail address, "https://" and a web site. */
  const char *colon = strchr(text, ':');
  if (!hit && colon)
    hit = find_all(s, colon + 1 + strspn(colon + 1, "/"), 0, &budget);
  return hit ? hit : s->root;
}

int cv_source_first(cv_source *s, const cvpdf_node *at, const char *text) {
  char pos[64];
  snprintf(pos, sizeof pos, "%p:%d:%d ", (const void *)(at ? at->file : NULL),
           at ? at->line : 0, at ? at->col : 0);
  size_t pl = strlen(pos), tl = strlen(text);
  for (size_t i = 0; i < s->nsaid; i++)
    if (!strncmp(s->said[i], pos, pl) && !strcmp(s->said[i] + pl, text))
      return 0;
  char *key = malloc(pl + tl + 1);
  if (!key ||
      cv_grow((void **)&s->said, &s->capsaid, s->nsaid + 1, sizeof *s->said)) {
    free(key);
    return 1; /* out of memory: say it again rather than never */
  }
  memcpy(key, pos, pl);
  memcpy(key + pl, text, tl + 1);
  s->said[s->nsaid++] = key;
  return 1;
}
