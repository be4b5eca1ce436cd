/* cvpdf - what the BibTeX loader (bibtex.c) and the LaTeX converter
 * (latex.c) share: the state of a conversion, kept by the loader for a
 * whole file so that an unknown command is reported once.  Internal to
 * core/document. */
#ifndef CV_BIBTEX_INT_H
#define CV_BIBTEX_INT_H

#include "document/bibtex.h"

/* Nothing here is part of libcvpdf's interface. */
#pragma GCC visibility push(hidden)

typedef struct cv_tex_ctx {
  cv_diags *diags;
  const char *file;
  int line, col;       /* where the text being converted comes from */
  char warned[32][32]; /* unknown commands already reported */
  int nwarned;
  int math; /* inside $...$ */
} cv_tex_ctx;

/* Converts tex (NULL: empty) to Unicode text in arena, as
 * cv_latex_to_text does, reporting unknown commands at t's position
 * unless t reported them before.  NULL when out of memory. */
char *cv_tex_convert(cv_tex_ctx *t, const char *tex, int verbatim,
                     cv_arena *arena);

#pragma GCC visibility pop

#endif
