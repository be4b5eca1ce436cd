/* cvpdf - diagnostics about input: file:line:col, what was expected, what
 * was found.  A list, so `cvpdf check` can report every problem. */
#ifndef CV_DIAG_H
#define CV_DIAG_H

#include "base/util.h"

typedef enum { CV_SEV_ERROR = 0, CV_SEV_WARNING = 1 } cv_severity;

typedef struct cv_diag {
  cv_severity sev;
  char *file;    /* owned */
  int line, col; /* 1-based; 0 when unknown */
  char *msg;     /* owned; no trailing newline */
} cv_diag;

typedef struct cv_diags {
  cv_diag *v;
  size_t n, cap;
  size_t nerrors;
} cv_diags;

void cv_diags_init(cv_diags *d);
void cv_diags_fini(cv_diags *d);
void cv_diags_add(cv_diags *d, cv_severity sev, const char *file, int line,
                  int col, const char *fmt, ...) CV_PRINTF(6, 7);
void cv_diags_vadd(cv_diags *d, cv_severity sev, const char *file, int line,
                   int col, const char *fmt, va_list ap);
/* "file:line:col: error: msg" (position parts left out when unknown). */
void cv_diag_format(const cv_diag *dg, cv_buf *out);

#endif
