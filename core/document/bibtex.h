/* cvpdf - BibTeX files read with libbtparse into document nodes. */
#ifndef CV_BIBTEX_H
#define CV_BIBTEX_H

#include "base/diag.h"
#include "base/files.h"
#include "document/model.h"

/* Reads the BibTeX file at path into a sequence node allocated in arena
 * (see cvpdf_host.load_bibtex for its shape).  Problems are added to diags
 * with the .bib file's positions; `at` positions errors about the file as
 * a whole (missing, unreadable).  Returns NULL on failure.
 *
 * Each entry is a mapping: `key`, `type` (lower case), then its fields by
 * their lower-case BibTeX names in file order, text converted from LaTeX
 * to Unicode (url, doi, eprint and the like only lose braces and escapes).
 * `author` and `editor` are sequences of "First von Last, Jr" names
 * ("others" becomes "et al.").  The standard month macros (jan ... dec)
 * are defined; @string macros apply within their file only.  `date` is
 * normalised to "2021-05" or "2021", and added in that form when the
 * entry has a year and a month but no date.  Entries that do not parse
 * are errors at their '@'; unknown LaTeX commands are warnings (once per
 * command and file), printed without their backslash.
 *
 * Thread-safe: calls into libbtparse are serialised (see bibtex.c). */
const cvpdf_node *cv_bibtex_load(const char *path, const cvpdf_node *at,
                                 cv_arena *arena, cv_diags *diags);
/* Same for the file open at fd (read from its current offset; the caller
 * opened it with cv_input_open and closes it); path names it in nodes and
 * messages. */
const cvpdf_node *cv_bibtex_load_fd(int fd, const char *path,
                                    const cvpdf_node *at, cv_arena *arena,
                                    cv_diags *diags);

/* For the calling thread: read files directly, without first trying each
 * in a child process of its own.  For a process that is itself disposable
 * and may start none (a safe render's child): when the library exits
 * there, the process's parent reports it. */
void cv_bibtex_read_in_process(int yes);

/* Converts LaTeX text (a BibTeX field value) to Unicode text in arena:
 * accents (\'e, {\"o}, \v{c}, \c{c}, ...), letters (\ss, \o, \l, \aa, ...),
 * -- and --- to dashes, `` '' to curly quotes, ~ to a no-break space,
 * escaped specials, $math$ without its dollars, braces removed.  verbatim
 * keeps ~ and dashes (for addresses).  Unknown commands are reported to
 * diags (may be NULL) at file:line:col as warnings, once per command per
 * call.  Returns NULL when out of memory. */
char *cv_latex_to_text(const char *tex, int verbatim, cv_arena *arena,
                       cv_diags *diags, const char *file, int line, int col);
/* s with each $...$ span of LaTeX math in it converted as above (Greek
 * letters and symbols to their characters, ^ and _ to Unicode's
 * superscripts and subscripts where it has them), the rest as written; s
 * itself when it holds no '$'.  A span opens at a '$' followed by a
 * non-space and closes at the next '$' that follows a non-space and is
 * not followed by a digit, so "$5 and $10" stays text.  NULL when out of
 * memory. */
char *cv_latex_math_spans(const char *s, cv_arena *arena, cv_diags *diags,
                          const char *file, int line, int col);

#endif
