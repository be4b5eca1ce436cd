/* cvpdf - plugins that crash, loop or exit: the crash report of a render
 * in cvpdf's own process, and the child process of a safe render.
 *
 * The child runs the whole of cv_render (plugins are loaded inside it) and
 * writes no file: it sends its diagnostics, trace and PDF over a pipe, in
 * messages of a type byte, a length and the bytes, and the parent writes
 * the files with the same code as any render.  The parent trusts nothing
 * the child sends but the bytes of the files it asked for: paths are its
 * own, lengths are checked, and the whole is bounded.  Before each call
 * into a plugin the child copies the call's record (typeset/services.h)
 * into a page it shares with the parent, which is how the parent names the
 * plugin and section when the child dies. */
#define _GNU_SOURCE
#include "pipeline/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "document/bibtex.h"
#include "output/trace.h"
#include "pipeline/confine.h"
#include "typeset/services.h"

/* Read by signal handlers: the initial-exec model makes every access a
 * plain load (no lazy allocation).  libcvpdf is never dlopen()ed, so it
 * may use it. */
#if defined(__GNUC__)
#define TLS_IE __attribute__((tls_model("initial-exec")))
#else
#define TLS_IE
#endif

/* What a child may send, all of it: far beyond the PDF of any CV the
 * page limit lets through. */
#define MAX_OUTPUT ((size_t)256 << 20)
/* The exit status of a child in which a plugin called exit(). */
#define EXIT_BY_PLUGIN 3

/* Shared between a child and its parent (MAP_SHARED), written by the
 * child only. */
typedef struct shared_page {
  cv_plugin_call call; /* the last call into a plugin; phase 0 after */
  volatile int sys_nr; /* the system call the filter refused, or -1 */
  volatile int exited; /* a plugin called exit() */
} shared_page;

static TLS_IE _Thread_local shared_page *child_page;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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
  if (c && !child_page && c->pid == (int)getpid()) {
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

/* exit() from inside a plugin: in a child the parent reports it; in
 * cvpdf's own process it is named here, and the status is 1 whatever the
 * plugin asked for. */
static void on_exit_check(void) {
  const cv_plugin_call *c = cv_plugin_call_current();
  if (!c || c->pid != (int)getpid())
    return; /* not in a plugin, or in a process forked during a call */
  if (child_page) {
    child_page->exited = 1;
    _exit(EXIT_BY_PLUGIN);
  }
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

/* ---- messages from child to parent ------------------------------------ */

enum {
  MSG_DIAG = 'D',  /* severity, line, col, file, message */
  MSG_STATS = 'S', /* cv_render_stats as it is in memory */
  MSG_TRACE = 'T', /* the trace's text */
  MSG_PDF = 'P',   /* the PDF's bytes */
  MSG_END = 'E'    /* cv_render's return value: the child is done */
};

/* Writes all of it, or ends the child: a parent that stopped listening
 * has nothing left to report to. */
static void put_bytes(int fd, const void *data, size_t n) {
  const char *p = data;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      _exit(1);
    p += w;
    n -= (size_t)w;
  }
}

static void send_msg(int fd, char type, const void *data, size_t n) {
  uint64_t len = n;
  put_bytes(fd, &type, 1);
  put_bytes(fd, &len, sizeof len);
  put_bytes(fd, data, n);
}

static void put_u32(cv_buf *b, uint32_t v) {
  cv_buf_put(b, &v, sizeof v);
}

static void send_diag(int fd, const cv_diag *dg) {
  cv_buf b;
  cv_buf_init(&b);
  const char *file = dg->file ? dg->file : "";
  const char *msg = dg->msg ? dg->msg : "";
  put_u32(&b, (uint32_t)dg->sev);
  put_u32(&b, (uint32_t)dg->line);
  put_u32(&b, (uint32_t)dg->col);
  put_u32(&b, (uint32_t)strlen(file));
  cv_buf_puts(&b, file);
  put_u32(&b, (uint32_t)strlen(msg));
  cv_buf_puts(&b, msg);
  if (!b.failed)
    send_msg(fd, MSG_DIAG, b.data, b.len);
  cv_buf_fini(&b);
}

/* ---- the child -------------------------------------------------------- */

typedef struct child {
  int fd; /* the pipe to the parent */
} child;

static int child_trace(void *ud, const cv_docout *doc, cv_diags *d) {
  child *ch = ud;
  cv_buf buf;
  cv_buf_init(&buf);
  cv_status st = {0};
  int rc = cv_trace_write(doc, &buf, &st);
  if (rc == 0 && buf.failed)
    cv_status_set(&st, "out of memory writing the trace");
  if (rc == 0 && !buf.failed)
    send_msg(ch->fd, MSG_TRACE, buf.data, buf.len);
  else
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  cv_buf_fini(&buf);
  return rc == 0 && !buf.failed ? 0 : -1;
}

static int child_pdf(void *ud, cv_pdf *pdf, const cv_docinfo *info,
                     cv_diags *d) {
  child *ch = ud;
  cv_buf buf;
  cv_buf_init(&buf);
  cv_status st = {0};
  int rc = cv_pdf_save_buffer(pdf, info, &buf, &st);
  if (rc == 0 && buf.failed) {
    cv_status_set(&st, "out of memory writing the PDF");
    rc = -1;
  }
  if (rc == 0)
    send_msg(ch->fd, MSG_PDF, buf.data, buf.len);
  else
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "%s", st.msg);
  cv_buf_fini(&buf);
  return rc;
}

/* The filter refused a system call: note which, then end the child with
 * SIGSYS (the call itself never ran). */
static void on_sigsys(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (child_page)
    child_page->sys_nr = si->si_syscall;
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, NULL);
  raise(sig);
}

static void child_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sigemptyset(&sa.sa_mask);
  /* The parent reports a crash, from the page: the default actions end
   * the child with the signal it can read. */
  sa.sa_handler = SIG_DFL;
  for (size_t i = 0; i < NGUARDED; i++)
    sigaction(guarded[i], &sa, NULL);
  sigaction(SIGXCPU, &sa, NULL);
  sigaction(SIGPIPE, &sa, NULL);
  /* Past the file size limit a write fails instead of killing. */
  sa.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &sa, NULL);
  sa.sa_handler = NULL;
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Standard input and output lead nowhere, the pipe becomes descriptor 3,
 * and every other descriptor the parent had (other renders' pipes
 * included) is closed.  Standard error stays, for what libraries and
 * plugins print there. */
static int child_descriptors(int *fd) {
  /* Out of the way first: a parent started without standard input or
   * output may have got its pipe as descriptor 0 or 1. */
  int high = fcntl(*fd, F_DUPFD, 10);
  int null = open("/dev/null", O_RDWR);
  if (high < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
      dup2(null, STDOUT_FILENO) < 0 || dup2(high, 3) < 0)
    return -1;
  *fd = 3;
  if (syscall(SYS_close_range, 4u, ~0u, 0u) < 0) {
    long max = sysconf(_SC_OPEN_MAX);
    for (long i = 4; i < (max > 0 ? max : 1024); i++)
      close((int)i);
  }
  return 0;
}

/* Everything that confines the child, in an order where each step still
 * has what it needs: descriptors before the limit on their number, the
 * filter last. */
static const char *confine(int *fd, shared_page *page, size_t seconds,
                           pid_t parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
    return "cannot tie the render to cvpdf's process";
  /* Not dumpable: no core file, and the other renders of a batch (the
   * same user) cannot read this one's memory through /proc. */
  if (prctl(PR_SET_DUMPABLE, 0) < 0)
    return "cannot make the render's memory private";
  if (child_descriptors(fd) < 0)
    return "cannot set up the render's descriptors";
  child_signals();
  cv_confine_limits lim;
  cv_confine_default_limits(&lim, seconds);
  if (cv_confine_apply_limits(&lim) < 0)
    return "cannot set the render's resource limits";
  child_page = page;
  page->sys_nr = -1;
  /* No process may be started here; the BibTeX reader's child is not
   * needed either: this process is the one that may die. */
  cv_bibtex_read_in_process(1);
  cv_plugin_call_mirror(&page->call);
  if (cv_confine_filter() < 0)
    return "cannot install the render's seccomp filter";
  return NULL;
}

static void child_main(const cv_render_opts *o, int fd, shared_page *page,
                       size_t seconds, pid_t parent) {
  cv_diags d;
  cv_diags_init(&d);
  const char *why = confine(&fd, page, seconds, parent);
  int rc = -1;
  cv_render_stats stats;
  memset(&stats, 0, sizeof stats);
  if (why) {
    /* Never render unconfined. */
    cv_diags_add(&d, CV_SEV_ERROR, NULL, 0, 0, "%s: %s", why, strerror(errno));
  } else {
    child ch = {.fd = fd};
    cv_render_outlet outlet = {&ch, child_trace, child_pdf};
    cv_render_opts co = *o;
    co.outlet = &outlet;
    rc = cv_render(&co, &d, &stats);
  }
  for (size_t i = 0; i < d.n; i++)
    send_diag(fd, &d.v[i]);
  send_msg(fd, MSG_STATS, &stats, sizeof stats);
  int32_t r = rc;
  send_msg(fd, MSG_END, &r, sizeof r);
  _exit(rc == 0 ? 0 : 1);
}

/* ---- the parent ------------------------------------------------------- */

/* How the child ended, as far as the parent can tell. */
typedef struct outcome {
  int status;     /* from wait4 */
  int reaped;     /* status is valid */
  int timed_out;  /* killed after the real-time limit */
  int overflowed; /* killed for sending more than MAX_OUTPUT */
  double cpu;     /* seconds of CPU time the child used */
} outcome;

/* What the child sent, parsed. */
typedef struct made {
  cv_buf trace, pdf;
  int has_trace, has_pdf, has_stats, has_end, garbled;
  int32_t rc;
} made;

static int remaining_ms(double deadline) {
  double left = deadline - now();
  return left <= 0 ? 0 : left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
}

/* Reads once from a pipe poll() found ready: 1 when the child is done
 * sending (end of file, an error, or killed for sending too much), else
 * 0. */
static int read_some(int fd, pid_t pid, cv_buf *in, outcome *oc) {
  char chunk[65536];
  ssize_t n = read(fd, chunk, sizeof chunk);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return 0;
  if (n <= 0)
    return 1;
  if (in->len + (size_t)n > MAX_OUTPUT) {
    oc->overflowed = 1;
    kill(pid, SIGKILL);
    return 1;
  }
  cv_buf_put(in, chunk, (size_t)n);
  return 0;
}

/* Reads the child's messages until it closes the pipe, kills it when the
 * deadline passes or it sends too much. */
static void collect(int fd, pid_t pid, double deadline, cv_buf *in,
                    outcome *oc) {
  for (;;) {
    int ms = remaining_ms(deadline);
    if (ms == 0) {
      oc->timed_out = 1;
      kill(pid, SIGKILL);
      return;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, ms);
    if (r < 0 && errno != EINTR)
      return;
    if (r > 0 && read_some(fd, pid, in, oc))
      return;
  }
}

/* wait4 without waiting, but killing the child at the deadline (it may
 * have closed the pipe and gone on looping) and then waiting for it: 1
 * once it is reaped or cannot be, 0 while it runs. */
static int try_reap(pid_t pid, double deadline, outcome *oc) {
  struct rusage ru;
  pid_t r = wait4(pid, &oc->status, oc->timed_out ? 0 : WNOHANG, &ru);
  if (r == 0 && now() >= deadline) {
    oc->timed_out = 1;
    kill(pid, SIGKILL);
    return 0;
  }
  if (r != pid)
    return r < 0 && errno != EINTR;
  oc->reaped = 1;
  oc->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  return 1;
}

/* Waits for the child to end. */
static void reap(pid_t pid, double deadline, outcome *oc) {
  while (!try_reap(pid, deadline, oc)) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
}

static int get_u32(const char **p, const char *end, uint32_t *v) {
  if ((size_t)(end - *p) < sizeof *v)
    return -1;
  memcpy(v, *p, sizeof *v);
  *p += sizeof *v;
  return 0;
}

/* A diagnostic as the child sent it; -1 when it does not parse. */
static int take_diag(const char *p, const char *end, cv_diags *d) {
  uint32_t sev, line, col, flen, mlen;
  if (get_u32(&p, end, &sev) || get_u32(&p, end, &line) ||
      get_u32(&p, end, &col) || get_u32(&p, end, &flen) ||
      (size_t)(end - p) < flen)
    return -1;
  const char *file = p;
  p += flen;
  if (get_u32(&p, end, &mlen) || (size_t)(end - p) != mlen)
    return -1;
  char *f = flen ? cv_strndup(file, flen) : NULL;
  cv_diags_add(d, sev == CV_SEV_WARNING ? CV_SEV_WARNING : CV_SEV_ERROR, f,
               (int)line, (int)col, "%.*s", (int)mlen, p);
  free(f);
  return 0;
}

/* One message of the child's: its diagnostics go to d, the rest to m. */
static int take(char type, const char *p, size_t n, made *m, cv_diags *d,
                cv_render_stats *stats) {
  switch (type) {
  case MSG_DIAG:
    return take_diag(p, p + n, d);
  case MSG_STATS:
    if (n != sizeof *stats)
      return -1;
    memcpy(stats, p, n);
    m->has_stats = 1;
    return 0;
  case MSG_TRACE:
    cv_buf_put(&m->trace, p, n);
    m->has_trace = 1;
    return m->trace.failed ? -1 : 0;
  case MSG_PDF:
    cv_buf_put(&m->pdf, p, n);
    m->has_pdf = 1;
    return m->pdf.failed ? -1 : 0;
  case MSG_END:
    if (n != sizeof m->rc)
      return -1;
    memcpy(&m->rc, p, n);
    m->has_end = 1;
    return 0;
  default:
    return -1;
  }
}

static void parse(const cv_buf *in, made *m, cv_diags *d,
                  cv_render_stats *stats) {
  const char *p = in->data, *end = in->data + in->len;
  while (p && p < end && !m->has_end) {
    uint64_t n;
    if ((size_t)(end - p) < 1 + sizeof n) {
      m->garbled = 1;
      return;
    }
    char type = *p++;
    memcpy(&n, p, sizeof n);
    p += sizeof n;
    if (n > (uint64_t)(end - p) || take(type, p, (size_t)n, m, d, stats)) {
      m->garbled = 1;
      return;
    }
    p += n;
  }
  if (p != end)
    m->garbled = 1; /* bytes after the end */
}

/* The page is the child's to write: make its strings safe to print. */
static void sanitize(char *s, size_t n) {
  s[n - 1] = '\0';
  for (char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      *p = '?';
}

/* What a forbidden system call was trying to do, for the message. */
static const char *syscall_kind(const char *name) {
  static const struct {
    const char *prefix, *kind;
  } kinds[] = {{"socket", ": network access"},
               {"connect", ": network access"},
               {"bind", ": network access"},
               {"sendto", ": network access"},
               {"sendmsg", ": network access"},
               {"exec", ": running a program"},
               {"open", ": opening a file for writing"},
               {"creat", ": creating a file"},
               {"fork", ": starting a process"},
               {"vfork", ": starting a process"},
               {"clone", ": starting a process or thread"},
               {"unlink", ": removing a file"},
               {"rename", ": renaming a file"},
               {"ptrace", ": tracing a process"},
               {"kill", ": signalling another process"},
               {"tgkill", ": signalling another process"}};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (!strncmp(name, kinds[i].prefix, strlen(kinds[i].prefix)))
      return kinds[i].kind;
  return "";
}

/* What happened to a child that did not end as a render ends, in words
 * that follow a subject ("plugin 'x' ..."). */
static void event_words(const outcome *oc, const made *m, int sys_nr,
                        int exited, size_t seconds, char *out, size_t n) {
  if (oc->overflowed) {
    snprintf(out, n, "sent more than %zu MiB of output", MAX_OUTPUT >> 20);
  } else if (oc->timed_out) {
    snprintf(out, n, "did not finish within %zu seconds", 2 * seconds);
  } else if (!oc->reaped) {
    snprintf(out, n, "ended in a way cvpdf could not learn");
  } else if (WIFSIGNALED(oc->status)) {
    int sig = WTERMSIG(oc->status);
    char name[64];
    if (sig == SIGSYS && sys_nr >= 0) {
      cv_confine_syscall_name(sys_nr, name, sizeof name);
      snprintf(out, n, "made a system call that --safe forbids (%s%s)", name,
               syscall_kind(name));
    } else if (sig == SIGXCPU || (sig == SIGKILL && oc->cpu >= seconds))
      snprintf(out, n, "used more than %zu seconds of CPU time", seconds);
    else if (sig == SIGKILL)
      snprintf(out, n, "was killed (signal %d, perhaps for lack of memory)",
               sig);
    else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
             sig == SIGILL || sig == SIGABRT)
      snprintf(out, n, "%s", signal_event(sig));
    else
      snprintf(out, n, "was killed (signal %d)", sig);
  } else if (exited) {
    snprintf(out, n, "ended the process (it called exit())");
  } else if (m->garbled) {
    snprintf(out, n, "sent output cvpdf cannot read");
  } else {
    snprintf(out, n, "ended the process (exit status %d)",
             WEXITSTATUS(oc->status));
  }
}

/* The error for a child that did not end as a render ends: at the section
 * and naming the plugin it was in, else naming the render. */
static void report_abnormal(const cv_render_opts *o, const outcome *oc,
                            const made *m, shared_page *page, size_t seconds,
                            cv_diags *d) {
  cv_plugin_call call = page->call;
  sanitize(call.plugin, sizeof call.plugin);
  sanitize(call.type, sizeof call.type);
  sanitize(call.file, sizeof call.file);
  sanitize(call.service, sizeof call.service);
  char event[256], what[1024];
  event_words(oc, m, page->sys_nr, page->exited, seconds, event, sizeof event);
  if (call.phase >= CV_CALL_LOAD && call.phase <= CV_CALL_FINI) {
    cv_plugin_call_describe(&call, event, what, sizeof what);
  } else if (call.plugin[0] && call.type[0]) {
    /* Between calls: laying out what the last plugin built. */
    int header = !strcmp(call.type, "header");
    snprintf(what, sizeof what, "the render %s after plugin '%s' built %s%s%s",
             event, call.plugin, header ? "the header" : "this '",
             header ? "" : call.type, header ? "" : "' section");
  } else {
    snprintf(what, sizeof what, "the render %s", event);
  }
  int at_section = call.file[0] && call.type[0] && call.phase != CV_CALL_LOAD;
  cv_diags_add(d, CV_SEV_ERROR, at_section ? call.file : o->input,
               at_section ? call.line : 0, at_section ? call.col : 0, "%s",
               what);
}

/* The child ended as a render ends: it said so, its exit status agrees,
 * and everything it sent parses. */
static int ended_well(const outcome *oc, const made *m) {
  return oc->reaped && !oc->timed_out && !oc->overflowed && !m->garbled &&
         m->has_end && m->has_stats && WIFEXITED(oc->status) &&
         WEXITSTATUS(oc->status) == (m->rc == 0 ? 0 : 1);
}

/* Writes the files of a render that succeeded: paths are the parent's own
 * (as cv_render makes them), never the child's. */
static int write_outputs(const cv_render_opts *o, made *m, cv_diags *d,
                         cv_render_stats *stats) {
  char *def = o->output ? NULL : cv_default_output(o->input);
  const char *out = o->output ? o->output : def;
  if (!out) {
    cv_diags_add(d, CV_SEV_ERROR, NULL, 0, 0, "out of memory");
    return -1;
  }
  snprintf(stats->output, sizeof stats->output, "%s", out);
  stats->bytes = 0;
  int rc = 0;
  if (!o->check_only) {
    int pdf = strcmp(out, "/dev/null") != 0;
    if ((o->trace && !m->has_trace) || (pdf && !m->has_pdf)) {
      cv_diags_add(d, CV_SEV_ERROR, o->input, 0, 0, "the render sent no %s",
                   pdf && !m->has_pdf ? "PDF" : "trace");
      rc = -1;
    } else {
      rc = cv_render_write_made(o, &m->trace, pdf ? out : NULL, m->pdf.data,
                                m->pdf.len, d, &stats->bytes);
    }
  }
  free(def);
  return rc;
}

static pthread_once_t warm_once = PTHREAD_ONCE_INIT;

/* fontconfig's first use reads its configuration and may write its cache
 * files when they are stale: done here, each child inherits a ready
 * configuration and never needs to write. */
static void warm_up(void) {
  (void)FcInit();
}

/* Everything the parent holds for one child. */
typedef struct run {
  shared_page *page;
  int fds[2];
  pid_t pid;
  cv_buf in;
  outcome oc;
  made m;
} run;

static int start(run *r, const cv_render_opts *o, size_t seconds, cv_diags *d) {
  r->page = mmap(NULL, sizeof *r->page, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (r->page == MAP_FAILED) {
    r->page = NULL;
  } else if (pipe2(r->fds, O_CLOEXEC) == 0) {
    pid_t parent = getpid();
    r->pid = fork();
    if (r->pid == 0) {
      close(r->fds[0]);
      child_main(o, r->fds[1], r->page, seconds, parent);
    }
    close(r->fds[1]);
    if (r->pid > 0)
      return 0;
    close(r->fds[0]);
  }
  cv_diags_add(d, CV_SEV_ERROR, o->input, 0, 0,
               "cannot start the render's process: %s", strerror(errno));
  return -1;
}

static void run_fini(run *r) {
  if (r->page)
    munmap(r->page, sizeof *r->page);
  /* The PDF of one CV must not linger where the next child, a copy of
   * this process, could read it. */
  if (r->m.pdf.data)
    explicit_bzero(r->m.pdf.data, r->m.pdf.cap);
  if (r->in.data)
    explicit_bzero(r->in.data, r->in.cap);
  cv_buf_fini(&r->m.pdf);
  cv_buf_fini(&r->m.trace);
  cv_buf_fini(&r->in);
}

/* What the child sent, judged: the outputs written when it ended well.
 * Returns 0 or -1 as cv_render. */
static int conclude(run *r, const cv_render_opts *o, size_t seconds,
                    cv_diags *d, cv_render_stats *stats) {
  int rc = -1;
  parse(&r->in, &r->m, d, stats);
  if (!ended_well(&r->oc, &r->m))
    report_abnormal(o, &r->oc, &r->m, r->page, seconds, d);
  else if (r->m.rc == 0)
    rc = write_outputs(o, &r->m, d, stats);
  return rc;
}

static size_t seconds_of(const cv_render_opts *o) {
  return o->max_seconds ? o->max_seconds : CV_DEFAULT_MAX_SECONDS;
}

static void run_init(run *r) {
  memset(r, 0, sizeof *r);
  r->fds[0] = -1;
  cv_buf_init(&r->in);
  cv_buf_init(&r->m.trace);
  cv_buf_init(&r->m.pdf);
}

int cv_render_isolated(const cv_render_opts *o, cv_diags *d,
                       cv_render_stats *stats) {
  cv_render_stats local;
  if (!stats)
    stats = &local;
  memset(stats, 0, sizeof *stats);
  double t0 = now();
  size_t seconds = seconds_of(o);
  cv_plugin_guard_install();
  pthread_once(&warm_once, warm_up);
  run r;
  run_init(&r);
  int rc = -1;
  if (start(&r, o, seconds, d) == 0) {
    double deadline = t0 + 2.0 * (double)seconds;
    collect(r.fds[0], r.pid, deadline, &r.in, &r.oc);
    close(r.fds[0]);
    reap(r.pid, deadline, &r.oc);
    rc = conclude(&r, o, seconds, d, stats);
  }
  run_fini(&r);
  stats->t_total = now() - t0;
  return rc;
}

/* A render of cv_render_isolated_all under way: reading its pipe
 * (fds[0] open), then waiting for the child to end. */
typedef struct slot {
  run r;
  size_t job;
  double t0, deadline;
  int busy;
} slot;

static void slot_end(slot *s, cv_isolated_job *j) {
  j->rc = conclude(&s->r, j->o, seconds_of(j->o), j->d, j->stats);
  run_fini(&s->r);
  j->stats->t_total = now() - s->t0;
  s->busy = 0;
}

/* Starts job i in a free slot; 1 when it runs, 0 when it ended at once. */
static int slot_start(slot *s, cv_isolated_job *j, size_t i) {
  memset(j->stats, 0, sizeof *j->stats);
  s->t0 = now();
  s->deadline = s->t0 + 2.0 * (double)seconds_of(j->o);
  s->job = i;
  run_init(&s->r);
  if (start(&s->r, j->o, seconds_of(j->o), j->d) < 0) {
    j->rc = -1;
    run_fini(&s->r);
    j->stats->t_total = now() - s->t0;
    return 0;
  }
  s->busy = 1;
  return 1;
}

/* One round: reads every ready pipe, kills what is past its deadline,
 * concludes every child that ended.  Returns how many ended. */
static size_t slots_step(slot *s, struct pollfd *p, size_t ns,
                         cv_isolated_job *jobs, void (*done)(void *, size_t),
                         void *ud) {
  int ms = 1000000000, waiting = 0;
  for (size_t k = 0; k < ns; k++) {
    p[k] = (struct pollfd){.fd = -1};
    if (!s[k].busy)
      continue;
    int left = remaining_ms(s[k].deadline);
    ms = left < ms ? left : ms;
    if (s[k].r.fds[0] >= 0)
      p[k] = (struct pollfd){.fd = s[k].r.fds[0], .events = POLLIN};
    else
      waiting = 1;
  }
  (void)poll(p, ns, waiting ? 1 : ms); /* EINTR: just another round */
  size_t ended = 0;
  for (size_t k = 0; k < ns; k++) {
    run *r = &s[k].r;
    if (!s[k].busy)
      continue;
    if (r->fds[0] >= 0 && remaining_ms(s[k].deadline) == 0) {
      r->oc.timed_out = 1;
      kill(r->pid, SIGKILL);
    }
    int reading = r->fds[0] >= 0;
    if (reading &&
        (r->oc.timed_out ||
         (p[k].revents && read_some(r->fds[0], r->pid, &r->in, &r->oc)))) {
      close(r->fds[0]);
      r->fds[0] = -1;
    }
    if (r->fds[0] < 0 && try_reap(r->pid, s[k].deadline, &r->oc)) {
      slot_end(&s[k], &jobs[s[k].job]);
      done(ud, s[k].job);
      ended++;
    }
  }
  return ended;
}

void cv_render_isolated_all(cv_isolated_job *jobs, size_t n, size_t parallel,
                            void (*done)(void *ud, size_t i), void *ud) {
  cv_plugin_guard_install();
  pthread_once(&warm_once, warm_up);
  size_t ns = parallel < 1 ? 1 : parallel > n ? n : parallel;
  slot *s = ns ? cv_calloc_n(ns, sizeof *s) : NULL;
  struct pollfd *p = ns ? cv_calloc_n(ns, sizeof *p) : NULL;
  size_t next = 0, active = 0;
  if (!s || !p)
    ns = 0;
  while (next < n) {
    for (size_t k = 0; k < ns && next < n; k++) {
      if (s[k].busy)
        continue;
      if (slot_start(&s[k], &jobs[next], next))
        active++;
      else
        done(ud, next);
      next++;
    }
    if (!ns) { /* no memory for slots: one at a time */
      jobs[next].rc =
          cv_render_isolated(jobs[next].o, jobs[next].d, jobs[next].stats);
      done(ud, next++);
    } else if (active == ns || next == n) {
      active -= slots_step(s, p, ns, jobs, done, ud);
    }
  }
  while (active)
    active -= slots_step(s, p, ns, jobs, done, ud);
  free(p);
  free(s);
}
