/* cvpdf - where a render's results go: the page tee that feeds the PDF
 * writer and the trace while the builder delivers pages, and the files
 * written at the end through the atomic-file module (or handed to the
 * parent of a sandboxed render). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/atomic.h"
#include "output/trace.h"
#include "pipeline/render_int.h"

/* Writes the PDF through the atomic-file module: whatever fails, the
 * output holds the previous file or the complete new one, and no input of
 * the run is ever replaced. */
static int write_pdf(cv_pdf *pdf, const cv_docinfo *info, const char *out,
                     const cv_inputs *inputs, cv_diags *d, size_t *bytes) {
  cv_status st = {0};
  cv_atomic a;
  struct stat sb;
  int rc = cv_atomic_begin(&a, out, 0, inputs, "the PDF", &st);
  if (rc == 0 && (rc = cv_pdf_save_fd(pdf, info, a.fd, &st)) < 0)
    cv_atomic_abort(&a);
  if (rc == 0) {
    *bytes = fstat(a.fd, &sb) == 0 ? (size_t)sb.st_size : 0;
    rc = cv_atomic_commit(&a, &st);
  }
  if (rc != 0)
    cv_diags_add(d, CV_SEV_ERROR, out, 0, 0, "%s", st.msg);
  return rc;
}

/* The trace's text to path, or to standard output for "-". */
static int write_trace_text(const cv_buf *buf, const char *path,
                            const cv_inputs *inputs, cv_diags *d) {
  cv_status st = {0};
  int rc = 0;
  const char *data = buf->data ? buf->data : "";
  if (!strcmp(path, "-")) {
    if (fwrite(data, 1, buf->len, stdout) != buf->len || fflush(stdout) != 0) {
      cv_status_set(&st, "cannot write the trace to standard output: %s",
                    strerror(errno));
      rc = -1;
    }
  } else {
    rc = cv_atomic_write(path, 0, inputs, "the trace", data, buf->len, &st);
  }
  if (rc != 0)
    cv_diags_add(d, CV_SEV_ERROR, strcmp(path, "-") ? path : NULL, 0, 0, "%s",
                 st.msg);
  return rc;
}

static int write_trace(const cv_docout *doc, const char *path,
                       const cv_inputs *inputs, cv_diags *d) {
  cv_buf buf;
  cv_buf_init(&buf);
  cv_status st = {0};
  int rc = cv_trace_write(doc, &buf, &st);
  if (rc == 0)
    rc = write_trace_text(&buf, path, inputs, d);
  else
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  cv_buf_fini(&buf);
  return rc;
}

/* Before any work: the outputs may not replace a file read so far (the
 * CV, layout files) nor anything but a regular file.  Checked again, with
 * BibTeX files too, when each is written. */
int cv_check_outputs(const char *pdf, const char *trace,
                     const cv_inputs *inputs, cv_diags *d) {
  cv_status st = {0};
  if (pdf && strcmp(pdf, "/dev/null") && cv_output_check(pdf, inputs, &st) < 0)
    cv_diags_add(d, CV_SEV_ERROR, pdf, 0, 0, "%s", st.msg);
  cv_status ts = {0};
  if (trace && strcmp(trace, "-") && cv_output_check(trace, inputs, &ts) < 0)
    cv_diags_add(d, CV_SEV_ERROR, trace, 0, 0, "%s", ts.msg);
  return st.failed || ts.failed ? -1 : 0;
}

/* The finished files go to the outlet when there is one (the sandboxed
 * child of a safe render, which checks them against the files it read and
 * leaves the writing to its parent), else to the file system. */
int cv_put_trace(const cv_render_opts *o, const cv_docout *doc,
                 const cv_inputs *inputs, cv_diags *d) {
  if (!o->outlet)
    return write_trace(doc, o->trace, inputs, d);
  if (cv_check_outputs(NULL, o->trace, inputs, d) < 0)
    return -1;
  return o->outlet->trace(o->outlet->ud, doc, d);
}

int cv_put_pdf(const cv_render_opts *o, cv_pdf *pdf, const cv_docinfo *info,
               const char *out, const cv_inputs *inputs, cv_diags *d,
               size_t *bytes) {
  if (!o->outlet)
    return write_pdf(pdf, info, out, inputs, d, bytes);
  if (cv_check_outputs(out, NULL, inputs, d) < 0)
    return -1;
  return o->outlet->pdf(o->outlet->ud, pdf, info, d);
}

int cv_render_write_made(const cv_render_opts *o, const cv_buf *trace,
                         const char *out, const void *pdf, size_t len,
                         cv_diags *d, size_t *bytes) {
  if (o->trace && write_trace_text(trace, o->trace, NULL, d) < 0)
    return -1;
  if (!out)
    return 0;
  cv_status st = {0};
  cv_pdf *made = cv_pdf_made(pdf, len, &st);
  if (!made) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
    return -1;
  }
  int rc = write_pdf(made, NULL, out, NULL, d, bytes);
  cv_pdf_free(made);
  return rc;
}

static int tee_page(void *ud, const cv_page *pg, cv_status *st) {
  page_tee *tee = ud;
  if (++tee->pages > tee->max_pages) {
    /* The render has failed: the builder stops setting text now rather
     * than after the whole document. */
    cv_diags_add(tee->diags, CV_SEV_ERROR, tee->file, 0, 0,
                 "expected at most %zu pages, found more; nothing was "
                 "written (raise the limit with --max-pages)",
                 tee->max_pages);
    cv_status_reported(st);
    return -1;
  }
  double t0 = cv_now();
  int rc = 0;
  if (tee->pdf)
    rc = cv_pdf_page(tee->pdf, pg, st);
  if (rc == 0 && tee->doc)
    rc = cv_docout_sink(tee->doc).page(tee->doc, pg, st);
  tee->t += cv_now() - t0;
  return rc;
}

static int tee_margin(void *ud, size_t index, const cv_page *items,
                      cv_status *st) {
  page_tee *tee = ud;
  if (tee->pages > tee->max_pages)
    return 0;
  double t0 = cv_now();
  int rc = 0;
  if (tee->pdf)
    rc = cv_pdf_margin(tee->pdf, tee->base + index, items, st);
  if (rc == 0 && tee->doc)
    rc = cv_docout_sink(tee->doc).margin(tee->doc, index, items, st);
  tee->t += cv_now() - t0;
  return rc;
}

cv_pagesink cv_tee_sink(page_tee *tee) {
  return (cv_pagesink){tee, tee_page, tee_margin};
}
