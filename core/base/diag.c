/* cvpdf - diagnostics list. */
#include "base/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cv_diags_init(cv_diags *d) {
  memset(d, 0, sizeof *d);
}

void cv_diags_fini(cv_diags *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->n; i++) {
    free(d->v[i].file);
    free(d->v[i].msg);
  }
  free(d->v);
  memset(d, 0, sizeof *d);
}

void cv_diags_vadd(cv_diags *d, cv_severity sev, const char *file, int line,
                   int col, const char *fmt, va_list ap) {
  if (!d)
    return;
  /* Errors are counted even when out of memory keeps the text, so a caller
   * never mistakes a failed document for a good one. */
  if (sev == CV_SEV_ERROR)
    d->nerrors++;
  if (cv_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v) < 0)
    return;
  char *msg = cv_vasprintf(fmt, ap);
  char *f = file ? cv_strdup(file) : NULL;
  if (!msg || (file && !f)) {
    free(msg);
    free(f);
    return;
  }
  cv_diag *dg = &d->v[d->n++];
  dg->sev = sev;
  dg->file = f;
  dg->line = line > 0 ? line : 0;
  dg->col = col > 0 ? col : 0;
  dg->msg = msg;
}

void cv_diags_add(cv_diags *d, cv_severity sev, const char *file, int line,
                  int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cv_diags_vadd(d, sev, file, line, col, fmt, ap);
  va_end(ap);
}

void cv_diag_format(const cv_diag *dg, cv_buf *out) {
  if (!dg || !out)
    return;
  if (dg->file && dg->file[0]) {
    cv_buf_puts(out, dg->file);
    if (dg->line > 0) {
      cv_buf_printf(out, ":%d", dg->line);
      if (dg->col > 0)
        cv_buf_printf(out, ":%d", dg->col);
    }
    cv_buf_puts(out, ": ");
  }
  cv_buf_puts(out, dg->sev == CV_SEV_WARNING ? "warning: " : "error: ");
  cv_buf_puts(out, dg->msg ? dg->msg : "");
}
