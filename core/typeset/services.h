/* cvpdf - the service table plugins are handed, and the plugin on the other
 * side of it.
 *
 * Every call into a plugin (loading it, init, build, fini) is bracketed by
 * cv_plugin_call_begin/end, which record in per-thread state which plugin
 * runs and which section it builds.  The services read that record to check
 * their arguments (a NULL or foreign builder, a NULL key or style, lists and
 * entries closed that were never opened, ...) and report misuse as an error
 * at the section, naming the plugin; crash reports read it to say which
 * plugin was running (see pipeline/sandbox.h). */
#ifndef CV_SERVICES_H
#define CV_SERVICES_H

#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

typedef enum cv_call_phase {
  CV_CALL_LOAD = 1, /* dlopen: the plugin's constructors run */
  CV_CALL_INIT,
  CV_CALL_BUILD,
  CV_CALL_FINI
} cv_call_phase;

/* One call into a plugin.  Plain fixed-size fields, so that a signal
 * handler may read it and a sandboxed child may copy it into memory its
 * parent reads. */
typedef struct cv_plugin_call {
  int phase;        /* cv_call_phase; 0 in a record no call is in */
  char plugin[256]; /* the descriptor's name, or the file (LOAD) */
  char type[64];    /* BUILD: the section type */
  char file[512];   /* BUILD: where the section is, "" if unknown */
  int line, col;
  char service[32]; /* the host's service running for the plugin */
  int pid;          /* the process that made the call (a child forked
                       during it inherits the record, not the call) */
  /* What the services need (not copied to a sandbox's record). */
  cvpdf_builder *builder;    /* BUILD: the only builder the plugin may use */
  const cvpdf_node *node;    /* BUILD: the section, for positions */
  int entries, lists, items; /* opened and not yet closed in this call */
  int implicit_list;         /* lists[0] was opened by an item */
  int misuses;               /* reported so far */
  struct cv_plugin_call *outer;
} cv_plugin_call;

/* Records that the calling thread is about to call into plugin (a name, or
 * a file for CV_CALL_LOAD).  For CV_CALL_BUILD, b is the builder handed to
 * the plugin and at the section (or the CV's top level).  c lives on the
 * caller's stack until cv_plugin_call_end(c). */
void cv_plugin_call_begin(cv_plugin_call *c, cv_call_phase phase,
                          const char *plugin, cvpdf_builder *b,
                          const char *type, const cvpdf_node *at);
/* The call returned: reports lists, items and entries the plugin left
 * open (CV_CALL_BUILD), then forgets the record. */
void cv_plugin_call_end(cv_plugin_call *c);
/* The innermost call of this thread, or NULL.  Async-signal-safe. */
const cv_plugin_call *cv_plugin_call_current(void);
/* Makes begin and end also copy each record into *mirror (with phase 0
 * once the call returned, the rest kept): a sandboxed render's parent reads
 * it to name the plugin that crashed its child.  NULL stops it. */
void cv_plugin_call_mirror(cv_plugin_call *mirror);

/* Writes what c was doing, for a message: "plugin 'roles' <event> while
 * building this 'roles' section" or "while loading plugin file '...'";
 * at most n - 1 bytes and a NUL.  No position (callers add it).
 * Async-signal-safe (no stdio, no allocation).  Returns the length. */
size_t cv_plugin_call_describe(const cv_plugin_call *c, const char *event,
                               char *out, size_t n);

/* Appends s (or as much as fits) to out, which holds *len bytes of n;
 * keeps out NUL-terminated.  Async-signal-safe. */
void cv_str_append(char *out, size_t n, size_t *len, const char *s);
/* Appends the decimal v the same way. */
void cv_str_append_int(char *out, size_t n, size_t *len, long v);

/* The const service table plugins receive: every function checks its
 * arguments and reports misuse at the section being built, naming the
 * plugin, before the builder (layout.c) does the work. */
const cvpdf_host *cv_host_table(void);

#endif
