/* cvpdf - writing a document tree back out as YAML (libyaml's emitter). */
#ifndef CV_EMIT_YAML_H
#define CV_EMIT_YAML_H

#include "document/model.h"

/* Appends root as a YAML document to out: block style, UTF-8 as is, no
 * line folding; a scalar is quoted when written plain it would read back
 * as something other than the same string (a number, true, null, empty,
 * or text YAML cannot write plain).  `header` (may be NULL) is written
 * first as `# ` comment lines.  Returns 0, or -1 with st set. */
int cv_emit_yaml(const cvpdf_node *root, const char *header, cv_buf *out,
                 cv_status *st);

/* Writes root as YAML to path ("-": standard output) through the
 * atomic-file module (base/atomic.h): a failed run leaves an existing file
 * untouched, and neither a file in inputs (may be NULL) nor anything but a
 * regular file is replaced.  Returns 0, or -1 with st set (the message
 * does not name path). */
int cv_emit_yaml_file(const cvpdf_node *root, const char *header,
                      const char *path, const cv_inputs *inputs, cv_status *st);

#endif
