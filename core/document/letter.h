/* cvpdf - letters: a document with `type: letter` at its top.  Its header
 * (name, headline, contact items, photo) and its layout come from the CV
 * it names (`cv: cv.yaml`, relative to the letter) unless it gives them
 * itself; its own fields (recipient, date, subject, body, ...) become one
 * section of type `letter`, which the letter plugin sets. */
#ifndef CV_LETTER_H
#define CV_LETTER_H

#include "base/files.h"
#include "document/model.h"

/* When m's top level has `type: letter`: reads the CV its `cv:` names
 * (relative to the letter's file; with safe, only from beneath its
 * directory; the file recorded in inputs), and makes m's root the letter's
 * keys, less `type` and `cv`, followed by the CV's top-level keys the
 * letter does not give, less the CV's sections and PDF information
 * (title, subject, keywords); a `theme:` in both is the CV's with the
 * letter's over it, mapping by mapping.  The CV's nodes keep their own file,
 * line and column; *cv_out gets its model (the caller destroys it after m), or
 * NULL.  Returns 1 for a letter, 0 for any other document (left as it
 * is), -1 after reporting at its position a `type:` other than letter, a
 * `cv:` that is no text or cannot be read, or a CV that is a letter. */
int cv_letter_merge(cv_model *m, const cv_limits *limits, int safe,
                    cv_inputs *inputs, cv_diags *d, cv_model **cv_out);

/* Moves the letter's own fields (every top-level key not in keep, a
 * NULL-terminated list: core's keys and the header's fields; `subject`,
 * also the PDF's subject, and `name`, the signature's, are copied) into a
 * section `type: letter`,
 * the one item of `sections`, placed at the top level's position.
 * Returns 0, or -1 when out of memory (reported). */
int cv_letter_split(cv_model *m, const char *const *keep, cv_diags *d);

#endif
