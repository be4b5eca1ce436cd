/* cvpdf - the serve command: the CV's source in an editor in the browser,
 * with its pages beside it, rendered again as it is typed. */
#define _GNU_SOURCE /* signalfd, inotify_init1 flags, mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cli/serve.h"
#include "text/cldr.h"
#include "text/text.h"
#include "typeset/services.h"

extern char **environ;

#define DEFAULT_PORT 8000
/* Ports tried from the default one on while they are busy (8000 to 8019);
 * a port given with --port is taken or refused. */
#define PORT_TRIES 20

enum { OPT_PORT = 2000, OPT_HOST, OPT_OPEN };

typedef struct serve_cmd {
  const char *host;
  long port; /* -1: the default, or the next free one after it */
  int open;
} serve_cmd;

static int parse_port(const char *arg, long *port) {
  char *end;
  errno = 0;
  long v = strtol(arg, &end, 10);
  if (!*arg || *end || errno || v < 0 || v > 65535) {
    fprintf(stderr, "cvpdf: --port expected 0 to 65535, found '%s'\n", arg);
    return -1;
  }
  *port = v;
  return 0;
}

/* Returns the index of the CV argument, 0 after --help, -2 on a usage
 * error. */
static int parse_args(int argc, char **argv, serve_cmd *cmd, cv_serve *s) {
  static const struct option own[] = {
      {"port", required_argument, NULL, OPT_PORT},
      {"host", required_argument, NULL, OPT_HOST},
      {"open", no_argument, NULL, OPT_OPEN},
      {"help", no_argument, NULL, 'h'}};
  enum { NOWN = sizeof own / sizeof *own };
  struct option longopts[64] = {{0}};
  size_t n = 0;
  for (; cv_render_shape_options[n].name && n + NOWN + 1 < 64; n++)
    longopts[n] = cv_render_shape_options[n];
  memcpy(longopts + n, own, sizeof own);
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "l:p:h", longopts, NULL)) != -1) {
    int took = cv_render_args_take(&s->args, c, optarg);
    if (took < 0)
      return -2;
    if (took)
      continue;
    if (c == OPT_PORT) {
      if (parse_port(optarg, &cmd->port) < 0)
        return -2;
    } else if (c == OPT_HOST) {
      cmd->host = optarg;
    } else if (c == OPT_OPEN) {
      cmd->open = 1;
    } else {
      int rc = cv_common_opt(c, optarg, NULL, NULL);
      return rc == 0 ? 0 : -2;
    }
  }
  if (optind != argc - 1) {
    fputs("cvpdf: serve needs one CV file, as in: cvpdf serve cv.yaml "
          "[--port N] [--host ADDR] [--open] [render options]\n",
          stderr);
    return -2;
  }
  return optind;
}

/* ---- setting up ------------------------------------------------------- */

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The installed layouts, for the page's switch: every NAME.yaml of the
 * layout dirs, sorted, each once. */
static char **list_layouts(const char *const *dirs) {
  char **v = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; dirs && dirs[i]; i++) {
    DIR *d = opendir(dirs[i]);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      size_t len = strlen(e->d_name);
      if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") ||
          e->d_name[0] == '.')
        continue;
      if (cv_grow((void **)&v, &cap, n + 2, sizeof *v) < 0)
        break;
      if ((v[n] = cv_strndup(e->d_name, len - 5)))
        n++;
    }
    if (d)
      closedir(d);
  }
  if (!v)
    return cv_calloc_n(1, sizeof *v);
  qsort(v, n, sizeof *v, cmp_names);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (k && !strcmp(v[k - 1], v[i]))
      free(v[i]);
    else
      v[k++] = v[i];
  }
  v[k] = NULL;
  return v;
}

static int make_token(char *out) {
  unsigned char raw[16];
  size_t got = 0;
  while (got < sizeof raw) {
    ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    got += (size_t)n;
  }
  for (size_t i = 0; i < sizeof raw; i++)
    snprintf(out + 2 * i, 3, "%02x", raw[i]);
  return 0;
}

/* A private directory for the PDF each render writes: the server writes
 * nothing beside the CV but the CV. */
static int make_tmpdir(cv_serve *s) {
  if (cv_private_tmpdir(s->tmpdir, sizeof s->tmpdir, "serve") < 0) {
    s->tmpdir[0] = '\0';
    return -1;
  }
  snprintf(s->pdf_tmp, sizeof s->pdf_tmp, "%s/cv.pdf", s->tmpdir);
  return 0;
}

static int setup(cv_serve *s) {
  s->real_path = realpath(s->cv_path, NULL);
  if (!s->real_path) {
    fprintf(stderr, "cvpdf: serve: %s: %s\n", s->cv_path, strerror(errno));
    return -1;
  }
  char *a = cv_strdup(s->real_path), *b = cv_strdup(s->real_path);
  s->dir = a ? cv_strdup(dirname(a)) : NULL;
  s->base = b ? cv_strdup(basename(b)) : NULL;
  free(a);
  free(b);
  if (!s->dir || !s->base || cv_serve_load(s) < 0)
    return -1;
  s->body_limit = s->args.o.limits.max_input_bytes;
  cv_status st = {0};
  s->fonts = cv_fontcache_create(&st);
  s->hyph = cv_hyphcache_create();
  s->dates = cv_datecache_create();
  s->layouts = list_layouts(s->args.o.layout_dirs);
  if (!s->fonts || !s->hyph || !s->dates || !s->layouts) {
    fprintf(stderr, "cvpdf: serve: %s\n", st.failed ? st.msg : "out of memory");
    return -1;
  }
  /* The schema only feeds completion: without it the page still works,
   * and each render says what is wrong with the plugins. */
  const cv_render_opts *o = &s->args.o;
  if (cv_schema_json(o->plugin_dirs,
                     o->safe ? NULL : getenv("CVPDF_PLUGIN_PATH"),
                     o->default_plugin_dir, &s->schema, &st) < 0) {
    fprintf(stderr, "cvpdf: serve: no completion of field names: %s\n", st.msg);
    cv_buf_reset(&s->schema);
    cv_buf_puts(&s->schema, "{}");
    memset(&st, 0, sizeof st);
  }
  /* Without them each render loads the plugins from scratch, and says
   * what is wrong with them. */
  s->pinned = cv_plugins_create(cv_host_table());
  if (s->pinned &&
      cv_plugins_load_search(s->pinned, o->plugin_dirs,
                             o->safe ? NULL : getenv("CVPDF_PLUGIN_PATH"),
                             o->default_plugin_dir, &st) < 0) {
    cv_plugins_destroy(s->pinned);
    s->pinned = NULL;
    memset(&st, 0, sizeof st);
  }
  if (make_token(s->token) < 0) {
    fprintf(stderr, "cvpdf: serve: no random numbers: %s\n", strerror(errno));
    return -1;
  }
  return make_tmpdir(s);
}

static void teardown(cv_serve *s) {
  if (s->tmpdir[0]) {
    unlink(s->pdf_tmp);
    rmdir(s->tmpdir);
  }
  if (s->snap)
    cv_snapshot_release(s, s->snap);
  for (size_t i = 0; s->layouts && s->layouts[i]; i++)
    free(s->layouts[i]);
  free(s->layouts);
  cv_buf_fini(&s->schema);
  cv_plugins_destroy(s->pinned);
  cv_hyphcache_destroy(s->hyph);
  cv_datecache_destroy(s->dates);
  cv_fontcache_destroy(s->fonts);
  free(s->disk_text);
  free(s->real_path);
  free(s->dir);
  free(s->base);
}

/* ---- listening -------------------------------------------------------- */

static int is_loopback(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET)
    return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) ==
           127;
  const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
  return IN6_IS_ADDR_LOOPBACK(a);
}

static int is_wildcard(const struct sockaddr *sa) {
  if (sa->sa_family == AF_INET)
    return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == INADDR_ANY;
  const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
  return IN6_IS_ADDR_UNSPECIFIED(a);
}

/* A listening socket on ai's address and port; -1 with errno set. */
static int listen_on(const struct addrinfo *ai, unsigned port) {
  struct sockaddr_storage ss;
  memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
  if (ss.ss_family == AF_INET)
    ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
  else
    ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&ss, ai->ai_addrlen) < 0 ||
      listen(fd, 64) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

/* Binds the address of --host and a port: --port's, or the default or one
 * of the next free ones.  Returns the socket, or -1 after saying why. */
static int bind_address(cv_serve *s, const serve_cmd *cmd) {
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  int gai = getaddrinfo(cmd->host, "0", &hints, &res);
  if (gai != 0 || !res) {
    fprintf(stderr, "cvpdf: serve: --host %s: %s\n", cmd->host,
            gai ? gai_strerror(gai) : "no address");
    return -1;
  }
  unsigned first = cmd->port >= 0 ? (unsigned)cmd->port : DEFAULT_PORT;
  int tries = cmd->port >= 0 ? 1 : PORT_TRIES;
  int fd = -1;
  for (int i = 0; i < tries && fd < 0; i++)
    fd = listen_on(res, first + (unsigned)i);
  if (fd < 0) {
    fprintf(stderr, "cvpdf: serve: cannot listen on %s port %u%s: %s%s\n",
            cmd->host, first, tries > 1 ? " or the next ones" : "",
            strerror(errno),
            errno == EADDRINUSE ? " (choose another with --port; --port 0 "
                                  "takes any free one)"
                                : "");
  } else {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    s->port = ntohs(ss.ss_family == AF_INET
                        ? ((struct sockaddr_in *)&ss)->sin_port
                        : ((struct sockaddr_in6 *)&ss)->sin6_port);
    s->loopback = is_loopback((struct sockaddr *)&ss);
    s->wildcard = is_wildcard((struct sockaddr *)&ss);
    snprintf(s->host, sizeof s->host, strchr(cmd->host, ':') ? "[%s]" : "%s",
             cmd->host);
  }
  freeaddrinfo(res);
  return fd;
}

/* ---- running ---------------------------------------------------------- */

/* The first render, before the page asks: it warms the font and
 * hyphenation caches and says at once what is wrong with the CV. */
static void first_render(cv_serve *s) {
  cv_buf json;
  cv_buf_init(&json);
  cv_serve_render(s, s->disk_text, s->disk_len, NULL, NULL, &json, NULL);
  cv_snapshot *snap = cv_serve_snapshot(s);
  if (snap)
    fprintf(stderr, "cvpdf: serve: rendered %s (%zu page%s)\n", s->cv_path,
            snap->npages, snap->npages == 1 ? "" : "s");
  else
    fprintf(stderr,
            "cvpdf: serve: %s does not render yet; the page shows "
            "why\n",
            s->cv_path);
  cv_snapshot_release(s, snap);
  cv_buf_fini(&json);
}

/* Returns xdg-open's process id, to be reaped, or -1. */
static pid_t open_browser(const char *url) {
  char *argv[] = {"xdg-open", (char *)url, NULL};
  pid_t pid;
  if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) == 0)
    return pid;
  fprintf(stderr, "cvpdf: serve: cannot start xdg-open; open the address "
                  "above in a browser\n");
  return -1;
}

/* Another program changed the CV: offer it to the page. */
static int reload(void *ud) {
  cv_serve_reload(ud);
  return 0;
}

static int run(cv_serve *s, const serve_cmd *cmd, int sfd) {
  int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (ifd < 0 || inotify_add_watch(ifd, s->dir,
                                   IN_CLOSE_WRITE | IN_MOVED_TO |
                                       IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
    fprintf(stderr, "cvpdf: serve: cannot watch %s: %s\n", s->dir,
            strerror(errno));
    if (ifd >= 0)
      close(ifd);
    return 1;
  }
  int lfd = bind_address(s, cmd);
  struct MHD_Daemon *d = lfd >= 0 ? cv_serve_start(s, lfd) : NULL;
  if (!d) {
    if (lfd >= 0)
      close(lfd);
    close(ifd);
    return 1;
  }
  char url[512];
  snprintf(url, sizeof url, "http://%s:%u/?token=%s", s->host, s->port,
           s->token);
  printf("%s\n", url);
  fflush(stdout);
  fprintf(stderr, "cvpdf: serving %s at the address above (Ctrl-C stops)\n",
          s->cv_path);
  pid_t opener = cmd->open ? open_browser(url) : -1;
  cv_watchset ws = {.wd = {-1}, .n = 1};
  snprintf(ws.name[0], sizeof ws.name[0], "%s", s->base);
  int rc = cv_watch_loop(sfd, ifd, &ws, "serve", s->cv_path, reload, s);
  /* Pages waiting for a change are answered at once; renders finish. */
  pthread_mutex_lock(&s->mu);
  s->stopping = 1;
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->mu);
  cv_serve_stop(d);
  close(lfd);
  close(ifd);
  if (opener > 0)
    waitpid(opener, NULL, WNOHANG);
  if (rc == 0)
    fprintf(stderr, "cvpdf: serve: stopped\n");
  return rc;
}

static int init_locks(cv_serve *s) {
  if (pthread_mutex_init(&s->mu, NULL) != 0)
    return -1;
  if (pthread_cond_init(&s->changed, NULL) != 0) {
    pthread_mutex_destroy(&s->mu);
    return -1;
  }
  if (pthread_mutex_init(&s->render_mu, NULL) != 0) {
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->mu);
    return -1;
  }
  return 0;
}

static void fini_locks(cv_serve *s) {
  pthread_mutex_destroy(&s->render_mu);
  pthread_cond_destroy(&s->changed);
  pthread_mutex_destroy(&s->mu);
}

int cv_cmd_serve(int argc, char **argv) {
  cv_serve *s = calloc(1, sizeof *s);
  if (!s || init_locks(s) < 0) {
    fputs("cvpdf: out of memory\n", stderr);
    free(s);
    return 1;
  }
  serve_cmd cmd = {.host = "127.0.0.1", .port = -1};
  cv_find_dirs(&s->dirs);
  cv_render_args_init(&s->args, &s->dirs);
  int at = parse_args(argc, argv, &cmd, s);
  int rc = at < 0 ? 2 : at == 0 ? 0 : 1;
  /* Signals go to a descriptor, blocked in every thread the server
   * starts: Ctrl-C ends the wait at once, and a client gone mid-reply
   * raises no SIGPIPE. */
  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGHUP);
  sigaddset(&mask, SIGPIPE);
  int sfd = -1;
  if (at > 0) {
    s->cv_path = argv[at];
    if (setup(s) == 0 && pthread_sigmask(SIG_BLOCK, &mask, &old) == 0) {
      sigdelset(&mask, SIGPIPE);
      sfd = signalfd(-1, &mask, SFD_CLOEXEC);
      if (sfd < 0)
        fprintf(stderr, "cvpdf: serve: signalfd: %s\n", strerror(errno));
      else
        first_render(s);
      rc = sfd < 0 ? 1 : run(s, &cmd, sfd);
      if (sfd >= 0)
        close(sfd);
      pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
  }
  teardown(s);
  fini_locks(s);
  free(s);
  return rc;
}
