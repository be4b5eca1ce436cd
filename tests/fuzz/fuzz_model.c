/* Fuzz target for core/document/model.c, model_json.c and schema.c.  Built with
 * -fsanitize=fuzzer it is a libFuzzer target; with -DCV_FUZZ_REPLAY it gets a
 * main() that runs the files (or directories of files) given on the
 * command line, so the corpus also runs under `meson test`. */
#define _POSIX_C_SOURCE 200809L
#include "document/schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const cvpdf_field item_fields[] = {
    {"name", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "Name", NULL},
    {"url", CVPDF_FIELD_URL, 0, "Link", NULL},
    {NULL, 0, 0, NULL, NULL}};

static const cvpdf_field fields[] = {
    {"name", CVPDF_FIELD_STRING, CVPDF_FIELD_REQUIRED, "Name", NULL},
    {"tags", CVPDF_FIELD_STRING, CVPDF_FIELD_ONE_OR_MORE, "Tags", NULL},
    {"year", CVPDF_FIELD_INT, 0, "Year", NULL},
    {"ok", CVPDF_FIELD_BOOL, 0, "Flag", NULL},
    {"start", CVPDF_FIELD_DATE, 0, "Start", NULL},
    {"list", CVPDF_FIELD_LIST, 0, "Strings", NULL},
    {"items", CVPDF_FIELD_LIST, CVPDF_FIELD_STRING_ITEMS, "Items", item_fields},
    {"sub", CVPDF_FIELD_MAP, 0, "Sub", fields},
    {"dict", CVPDF_FIELD_DICT, 0, "Dict", NULL},
    {NULL, 0, 0, NULL, NULL}};

/* Visits every node through the accessors.  Shared (aliased) nodes are
 * visited once per reference; max_nodes bounds that. */
static size_t walk(const cvpdf_node *n, size_t depth) {
  size_t count = 1;
  if (!n || depth > 1000)
    return count;
  switch (n->kind) {
  case CVPDF_NODE_SCALAR:
    if (cv_node_str(n) && strlen(n->str) > n->len)
      abort(); /* the text must end at len */
    (void)cv_node_bool(n);
    break;
  case CVPDF_NODE_SEQ:
    for (size_t i = 0; i < cv_node_len(n); i++)
      count += walk(cv_node_at(n, i), depth + 1);
    break;
  case CVPDF_NODE_MAP:
    for (size_t i = 0; i < n->n; i++) {
      const cvpdf_node *k = cv_node_key_at(n, i);
      if (!k || k->kind != CVPDF_NODE_SCALAR || k->line < 1 || k->col < 1)
        abort();
      (void)cv_node_get(n, cv_node_str(k));
      count += walk(n->items[i], depth + 1);
    }
    break;
  default:
    abort();
  }
  return count;
}

/* Reads the input as YAML, then as JSON (the name chooses the reader). */
static void one(const char *name, const uint8_t *data, size_t size) {
  cv_diags d;
  cv_diags_init(&d);
  cv_limits lim;
  cv_limits_default(&lim);
  lim.max_nodes = 100000; /* keeps each run fast */
  cv_model *m = cv_model_load_buffer(name, (const char *)data, size, &lim, &d);
  if (m) {
    walk(m->root, 0);
    cv_schema_validate(m->root, fields, NULL, "fuzz entry", &d);
    if (m->root->kind == CVPDF_NODE_SCALAR) {
      cv_date dt;
      (void)cv_date_parse(m->root->str, &dt);
    }
  } else if (d.nerrors == 0) {
    abort(); /* a failed load must say why */
  }
  cv_buf b;
  cv_buf_init(&b);
  for (size_t i = 0; i < d.n; i++) {
    cv_buf_reset(&b);
    cv_diag_format(&d.v[i], &b);
  }
  cv_buf_fini(&b);
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  one("fuzz.yaml", data, size);
  one("fuzz.json", data, size);
  return 0;
}
