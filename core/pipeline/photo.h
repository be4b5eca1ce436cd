/* cvpdf - the CV's photo, read and checked before anything is typeset. */
#ifndef CV_PHOTO_H
#define CV_PHOTO_H

#include "base/files.h"
#include "document/model.h"
#include "typeset/display.h"

/* Reads the photo root's `photo:` names (`photo: me.jpg`, or
 * `photo: {path: me.jpg, alt: ...}`), relative to the CV's directory and,
 * when safe, only from beneath it; the file is recorded in inputs (may be
 * NULL).  *out gets the image (in arena; NULL when the CV has no photo);
 * its alternate text defaults to "Photo of NAME".  Returns 0, or -1 after
 * reporting at the field's line and column why it cannot be used (a
 * wrong shape, a missing or unreadable file, one that is not a JPEG or
 * PNG image, or with CV_IMAGE_PDFA one that PDF/A cannot hold).  A
 * photo given as a web address (http:// or https://) is read from the
 * photo cache or fetched into it (pipeline/fetch.h); one that cannot be
 * had is a warning at the field, and the CV is rendered without it
 * (*out NULL, 0 returned).  flags: the CV_IMAGE_* below. */
enum {
  CV_IMAGE_SAFE = 1,
  CV_IMAGE_PDFA = 2,
  /* A web address (pipeline/fetch.h) is read only from the photo cache. */
  CV_IMAGE_OFFLINE = 4,
  /* A web address is not read at all (--safe). */
  CV_IMAGE_NO_NETWORK = 8,
};
int cv_photo_load(const cvpdf_node *root, unsigned flags, cv_inputs *inputs,
                  cv_arena *arena, cv_diags *d, const cv_image **out);

/* Reads the image file that scalar path names (relative to the file the
 * node came from, beneath its directory with CV_IMAGE_SAFE) with alternate text
 * alt (NULL: none); what names it in messages ("photo", "image").  The
 * same as cv_photo_load otherwise. */
int cv_image_load(const cvpdf_node *path, const char *alt, const char *what,
                  unsigned flags, cv_inputs *inputs, cv_arena *arena,
                  cv_diags *d, const cv_image **out);

#endif
