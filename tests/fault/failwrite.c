/* A fault-injecting preload library for tests/hostile.sh: write(), fwrite()
 * and fsync() on files whose name contains FAILWRITE_MATCH (by default a
 * temporary file: a name with ".tmp-", or an unnamed O_TMPFILE file) fail
 * with ENOSPC once FAILWRITE_AFTER bytes (default 0) have been written to
 * such files, as on a disk that fills up mid-save.
 *
 * Built by the test with cc -shared -fPIC; it is not part of cvpdf.  The
 * byte counter is process-wide on purpose: a disk fills up for everyone. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_size_t written;

/* Whether fd refers to a file this library is told to break. */
static int targeted(int fd) {
  char link[64], name[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, name, sizeof name - 1);
  if (n <= 0)
    return 0;
  name[n] = '\0';
  const char *match = getenv("FAILWRITE_MATCH");
  if (match && *match)
    return strstr(name, match) != NULL;
  /* A named temporary file, or an unnamed one (O_TMPFILE), which /proc
   * shows as "DIR/#INODE (deleted)". */
  size_t len = strlen(name);
  return strstr(name, ".tmp-") != NULL ||
         (strstr(name, "/#") && len > 10 &&
          !strcmp(name + len - 10, " (deleted)"));
}

static size_t budget(void) {
  const char *s = getenv("FAILWRITE_AFTER");
  return s ? (size_t)strtoull(s, NULL, 10) : 0;
}

/* How many of n bytes may still go to a targeted file; counts them. */
static size_t allow(size_t n) {
  size_t limit = budget(), done = atomic_load(&written);
  size_t room = done < limit ? limit - done : 0;
  size_t k = n < room ? n : room;
  atomic_fetch_add(&written, k);
  return k;
}

ssize_t write(int fd, const void *buf, size_t n) {
  static ssize_t (*real)(int, const void *, size_t);
  if (!real)
    real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  if (n == 0 || !targeted(fd))
    return real(fd, buf, n);
  size_t k = allow(n);
  if (k == 0) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, k);
}

size_t fwrite(const void *buf, size_t size, size_t nmemb, FILE *f) {
  static size_t (*real)(const void *, size_t, size_t, FILE *);
  if (!real)
    real = (size_t(*)(const void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT,
                                                                  "fwrite");
  if (size == 0 || nmemb == 0 || !targeted(fileno(f)))
    return real(buf, size, nmemb, f);
  /* Only whole items count, as fwrite reports them. */
  size_t total = size * nmemb, k = allow(total) / size;
  size_t done = k ? real(buf, size, k, f) : 0;
  if (done < nmemb)
    errno = ENOSPC;
  return done;
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real)
    real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  if (targeted(fd) && getenv("FAILWRITE_FSYNC")) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd);
}
