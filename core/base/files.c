/* cvpdf - opening the files a run reads. */
#define _GNU_SOURCE /* O_PATH, O_NOFOLLOW with it, syscall() */
#include "base/files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/util.h"

#if defined(SYS_openat2) && defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define CV_HAVE_OPENAT2 1
#endif
#endif

/* ---- the record of inputs --------------------------------------------- */

void cv_inputs_init(cv_inputs *in) {
  memset(in, 0, sizeof *in);
}

void cv_inputs_fini(cv_inputs *in) {
  for (size_t i = 0; i < in->n; i++)
    free(in->v[i].path);
  free(in->v);
  memset(in, 0, sizeof *in);
}

int cv_inputs_add(cv_inputs *in, const struct stat *sb, const char *path) {
  if (cv_inputs_find(in, sb))
    return 0;
  if (cv_grow((void **)&in->v, &in->cap, in->n + 1, sizeof *in->v) < 0)
    return -1;
  char *p = cv_strdup(path);
  if (!p)
    return -1;
  in->v[in->n++] = (cv_input_rec){sb->st_dev, sb->st_ino, p};
  return 0;
}

const char *cv_inputs_find(const cv_inputs *in, const struct stat *sb) {
  for (size_t i = 0; in && i < in->n; i++)
    if (in->v[i].dev == sb->st_dev && in->v[i].ino == sb->st_ino)
      return in->v[i].path;
  return NULL;
}

int cv_is_web_address(const char *name) {
  return name && (!strncasecmp(name, "http://", 7) ||
                  !strncasecmp(name, "https://", 8));
}

const char *cv_file_kind(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return "a regular file";
  case S_IFDIR:
    return "a directory";
  case S_IFLNK:
    return "a symbolic link";
  case S_IFIFO:
    return "a FIFO";
  case S_IFSOCK:
    return "a socket";
  case S_IFCHR:
    return "a character device";
  case S_IFBLK:
    return "a block device";
  default:
    return "a special file";
  }
}

/* ---- resolving beneath a directory ----------------------------------- */

/* Directories entered so far: the walk's way back for "..", which never
 * climbs above the first. */
#define WALK_DEPTH 64
/* As the kernel's limit on symbolic links followed in one lookup. */
#define WALK_LINKS 40

typedef struct walk {
  int fds[WALK_DEPTH];
  int depth; /* fds[depth] is the current directory */
  int links;
  char *rest; /* what is left of the path; owned */
} walk;

/* rest becomes target + "/" + after (which points into rest). */
static int splice_link(walk *w, const char *target, const char *after) {
  if (target[0] == '/' || ++w->links > WALK_LINKS) {
    errno = target[0] == '/' ? EXDEV : ELOOP;
    return -1;
  }
  size_t a = strlen(target), b = strlen(after);
  char *p = malloc(a + b + 2);
  if (!p)
    return -1;
  memcpy(p, target, a);
  p[a] = '/';
  memcpy(p + a + 1, after, b + 1);
  free(w->rest);
  w->rest = p;
  return 0;
}

/* The target of the link `name` in the current directory. */
static char *read_link(const walk *w, const char *name) {
  char buf[4096];
  ssize_t n = readlinkat(w->fds[w->depth], name, buf, sizeof buf - 1);
  if (n < 0)
    return NULL;
  if ((size_t)n >= sizeof buf - 1) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  return cv_strndup(buf, (size_t)n);
}

enum { STEP_ERROR, STEP_FILE, STEP_ENTERED, STEP_LINK };

/* One component that is neither "." nor "..": the file itself when it is
 * the last (*fd set), a directory to enter, or a link whose target takes
 * its place in rest. */
static int walk_step(walk *w, const char *name, const char *after, int oflags,
                     int *fd) {
  int last = *after == '\0';
  int f =
      openat(w->fds[w->depth], name,
             (last ? oflags : O_PATH | O_DIRECTORY) | O_NOFOLLOW | O_CLOEXEC);
  if (f >= 0 && last) {
    *fd = f;
    return STEP_FILE;
  }
  if (f >= 0 && w->depth + 1 >= WALK_DEPTH) {
    close(f);
    errno = ENAMETOOLONG;
    return STEP_ERROR;
  }
  if (f >= 0) {
    w->fds[++w->depth] = f;
    return STEP_ENTERED;
  }
  /* O_NOFOLLOW: ELOOP for a link as the last component, ENOTDIR for one
   * (or for a file that is no directory) on the way. */
  int e = errno;
  if (e != ELOOP && e != ENOTDIR)
    return STEP_ERROR;
  char *target = read_link(w, name);
  if (!target) {
    if (errno == EINVAL) /* not a link after all */
      errno = e;
    return STEP_ERROR;
  }
  int rc = splice_link(w, target, after);
  free(target);
  return rc < 0 ? STEP_ERROR : STEP_LINK;
}

/* The next component of rest into name; *after is what follows it. */
static int next_name(const char *rest, char name[256], const char **after) {
  while (*rest == '/')
    rest++;
  size_t n = strcspn(rest, "/");
  if (n >= 256) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, rest, n);
  name[n] = '\0';
  rest += n;
  while (*rest == '/')
    rest++;
  *after = rest;
  return 0;
}

/* Resolves path beneath dirfd by hand, for kernels without openat2: each
 * component is opened with O_NOFOLLOW relative to the directory before it,
 * so nothing can be swapped in between, a link's target is resolved by the
 * same rules, and ".." never climbs above dirfd. */
static int walk_beneath(int dirfd, const char *path, int oflags) {
  walk w = {.depth = 0};
  int fd = -1;
  w.fds[0] = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  w.rest = cv_strdup(path);
  if (w.fds[0] >= 0 && w.rest && (w.rest[0] == '/' || !w.rest[0]))
    errno = w.rest[0] ? EXDEV : ENOENT;
  else if (w.fds[0] >= 0 && w.rest)
    for (;;) {
      char name[256];
      const char *after;
      if (next_name(w.rest, name, &after) < 0)
        break;
      int dots = !strcmp(name, "..");
      if (dots && w.depth == 0) {
        errno = EXDEV;
        break;
      }
      if (dots)
        close(w.fds[w.depth--]);
      if ((dots || !name[0] || !strcmp(name, ".")) && !*after) {
        /* The path ends at a directory: open it as the file. */
        fd = openat(w.fds[w.depth], ".", oflags | O_CLOEXEC);
        break;
      }
      int r = dots || !strcmp(name, ".")
                  ? STEP_ENTERED
                  : walk_step(&w, name, after, oflags, &fd);
      if (r == STEP_ERROR || r == STEP_FILE)
        break;
      if (r == STEP_ENTERED)
        memmove(w.rest, after, strlen(after) + 1);
    }
  int e = errno;
  for (int i = 0; i <= w.depth; i++)
    if (w.fds[i] >= 0)
      close(w.fds[i]);
  free(w.rest);
  errno = e;
  return fd;
}

static int open_beneath(int dirfd, const char *path, int oflags,
                        unsigned flags) {
#ifdef CV_HAVE_OPENAT2
  if (!(flags & CV_OPEN_WALK)) {
    struct open_how how = {.flags = (unsigned)(oflags | O_CLOEXEC),
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    /* ENOSYS: an older kernel; EPERM: a seccomp filter that does not know
     * the call.  Either way the walk below gives the same answer. */
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
      return (int)fd;
  }
#else
  (void)flags;
#endif
  return walk_beneath(dirfd, path, oflags);
}

/* ---- opening ---------------------------------------------------------- */

static int refuse(int fd, int e, char *why, size_t cap, const char *fmt,
                  const char *arg) {
  if (fd >= 0)
    close(fd);
  snprintf(why, cap, fmt, arg);
  errno = e;
  return -1;
}

/* Where the file was read from, for messages: dir/path for a relative
 * path under dir. */
static char *display_name(const char *dir, const char *path) {
  if (!dir || path[0] == '/')
    return cv_strdup(path);
  size_t a = strlen(dir), b = strlen(path);
  char *p = malloc(a + b + 2);
  if (p)
    snprintf(p, a + b + 2, "%s/%s", dir, path);
  return p;
}

int cv_input_open(const char *dir, const char *path, unsigned flags,
                  cv_inputs *seen, struct stat *sb, char *why, size_t cap) {
  /* O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer;
   * it is cleared once the file is known to be a regular one. */
  const int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  int dirfd = AT_FDCWD;
  if ((dir || (flags & CV_OPEN_BENEATH)) &&
      (dirfd = open(dir ? dir : ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
    return refuse(-1, errno, why, cap, "%s", strerror(errno));
  int fd = flags & CV_OPEN_BENEATH ? open_beneath(dirfd, path, oflags, flags)
                                   : openat(dirfd, path, oflags);
  int e = errno;
  if (dirfd >= 0)
    close(dirfd);
  if (fd < 0 && e == EXDEV)
    return refuse(-1, e, why, cap,
                  "expected a file beneath '%s', found a path that leads "
                  "out of it",
                  dir ? dir : ".");
  if (fd < 0)
    return refuse(-1, e, why, cap, "%s", strerror(e));
  if (fstat(fd, sb) < 0)
    return refuse(fd, errno, why, cap, "%s", strerror(errno));
  if (S_ISDIR(sb->st_mode))
    return refuse(fd, EISDIR, why, cap, "%s", strerror(EISDIR));
  if (!S_ISREG(sb->st_mode))
    return refuse(fd, EINVAL, why, cap, "expected a regular file, found %s",
                  cv_file_kind(sb->st_mode));
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
    return refuse(fd, errno, why, cap, "%s", strerror(errno));
  char *name = seen ? display_name(dir, path) : NULL;
  int rc = seen ? (name ? cv_inputs_add(seen, sb, name) : -1) : 0;
  free(name);
  if (rc < 0)
    return refuse(fd, ENOMEM, why, cap, "%s", strerror(ENOMEM));
  return fd;
}

char *cv_input_read(int fd, size_t hint, size_t max, size_t *len, int *err) {
  cv_buf b;
  cv_buf_init(&b);
  size_t want = hint < max ? hint : max;
  if (cv_grow((void **)&b.data, &b.cap, want + 1, 1) < 0) {
    *err = ENOMEM;
    return NULL;
  }
  *err = 0;
  for (;;) {
    if (b.cap - b.len < 2 &&
        cv_grow((void **)&b.data, &b.cap, b.len + 65536, 1) < 0) {
      *err = ENOMEM;
      break;
    }
    ssize_t r = read(fd, b.data + b.len, b.cap - b.len - 1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      *err = errno;
      break;
    }
    if (r == 0)
      break;
    b.len += (size_t)r;
    if (b.len > max) {
      *err = EFBIG;
      break;
    }
  }
  if (*err) {
    cv_buf_fini(&b);
    return NULL;
  }
  b.data[b.len] = '\0';
  *len = b.len;
  return b.data;
}
