/* cvpdf - letters: the letter's top level merged with the header of the CV
 * it names, then its own fields made one section for the letter plugin. */
#define _POSIX_C_SOURCE 200809L
#include "document/letter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document/convert.h"

/* Keys of the CV that stay the CV's: its sections and the PDF's
 * information, which the letter has of its own. */
static const char *const cv_only[] = {"sections", "title", "subject",
                                      "keywords", NULL};

static int in_list(const char *key, const char *const *list) {
  for (size_t i = 0; key && list[i]; i++)
    if (!strcmp(key, list[i]))
      return 1;
  return 0;
}

/* The directory of the file node `at` came from, in a, or NULL for the
 * working directory. */
static const char *dir_of(const cvpdf_node *at, cv_arena *a) {
  const char *slash = at->file ? strrchr(at->file, '/') : NULL;
  if (!slash)
    return NULL;
  return cv_arena_strndup(a, at->file,
                          slash == at->file ? 1 : (size_t)(slash - at->file));
}

/* The CV `cv:` names, loaded and made cvpdf's own; NULL after an error at
 * the field. */
static cv_model *load_cv(const cvpdf_node *at, const cv_limits *limits,
                         int safe, cv_inputs *inputs, cv_arena *a,
                         cv_diags *d) {
  if (at->kind != CVPDF_NODE_SCALAR || !*at->str) {
    cv_diag_at(d, CV_SEV_ERROR, at,
               "cv: expected the file name of a CV, relative to the letter, "
               "found %s",
               at->kind == CVPDF_NODE_SCALAR ? "an empty string"
                                             : cv_node_kind_name(at));
    return NULL;
  }
  const char *path = at->str, *dir = dir_of(at, a);
  const char *full =
      dir && path[0] != '/' ? cv_arena_printf(a, "%s/%s", dir, path) : path;
  char why[256];
  struct stat sb;
  int fd = cv_input_open(dir, path, safe ? CV_OPEN_BENEATH : 0, inputs, &sb,
                         why, sizeof why);
  if (fd < 0 && safe && errno == EXDEV) {
    cv_diag_at(d, CV_SEV_ERROR, at,
               "cv: expected a CV in the letter's directory, found '%s' "
               "(files outside it are not read in safe mode)",
               path);
    return NULL;
  }
  if (fd < 0) {
    cv_diag_at(d, CV_SEV_ERROR, at, "cannot read the CV '%s': %s", full, why);
    return NULL;
  }
  size_t len = 0;
  int err = 0;
  char *data = cv_input_read(fd, (size_t)sb.st_size, limits->max_input_bytes,
                             &len, &err);
  close(fd);
  if (!data) {
    cv_diag_at(d, CV_SEV_ERROR, at, "cannot read the CV '%s': %s", full,
               err == EFBIG ? "larger than --max-input-bytes" : strerror(err));
    return NULL;
  }
  cv_model *cv = cv_model_load_buffer(full, data, len, limits, d);
  free(data);
  if (cv && cv_convert_to_native(cv, d) < 0) {
    cv_model_destroy(cv);
    return NULL;
  }
  if (cv && cv->root && cv->root->kind != CVPDF_NODE_MAP) {
    cv_diag_at(d, CV_SEV_ERROR, at,
               "cv: expected a CV (a mapping with name:, sections:, ...) in "
               "'%s', found %s",
               full, cv_node_kind_name(cv->root));
    cv_model_destroy(cv);
    return NULL;
  }
  if (cv && cv_node_get(cv->root, "type")) {
    cv_diag_at(d, CV_SEV_ERROR, at,
               "cv: expected a CV, found '%s', which has a type: (a letter "
               "takes its header from a CV, not from another letter)",
               full);
    cv_model_destroy(cv);
    return NULL;
  }
  return cv;
}

/* A new node of kind at the position of `at`. */
static cvpdf_node *new_node(cv_arena *a, const cvpdf_node *at,
                            cvpdf_node_kind kind) {
  cvpdf_node *n = cv_arena_alloc(a, sizeof *n);
  if (n)
    *n = (cvpdf_node){
        .kind = kind, .file = at->file, .line = at->line, .col = at->col};
  return n;
}

/* A new mapping of at most cap pairs at the position of `at`. */
static cvpdf_node *new_map(cv_arena *a, const cvpdf_node *at, size_t cap) {
  cvpdf_node *n = new_node(a, at, CVPDF_NODE_MAP);
  if (!n)
    return NULL;
  n->keys = cv_arena_alloc_n(a, cap ? cap : 1, sizeof *n->keys);
  n->items = cv_arena_alloc_n(a, cap ? cap : 1, sizeof *n->items);
  return n->keys && n->items ? n : NULL;
}

static void put(cvpdf_node *map, cvpdf_node *key, cvpdf_node *value) {
  map->keys[map->n] = key;
  map->items[map->n++] = value;
}

/* Whether root is a letter: 1, 0, or -1 after reporting a wrong type. */
static int is_letter(const cvpdf_node *root, cv_diags *d) {
  const cvpdf_node *t = cv_node_get(root, "type");
  if (!t)
    return 0;
  const char *s = cv_node_str(t);
  if (s && !strcmp(s, "letter"))
    return 1;
  cv_diag_at(d, CV_SEV_ERROR, t,
             "type: expected 'letter' (a CV has no type: at its top), found "
             "%s%s%s",
             s ? "'" : "", s ? s : cv_node_kind_name(t), s ? "'" : "");
  return -1;
}

/* Index of key in mapping m, or m->n. */
static size_t key_index(const cvpdf_node *m, const char *key) {
  size_t i = 0;
  while (i < m->n && strcmp(m->keys[i]->str, key))
    i++;
  return i;
}

/* The letter's mapping over the CV's (its theme:): mappings under the
 * same key merged, the letter's value winning elsewhere.  The depth is
 * the models' own, bounded by their limits.  NULL when out of memory. */
static cvpdf_node *over(cv_arena *a, cvpdf_node *mine, cvpdf_node *cvs) {
  if (!cvs || mine->kind != CVPDF_NODE_MAP || cvs->kind != CVPDF_NODE_MAP)
    return mine;
  cvpdf_node *out = new_map(a, mine, mine->n + cvs->n);
  for (size_t i = 0; out && i < cvs->n; i++) {
    size_t k = key_index(mine, cvs->keys[i]->str);
    cvpdf_node *v =
        k < mine->n ? over(a, mine->items[k], cvs->items[i]) : cvs->items[i];
    if (!v)
      return NULL;
    put(out, k < mine->n ? mine->keys[k] : cvs->keys[i], v);
  }
  for (size_t i = 0; out && i < mine->n; i++)
    if (key_index(cvs, mine->keys[i]->str) == cvs->n)
      put(out, mine->keys[i], mine->items[i]);
  return out;
}

int cv_letter_merge(cv_model *m, const cv_limits *limits, int safe,
                    cv_inputs *inputs, cv_diags *d, cv_model **cv_out) {
  *cv_out = NULL;
  cvpdf_node *root = m->root;
  if (!root || root->kind != CVPDF_NODE_MAP)
    return 0;
  int kind = is_letter(root, d);
  if (kind <= 0)
    return kind;
  cv_limits lim;
  if (limits)
    lim = *limits;
  else
    cv_limits_default(&lim);
  const cvpdf_node *cv_at = cv_node_get(root, "cv");
  cv_model *cv =
      cv_at ? load_cv(cv_at, &lim, safe, inputs, &m->arena, d) : NULL;
  if (cv_at && !cv)
    return -1;
  const cvpdf_node *from = cv ? cv->root : NULL;
  cvpdf_node *merged = new_map(&m->arena, root, root->n + cv_node_len(from));
  if (!merged) {
    cv_model_destroy(cv);
    cv_diag_at(d, CV_SEV_ERROR, root, "out of memory reading the letter");
    return -1;
  }
  for (size_t i = 0; i < root->n; i++) {
    const char *key = root->keys[i]->str;
    cvpdf_node *v = root->items[i];
    size_t k = from ? key_index(from, key) : 0;
    if (from && k < from->n && !strcmp(key, "theme"))
      v = over(&m->arena, v, from->items[k]); /* the CV's look, the letter's */
    if (!v) {
      cv_model_destroy(cv);
      cv_diag_at(d, CV_SEV_ERROR, root, "out of memory reading the letter");
      return -1;
    }
    if (strcmp(key, "type") && strcmp(key, "cv"))
      put(merged, root->keys[i], v);
  }
  for (size_t i = 0; from && i < from->n; i++) {
    const char *key = from->keys[i]->str;
    if (!in_list(key, cv_only) && !cv_node_get(root, key))
      put(merged, from->keys[i], from->items[i]);
  }
  m->root = merged;
  *cv_out = cv;
  return 1;
}

/* A scalar at the position of `at`. */
static cvpdf_node *new_scalar(cv_arena *a, const cvpdf_node *at,
                              const char *s) {
  cvpdf_node *n = new_node(a, at, CVPDF_NODE_SCALAR);
  if (!n || !(n->str = cv_arena_strdup(a, s)))
    return NULL;
  n->len = strlen(s);
  return n;
}

int cv_letter_split(cv_model *m, const char *const *keep, cv_diags *d) {
  cvpdf_node *root = m->root;
  cvpdf_node *top = new_map(&m->arena, root, root->n + 1);
  cvpdf_node *sec = new_map(&m->arena, root, root->n + 2);
  cvpdf_node *secs = new_node(&m->arena, root, CVPDF_NODE_SEQ);
  cvpdf_node **item = cv_arena_alloc(&m->arena, sizeof *item);
  cvpdf_node *tk = new_scalar(&m->arena, root, "type");
  cvpdf_node *tv = new_scalar(&m->arena, root, "letter");
  cvpdf_node *sk = new_scalar(&m->arena, root, "sections");
  if (!top || !sec || !secs || !item || !tk || !tv || !sk) {
    cv_diag_at(d, CV_SEV_ERROR, root, "out of memory reading the letter");
    return -1;
  }
  put(sec, tk, tv);
  for (size_t i = 0; i < root->n; i++) {
    const char *key = root->keys[i]->str;
    int stays = strcmp(key, "sections") && in_list(key, keep);
    if (stays)
      put(top, root->keys[i], root->items[i]);
    if (!stays || !strcmp(key, "subject") || !strcmp(key, "name"))
      put(sec, root->keys[i], root->items[i]);
  }
  secs->n = 1;
  secs->items = item;
  item[0] = sec;
  put(top, sk, secs);
  m->root = top;
  return 0;
}
