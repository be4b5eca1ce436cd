/* cvpdf - a plugin's declarations copied into this host's layout. */
#include "pipeline/plugin_decl.h"

#include <stdalign.h>
#include <string.h>

/* Element sizes of ABI 1.1, before the strides existed: a plugin whose
 * descriptor has no stride members was built with these. */
#define TYPE_SIZE_1_1 (offsetof(cvpdf_section_type, fields) + sizeof(void *))
#define FIELD_SIZE_1_1 sizeof(cvpdf_field)
/* Sizes of ABI 1.2, which a stride of 0 stands for. */
#define TYPE_SIZE_1_2 (offsetof(cvpdf_section_type, styles) + sizeof(void *))
#define FIELD_SIZE_1_2 sizeof(cvpdf_field)
#define OPTION_SIZE_1_2 (offsetof(cvpdf_option, values) + sizeof(void *))

/* Fields nest (an entry's projects' items ...): deeper than this, or more
 * fields than that in all, is a declaration gone wrong (a cycle). */
#define MAX_DEPTH 16
#define MAX_DECLS 4096

typedef struct reader {
  const char *path, *plugin;
  size_t type_size, field_size, option_size;
  cv_arena *a;
  cv_status *st;
  size_t count; /* elements read so far, against MAX_DECLS */
} reader;

static int too_many(reader *r) {
  if (++r->count <= MAX_DECLS)
    return 0;
  cv_status_set(r->st,
                "'%s' (plugin '%s') declares more than %d fields, options "
                "and types (a declaration that never ends?)",
                r->path, r->plugin, MAX_DECLS);
  return 1;
}

/* The plugin's array at base, of elements `stride` bytes apart that end at
 * one whose first member (the name in each declaration struct) is NULL,
 * copied into an array of this host's `full`-byte elements: the first
 * min(stride, full) bytes of each, the rest zero, the end element too.
 * NULL after setting st. */
static void *copy_array(reader *r, const void *base, size_t stride,
                        size_t full) {
  const char *p = base;
  size_t n = 0;
  for (;; n++) {
    const char *name;
    memcpy(&name, p + n * stride, sizeof name);
    if (!name)
      break;
    if (too_many(r))
      return NULL;
  }
  char *out = cv_arena_alloc_n(r->a, n + 1, full);
  if (!out) {
    cv_status_set(r->st, "out of memory loading plugin '%s'", r->path);
    return NULL;
  }
  memset(out, 0, (n + 1) * full);
  for (size_t i = 0; i < n; i++)
    memcpy(out + i * full, p + i * stride, stride < full ? stride : full);
  return out;
}

static const cvpdf_field *copy_fields(reader *r, const cvpdf_field *f,
                                      int depth) {
  if (depth > MAX_DEPTH) {
    cv_status_set(r->st,
                  "'%s' (plugin '%s') nests fields more than %d deep (do "
                  "its children lead back to themselves?)",
                  r->path, r->plugin, MAX_DEPTH);
    return NULL;
  }
  cvpdf_field *out = copy_array(r, f, r->field_size, sizeof *out);
  for (size_t i = 0; out && out[i].name; i++)
    if (out[i].children &&
        !(out[i].children = copy_fields(r, out[i].children, depth + 1)))
      return NULL;
  return out;
}

/* A stride below the oldest layout, or not a multiple of a pointer's
 * alignment, was not made by sizeof: reading with it would go astray. */
static int bad_stride(reader *r, const char *what, size_t got, size_t least) {
  if (got >= least && got % alignof(void *) == 0 && got <= 4096)
    return 0;
  cv_status_set(r->st,
                "'%s' (plugin '%s') gives %s %zu, which no cvpdf header "
                "makes (at least %zu, a multiple of %zu); build it with "
                "CVPDF_PLUGIN_HEADER",
                r->path, r->plugin, what, got, least, alignof(void *));
  return 1;
}

static int strides(reader *r, const cvpdf_plugin *d) {
  r->type_size = TYPE_SIZE_1_1;
  r->field_size = FIELD_SIZE_1_1;
  r->option_size = OPTION_SIZE_1_2; /* unused before 1.2 */
  if (!CV_DESC_HAS(d, option_size))
    return 0;
  r->type_size = d->type_size ? d->type_size : TYPE_SIZE_1_2;
  r->field_size = d->field_size ? d->field_size : FIELD_SIZE_1_2;
  r->option_size = d->option_size ? d->option_size : OPTION_SIZE_1_2;
  return bad_stride(r, "type_size", r->type_size, TYPE_SIZE_1_1) ||
         bad_stride(r, "field_size", r->field_size, FIELD_SIZE_1_1) ||
         bad_stride(r, "option_size", r->option_size, OPTION_SIZE_1_2);
}

const cvpdf_section_type *cv_plugin_decls(const cvpdf_plugin *d,
                                          const char *path, cv_arena *a,
                                          cv_status *st) {
  reader r = {.path = path, .plugin = d->name, .a = a, .st = st};
  if (strides(&r, d))
    return NULL;
  cvpdf_section_type *out = copy_array(&r, d->types, r.type_size, sizeof *out);
  for (size_t i = 0; out && out[i].name; i++)
    if ((out[i].fields &&
         !(out[i].fields = copy_fields(&r, out[i].fields, 0))) ||
        (out[i].options &&
         !(out[i].options = copy_array(&r, out[i].options, r.option_size,
                                       sizeof(cvpdf_option)))))
      return NULL;
  return out;
}
