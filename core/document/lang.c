/* cvpdf - translated fields: each mapping of language tags to text
 * replaced by the text of the language chosen, falling back to the CV's
 * default language with a warning at the field.  Only a CV that names
 * its languages (`languages: [en, de]`) has translated fields: a mapping
 * of short keys in any other CV (`items: {ml: ..., cv: ...}`) keeps its
 * meaning. */
#define _POSIX_C_SOURCE 200809L
#include "document/lang.h"

#include <stdio.h>
#include <string.h>

#define MAX_LANGS 32

typedef struct lctx {
  const char *lang; /* the language chosen */
  const char *langs[MAX_LANGS];
  size_t nlangs; /* langs[0] is the default */
  int all;
  cv_diags *diags;
} lctx;

static int lower(char c) {
  return c >= 'a' && c <= 'z';
}

static int alnum(char c) {
  return lower(c) || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int cv_lang_key_ok(const char *s) {
  size_t n = 0;
  while (lower(s[n]))
    n++;
  if (n < 2 || n > 3)
    return 0;
  if (!s[n])
    return 1;
  if (s[n] != '-' && s[n] != '_')
    return 0;
  const char *sub = s + n + 1;
  size_t m = 0;
  while (alnum(sub[m]))
    m++;
  return !sub[m] && (m == 2 || m == 3 || m == 4);
}

/* Tags compare without regard to case, '-' and '_' alike. */
static int tag_eq(const char *a, const char *b) {
  for (;; a++, b++) {
    char x = *a == '_' ? '-' : *a, y = *b == '_' ? '-' : *b;
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z')
      y = (char)(y - 'A' + 'a');
    if (x != y)
      return 0;
    if (!x)
      return 1;
  }
}

static int has_lang(const lctx *c, const char *tag) {
  for (size_t i = 0; i < c->nlangs; i++)
    if (tag_eq(c->langs[i], tag))
      return 1;
  return 0;
}

size_t cv_lang_declared(const cvpdf_node *root, const char **out, size_t cap,
                        cv_diags *diags) {
  const cvpdf_node *ls = cv_node_get(root, "languages");
  size_t n = 0;
  if (!ls) {
    const char *one = cv_node_get_str(root, "language");
    if (one && cap)
      out[n++] = one;
    return n;
  }
  if (ls->kind != CVPDF_NODE_SEQ || ls->n == 0) {
    cv_diag_at(diags, CV_SEV_ERROR, ls,
               "languages: expected a list of language tags, the default "
               "first (languages: [en, de]), found %s",
               cv_node_kind_name(ls));
    return 0;
  }
  for (size_t i = 0; i < ls->n; i++) {
    const char *t = cv_node_str(ls->items[i]);
    if (!t || !cv_lang_key_ok(t)) {
      cv_diag_at(diags, CV_SEV_ERROR, ls->items[i],
                 "languages: expected a language tag such as en, de or "
                 "pt-BR, found %s",
                 t ? t : cv_node_kind_name(ls->items[i]));
      return 0;
    }
    if (n < cap)
      out[n++] = t;
  }
  return n;
}

/* Text, or a list of texts (bullets). */
static int text_value(const cvpdf_node *v) {
  if (v->kind == CVPDF_NODE_SCALAR)
    return 1;
  if (v->kind != CVPDF_NODE_SEQ)
    return 0;
  for (size_t i = 0; i < v->n; i++)
    if (v->items[i]->kind != CVPDF_NODE_SCALAR)
      return 0;
  return 1;
}

/* Every key a language tag, one at least of the CV's languages, and
 * every value text. */
static int is_translated(const lctx *c, const cvpdf_node *m) {
  if (!m || m->kind != CVPDF_NODE_MAP || m->n == 0)
    return 0;
  int known = 0;
  for (size_t i = 0; i < m->n; i++) {
    const char *k = cv_node_str(m->keys[i]);
    if (!k || !cv_lang_key_ok(k) || !text_value(m->items[i]))
      return 0;
    known |= has_lang(c, k);
  }
  return known;
}

/* A translation into a language the CV does not name is never printed. */
static void warn_unknown(const lctx *c, const cvpdf_node *m) {
  char names[160];
  size_t len = 0;
  names[0] = '\0';
  for (size_t i = 0; i < c->nlangs && len < sizeof names; i++)
    len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
                            i ? ", " : "", c->langs[i]);
  for (size_t i = 0; i < m->n; i++)
    if (!has_lang(c, m->keys[i]->str))
      cv_diag_at(c->diags, CV_SEV_WARNING, m->keys[i],
                 "'%s' is not one of the CV's languages (%s): this text is "
                 "never printed",
                 m->keys[i]->str, names);
}

/* The translation into tag, or into its language alone (de for de-CH). */
static cvpdf_node *find(const cvpdf_node *m, const char *tag) {
  for (int pass = 0; pass < 2; pass++) {
    char primary[4] = {0};
    if (pass == 1) {
      size_t n = strcspn(tag, "-_");
      if (n > 3 || !tag[n])
        return NULL;
      memcpy(primary, tag, n);
    }
    for (size_t i = 0; i < m->n; i++)
      if (tag_eq(cv_node_str(m->keys[i]), pass ? primary : tag))
        return m->items[i];
  }
  return NULL;
}

static void report_missing(const lctx *c, const cvpdf_node *m) {
  for (size_t i = 0; i < c->nlangs; i++)
    if (!find(m, c->langs[i]))
      cv_diag_at(c->diags, CV_SEV_WARNING, m,
                 "missing the '%s' translation of this field", c->langs[i]);
}

static cvpdf_node *pick(const lctx *c, const cvpdf_node *m) {
  cvpdf_node *v = find(m, c->lang);
  if (v)
    return v;
  const char *used = c->langs[0];
  if (!(v = find(m, used))) {
    used = cv_node_str(m->keys[0]);
    v = m->items[0];
  }
  cv_diag_at(c->diags, CV_SEV_WARNING, m,
             "no '%s' translation of this field; printed the '%s' one", c->lang,
             used);
  /* The text says what language it is in, for the PDF's /Lang. */
  if (v->kind == CVPDF_NODE_SCALAR)
    v->lang = used;
  for (size_t i = 0; v->kind == CVPDF_NODE_SEQ && i < v->n; i++)
    v->items[i]->lang = used;
  return v;
}

static void walk(const lctx *c, cvpdf_node *n, int top) {
  if (!n || (n->kind != CVPDF_NODE_MAP && n->kind != CVPDF_NODE_SEQ))
    return;
  for (size_t i = 0; i < n->n; i++) {
    const char *key = n->kind == CVPDF_NODE_MAP ? cv_node_str(n->keys[i]) : "";
    /* A layout's words are keyed by language too, and are no field. */
    if (top && key && (!strcmp(key, "theme") || !strcmp(key, "languages")))
      continue;
    if (!is_translated(c, n->items[i])) {
      walk(c, n->items[i], 0);
      continue;
    }
    warn_unknown(c, n->items[i]);
    if (c->all)
      report_missing(c, n->items[i]);
    n->items[i] = pick(c, n->items[i]);
  }
}

/* Removes pair i of map m. */
static void drop_pair(cvpdf_node *m, size_t i) {
  memmove(m->keys + i, m->keys + i + 1, (m->n - i - 1) * sizeof *m->keys);
  memmove(m->items + i, m->items + i + 1, (m->n - i - 1) * sizeof *m->items);
  m->n--;
}

int cv_lang_settle(cvpdf_node *root, const char *lang, cv_arena *arena) {
  if (!root || root->kind != CVPDF_NODE_MAP || !lang)
    return 0;
  size_t ls = root->n, l = root->n;
  for (size_t i = 0; i < root->n; i++) {
    const char *k = cv_node_str(root->keys[i]);
    if (k && !strcmp(k, "languages"))
      ls = i;
    else if (k && !strcmp(k, "language"))
      l = i;
  }
  if (ls == root->n)
    return 0;
  cvpdf_node *v = cv_arena_alloc(arena, sizeof *v);
  char *s = cv_arena_strdup(arena, lang);
  if (!v || !s)
    return -1;
  *v = *root->keys[ls]; /* the position of languages: */
  v->kind = CVPDF_NODE_SCALAR;
  v->str = s;
  v->len = strlen(s);
  v->n = 0;
  v->items = v->keys = NULL;
  if (l < root->n) {
    root->items[l] = v;
    drop_pair(root, ls);
    return 0;
  }
  cvpdf_node *k = cv_arena_alloc(arena, sizeof *k);
  if (!k)
    return -1;
  *k = *v;
  if (!(k->str = cv_arena_strdup(arena, "language")))
    return -1;
  k->len = strlen(k->str);
  root->keys[ls] = k;
  root->items[ls] = v;
  return 0;
}

int cv_lang_apply(cvpdf_node *root, const char *lang, int all,
                  cv_diags *diags) {
  if (!root || !cv_node_get(root, "languages"))
    return 0;
  lctx c = {.all = all, .diags = diags};
  size_t before = diags->nerrors;
  c.nlangs = cv_lang_declared(root, c.langs, MAX_LANGS, diags);
  if (!c.nlangs)
    return (int)(diags->nerrors - before);
  if (!lang || all)
    lang = cv_node_get_str(root, "language");
  c.lang = lang && !all ? lang : c.langs[0];
  if (!has_lang(&c, c.lang)) {
    const cvpdf_node *at = cv_node_get(root, "languages");
    cv_diag_at(diags, CV_SEV_WARNING, at,
               "the CV is written in %zu languages, not in '%s': every "
               "translated field prints its '%s' text",
               c.nlangs, c.lang, c.langs[0]);
    c.lang = c.langs[0];
  }
  walk(&c, root, 1);
  return (int)(diags->nerrors - before);
}
