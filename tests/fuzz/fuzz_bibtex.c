/* Fuzz target: BibTeX files (libbtparse, then our name splitting and
 * LaTeX-to-Unicode conversion).  The bytes are written to a temporary file
 * because the reader takes a path; the LaTeX converter also gets them
 * directly. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document/bibtex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libbtparse leaks the empty value of an undefined @string macro; that
 * leak is the library's, not ours (as in tests/test_bibtex.c). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
  return "leak:bt_postprocess_value\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 16384)
    return 0;
  cv_arena arena;
  cv_arena_init(&arena);
  cv_diags d;
  cv_diags_init(&d);
  /* The converter takes a NUL-terminated value. */
  char *tex = cv_strndup((const char *)data, size);
  if (tex && !memchr(data, '\0', size))
    (void)cv_latex_to_text(tex, (int)(size & 1), &arena, &d, "fuzz.bib", 1, 1);
  free(tex);
  char path[64];
  snprintf(path, sizeof path, "/tmp/cvpdf-fuzz-%ld.bib", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (f) {
    int ok = fwrite(data, 1, size, f) == size;
    if (fclose(f) == 0 && ok) {
      const cvpdf_node *n = cv_bibtex_load(path, NULL, &arena, &d);
      if (!n && d.nerrors == 0)
        abort(); /* a failed load must say why */
    }
    unlink(path);
  }
  cv_diags_fini(&d);
  cv_arena_fini(&arena);
  return 0;
}
