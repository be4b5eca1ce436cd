/* cvpdf - the plugin host: discovery of section plugins on a search path,
 * dlopen, ABI checks and the registry of section types. */
#ifndef CV_PLUGIN_HOST_H
#define CV_PLUGIN_HOST_H

#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

#include "base/diag.h"
#include "base/util.h"

typedef struct cv_plugin {
  char *path;               /* file it was loaded from */
  void *handle;             /* dlopen handle */
  const cvpdf_plugin *desc; /* borrowed from the loaded object */
  void *state;              /* from init */
  /* desc's section types in this host's layout (plugin_decl.h), ending
   * at name NULL; use these, never desc->types, whose elements may be of
   * another size. */
  const cvpdf_section_type *types;
} cv_plugin;

typedef struct cv_plugins cv_plugins;

/* An empty registry.  host is the service table handed to init(); it is
 * borrowed and must outlive the registry.  NULL when host is NULL or out of
 * memory. */
cv_plugins *cv_plugins_create(const cvpdf_host *host);
/* Calls fini of each plugin and dlcloses it, in reverse load order.
 * Accepts NULL. */
void cv_plugins_destroy(cv_plugins *ps);

/* Loads one plugin file: dlopen(RTLD_NOW|RTLD_LOCAL), checks, then init()
 * with the host table.  A file whose realpath is already loaded is skipped
 * (returns 0).  Refuses (returns -1, st names the file, the handle is
 * dlclosed) a file that is not a regular file, not loadable (dlerror is
 * quoted), has no descriptor symbol, has another ABI major version, a
 * descriptor too small for this host (size < end of `fini`), a NULL name,
 * types or build, no section type, an empty or repeated type name, declares
 * a section type already registered by another plugin, gives declaration
 * strides no header makes (plugin_decl.h), or whose init() (or init_msg(),
 * whose message is quoted) returns non-zero. */
int cv_plugins_load_file(cv_plugins *ps, const char *path, cv_status *st);
/* Loads every regular *.so file of dir (hidden names skipped) in strcmp
 * order of names; other entries are skipped silently.  A missing dir is not
 * an error; an unreadable one is, and so is a bad plugin file (st names it;
 * loading stops there).  Type clashes are errors as in load_file. */
int cv_plugins_load_dir(cv_plugins *ps, const char *dir, cv_status *st);
/* Loads the search path: each of dirs (NULL-terminated, may be NULL), then
 * every entry of $CVPDF_PLUGIN_PATH (colon-separated, empty entries
 * ignored), then default_dir (may be NULL), each as load_dir.  Earlier wins:
 * a section type a plugin of a later directory declares that is already
 * registered by a plugin loaded before that directory (an earlier directory,
 * or a file loaded before this call) is shadowed silently; its other types
 * are registered, and a plugin all of whose types are shadowed is not kept
 * (no init).  A clash between two plugins of the same directory is an
 * error. */
int cv_plugins_load_path(cv_plugins *ps, const char *const *dirs,
                         const char *default_dir, cv_status *st);
/* The same search with env_path standing for $CVPDF_PLUGIN_PATH: NULL
 * skips that step, which is how safe mode keeps the environment of a
 * service from adding code to it. */
int cv_plugins_load_search(cv_plugins *ps, const char *const *dirs,
                           const char *env_path, const char *default_dir,
                           cv_status *st);

/* The plugin handling section type name, or NULL; *type (when type is not
 * NULL) gets its declaration, or NULL.  Plugins returned here and by
 * cv_plugins_at are owned by ps and stay valid until it is destroyed. */
const cv_plugin *cv_plugins_find(const cv_plugins *ps, const char *name,
                                 const cvpdf_section_type **type);
size_t cv_plugins_count(const cv_plugins *ps);
const cv_plugin *cv_plugins_at(const cv_plugins *ps, size_t i);
/* NULL-terminated list of all section type names in registration order
 * (for "did you mean"), owned by ps; valid until the next load. */
const char *const *cv_plugins_type_names(cv_plugins *ps);
/* The declarations of those types, in the same order, NULL-terminated (for
 * checking a layout against what the plugins read); owned by ps, valid
 * until the next load. */
const cvpdf_section_type *const *cv_plugins_type_decls(const cv_plugins *ps);

#endif
