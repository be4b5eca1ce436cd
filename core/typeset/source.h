/* cvpdf - where the builder's text came from.  Plugins hand the builder
 * strings, not nodes; when something in a string must be reported (a link
 * the PDF may not hold, a title too long for it), the node is found again
 * under the section being built, or in a BibTeX file it loaded. */
#ifndef CV_SOURCE_H
#define CV_SOURCE_H

#include "document/model.h"

#define CV_SOURCE_MAX_EXTRA 16

typedef struct cv_source {
  const cvpdf_node *root; /* the section (or the CV's top level) */
  const cvpdf_node *extra[CV_SOURCE_MAX_EXTRA]; /* BibTeX trees it loaded */
  size_t nextra;
  /* What was reported already: "position text" keys, so text set twice
   * (a paragraph shaped again to hyphenate it) is reported once. */
  char **said;
  size_t nsaid, capsaid;
} cv_source;

void cv_source_init(cv_source *s);
void cv_source_fini(cv_source *s);
/* A new section: the node its strings come from (borrowed). */
void cv_source_set(cv_source *s, const cvpdf_node *root);
/* A tree the section loaded (borrowed; ignored past CV_SOURCE_MAX_EXTRA). */
void cv_source_add(cv_source *s, const cvpdf_node *tree);
/* The scalar whose text holds `text` under root and the loaded trees
 * (the field a link or title came from); else root itself; NULL before
 * any section. */
const cvpdf_node *cv_source_find(const cv_source *s, const char *text);
/* The language of the scalar under root and the loaded trees whose text
 * is `text` whole, when a translated field printed it from another
 * language than the document's (cvpdf_node's lang); else NULL. */
const char *cv_source_lang(const cv_source *s, const char *text);
/* 1 the first time `text` is reported at node at, 0 after that. */
int cv_source_first(cv_source *s, const cvpdf_node *at, const char *text);

#endif
