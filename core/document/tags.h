/* cvpdf - tagged variants: one source, several CVs.  Any item of a list
 * that is a mapping (a section, an entry, a group) may carry `tags:`, and a
 * bullet may be written {text: ..., tags: [...]}.  This pass runs on the
 * document tree after loading and before validation, so plugins never see
 * tags. */
#ifndef CV_TAGS_H
#define CV_TAGS_H

#include "document/model.h"

/* Applies the tag selection to the tree under root, in place:
 * - with only == NULL (no selection), every item is kept;
 * - with only (NULL-terminated tag names), an item whose tags name none of
 *   them is removed from its list; untagged items are always kept; tags
 *   compare without regard to ASCII case;
 * - every `tags` key of a mapping that is a list item is removed, and a
 *   bullet {text: T, tags: [...]} is replaced by T;
 * - a section (an item of the top-level `sections`) all of whose lists the
 *   selection emptied is removed, so no heading is left without content.
 * A `tags` value that is not a word or a list of words is an error at its
 * position; a selected tag that no item carries is a warning (with "did you
 * mean").  Returns the number of errors added to diags. */
int cv_tags_apply(cvpdf_node *root, const char *const *only, cv_diags *diags);

#endif
