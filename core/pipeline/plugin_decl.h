/* cvpdf - a plugin's declarations (section types, fields, layout options,
 * words) read with the strides its descriptor gives and copied into this
 * host's own layout, so that a plugin built against older headers, whose
 * structs are smaller, is read as it was written and the rest of core
 * indexes plain arrays. */
#ifndef CV_PLUGIN_DECL_H
#define CV_PLUGIN_DECL_H

#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

#include "base/util.h"

/* The section types of descriptor d (loaded from path), in the current
 * layout, ending at name NULL, allocated in a.  Members the plugin was
 * built without are NULL.  Returns NULL after setting st (a stride that
 * cannot be right, fields nested too deep, out of memory). */
const cvpdf_section_type *cv_plugin_decls(const cvpdf_plugin *d,
                                          const char *path, cv_arena *a,
                                          cv_status *st);

/* The size of d's descriptor covers member m (ABI 1.2 and later). */
#define CV_DESC_HAS(d, m)                                                      \
  ((d)->size >= offsetof(cvpdf_plugin, m) + sizeof(((cvpdf_plugin *)0)->m))

#endif
