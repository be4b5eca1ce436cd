/* cvpdf - plugins that crash or exit: the report of a render in cvpdf's
 * own process. */
#define _GNU_SOURCE
#include "pipeline/sandbox.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "typeset/services.h"

/* ---- the crash report without --safe --------------------------------- */

static const int guarded[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NGUARDED (sizeof guarded / sizeof *guarded)

/* Signal actions belong to the process, and so do the ones replaced:
 * written once (pthread_once) before any handler can run, then only read. */
static struct sigaction previous[NGUARDED];
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static pthread_key_t altstack_key;

static const char *signal_event(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "crashed (segmentation fault)";
  case SIGBUS:
    return "crashed (bus error)";
  case SIGFPE:
    return "crashed (arithmetic exception)";
  case SIGILL:
    return "crashed (illegal instruction)";
  case SIGABRT:
    return "crashed (it aborted)";
  default:
    return "crashed";
  }
}

/* "cvpdf: FILE:LINE:COL: error: plugin 'x' EVENT while building this 'y'
 * section\n", async-signal-safe. */
static size_t crash_line(const cv_plugin_call *c, const char *event, char *out,
                         size_t n) {
  size_t len = 0;
  out[0] = '\0';
  cv_str_append(out, n, &len, "cvpdf: ");
  if (c->phase == CV_CALL_BUILD && c->file[0]) {
    cv_str_append(out, n, &len, c->file);
    cv_str_append(out, n, &len, ":");
    cv_str_append_int(out, n, &len, c->line);
    cv_str_append(out, n, &len, ":");
    cv_str_append_int(out, n, &len, c->col);
    cv_str_append(out, n, &len, ": ");
  }
  cv_str_append(out, n, &len, "error: ");
  char what[1024];
  cv_plugin_call_describe(c, event, what, sizeof what);
  cv_str_append(out, n, &len, what);
  if (len + 1 >= n)
    len = n - 2;
  out[len++] = '\n';
  out[len] = '\0';
  return len;
}

static void say(const char *line, size_t n) {
  while (n > 0) {
    ssize_t w = write(STDERR_FILENO, line, n);
    if (w <= 0)
      return;
    line += w;
    n -= (size_t)w;
  }
}

static void on_crash(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  int saved = errno;
  const cv_plugin_call *c = cv_plugin_call_current();
  if (c && c->pid == (int)getpid()) {
    char line[2048];
    say(line, crash_line(c, signal_event(sig), line, sizeof line));
  }
  for (size_t i = 0; i < NGUARDED; i++)
    if (guarded[i] == sig)
      sigaction(sig, &previous[i], NULL);
  /* Sent by kill, raise or abort: send it again, to run under the
   * previous action once this handler returns.  A fault repeats by
   * itself when the instruction runs again. */
  if (si->si_code <= 0)
    raise(sig);
  errno = saved;
}

/* exit() from inside a plugin: it is named here, and the status is 1
 * whatever the plugin asked for. */
static void on_exit_check(void) {
  const cv_plugin_call *c = cv_plugin_call_current();
  if (!c || c->pid != (int)getpid())
    return; /* not in a plugin, or in a process forked during a call */
  char line[2048];
  fflush(NULL);
  say(line,
      crash_line(c, "ended the process (it called exit())", line, sizeof line));
  _exit(1);
}

static void free_altstack(void *mem) {
  stack_t off = {.ss_flags = SS_DISABLE};
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == mem)
    sigaltstack(&off, NULL);
  free(mem);
}

static void install_guard(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_crash;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < NGUARDED; i++)
    sigaction(guarded[i], &sa, &previous[i]);
  atexit(on_exit_check);
  (void)pthread_key_create(&altstack_key, free_altstack);
}

/* A stack overflow cannot run a handler on the overflowed stack: each
 * thread that calls plugins gets a stack of its own for signals (freed
 * when the thread ends), unless it has one already (the sanitizers'). */
static void give_altstack(void) {
  stack_t cur;
  if (pthread_getspecific(altstack_key) || sigaltstack(NULL, &cur) < 0 ||
      !(cur.ss_flags & SS_DISABLE))
    return;
  size_t size = 64 * 1024;
  void *mem = malloc(size);
  stack_t ss = {.ss_sp = mem, .ss_size = size};
  if (!mem || sigaltstack(&ss, NULL) < 0 ||
      pthread_setspecific(altstack_key, mem) != 0) {
    stack_t off = {.ss_flags = SS_DISABLE};
    if (mem)
      sigaltstack(&off, NULL);
    free(mem);
  }
}

void cv_plugin_guard_install(void) {
  pthread_once(&guard_once, install_guard);
  give_altstack();
}

