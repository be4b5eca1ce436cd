/* cvpdf - the watch command: render again whenever the CV changes. */
#define _GNU_SOURCE /* signalfd, inotify_init1 flags */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/files.h"
#include "cli/cli.h"
#include "document/model.h"
#include "pipeline/render.h"

/* Events after the first one that still belong to the same save (an
 * editor writes a backup, the file, then sets attributes) arrive within
 * this many milliseconds. */
#define SETTLE_MS 60

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int watched(const cv_watchset *ws, int wd, const char *name) {
  for (size_t i = 0; i < ws->n; i++)
    if ((ws->wd[i] < 0 || ws->wd[i] == wd) && !strcmp(ws->name[i], name))
      return 1;
  return 0;
}

typedef struct watch {
  int argc; /* of argv: "render", "-q", the user's arguments */
  char **argv;
  const char *input;
  char *output;      /* as render will name it; owned */
  int ifd;           /* inotify */
  cv_watchset files; /* the input, and the documents it names */
} watch;

/* Watches file's directory for file (once). */
static void watch_file(watch *w, const char *file) {
  char *dcopy = cv_strdup(file), *bcopy = cv_strdup(file);
  const char *base = bcopy ? basename(bcopy) : NULL;
  int wd = dcopy && base ? inotify_add_watch(w->ifd, dirname(dcopy),
                                             IN_CLOSE_WRITE | IN_MOVED_TO |
                                                 IN_DELETE_SELF | IN_MOVE_SELF)
                         : -1;
  if (wd >= 0 && strlen(base) < sizeof w->files.name[0] &&
      !watched(&w->files, wd, base) && w->files.n < CV_WATCH_MAX) {
    w->files.wd[w->files.n] = wd;
    snprintf(w->files.name[w->files.n++], sizeof w->files.name[0], "%s", base);
  }
  free(dcopy);
  free(bcopy);
}

/* name, relative to the directory of the file `from`, into out. */
static void beside(const char *from, const char *name, char *out, size_t cap) {
  const char *slash = strrchr(from, '/');
  if (name[0] == '/' || !slash)
    snprintf(out, cap, "%s", name);
  else
    snprintf(out, cap, "%.*s/%s", (int)(slash - from), from, name);
}

/* Watches file and what it renders with: a letter's CV (cv:), an
 * application's parts (bundle:) and theirs.  depth: 0 for the input. */
static void watch_tree(watch *w, const char *file, int depth) {
  watch_file(w, file);
  cv_diags d;
  cv_diags_init(&d);
  cv_model *m = depth < 2 ? cv_model_load_file(file, NULL, &d) : NULL;
  const cvpdf_node *root = m ? m->root : NULL;
  char path[PATH_MAX];
  const char *cv = root ? cv_node_get_str(root, "cv") : NULL;
  if (cv) {
    beside(file, cv, path, sizeof path);
    watch_file(w, path);
  }
  const cvpdf_node *parts = root ? cv_node_get(root, "bundle") : NULL;
  for (size_t i = 0; depth == 0 && i < cv_node_len(parts); i++) {
    const char *part = cv_node_str(cv_node_at(parts, i));
    if (part) {
      beside(file, part, path, sizeof path);
      watch_tree(w, path, depth + 1);
    }
  }
  cv_model_destroy(m);
  cv_diags_fini(&d);
}

/* Renders once through the render command itself, so watch takes every
 * option render takes and reports as it does.  Returns render's status. */
static int render_once(watch *w) {
  double t0 = now();
  /* render parses with getopt, which expects to start afresh. */
  int rc = cv_cmd_render(w->argc, w->argv);
  double ms = (now() - t0) * 1e3;
  char stamp[16] = "";
  time_t t = time(NULL);
  struct tm tm;
  if (localtime_r(&t, &tm))
    strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
  if (rc == 0)
    fprintf(stderr, "%s %s -> %s: rendered in %.1f ms\n", stamp, w->input,
            w->output, ms);
  else if (rc == 1)
    fprintf(stderr, "%s %s: failed after %.1f ms; waiting for a change\n",
            stamp, w->input, ms);
  fflush(stderr);
  return rc;
}

/* Reads the pending inotify events.  Returns 1 when one of them is a new
 * version of a watched file, -1 when a directory itself went away. */
static int read_events(int fd, const cv_watchset *ws) {
  /* Aligned as inotify_event, as inotify(7) shows. */
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  int changed = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return changed;
    for (char *p = buf; p < buf + n;) {
      const struct inotify_event *ev = (const struct inotify_event *)p;
      if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
        return -1;
      /* Written in place (close after write), or replaced by a rename, as
       * most editors save. */
      if ((ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && ev->len &&
          watched(ws, ev->wd, ev->name))
        changed = 1;
      p += sizeof *ev + ev->len;
    }
  }
}

/* Which of fds is readable within ms (-1: wait for ever): its index, -1
 * on timeout, -2 on error. */
static int wait_fds(const int *fds, int n, int ms) {
  struct pollfd p[2];
  for (int i = 0; i < n; i++)
    p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
  int r;
  do
    r = poll(p, (nfds_t)n, ms);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return -2;
  for (int i = 0; i < n; i++)
    if (p[i].revents)
      return i;
  return -1;
}

/* Reads the signal that ended the wait, so it is not delivered again
 * when the old signal mask comes back. */
static int take_signal(int sfd) {
  struct signalfd_siginfo si;
  ssize_t n;
  do
    n = read(sfd, &si, sizeof si);
  while (n < 0 && errno == EINTR);
  return 0;
}

int cv_watch_loop(int sfd, int ifd, const cv_watchset *ws, const char *who,
                  const char *input, int (*changed)(void *), void *ud) {
  const int fds[2] = {sfd, ifd};
  for (;;) {
    int r = wait_fds(fds, 2, -1);
    if (r == 0)
      return take_signal(sfd);
    if (r < 0) {
      fprintf(stderr, "cvpdf: %s: poll: %s\n", who, strerror(errno));
      return 1;
    }
    int ch = read_events(ifd, ws);
    if (ch < 0)
      goto gone;
    if (!ch)
      continue;
    /* Let the save finish: act once for a burst of events. */
    while ((r = wait_fds(fds, 2, SETTLE_MS)) == 1)
      if (read_events(ifd, ws) < 0)
        goto gone;
    if (r == 0)
      return take_signal(sfd);
    int rc = changed(ud);
    if (rc)
      return rc;
  }
gone:
  fprintf(stderr, "cvpdf: %s: the directory of %s was removed or moved\n", who,
          input);
  return 1;
}

/* A save: render again; render's usage errors end the watch.  The
 * documents named may have changed too. */
static int rerender(void *ud) {
  watch *w = ud;
  int rc = render_once(w) == 2 ? 2 : 0;
  watch_tree(w, w->input, 0);
  return rc;
}

/* The CV file: first, as the usage shows it, or else the one argument
 * left after render's options. */
static const char *find_input(int argc, char **argv) {
  if (argc > 1 && argv[1][0] != '-')
    return argv[1];
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"layout", required_argument, NULL, 'l'},
      {"plugin-dir", required_argument, NULL, 'p'},
      {"trace", required_argument, NULL, 't'},
      {"quiet", no_argument, NULL, 'q'},
      {"timing", no_argument, NULL, 'T'},
      {"only", required_argument, NULL, 'O'},
      {"lang", required_argument, NULL, 'x'},
      {"max-input-bytes", required_argument, NULL, 'x'},
      {"max-depth", required_argument, NULL, 'x'},
      {"max-nodes", required_argument, NULL, 'x'},
      {"max-string", required_argument, NULL, 'x'},
      {"max-pages", required_argument, NULL, 'x'},
      {"safe", no_argument, NULL, 'x'},
      {"offline", no_argument, NULL, 'x'},
      {"jobs", required_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int c;
  optind = 1;
  opterr = 0; /* render reports bad options itself, on the first render */
  while ((c = getopt_long(argc, argv, "o:l:p:j:qh", longopts, NULL)) != -1)
    ;
  opterr = 1;
  return optind == argc - 1 ? argv[optind] : NULL;
}

static const char *find_output(int argc, char **argv) {
  const char *out = NULL;
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output"))
      out = argv[i + 1];
  for (int i = 1; i < argc; i++)
    if (!strncmp(argv[i], "--output=", 9))
      out = argv[i] + 9;
    else if (!strncmp(argv[i], "-o", 2) && argv[i][2])
      out = argv[i] + 2;
  return out;
}

int cv_cmd_watch(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      fputs(cv_usage, stdout);
      return 0;
    }
  /* A copy: getopt reorders its argv, and render is called many times. */
  char **rargv = cv_calloc_n((size_t)argc + 2, sizeof *rargv);
  if (!rargv) {
    fputs("cvpdf: out of memory\n", stderr);
    return 1;
  }
  rargv[0] = "render";
  rargv[1] = "-q"; /* watch prints its own line for each render */
  for (int i = 1; i < argc; i++)
    rargv[i + 1] = argv[i];
  watch w = {.argc = argc + 1, .argv = rargv};
  w.input = find_input(argc, argv);
  if (!w.input) {
    fputs("cvpdf: watch needs one CV file, as in: cvpdf watch cv.yaml "
          "[render options]\n",
          stderr);
    free(rargv);
    return 2;
  }
  /* A CV that is not there yet is waited for; one that is there must be
   * a regular file (a FIFO would otherwise be "changed" by every
   * writer). */
  char why[256];
  struct stat sb;
  int fd = cv_input_open(NULL, w.input, 0, NULL, &sb, why, sizeof why);
  if (fd >= 0) {
    close(fd);
  } else if (errno != ENOENT) {
    fprintf(stderr, "%s: error: cannot read '%s': %s\n", w.input, w.input, why);
    free(rargv);
    return 1;
  }
  const char *out = find_output(argc, argv);
  w.output = out ? cv_strdup(out) : cv_default_output(w.input);
  int rc = 1, sfd = -1, ifd = -1;
  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGHUP);
  int blocked = 0;
  if (!w.output) {
    fputs("cvpdf: out of memory\n", stderr);
    goto done;
  }
  /* Signals arrive on a descriptor beside the inotify one: no handler and
   * no global flag, and Ctrl-C ends the wait at once. */
  if (sigprocmask(SIG_BLOCK, &mask, &old) < 0 ||
      (blocked = 1, sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0) {
    fprintf(stderr, "cvpdf: watch: signalfd: %s\n", strerror(errno));
    goto done;
  }
  ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (ifd < 0) {
    fprintf(stderr, "cvpdf: watch: inotify: %s\n", strerror(errno));
    goto done;
  }
  /* The directories, not the files: an editor that saves by writing a
   * new file and renaming it over the old one leaves a watch on the old
   * file watching nothing. */
  w.ifd = ifd;
  watch_tree(&w, w.input, 0);
  if (w.files.n == 0) {
    fprintf(stderr, "cvpdf: watch: cannot watch the directory of %s: %s\n",
            w.input, strerror(errno));
    goto done;
  }
  fprintf(stderr, "cvpdf: watching %s (Ctrl-C stops)\n", w.input);
  rc = render_once(&w);
  if (rc != 2)
    rc = cv_watch_loop(sfd, ifd, &w.files, "watch", w.input, rerender, &w);
  if (rc == 0)
    fprintf(stderr, "cvpdf: stopped watching %s\n", w.input);
done:
  if (ifd >= 0)
    close(ifd);
  if (sfd >= 0)
    close(sfd);
  if (blocked)
    sigprocmask(SIG_SETMASK, &old, NULL);
  free(w.output);
  free(rargv);
  return rc;
}
