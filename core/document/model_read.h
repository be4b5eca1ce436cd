/* cvpdf - what the YAML reader (model.c) and the JSON reader
 * (model_json.c) share: positions in the raw text, the limits' messages
 * and the duplicate-key check, so both formats report alike.  Internal to
 * core/document. */
#ifndef CV_MODEL_READ_H
#define CV_MODEL_READ_H

#include "document/model.h"

/* The limits' messages: a JSON Resume and a YAML CV that break a limit
 * read the same. */
#define CV_MSG_DEPTH                                                           \
  "expected at most %zu levels of nesting, found more; raise the limit "       \
  "with --max-depth"
#define CV_MSG_STRING                                                          \
  "expected a string of at most %zu bytes, found %zu; raise the limit with "   \
  "--max-string"
#define CV_MSG_NUL                                                             \
  "expected text, found a NUL character (an escaped \\0 or \\u0000); remove "  \
  "it"

/* Length of the line break at s (0 when none), as libyaml counts breaks:
 * LF, CR, CR LF, NEL, LS, PS. */
size_t cv_model_break_len(const unsigned char *s, size_t n);

/* A cursor that turns byte offsets into 1-based line and column (columns
 * in characters, as libyaml counts them).  Offsets asked for in increasing
 * order cost linear time in all. */
typedef struct cv_textpos {
  const char *data;
  size_t len;
  size_t off; /* the cursor's byte offset */
  int line, col;
} cv_textpos;

void cv_textpos_init(cv_textpos *p, const char *data, size_t len);
/* Moves to byte offset off (clamped to the text; moving back restarts from
 * the beginning). */
void cv_textpos_seek(cv_textpos *p, size_t off);

/* Reports every key of a mapping that repeats an earlier one, at its
 * position.  Returns how many, or -1 when out of memory (reported). */
int cv_model_check_duplicates(cv_diags *d, const char *file, cvpdf_node **keys,
                              size_t n);

/* Whether a document named `name` is read as JSON rather than YAML (its
 * name ends in .json). */
int cv_model_is_json(const char *name);

/* What a reader of either format reads and where it puts what it finds:
 * the YAML loader sets it up and hands it to the JSON reader as is. */
typedef struct cv_read_in {
  const char *data; /* the text, without a byte order mark */
  size_t len;
  const char *file; /* the model's name for the input */
  cv_limits lim;
  cv_arena *arena; /* the model's: every node and string */
  cv_diags *diags;
} cv_read_in;

/* Reads JSON text (UTF-8 checked already, no byte order mark) into a tree
 * in in->arena, with the positions and limits of the YAML reader.  NULL
 * after adding positioned errors to in->diags. */
cvpdf_node *cv_model_read_json(const cv_read_in *in);

#endif
