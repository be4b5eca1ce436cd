/* cvpdf - the trace writer: every placed item as a line of text, which
 * the golden tests compare. */
#ifndef CV_TRACE_H
#define CV_TRACE_H

#include "typeset/display.h"

/* Plain-text trace of every placed item, one per line, for golden tests:
 *   page 1 595.28x841.89
 *   text 72.00 700.50 LinuxLibertineO-Bold 10.00 #000000 "Harry Dong" gids=...
 * Numbers with 2 decimals, locale independent. */
int cv_trace_write(const cv_docout *d, cv_buf *out, cv_status *st);

#endif
