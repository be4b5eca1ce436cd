/* cvpdf - the plugin host: discovery, dlopen, ABI checks, type registry. */
/* realpath() is XSI: _XOPEN_SOURCE 700 includes POSIX 2008 and XSI.
 * _DEFAULT_SOURCE adds d_type's DT_ values (glibc, the BSDs, musl). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "pipeline/plugin_host.h"
#include "pipeline/plugin_decl.h"
#include "pipeline/sandbox.h"
#include "typeset/services.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ABI 1.0 reads every member up to and including fini.  A plugin built
 * against a later 1.x may be larger (it grew at the end); one that ends
 * before fini cannot be a 1.x descriptor at all. */
#define CV_PLUGIN_MIN_SIZE                                                     \
  (offsetof(cvpdf_plugin, fini) + sizeof(((cvpdf_plugin *)0)->fini))

typedef struct entry {
  cv_plugin pub;
  char *real;     /* realpath of pub.path: each file is loaded once */
  cv_arena decls; /* pub.types */
} entry;

typedef struct type_ref {
  const cvpdf_section_type *type; /* in the plugin's entry's decls */
  size_t plugin;                  /* index into ps->v */
} type_ref;

struct cv_plugins {
  const cvpdf_host *host; /* borrowed */
  /* Load order.  Entries are allocated one by one so that the cv_plugin
   * pointers handed out survive later loads. */
  entry **v;
  size_t n, cap;
  type_ref *types;
  size_t ntypes, types_cap;
  const char **names; /* ntypes names + NULL */
  size_t names_cap;
  const cvpdf_section_type **decls; /* ntypes declarations + NULL */
  size_t decls_cap;
};

/* Calls into a plugin go through these, so that a crash, an exit or a
 * loop in one is reported naming it (services.h, sandbox.h).  Loading runs
 * the object's constructors. */
static void *open_plugin(const char *path) {
  cv_plugin_call call;
  cv_plugin_call_begin(&call, CV_CALL_LOAD, path, NULL, NULL, NULL);
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  cv_plugin_call_end(&call);
  return h;
}

/* init_msg (ABI 1.2) when the plugin has it, else init; msg gets the
 * plugin's reason for a failure, "" when it gives none. */
static int call_init(const cvpdf_plugin *d, const cvpdf_host *host,
                     void **state, char *msg, size_t msg_size) {
  msg[0] = '\0';
  int (*with_msg)(const cvpdf_host *, void **, char *, size_t) =
      CV_DESC_HAS(d, init_msg) ? d->init_msg : NULL;
  if (!with_msg && !d->init)
    return 0;
  cv_plugin_call call;
  cv_plugin_call_begin(&call, CV_CALL_INIT, d->name, NULL, NULL, NULL);
  int rc =
      with_msg ? with_msg(host, state, msg, msg_size) : d->init(host, state);
  cv_plugin_call_end(&call);
  msg[msg_size - 1] = '\0';
  /* One line: the reason goes inside cvpdf's own message. */
  for (char *p = msg; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  return rc;
}

static void call_fini(const cvpdf_plugin *d, void *state) {
  if (!d->fini)
    return;
  cv_plugin_call call;
  cv_plugin_call_begin(&call, CV_CALL_FINI, d->name, NULL, NULL, NULL);
  d->fini(state);
  cv_plugin_call_end(&call);
}

cv_plugins *cv_plugins_create(const cvpdf_host *host) {
  if (!host)
    return NULL;
  /* From here on, plugins may run in this thread. */
  cv_plugin_guard_install();
  cv_plugins *ps = calloc(1, sizeof *ps);
  if (!ps)
    return NULL;
  ps->host = host;
  if (cv_grow((void **)&ps->names, &ps->names_cap, 1, sizeof *ps->names) ||
      cv_grow((void **)&ps->decls, &ps->decls_cap, 1, sizeof *ps->decls)) {
    free(ps->names);
    free(ps);
    return NULL;
  }
  ps->names[0] = NULL;
  ps->decls[0] = NULL;
  return ps;
}

void cv_plugins_destroy(cv_plugins *ps) {
  if (!ps)
    return;
  for (size_t i = ps->n; i-- > 0;) {
    entry *e = ps->v[i];
    call_fini(e->pub.desc, e->pub.state);
    /* Nothing to do about a failing dlclose at teardown: the object merely
     * stays mapped. */
    (void)dlclose(e->pub.handle);
    free(e->pub.path);
    free(e->real);
    cv_arena_fini(&e->decls);
    free(e);
  }
  free(ps->v);
  free(ps->types);
  free(ps->names);
  free(ps->decls);
  free(ps);
}

static const type_ref *find_type(const cv_plugins *ps, const char *name) {
  for (size_t i = 0; i < ps->ntypes; i++)
    if (strcmp(ps->types[i].type->name, name) == 0)
      return &ps->types[i];
  return NULL;
}

static int is_loaded(const cv_plugins *ps, const char *real) {
  for (size_t i = 0; i < ps->n; i++)
    if (strcmp(ps->v[i]->real, real) == 0)
      return 1;
  return 0;
}

/* Checks the fixed part of the descriptor, before any of its pointers is
 * followed. */
static int check_header(const char *path, const cvpdf_plugin *d,
                        cv_status *st) {
  if (d->abi_major != CVPDF_ABI_MAJOR) {
    cv_status_set(st,
                  "'%s' was built for plugin ABI %u, this cvpdf supports ABI "
                  "%d; rebuild it against this cvpdf",
                  path, (unsigned)d->abi_major, CVPDF_ABI_MAJOR);
    return -1;
  }
  if (d->size < CV_PLUGIN_MIN_SIZE) {
    cv_status_set(st,
                  "'%s' has a plugin descriptor of %zu bytes, ABI %d.%d needs "
                  "at least %zu; rebuild it against this cvpdf",
                  path, d->size, CVPDF_ABI_MAJOR, CVPDF_ABI_MINOR,
                  (size_t)CV_PLUGIN_MIN_SIZE);
    return -1;
  }
  const char *missing = !d->name    ? "name"
                        : !d->types ? "types"
                        : !d->build ? "build"
                                    : NULL;
  if (missing) {
    cv_status_set(st, "'%s' is a broken cvpdf plugin: its descriptor has no %s",
                  path, missing);
    return -1;
  }
  return 0;
}

/* Counts the plugin's types not yet registered into *nnew.  A clash with a
 * plugin of index < shadow_below shadows the type; any other clash, an
 * empty or a repeated name is an error. */
static int check_types(const cv_plugins *ps, const char *path,
                       const cvpdf_plugin *d, const cvpdf_section_type *t,
                       size_t shadow_below, size_t *nnew, cv_status *st) {
  *nnew = 0;
  if (!t[0].name) {
    cv_status_set(st, "'%s' (plugin '%s') declares no section type", path,
                  d->name);
    return -1;
  }
  for (size_t i = 0; t[i].name; i++) {
    if (!t[i].name[0]) {
      cv_status_set(st,
                    "'%s' (plugin '%s') declares a section type with an "
                    "empty name",
                    path, d->name);
      return -1;
    }
    for (size_t j = 0; j < i; j++) {
      if (strcmp(t[i].name, t[j].name) == 0) {
        cv_status_set(st, "'%s' (plugin '%s') declares section type '%s' twice",
                      path, d->name, t[i].name);
        return -1;
      }
    }
    const type_ref *old = find_type(ps, t[i].name);
    if (!old) {
      (*nnew)++;
      continue;
    }
    if (old->plugin < shadow_below)
      continue;
    const cv_plugin *owner = &ps->v[old->plugin]->pub;
    cv_status_set(st,
                  "'%s' (plugin '%s') declares section type '%s', which '%s' "
                  "(plugin '%s') already handles; remove one of them",
                  path, d->name, t[i].name, owner->path, owner->desc->name);
    return -1;
  }
  return 0;
}

static int reserve(cv_plugins *ps, size_t nnew, cv_status *st) {
  if (cv_grow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof *ps->v) ||
      cv_grow((void **)&ps->types, &ps->types_cap, ps->ntypes + nnew,
              sizeof *ps->types) ||
      cv_grow((void **)&ps->names, &ps->names_cap, ps->ntypes + nnew + 1,
              sizeof *ps->names) ||
      cv_grow((void **)&ps->decls, &ps->decls_cap, ps->ntypes + nnew + 1,
              sizeof *ps->decls)) {
    cv_status_set(st, "out of memory loading plugins");
    return -1;
  }
  return 0;
}

/* A kept plugin: e's members set and its new types registered. */
static void enter(cv_plugins *ps, entry *e) {
  size_t idx = ps->n;
  ps->v[ps->n++] = e;
  const cvpdf_section_type *t = e->pub.types;
  for (size_t i = 0; t[i].name; i++) {
    if (find_type(ps, t[i].name))
      continue; /* shadowed, checked before */
    ps->types[ps->ntypes] = (type_ref){.type = &t[i], .plugin = idx};
    ps->names[ps->ntypes] = t[i].name;
    ps->decls[ps->ntypes] = &t[i];
    ps->ntypes++;
  }
  ps->names[ps->ntypes] = NULL;
  ps->decls[ps->ntypes] = NULL;
}

static void drop(entry *e) {
  if (!e)
    return;
  free(e->pub.path);
  cv_arena_fini(&e->decls);
  free(e);
}

/* Registers the plugin in handle h.  Returns 0 when it is kept (e takes
 * ownership of path copy, real and h), 1 when every type it declares is
 * shadowed (not kept, init not called), -1 on error. */
static int admit(cv_plugins *ps, const char *path, char *real, void *h,
                 size_t shadow_below, cv_status *st) {
  const cvpdf_plugin *d = dlsym(h, CVPDF_PLUGIN_SYMBOL);
  if (!d) {
    cv_status_set(st, "'%s' is not a cvpdf plugin: no symbol %s", path,
                  CVPDF_PLUGIN_SYMBOL);
    return -1;
  }
  if (check_header(path, d, st))
    return -1;
  entry *e = calloc(1, sizeof *e);
  if (!e) {
    cv_status_set(st, "out of memory loading plugin '%s'", path);
    return -1;
  }
  cv_arena_init(&e->decls);
  size_t nnew;
  const cvpdf_section_type *t = cv_plugin_decls(d, path, &e->decls, st);
  if (!t || check_types(ps, path, d, t, shadow_below, &nnew, st)) {
    drop(e);
    return -1;
  }
  if (nnew == 0) {
    drop(e);
    return 1;
  }
  /* Everything that can fail without side effects comes before init, so a
   * plugin that was initialised is always kept and later finalised. */
  if (reserve(ps, nnew, st) || !(e->pub.path = cv_strdup(path))) {
    if (!st->failed)
      cv_status_set(st, "out of memory loading plugin '%s'", path);
    drop(e);
    return -1;
  }
  void *state = NULL;
  char why[512];
  int rc = call_init(d, ps->host, &state, why, sizeof why);
  if (rc != 0) {
    drop(e);
    if (why[0])
      cv_status_set(st, "'%s' (plugin '%s'): init failed: %s", path, d->name,
                    why);
    else
      cv_status_set(st, "'%s' (plugin '%s'): init failed (returned %d)", path,
                    d->name, rc);
    return -1;
  }
  e->pub.handle = h;
  e->pub.desc = d;
  e->pub.state = state;
  e->pub.types = t;
  e->real = real;
  enter(ps, e);
  return 0;
}

/* Registers the plugin dlopen()ed from real as path; on refusal dlcloses
 * h and frees real, which are otherwise kept. */
static int keep(cv_plugins *ps, const char *path, char *real, void *h,
                size_t shadow_below, cv_status *st) {
  int rc = admit(ps, path, real, h, shadow_below, st);
  if (rc == 0)
    return 0;
  /* The refusal is already reported; a failing dlclose adds nothing. */
  (void)dlclose(h);
  free(real);
  return rc < 0 ? -1 : 0;
}

static int load_one(cv_plugins *ps, const char *path, size_t shadow_below,
                    cv_status *st) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    cv_status_set(st, "cannot load plugin '%s': %s", path, strerror(errno));
    return -1;
  }
  if (!S_ISREG(sb.st_mode)) {
    cv_status_set(st, "cannot load plugin '%s': not a regular file", path);
    return -1;
  }
  char *real = realpath(path, NULL);
  if (!real) {
    cv_status_set(st, "cannot load plugin '%s': %s", path, strerror(errno));
    return -1;
  }
  if (is_loaded(ps, real)) {
    free(real);
    return 0;
  }
  /* The absolute path keeps dlopen from searching LD_LIBRARY_PATH for a
   * bare file name. */
  void *h = open_plugin(real);
  if (!h) {
    const char *why = dlerror();
    cv_status_set(st, "cannot load plugin '%s': %s", path,
                  why ? why : "dlopen failed");
    free(real);
    return -1;
  }
  return keep(ps, path, real, h, shadow_below, st);
}

int cv_plugins_load_file(cv_plugins *ps, const char *path, cv_status *st) {
  return load_one(ps, path, 0, st);
}

static int is_so_name(const struct dirent *de) {
  size_t len = strlen(de->d_name);
  /* Hidden files are editor droppings or deliberately disabled plugins. */
  return de->d_name[0] != '.' && len > 3 &&
         strcmp(de->d_name + len - 3, ".so") == 0;
}

/* strcmp, not alphasort (strcoll): the load order, and with it which plugin
 * wins a clash, must not depend on the locale. */
static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static char *join(const char *dir, const char *name) {
  size_t dl = strlen(dir), nl = strlen(name);
  int slash = dl > 0 && dir[dl - 1] != '/';
  char *p = cv_malloc_n(dl + slash + nl + 1, 1);
  if (!p)
    return NULL;
  memcpy(p, dir, dl);
  if (slash)
    p[dl] = '/';
  memcpy(p + dl + slash, name, nl + 1);
  return p;
}

/* Loads entry de of dir when it is a regular file (a symbolic link to one
 * included).  *rdir caches realpath(dir) for the scan (NULL until needed). */
static int load_entry(cv_plugins *ps, const char *dir, char **rdir,
                      const struct dirent *de, size_t shadow_below,
                      cv_status *st) {
  char *path = join(dir, de->d_name);
  if (!path) {
    cv_status_set(st, "out of memory reading plugin directory '%s'", dir);
    return -1;
  }
  int rc = 0;
#ifdef DT_REG
  /* Process start-up cost: an entry its directory says is a regular file
   * (not a symbolic link) needs no stat, and its realpath is dir's joined
   * with its name (a plain name: no '/', not "." or ".."), so realpath()'s
   * system call per path component is paid once per directory, not once
   * per plugin.  Any failure takes the general way below, which reports
   * it, or skips the entry, exactly as for any other entry. */
  if (de->d_type == DT_REG && (*rdir || (*rdir = realpath(dir, NULL)))) {
    char *real = join(*rdir, de->d_name);
    if (real && is_loaded(ps, real)) {
      free(real);
      free(path);
      return 0;
    }
    void *h = real ? open_plugin(real) : NULL;
    if (h) {
      rc = keep(ps, path, real, h, shadow_below, st);
      free(path);
      return rc;
    }
    free(real);
  }
#endif
  struct stat sb;
  if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
    rc = load_one(ps, path, shadow_below, st);
  free(path);
  return rc;
}

static int load_dir(cv_plugins *ps, const char *dir, size_t shadow_below,
                    cv_status *st) {
  struct dirent **list = NULL;
  int n = scandir(dir, &list, is_so_name, by_name);
  if (n < 0) {
    if (errno == ENOENT)
      return 0;
    cv_status_set(st, "cannot read plugin directory '%s': %s", dir,
                  strerror(errno));
    return -1;
  }
  int rc = 0;
  char *rdir = NULL;
  for (int i = 0; i < n && rc == 0; i++)
    rc = load_entry(ps, dir, &rdir, list[i], shadow_below, st);
  free(rdir);
  for (int i = 0; i < n; i++)
    free(list[i]);
  free(list);
  return rc;
}

int cv_plugins_load_dir(cv_plugins *ps, const char *dir, cv_status *st) {
  return load_dir(ps, dir, 0, st);
}

static int load_path_env(cv_plugins *ps, const char *value, cv_status *st) {
  char *copy = cv_strdup(value);
  if (!copy) {
    cv_status_set(st, "out of memory reading $CVPDF_PLUGIN_PATH");
    return -1;
  }
  int rc = 0;
  char *p = copy;
  while (rc == 0 && p) {
    char *colon = strchr(p, ':');
    if (colon)
      *colon = '\0';
    if (*p)
      rc = load_dir(ps, p, ps->n, st);
    p = colon ? colon + 1 : NULL;
  }
  free(copy);
  return rc;
}

/* Each directory of the search path may shadow only what was loaded before
 * it (shadow_below = ps->n), so clashes inside one directory stay errors. */
int cv_plugins_load_path(cv_plugins *ps, const char *const *dirs,
                         const char *default_dir, cv_status *st) {
  return cv_plugins_load_search(ps, dirs, getenv("CVPDF_PLUGIN_PATH"),
                                default_dir, st);
}

int cv_plugins_load_search(cv_plugins *ps, const char *const *dirs,
                           const char *env_path, const char *default_dir,
                           cv_status *st) {
  for (size_t i = 0; dirs && dirs[i]; i++)
    if (load_dir(ps, dirs[i], ps->n, st))
      return -1;
  if (env_path && load_path_env(ps, env_path, st))
    return -1;
  if (default_dir && load_dir(ps, default_dir, ps->n, st))
    return -1;
  return 0;
}

const cv_plugin *cv_plugins_find(const cv_plugins *ps, const char *name,
                                 const cvpdf_section_type **type) {
  const type_ref *t = name ? find_type(ps, name) : NULL;
  if (type)
    *type = t ? t->type : NULL;
  return t ? &ps->v[t->plugin]->pub : NULL;
}

size_t cv_plugins_count(const cv_plugins *ps) {
  return ps->n;
}

const cv_plugin *cv_plugins_at(const cv_plugins *ps, size_t i) {
  return i < ps->n ? &ps->v[i]->pub : NULL;
}

const char *const *cv_plugins_type_names(cv_plugins *ps) {
  return (const char *const *)ps->names;
}

const cvpdf_section_type *const *cv_plugins_type_decls(const cv_plugins *ps) {
  return (const cvpdf_section_type *const *)ps->decls;
}
