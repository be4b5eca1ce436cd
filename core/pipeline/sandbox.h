/* cvpdf - plugins that crash, loop or exit.
 *
 * A plugin is code cvpdf runs but did not write.  Without --safe it runs in
 * cvpdf's own process: a crash still ends the process, but one line first
 * names the plugin and the section it was building, and a plugin calling
 * exit() is named and the exit status made 1.  With --safe (services
 * rendering CVs they do not trust) each render runs in a child process
 * under resource limits and a seccomp filter (confine.h); whatever happens
 * to the child, the render ends in a message naming the plugin and section,
 * and the next CV of a batch is rendered. */
#ifndef CV_SANDBOX_H
#define CV_SANDBOX_H

#include "pipeline/render.h"

/* Once per process: handlers of SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * SIGABRT that, when the crashing thread is in a call into a plugin
 * (typeset/services.h), write one line naming the plugin and the section,
 * then let the action they replaced run (by default the process ends with
 * the signal); and an exit() check that names a plugin calling it and ends
 * the process with status 1.  Each call also gives the calling thread an
 * alternate signal stack, so that a plugin overflowing its stack is
 * reported too.  Called before plugins are loaded. */
void cv_plugin_guard_install(void);

/* cv_render in a child process (fork): limits of CPU time (o->max_seconds,
 * and twice that of real time), memory, open files and file size; a
 * seccomp filter; diagnostics, trace and PDF sent back over a pipe and the
 * files written here, byte-identical to a render without --safe.  A child
 * that crashes, loops, exits or is killed ends in a positioned error
 * naming the plugin and section it was in.  Returns 0 or -1 as cv_render;
 * safe for parallel threads (one child per render). */
int cv_render_isolated(const cv_render_opts *o, cv_diags *d,
                       cv_render_stats *stats);

/* One render of cv_render_isolated_all; rc is set when it is done. */
typedef struct cv_isolated_job {
  const cv_render_opts *o;
  cv_diags *d;
  cv_render_stats *stats;
  int rc;
} cv_isolated_job;

/* cv_render_isolated of each of jobs[0..n), up to parallel children at a
 * time, all forked and watched from the calling thread: a child forked
 * from one of several threads could inherit a lock (the allocator's,
 * fontconfig's) another thread held, and wait on it forever.  done(ud, i)
 * is called in this thread as each render ends, in the order they end. */
void cv_render_isolated_all(cv_isolated_job *jobs, size_t n, size_t parallel,
                            void (*done)(void *ud, size_t i), void *ud);

#endif
