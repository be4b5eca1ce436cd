/* Test plugin for tests/test_plugin_host.c.  Built by the test itself; the
 * macros below make variants of it from the same source:
 *   GOOD_NAME, GOOD_TYPE_A, GOOD_TYPE_B   plugin name and its two types
 *   GOOD_INIT_FAILS                       init returns 7
 *   GOOD_NO_BUILD                         descriptor without build
 *   GOOD_INIT_MSG                         init_msg (ABI 1.2) fails saying
 *                                         why; init is set too, unused
 *   GOOD_TYPE_SIZE=N                      type_size N (a stride no header
 *                                         makes, to be refused)
 *   GOOD_FUTURE                           declarations as a later ABI may
 *                                         make them: each struct larger by
 *                                         a trailing member, with options
 *                                         and words
 * init and fini append a line to the file named by $CVPDF_TEST_MARKER, so
 * the test sees that they ran, in which order, and with which state. */
/* Part of the cvpdf tree: the umbrella header is not needed to test the ABI. */
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

#include <stdio.h>
#include <stdlib.h>

#ifndef GOOD_NAME
#define GOOD_NAME "good"
#endif
#ifndef GOOD_TYPE_A
#define GOOD_TYPE_A "alpha"
#endif
#ifndef GOOD_TYPE_B
#define GOOD_TYPE_B "beta"
#endif

#define GOOD_MAGIC 0x600du

typedef struct good_state {
  unsigned magic;
} good_state;

static void mark(const char *what) {
  const char *file = getenv("CVPDF_TEST_MARKER");
  if (!file)
    return;
  FILE *f = fopen(file, "a");
  if (!f)
    return;
  fprintf(f, "%s %s\n", what, GOOD_NAME);
  fclose(f);
}

static int good_init(const cvpdf_host *host, void **state) {
  mark("init");
#ifdef GOOD_INIT_FAILS
  (void)host;
  (void)state;
  return 7;
#else
  if (!host || host->abi_major != CVPDF_ABI_MAJOR)
    return 2;
  good_state *s = malloc(sizeof *s);
  if (!s)
    return 3;
  s->magic = GOOD_MAGIC;
  *state = s;
  return 0;
#endif
}

static void good_fini(void *state) {
  good_state *s = state;
  mark(s && s->magic == GOOD_MAGIC ? "fini" : "fini-bad-state");
  free(s);
}

#ifndef GOOD_NO_BUILD
static int good_build(void *state, const cvpdf_host *host, cvpdf_builder *b,
                      const char *type, const cvpdf_node *section) {
  (void)state;
  (void)host;
  (void)b;
  (void)type;
  (void)section;
  return 0;
}
#endif

#ifdef GOOD_INIT_MSG
static int good_init_msg(const cvpdf_host *host, void **state, char *msg,
                         size_t msg_size) {
  (void)host;
  (void)state;
  mark("init_msg");
  snprintf(msg, msg_size, "no licence file in %s\nsecond line", "/nowhere");
  return 5;
}
#endif

#ifdef GOOD_FUTURE
/* A later ABI's structs: these ones and a member more at the end.  The
 * host reads the arrays with the strides the descriptor gives. */
typedef struct future_field {
  cvpdf_field f;
  const char *later;
} future_field;
typedef struct future_option {
  cvpdf_option o;
  const char *later;
} future_option;
typedef struct future_type {
  cvpdf_section_type t;
  const char *later;
} future_type;

static const future_field inner_fields[] = {
    {{.name = "when", .type = CVPDF_FIELD_DATE, .doc = "a date"}, "x"},
    {{.name = NULL}, NULL}};
static const future_field good_fields[] = {
    {{.name = "text", .type = CVPDF_FIELD_STRING, .doc = "some text"}, "x"},
    {{.name = "items",
      .type = CVPDF_FIELD_LIST,
      .doc = "things",
      .children = &inner_fields[0].f},
     "x"},
    {{.name = NULL}, NULL}};
static const char *const shape_values[] = {"round", "square", NULL};
static const future_option good_options[] = {
    {{.name = "shape", .doc = "a shape", .values = shape_values}, "x"},
    {{.name = "size", .doc = "any size"}, "x"},
    {{.name = NULL}, NULL}};
static const char *const good_words[] = {"hello", "world", NULL};
static const future_type future_types[] = {
    {{.name = GOOD_TYPE_A,
      .doc = "first test type",
      .fields = &good_fields[0].f,
      .options = &good_options[0].o,
      .words = good_words},
     "x"},
    {{.name = GOOD_TYPE_B, .doc = "second test type"}, "x"},
    {{.name = NULL}, NULL}};
#define GOOD_TYPES (&future_types[0].t)
#else
static const cvpdf_field good_fields[] = {
    {.name = "text", .type = CVPDF_FIELD_STRING, .doc = "some text"},
    {.name = NULL}};

static const cvpdf_section_type good_types[] = {
    {.name = GOOD_TYPE_A, .doc = "first test type", .fields = good_fields},
    {.name = GOOD_TYPE_B, .doc = "second test type", .fields = good_fields},
    {.name = NULL}};
#define GOOD_TYPES good_types
#endif

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER,
    .name = GOOD_NAME,
    .version = "1.0",
    .types = GOOD_TYPES,
    .init = good_init,
#ifndef GOOD_NO_BUILD
    .build = good_build,
#endif
    .fini = good_fini,
#ifdef GOOD_INIT_MSG
    .init_msg = good_init_msg,
#endif
#ifdef GOOD_TYPE_SIZE
    .type_size = GOOD_TYPE_SIZE,
#endif
#ifdef GOOD_FUTURE
    .type_size = sizeof(future_type),
    .field_size = sizeof(future_field),
    .option_size = sizeof(future_option),
#endif
};
