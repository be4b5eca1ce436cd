/* cvpdf - the document model: a YAML file read with libyaml into a tree in
 * which every node keeps its file, line and column. */
#ifndef CV_MODEL_H
#define CV_MODEL_H

#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

#include "base/diag.h"
#include "base/files.h"
#include "base/util.h"

struct cvpdf_node {
  cvpdf_node_kind kind;
  const char *file; /* borrowed from the model */
  int line, col;    /* 1-based */
  /* SCALAR: text (NUL-terminated UTF-8, len bytes); quoted != 0 when it
   * was written in quotes or as a block scalar (so "2021" stays a string). */
  char *str;
  size_t len;
  int quoted;
  /* SEQ: n items.  MAP: n pairs, keys[i] (scalars) -> items[i]. */
  size_t n;
  struct cvpdf_node **items;
  struct cvpdf_node **keys;
  /* SCALAR: the language its text is in when a translated field printed
   * it from another language than the document's (a missing translation,
   * document/lang.c); NULL otherwise. */
  const char *lang;
};

typedef struct cv_limits {
  size_t max_input_bytes;  /* default 16 MiB */
  size_t max_depth;        /* default 64 */
  size_t max_nodes;        /* default 1,000,000: bounds alias expansion */
  size_t max_string_bytes; /* default 1 MiB */
} cv_limits;

void cv_limits_default(cv_limits *l);

typedef struct cv_model {
  cv_arena arena; /* every node and string */
  char *file;     /* as given; owned */
  cvpdf_node *root;
} cv_model;

/* Reads and parses a YAML (or JSON, a YAML subset) file.  On failure returns
 * NULL and adds positioned diagnostics to diags.  limits may be NULL. */
cv_model *cv_model_load_file(const char *path, const cv_limits *limits,
                             cv_diags *diags);
/* Same, recording the file in seen (may be NULL): see files.h. */
cv_model *cv_model_load_input(const char *path, const cv_limits *limits,
                              cv_inputs *seen, cv_diags *diags);
/* Same for a buffer; name is used in diagnostics. */
cv_model *cv_model_load_buffer(const char *name, const char *data, size_t len,
                               const cv_limits *limits, cv_diags *diags);
void cv_model_destroy(cv_model *m);

/* The one way to report a problem at a node: its file:line:column (none
 * for a NULL node) and the message. */
void cv_diag_at(cv_diags *d, cv_severity sev, const cvpdf_node *at,
                const char *fmt, ...) CV_PRINTF(4, 5);
void cv_diag_vat(cv_diags *d, cv_severity sev, const cvpdf_node *at,
                 const char *fmt, va_list ap);

/* Tree access (all NULL-safe). */
const cvpdf_node *cv_node_get(const cvpdf_node *map, const char *key);
const char *cv_node_str(const cvpdf_node *n);
const char *cv_node_get_str(const cvpdf_node *map, const char *key);
size_t cv_node_len(const cvpdf_node *n);
const cvpdf_node *cv_node_at(const cvpdf_node *n, size_t i);
/* Key node of pair i of a mapping (for positions of keys). */
const cvpdf_node *cv_node_key_at(const cvpdf_node *map, size_t i);
/* Value node of pair i of a mapping. */
static inline const cvpdf_node *cv_node_value_at(const cvpdf_node *map,
                                                 size_t i) {
  return map && map->kind == CVPDF_NODE_MAP && i < map->n ? map->items[i]
                                                          : NULL;
}
/* Scalar truth: 1 for true/yes/on, 0 for false/no/off, -1 otherwise. */
int cv_node_bool(const cvpdf_node *n);
/* "a scalar", "a mapping", "a sequence" for messages. */
const char *cv_node_kind_name(const cvpdf_node *n);

#endif
