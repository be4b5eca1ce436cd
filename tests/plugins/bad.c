/* Test plugins for tests/robust_plugins.sh: each handles section type
 * "bad" and misbehaves when it builds one, as the macro it is compiled
 * with says:
 *   BAD_SEGV     writes through a null pointer
 *   BAD_LOOP     loops forever
 *   BAD_SLEEP    sleeps forever (no CPU time: only a clock stops it)
 *   BAD_EXIT     calls exit(0)
 *   BAD_ABORT    calls abort()
 *   BAD_RECURSE  recurses until its stack overflows
 *   BAD_WRITE    creates a file for writing ($BAD_TARGET) and writes to it
 *   BAD_SOCKET   opens a socket and connects to 127.0.0.1:9
 *   BAD_EXEC     runs /bin/sh -c 'touch $BAD_TARGET'
 *   BAD_MEMORY   allocates and touches 2 GiB
 *   BAD_LIMITS   reports its resource limits as a warning, then builds
 *   BAD_INIT_SEGV  crashes in init() instead
 * Whatever the plugin manages to do is reported through host->error, so a
 * render that lets it through ends with that message. */
#define _GNU_SOURCE
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile int sink;

__attribute__((unused)) static const char *target(void) {
  const char *t = getenv("BAD_TARGET");
  return t ? t : "/tmp/cvpdf-bad-plugin-target";
}

#ifdef BAD_LIMITS
static void limits(const cvpdf_host *h, cvpdf_builder *b,
                   const cvpdf_node *sec) {
  static const int res[] = {RLIMIT_CPU, RLIMIT_AS, RLIMIT_NOFILE, RLIMIT_FSIZE,
                            RLIMIT_CORE};
  static const char *const names[] = {"cpu", "as", "nofile", "fsize", "core"};
  char buf[256];
  size_t len = 0;
  for (int i = 0; i < 5; i++) {
    struct rlimit r;
    getrlimit(res[i], &r);
    if (r.rlim_cur == RLIM_INFINITY)
      len += (size_t)snprintf(buf + len, sizeof buf - len, " %s=unlimited",
                              names[i]);
    else
      len += (size_t)snprintf(buf + len, sizeof buf - len, " %s=%llu", names[i],
                              (unsigned long long)r.rlim_cur);
  }
  h->warn(b, sec, "limits:%s", buf);
}
#endif

#ifdef BAD_RECURSE
static int deeper(volatile char *up) {
  volatile char frame[1024];
  frame[0] = up ? up[0] : 1;
  if (sink >= 0) /* always: the compiler cannot know */
    return deeper(frame) + frame[1];
  return 0;
}
#endif

static void misbehave(const cvpdf_host *h, cvpdf_builder *b,
                      const cvpdf_node *sec) {
  (void)h;
  (void)b;
  (void)sec;
#if defined(BAD_SEGV)
  *(volatile int *)(sink ? &sink : NULL) = 1;
#elif defined(BAD_LOOP)
  for (;;)
    sink++;
#elif defined(BAD_SLEEP)
  for (;;)
    sleep(60);
#elif defined(BAD_EXIT)
  exit(0);
#elif defined(BAD_ABORT)
  abort();
#elif defined(BAD_RECURSE)
  sink = deeper(NULL);
#elif defined(BAD_WRITE)
  int fd = open(target(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    (void)!write(fd, "owned\n", 6);
    close(fd);
    h->error(b, sec, "wrote %s", target());
  }
#elif defined(BAD_SOCKET)
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s >= 0) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(9)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)connect(s, (struct sockaddr *)&a, sizeof a);
    close(s);
    h->error(b, sec, "opened a socket");
  }
#elif defined(BAD_EXEC)
  char cmd[600];
  snprintf(cmd, sizeof cmd, "touch '%s'", target());
  execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
  h->error(b, sec, "exec failed");
#elif defined(BAD_MEMORY)
  size_t n = (size_t)2 << 30;
  char *p = malloc(n);
  if (!p) {
    h->error(b, sec, "could not allocate 2 GiB");
    return;
  }
  for (size_t i = 0; i < n; i += 4096)
    p[i] = 1;
  sink = p[n / 2];
  free(p);
  h->error(b, sec, "allocated 2 GiB");
#elif defined(BAD_LIMITS)
  limits(h, b, sec);
#endif
}

static int bad_init(const cvpdf_host *h, void **state) {
  (void)h;
  (void)state;
#ifdef BAD_INIT_SEGV
  *(volatile int *)(sink ? &sink : NULL) = 1;
#endif
  return 0;
}

static int bad_build(void *state, const cvpdf_host *h, cvpdf_builder *b,
                     const char *type, const cvpdf_node *sec) {
  (void)state;
  (void)type;
  misbehave(h, b, sec);
  h->paragraph(b, "body", "The bad plugin returned.");
  return 0;
}

static const cvpdf_field fields[] = {
    {.name = "text", .type = CVPDF_FIELD_STRING, .doc = "ignored"},
    {.name = NULL}};

static const cvpdf_section_type types[] = {
    {.name = "bad", .doc = "misbehaves", .fields = fields}, {.name = NULL}};

CVPDF_PLUGIN_EXPORT const cvpdf_plugin cvpdf_plugin_descriptor = {
    CVPDF_PLUGIN_HEADER, .name = "bad",    .version = "1.0",
    .types = types,      .init = bad_init, .build = bad_build};
