/* cvpdf - writing an output file atomically (see atomic.h for the rules). */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH, renameat2 */
#include "base/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* ---- named temporary files and signals ------------------------------- */

/* The one piece of process-wide mutable state in cvpdf, and why: a signal
 * handler can reach nothing else.  While a named temporary file exists
 * (only where O_TMPFILE is missing, or for the instant between linking
 * the unnamed file and renaming it), its directory and name sit in a
 * slot here, so SIGINT, SIGTERM or SIGHUP remove it before the process
 * ends.  Slots are claimed and released with atomics, which the handler
 * may read; nothing else is shared between renders. */
#define PENDING_SLOTS 128

enum { SLOT_FREE, SLOT_FILLING, SLOT_SET };

typedef struct pending_file {
  atomic_int state;
  int dirfd;
  char name[24];
} pending_file;

static pending_file pending[PENDING_SLOTS];
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
               "the signal handler reads the slots' state");

static void remove_pending(int sig) {
  int saved = errno;
  for (int i = 0; i < PENDING_SLOTS; i++)
    if (atomic_load(&pending[i].state) == SLOT_SET)
      unlinkat(pending[i].dirfd, pending[i].name, 0);
  /* Then end as the signal would have ended the process. */
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  raise(sig);
  errno = saved;
}

/* Installed the first time a named temporary file exists, and only over
 * the default action: a program embedding cvpdf that handles or ignores
 * these signals keeps its own handling. */
static void install_handlers(void) {
  for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals;
       i++) {
    struct sigaction old, sa = {.sa_handler = remove_pending};
    sigemptyset(&sa.sa_mask);
    if (sigaction(cleanup_signals[i], NULL, &old) == 0 &&
        !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL)
      sigaction(cleanup_signals[i], &sa, NULL);
  }
}

/* Registers dirfd/name for removal on a signal: the slot, or -1 when all
 * are taken (the file is then only removed by the normal paths). */
static int pending_add(int dirfd, const char *name) {
  pthread_once(&handlers_once, install_handlers);
  for (int i = 0; i < PENDING_SLOTS; i++) {
    int expect = SLOT_FREE;
    if (!atomic_compare_exchange_strong(&pending[i].state, &expect,
                                        SLOT_FILLING))
      continue;
    pending[i].dirfd = dirfd;
    snprintf(pending[i].name, sizeof pending[i].name, "%s", name);
    atomic_store(&pending[i].state, SLOT_SET);
    return i;
  }
  return -1;
}

static void pending_remove(int slot) {
  if (slot >= 0)
    atomic_store(&pending[slot].state, SLOT_FREE);
}

/* ".tmp-cvpdf-" and 8 random characters: short, so any target name that
 * fits its directory leaves room, and hidden. */
static void temp_name(char out[24]) {
  static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  uint64_t x = 0;
  if (getrandom(&x, sizeof x, GRND_NONBLOCK) != (ssize_t)sizeof x) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    x = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^
        (uint64_t)(uintptr_t)out;
  }
  memcpy(out, ".tmp-cvpdf-", 11);
  for (int i = 0; i < 8; i++, x /= 36)
    out[11 + i] = digits[x % 36];
  out[19] = '\0';
}

/* ---- the target ----------------------------------------------------- */

typedef struct target {
  int dirfd;
  char *base;
  int exists;
  struct stat sb;
} target;

/* /dev/null, under any name: the one special file an output may name. */
static int is_null_device(const struct stat *sb) {
  return S_ISCHR(sb->st_mode) && major(sb->st_rdev) == 1 &&
         minor(sb->st_rdev) == 3;
}

static void target_fini(target *t) {
  if (t->dirfd >= 0)
    close(t->dirfd);
  free(t->base);
  t->dirfd = -1;
  t->base = NULL;
}

/* Opens path's directory and takes its last component. */
static int split(const char *path, target *t, cv_status *st) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
    cv_status_set(st, "expected a file name, found the directory path '%s'",
                  path);
    return -1;
  }
  char *dir = slash
                  ? cv_strndup(path, slash == path ? 1 : (size_t)(slash - path))
                  : cv_strdup(".");
  t->base = cv_strdup(base);
  if (!dir || !t->base) {
    free(dir);
    cv_status_set(st, "out of memory");
    return -1;
  }
  t->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  free(dir);
  if (t->dirfd < 0) {
    cv_status_set(st, "cannot write output: %s", strerror(errno));
    return -1;
  }
  return 0;
}

/* A symbolic link as the target: the file it names, which must exist. */
static char *follow_link(const char *path, cv_status *st) {
  char *real = realpath(path, NULL);
  if (real)
    return real;
  int e = errno;
  char to[PATH_MAX];
  ssize_t n = readlink(path, to, sizeof to - 1);
  to[n > 0 ? n : 0] = '\0';
  if (e == ENOENT)
    cv_status_set(st,
                  "expected a regular file or a new name, found a symbolic "
                  "link to '%s', which does not exist",
                  to);
  else
    cv_status_set(st, "cannot follow the symbolic link to '%s': %s", to,
                  strerror(e));
  return NULL;
}

/* Fills t for path (following a link in the last component once) and
 * checks what is there.  On failure t holds nothing to free. */
static int resolve(const char *path, const cv_inputs *inputs, target *t,
                   cv_status *st) {
  char *real = NULL;
  for (int hop = 0;; hop++) {
    *t = (target){.dirfd = -1};
    if (split(real ? real : path, t, st) < 0)
      goto fail;
    if (fstatat(t->dirfd, t->base, &t->sb, AT_SYMLINK_NOFOLLOW) < 0) {
      if (errno == ENOENT)
        break; /* a new file */
      cv_status_set(st, "cannot write output: %s", strerror(errno));
      goto fail;
    }
    if (!S_ISLNK(t->sb.st_mode)) {
      t->exists = 1;
      break;
    }
    /* realpath's result has no link left; one that appears meanwhile is
     * not followed. */
    target_fini(t);
    if (hop > 0) {
      cv_status_set(st, "expected a regular file, found a symbolic link "
                        "that changed while it was followed");
      goto fail;
    }
    if (!(real = follow_link(path, st)))
      goto fail;
  }
  free(real);
  if (t->exists && !S_ISREG(t->sb.st_mode) && !is_null_device(&t->sb)) {
    cv_status_set(st,
                  "expected a regular file or a new name, found %s (it is "
                  "never written over)",
                  cv_file_kind(t->sb.st_mode));
    target_fini(t);
    return -1;
  }
  const char *input = t->exists ? cv_inputs_find(inputs, &t->sb) : NULL;
  if (input) {
    cv_status_set(st,
                  "expected an output file, found '%s', which this run "
                  "reads (choose another output name)",
                  input);
    target_fini(t);
    return -1;
  }
  return 0;
fail:
  free(real);
  target_fini(t);
  return -1;
}

int cv_output_check(const char *path, const cv_inputs *inputs, cv_status *st) {
  target t;
  if (resolve(path, inputs, &t, st) < 0)
    return -1;
  target_fini(&t);
  return 0;
}

int cv_output_identify(const char *path, cv_output_id *id, cv_status *st) {
  memset(id, 0, sizeof *id);
  target t;
  if (resolve(path, NULL, &t, st) < 0)
    return -1;
  if (fstat(t.dirfd, &id->dir) < 0) {
    cv_status_set(st, "cannot write output: %s", strerror(errno));
    target_fini(&t);
    return -1;
  }
  id->exists = t.exists;
  id->sb = t.sb;
  id->base = t.base;
  t.base = NULL;
  target_fini(&t);
  return 0;
}

int cv_output_same(const cv_output_id *a, const cv_output_id *b) {
  if (a->exists && b->exists && is_null_device(&a->sb) &&
      is_null_device(&b->sb))
    return 0; /* discarding twice loses nothing */
  /* The same inode also catches two spellings of one name on a file
   * system that ignores case. */
  if (a->exists && b->exists && a->sb.st_dev == b->sb.st_dev &&
      a->sb.st_ino == b->sb.st_ino)
    return 1;
  return a->dir.st_dev == b->dir.st_dev && a->dir.st_ino == b->dir.st_ino &&
         a->base && b->base && !strcmp(a->base, b->base);
}

void cv_output_id_fini(cv_output_id *id) {
  free(id->base);
  memset(id, 0, sizeof *id);
}

/* ---- writing -------------------------------------------------------- */

int cv_write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return -1;
    if (w == 0) {
      errno = EIO;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

/* A file that replaces another takes over its permission bits, and its
 * owner and group where this process may set them (failing that, the
 * file is ours, as any file we create). */
static void keep_attrs(const cv_atomic *a, int fd) {
  if (!a->exists)
    return;
  struct stat now;
  if (fstat(fd, &now) == 0 &&
      (now.st_uid != a->old.st_uid || now.st_gid != a->old.st_gid))
    (void)!fchown(fd, a->old.st_uid, a->old.st_gid);
  (void)fchmod(fd, a->old.st_mode & 0777);
}

/* The name is registered for removal before the file exists: a signal
 * that arrives while it is being created then finds it.  (A signal in
 * that instant would remove another file of that name, were one there by
 * chance: 36^8 random names make that the lesser risk.) */
static int claim_name(cv_atomic *a) {
  temp_name(a->tmp);
  a->slot = pending_add(a->dirfd, a->tmp);
  return a->slot;
}

static void release_name(cv_atomic *a) {
  pending_remove(a->slot);
  a->slot = -1;
}

/* A new file under a fresh temporary name, registered for removal. */
static int create_named(cv_atomic *a) {
  for (int attempt = 0; attempt < 100; attempt++) {
    claim_name(a);
    /* 0666: the kernel takes the umask off, as for any new file. */
    int fd =
        openat(a->dirfd, a->tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      a->named = 1;
      return fd;
    }
    int e = errno;
    release_name(a);
    if ((errno = e) != EEXIST)
      return -1;
  }
  return -1;
}

static int create_temp(cv_atomic *a) {
#ifdef O_TMPFILE
  int fd = openat(a->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
  /* EOPNOTSUPP: the file system has none; EISDIR: a kernel older than
   * 3.11 took the flag for O_DIRECTORY. */
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
    return fd;
#endif
  return create_named(a);
}

int cv_atomic_begin(cv_atomic *a, const char *path, unsigned flags,
                    const cv_inputs *inputs, const char *what, cv_status *st) {
  memset(a, 0, sizeof *a);
  a->fd = a->dirfd = a->slot = -1;
  target t;
  if (resolve(path, inputs, &t, st) < 0)
    return -1;
  a->dirfd = t.dirfd;
  a->base = t.base;
  a->exists = t.exists;
  a->old = t.sb;
  a->flags = flags;
  a->what = what;
  if (a->exists && (flags & CV_ATOMIC_NO_REPLACE)) {
    cv_status_set(st, "expected a new file name, found an existing file");
    cv_atomic_abort(a);
    errno = EEXIST;
    return -1;
  }
  a->discard = a->exists && is_null_device(&a->old);
  a->fd = a->discard ? openat(a->dirfd, a->base, O_WRONLY | O_CLOEXEC)
                     : create_temp(a);
  if (a->fd < 0) {
    cv_status_set(st, "cannot write output: %s", strerror(errno));
    cv_atomic_abort(a);
    return -1;
  }
  if (!a->discard)
    keep_attrs(a, a->fd);
  return 0;
}

void cv_atomic_abort(cv_atomic *a) {
  int e = errno;
  if (a->fd >= 0)
    close(a->fd);
  if (a->named)
    unlinkat(a->dirfd, a->tmp, 0);
  pending_remove(a->slot);
  if (a->dirfd >= 0)
    close(a->dirfd);
  free(a->base);
  memset(a, 0, sizeof *a);
  a->fd = a->dirfd = a->slot = -1;
  errno = e;
}

/* Gives the unnamed file at fd a name in dirfd. */
static int link_fd(int fd, int dirfd, const char *name) {
  if (linkat(fd, "", dirfd, name, AT_EMPTY_PATH) == 0)
    return 0;
  /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc's link does not. */
  if (errno != ENOENT && errno != EPERM)
    return -1;
  char proc[48];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  return linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW);
}

/* Neither way of linking worked (no /proc, no privilege): the contents
 * move to a named temporary file. */
static int copy_to_named(cv_atomic *a) {
  int fd = create_named(a);
  if (fd < 0)
    return -1;
  char buf[65536];
  off_t off = 0;
  ssize_t n;
  while ((n = pread(a->fd, buf, sizeof buf, off)) > 0 ||
         (n < 0 && errno == EINTR)) {
    if (n < 0)
      continue;
    if (cv_write_all(fd, buf, (size_t)n) < 0)
      break;
    off += n;
  }
  keep_attrs(a, fd);
  if (n != 0 || fsync(fd) < 0) {
    close(fd);
    return -1;
  }
  close(a->fd);
  a->fd = fd;
  return 0;
}

/* Renames the named temporary file over the target. */
static int rename_named(cv_atomic *a) {
  int rc;
  if (!(a->flags & CV_ATOMIC_NO_REPLACE)) {
    rc = renameat(a->dirfd, a->tmp, a->dirfd, a->base);
  } else {
    rc = renameat2(a->dirfd, a->tmp, a->dirfd, a->base, RENAME_NOREPLACE);
    if (rc < 0 && (errno == EINVAL || errno == ENOSYS)) {
      rc = linkat(a->dirfd, a->tmp, a->dirfd, a->base, 0);
      if (rc == 0)
        unlinkat(a->dirfd, a->tmp, 0);
    }
  }
  if (rc == 0)
    a->named = 0; /* nothing left to remove */
  return rc;
}

static int copy_and_rename(cv_atomic *a) {
  return copy_to_named(a) < 0 ? -1 : rename_named(a);
}

/* Puts the unnamed file in place: straight under the target's name when
 * that is new (atomic, and it never replaces a file created meanwhile),
 * else under a temporary name renamed over the target. */
static int place_unnamed(cv_atomic *a) {
  if (!a->exists) {
    if (link_fd(a->fd, a->dirfd, a->base) == 0)
      return 0;
    if (errno == ENOENT)
      return copy_and_rename(a);
    if (errno != EEXIST || (a->flags & CV_ATOMIC_NO_REPLACE))
      return -1;
  }
  for (int attempt = 0; attempt < 100; attempt++) {
    claim_name(a);
    if (link_fd(a->fd, a->dirfd, a->tmp) == 0) {
      a->named = 1;
      return rename_named(a);
    }
    int e = errno;
    release_name(a);
    if ((errno = e) == ENOENT)
      return copy_and_rename(a);
    if (errno != EEXIST)
      return -1;
  }
  return -1;
}

/* Makes the new name durable.  The file is complete and in place by now,
 * so a directory that cannot be synced (some file systems refuse) is not
 * worth failing the run for. */
static void sync_dir(int dirfd) {
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
}

int cv_atomic_commit(cv_atomic *a, cv_status *st) {
  int rc = -1;
  if (a->discard) {
    rc = 0;
  } else if (fsync(a->fd) < 0) { /* on disk before a name points at it */
    cv_status_set(st, "cannot write %s: %s", a->what, strerror(errno));
  } else if ((a->named ? rename_named(a) : place_unnamed(a)) < 0) {
    if (errno == EEXIST)
      cv_status_set(st, "expected a new file name, found an existing file");
    else
      cv_status_set(st, "cannot write %s: %s", a->what, strerror(errno));
  } else {
    sync_dir(a->dirfd);
    rc = 0;
  }
  cv_atomic_abort(a);
  return rc;
}

int cv_atomic_write(const char *path, unsigned flags, const cv_inputs *inputs,
                    const char *what, const void *data, size_t len,
                    cv_status *st) {
  cv_atomic a;
  if (cv_atomic_begin(&a, path, flags, inputs, what, st) < 0)
    return -1;
  if (cv_write_all(a.fd, data, len) < 0) {
    cv_status_set(st, "cannot write %s: %s", what, strerror(errno));
    cv_atomic_abort(&a);
    return -1;
  }
  return cv_atomic_commit(&a, st);
}
