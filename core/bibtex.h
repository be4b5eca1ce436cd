/* cvpdf - BibTeX files read with libbtparse into document nodes. */
#ifndef CV_BIBTEX_H
#define CV_BIBTEX_H

#include "diag.h"
#include "model.h"

/* Reads the BibTeX file at path into a sequence node allocated in arena
 * (see cvpdf_host.load_bibtex for its shape).  Problems are added to diags
 * with the .bib file's positions; `at` positions errors about the file as
 * a whole.  Returns NULL on failure. */
const cvpdf_node *cv_bibtex_load(const char *path, const cvpdf_node *at,
                                 cv_arena *arena, cv_diags *diags);

#endif
