/* cvpdf - the written file made compact: every object that is not a
 * stream (the structure tree's elements above all: a tagged CV has
 * hundreds) goes into compressed object streams (PDF 1.5), through
 * libqpdf.  The file also gets its /ID, made from its content, so the
 * same document gives the same bytes. */
#define _POSIX_C_SOURCE 200809L

#include "output/pdf_int.h"

#include <qpdf/qpdf-c.h>

static int qpdf_failed(qpdf_data q, cv_status *st, const char *what) {
  const char *why = "";
  if (qpdf_has_error(q)) {
    qpdf_error e = qpdf_get_error(q);
    why = e ? qpdf_get_error_full_text(q, e) : "";
  }
  cv_status_set(st, "pdf: cannot %s (%s)", what, why);
  return -1;
}

int cv_pdf_compact(const void *pdf, size_t len, cv_buf *out, cv_status *st) {
  qpdf_data q = qpdf_init();
  if (!q) {
    cv_status_set(st, "pdf: out of memory");
    return -1;
  }
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  int rc = 0;
  if (qpdf_read_memory(q, "cvpdf", pdf, len, NULL) & QPDF_ERRORS) {
    rc = qpdf_failed(q, st, "read back the document");
  } else if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
    rc = qpdf_failed(q, st, "write the document");
  } else {
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    qpdf_set_stream_data_mode(q, qpdf_s_preserve);
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS)
      rc = qpdf_failed(q, st, "write the document");
    else
      cv_buf_put(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
  }
  qpdf_cleanup(&q);
  if (rc == 0 && out->failed) {
    cv_status_set(st, "pdf: out of memory");
    rc = -1;
  }
  return rc;
}
