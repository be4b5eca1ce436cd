/* cvpdf - what the command-line tools share: where the data is, how
 * diagnostics print, and the command table. */
#ifndef CV_CLI_H
#define CV_CLI_H

#include <getopt.h>
#include <limits.h>

#include "base/diag.h"
#include "pipeline/render.h"

#define CV_MAX_DIRS 16

/* Where plugins, layouts and font manifests are: next to the sources when
 * the binary runs from its build tree, else the install dirs. */
typedef struct cv_dirs {
  char plugin[PATH_MAX];
  char layouts[PATH_MAX];
  char fonts[PATH_MAX];
  char locales[PATH_MAX];
  const char *layout_dirs[2];
  const char *font_dirs[2];
  const char *hyph_dirs[2];
  const char *locale_dirs[2];
} cv_dirs;

void cv_find_dirs(cv_dirs *d);

struct cv_render_opts;
/* Empty render options with the default limits and the data dirs of d
 * (which must outlive o). */
void cv_render_opts_init(struct cv_render_opts *o, const cv_dirs *d);

/* Appends a repeatable option's value to list (NULL-terminated, room for
 * CV_MAX_DIRS); prints a usage error and returns -1 when it is full. */
int cv_push_arg(const char **list, size_t *n, const char *value,
                const char *option);

/* The usage text of `cvpdf --help` (main.c). */
extern const char cv_usage[];

/* What every command's option loop ends with: -p/--plugin-dir DIR
 * (pushed onto dirs; an unknown option when dirs is NULL), -h/--help
 * (the usage on standard output) and any other option (a hint on
 * standard error).  Returns -1 when the loop goes on, else the command's
 * exit status: 0 after --help, 2 after a usage error. */
int cv_common_opt(int c, const char *arg, const char **dirs, size_t *n);

/* An option loop over a command's arguments that handles what
 * cv_common_opt does (-p, -h, an unknown option) itself:
 *
 *   cv_opts g = CV_OPTS(argc, argv, "o:p:h", longopts, plugin_dirs, &nplugin);
 *   while ((c = cv_opts_next(&g)) >= 0)
 *     switch (c) { case 'o': ... }
 *   if (c == CV_OPTS_EXIT)
 *     return g.status;
 *
 * dirs and ndirs take -p/--plugin-dir (NULL: the command has none). */
typedef struct cv_opts {
  int argc;
  char **argv;
  const char *shortopts;
  const struct option *longopts;
  const char **dirs;
  size_t *ndirs;
  int status;  /* the exit status when cv_opts_next returned CV_OPTS_EXIT */
  int started; /* optind was reset for this loop */
} cv_opts;

#define CV_OPTS(argc_, argv_, shortopts_, longopts_, dirs_, ndirs_)            \
  {                                                                            \
    .argc = (argc_), .argv = (argv_), .shortopts = (shortopts_),               \
    .longopts = (longopts_), .dirs = (dirs_), .ndirs = (ndirs_)                \
  }
#define CV_OPTS_EXIT (-2)
/* The next option the command handles (getopt_long's value, optarg set),
 * -1 when the options are over (optind at the first operand), or
 * CV_OPTS_EXIT when the command ends with g->status: 0 after --help, 2
 * after a usage error. */
int cv_opts_next(cv_opts *g);

/* Makes a directory only this process uses, out = BASE/cvpdf-WHAT-XXXXXX
 * (BASE: $XDG_RUNTIME_DIR, /dev/shm, $TMPDIR or /tmp).  Returns 0, or -1
 * after printing why. */
int cv_private_tmpdir(char *out, size_t cap, const char *what);

/* Prints every diagnostic as file:line:col: severity: message. */
void cv_print_diags(const cv_diags *d);

/* The options that shape a render (layout, plugin dirs, --only, --safe,
 * limits), which render and serve share. */
typedef struct cv_render_args {
  cv_render_opts o; /* o.plugin_dirs and o.only point into this struct */
  const char *plugin_dirs[CV_MAX_DIRS + 1];
  const char *only[CV_MAX_DIRS + 1];
  size_t nplugin, nonly;
} cv_render_args;

/* Those options for getopt_long, ended by a zero entry. */
extern const struct option cv_render_shape_options[];
/* Default options with the data dirs of d (which must outlive a). */
void cv_render_args_init(cv_render_args *a, const cv_dirs *d);
/* Takes option c of cv_render_shape_options with its argument: 1 when c
 * is one of them, 0 when not, -1 after printing a usage error. */
int cv_render_args_take(cv_render_args *a, int c, const char *arg);
/* Parses a --dpi value within the PNG writer's range; -1 after printing a
 * usage error. */
int cv_parse_dpi(const char *arg, double *dpi);

/* The files a watch renders again for: each a name in a directory that
 * an inotify descriptor watches (wd; -1: any directory it watches). */
#define CV_WATCH_MAX 32
typedef struct cv_watchset {
  int wd[CV_WATCH_MAX];
  char name[CV_WATCH_MAX][256];
  size_t n;
} cv_watchset;

/* Watching files (watch, serve): waits on a signalfd (sfd) and an
 * inotify descriptor (ifd) watching the directories of the files in ws,
 * and calls changed(ud) once for each burst of events that write one of
 * them (changed may change ws).  Returns 0 when a signal came, 1 when a
 * directory went away or the wait failed (said on stderr as "cvpdf: WHO:
 * ...", naming `input`), or what changed returned when that was not 0. */
int cv_watch_loop(int sfd, int ifd, const cv_watchset *ws, const char *who,
                  const char *input, int (*changed)(void *), void *ud);

/* Writes the JSON Schema of the CV format, from the fields the plugins
 * found declare (in plugin_dirs, the colon-separated env_path, which may be
 * NULL, then default_dir), to out.  Returns 0, or -1 with st set. */
int cv_schema_json(const char *const *plugin_dirs, const char *env_path,
                   const char *default_dir, cv_buf *out, cv_status *st);

/* A command: argv[0] is the command's name. Returns the exit status. */
typedef int (*cv_command_fn)(int argc, char **argv);

int cv_cmd_render(int argc, char **argv);
int cv_cmd_plugins(int argc, char **argv);
int cv_cmd_schema(int argc, char **argv);
int cv_cmd_new(int argc, char **argv);
int cv_cmd_check(int argc, char **argv);
int cv_cmd_watch(int argc, char **argv);
int cv_cmd_convert(int argc, char **argv);
int cv_cmd_serve(int argc, char **argv);

#endif
