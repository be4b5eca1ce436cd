/* cvpdf - the trace writer: every placed item as a line of text, which
 * the golden tests compare. */
#ifndef CV_TRACE_H
#define CV_TRACE_H

#include "typeset/display.h"

/* Plain-text trace of every placed item, one per line, for golden tests:
 *   page 1 595.28x841.89
 *   text 72.00 700.50 LinuxLibertineO-Bold 10.00 #000000 "Harry Dong" gids=...
 *   foot 46.94 59.35
 * (a page's last line when another page follows a break that was not
 * forced: the space left empty at its foot, and what the page would have
 * needed to take what begins the next one.)  Numbers with 2 decimals,
 * locale independent. */
int cv_trace_write(const cv_docout *d, cv_buf *out, cv_status *st);

#endif
