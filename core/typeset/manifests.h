/* cvpdf - font family manifests read into a fontset. */
#ifndef CV_MANIFESTS_H
#define CV_MANIFESTS_H

#include "base/diag.h"
#include "text/text.h"

/* Reads fonts/ manifests (NAME.yaml files: family, regular, bold, italic,
 * bold-italic) of dir into fs. */
int cv_fonts_load_manifests(cv_fontset *fs, const char *dir, cv_diags *diags,
                            cv_status *st);

#endif
