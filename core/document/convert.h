/* cvpdf - other input formats (JSON Resume, RenderCV) turned into cvpdf's
 * own document tree, so the same plugins render them and errors still
 * point into the user's file. */
#ifndef CV_CONVERT_H
#define CV_CONVERT_H

#include "document/model.h"

typedef enum {
  CV_FORMAT_NATIVE = 0,
  CV_FORMAT_JSONRESUME,
  CV_FORMAT_RENDERCV
} cv_format;

/* The format of a loaded document, from its top-level keys: `basics`
 * without cvpdf's `name`/`sections` is JSON Resume; `cv` without them is
 * RenderCV; anything else is cvpdf's own. */
cv_format cv_convert_detect(const cvpdf_node *root);

/* Name of a format for messages: "JSON Resume", "RenderCV", "cvpdf". */
const char *cv_format_name(cv_format f);

/* When m holds JSON Resume or RenderCV, replaces m->root with the
 * equivalent cvpdf document.  The new tree lives in m's arena; every node
 * carries the file, line and column of the source node it came from.
 * cvpdf's own documents are left as they are.  Returns 0, or -1 after
 * adding errors (each at its position) to diags; warnings (a value left
 * out) may be added on success. */
int cv_convert_to_native(cv_model *m, cv_diags *diags);
/* The same, with font_ok telling whether a font family a RenderCV design
 * names is installed (one that is not is a warning and left out). */
int cv_convert_to_native_fonts(cv_model *m, cv_diags *diags,
                               int (*font_ok)(const char *family));

#endif
