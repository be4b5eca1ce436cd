/* cvpdf - what --pdfa needs before a render: the sRGB ICC profile of the
 * PDF/A output intent, from a Debian package. */
#ifndef CV_PDFA_H
#define CV_PDFA_H

#include "base/diag.h"
#include "base/util.h"

/* Reads the sRGB profile: $CVPDF_SRGB_PROFILE when set, else the first
 * of icc-profiles-free's (ICC version 2) and colord-data's (version 4).
 * *icc gets its bytes (in arena), *len their number.  Returns 0, or -1
 * after reporting against input what is missing and which package
 * ships it. */
int cv_pdfa_profile(const char *input, cv_arena *arena, cv_diags *d,
                    const unsigned char **icc, size_t *len);

#endif
