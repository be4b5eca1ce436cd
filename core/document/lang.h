/* cvpdf - translated fields: one source in several languages.  Any text
 * field may be a mapping of language tags to text,
 *
 *     title: {en: Research Scientist, de: Wissenschaftlerin}
 *
 * and a list of bullets a mapping of language tags to lists.  This pass
 * runs on the document tree after tags are selected and before
 * validation, so plugins and the schema see plain text. */
#ifndef CV_LANG_H
#define CV_LANG_H

#include "document/model.h"

/* Whether s looks like a language tag of a translated field: a language
 * of two or three lowercase letters, optionally a region or script after
 * '-' or '_' (de, pt-BR, zh-Hans, es_419). */
int cv_lang_key_ok(const char *s);

/* The languages a CV is written in: its `languages:` list (the first is
 * the default a missing translation falls back to), else `language:`
 * alone.  Returns the number of languages put in out (at most cap), after
 * reporting a `languages:` that is not a list of language tags. */
size_t cv_lang_declared(const cvpdf_node *root, const char **out, size_t cap,
                        cv_diags *diags);

/* Replaces every translated field under root (outside `theme:`) by its
 * text in lang, in place.  A mapping is a translated field when every key
 * is a language tag (one of `languages:` when the CV has that list) and
 * every value is text or a list of texts.  A translation missing for lang
 * falls back to the default language (the first of `languages:`, else
 * `language:`), else to the first translation written, with a warning at
 * the field.  lang NULL: the default language.  With all set (check
 * --lang all), a warning for each language of `languages:` (or, without
 * that list, each language any field has) that a field lacks, and the
 * default language is selected.  Returns the number of errors added. */
int cv_lang_apply(cvpdf_node *root, const char *lang, int all, cv_diags *diags);

/* After cv_lang_apply for lang: the CV says it is written in lang alone
 * (`language: lang`, its `languages:` list removed), so the tree written
 * out (convert --lang) renders as that language's CV.  New nodes come
 * from arena.  Returns 0, or -1 when out of memory. */
int cv_lang_settle(cvpdf_node *root, const char *lang, cv_arena *arena);

#endif
