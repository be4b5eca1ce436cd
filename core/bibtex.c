/* cvpdf - BibTeX input.  Being written: until then, a clear error. */
#include "bibtex.h"

const cvpdf_node *cv_bibtex_load(const char *path, const cvpdf_node *at,
                                 cv_arena *arena, cv_diags *diags) {
  (void)arena;
  cv_diags_add(diags, CV_SEV_ERROR, at ? at->file : NULL, at ? at->line : 0,
               at ? at->col : 0, "cannot read BibTeX file '%s': not supported yet",
               path);
  return NULL;
}
