/* A preload library for tests/robust_files.sh that changes what a save
 * meets, so each path of the atomic-file module can be tested on any
 * machine:
 *
 *   SAVEFAULT_NOTMPFILE=1  open() with O_TMPFILE fails with EOPNOTSUPP, as
 *                          on a file system without it (the named
 *                          fallback is taken);
 *   SAVEFAULT_NOEMPTYPATH=1  linkat(AT_EMPTY_PATH) fails with ENOENT, as
 *                          for an unprivileged process on kernels before
 *                          6.10 (/proc/self/fd/N is then linked);
 *   SAVEFAULT_NOLINK=1     linking an open file into a directory
 *                          (AT_EMPTY_PATH, or /proc/self/fd/N) fails with
 *                          ENOENT, as without /proc and privilege;
 *   SAVEFAULT_SIGNAL=N     signal N is sent to the process in the middle of
 *                          a save: at the first fsync() of a regular file,
 *                          or, with SAVEFAULT_AT=rename, at the first
 *                          rename (when a linked temporary name exists).
 *
 * Built by the test with cc -shared -fPIC; it is not part of cvpdf. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int on(const char *name) {
  const char *v = getenv(name);
  return v && *v && strcmp(v, "0");
}

static void *next(const char *name) {
  return dlsym(RTLD_NEXT, name);
}

static void maybe_signal(const char *at) {
  const char *want = getenv("SAVEFAULT_AT");
  if (strcmp(want && *want ? want : "fsync", at) || !on("SAVEFAULT_SIGNAL"))
    return;
  kill(getpid(), atoi(getenv("SAVEFAULT_SIGNAL")));
}

static int tmpfile_refused(int flags) {
  if ((flags & O_TMPFILE) == O_TMPFILE && on("SAVEFAULT_NOTMPFILE")) {
    errno = EOPNOTSUPP;
    return 1;
  }
  return 0;
}

int openat(int dirfd, const char *path, int flags, ...) {
  static int (*real)(int, const char *, int, ...);
  if (!real)
    real = (int (*)(int, const char *, int, ...))next("openat");
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE
                    ? (mode_t)va_arg(ap, int)
                    : 0;
  va_end(ap);
  if (tmpfile_refused(flags))
    return -1;
  return real(dirfd, path, flags, mode);
}

/* The same function under its large-file name. */
int openat64(int dirfd, const char *path, int flags, ...)
    __attribute__((alias("openat")));

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
           int flags) {
  static int (*real)(int, const char *, int, const char *, int);
  if (!real)
    real = (int (*)(int, const char *, int, const char *, int))next("linkat");
  int empty = (flags & AT_EMPTY_PATH) != 0;
  if ((empty && on("SAVEFAULT_NOEMPTYPATH")) ||
      (on("SAVEFAULT_NOLINK") &&
       (empty || !strncmp(oldpath, "/proc/self/fd/", 14)))) {
    errno = ENOENT;
    return -1;
  }
  return real(olddirfd, oldpath, newdirfd, newpath, flags);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd,
             const char *newpath) {
  static int (*real)(int, const char *, int, const char *);
  if (!real)
    real = (int (*)(int, const char *, int, const char *))next("renameat");
  maybe_signal("rename");
  return real(olddirfd, oldpath, newdirfd, newpath);
}

int rename(const char *oldpath, const char *newpath) {
  static int (*real)(const char *, const char *);
  if (!real)
    real = (int (*)(const char *, const char *))next("rename");
  maybe_signal("rename");
  return real(oldpath, newpath);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real)
    real = (int (*)(int))next("fsync");
  struct stat sb;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
    maybe_signal("fsync");
  return real(fd);
}
