/* Tests of core/base/files.c and core/base/atomic.c: resolving beneath a
 * directory (openat2 and the component walk must agree, case by case),
 * opening only regular files, and the rules every output follows. */
#define _GNU_SOURCE
#include "base/atomic.h"
#include "base/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;

static void check(int cond, const char *what, const char *details) {
  if (cond) {
    printf("ok - %s\n", what);
  } else {
    printf("FAIL - %s: %s\n", what, details ? details : "");
    failures++;
  }
}

static char root[64];

static const char *at(const char *rel) {
  static char p[8][512];
  static int k;
  k = (k + 1) % 8;
  snprintf(p[k], sizeof p[k], "%s/%s", root, rel);
  return p[k];
}

static void must(int rc, const char *what) {
  if (rc != 0) {
    printf("FAIL - setup: %s: %s\n", what, strerror(errno));
    exit(1);
  }
}

static void put(const char *rel, const char *text) {
  FILE *f = fopen(at(rel), "w");
  must(!f || fputs(text, f) < 0 || fclose(f) != 0, rel);
}

/* T/out.bib outside; T/base is the directory files must stay beneath. */
static void make_tree(void) {
  put("out.bib", "outside\n");
  must(mkdir(at("base"), 0755), "base");
  must(mkdir(at("base/sub"), 0755), "sub");
  must(mkdir(at("base/dir"), 0755), "dir");
  put("base/file.bib", "file\n");
  put("base/sub/inner.bib", "inner\n");
  must(symlink("file.bib", at("base/link-in")), "link-in");
  must(symlink("sub", at("base/link-sub")), "link-sub");
  must(symlink("../out.bib", at("base/link-out")), "link-out");
  must(symlink("/etc/hostname", at("base/link-abs")), "link-abs");
  must(symlink(at("base/file.bib"), at("base/link-abs-in")), "link-abs-in");
  must(symlink("..", at("base/up")), "up");
  must(symlink("/", at("base/root")), "root");
  must(symlink("loop2", at("base/loop1")), "loop1");
  must(symlink("loop1", at("base/loop2")), "loop2");
  must(symlink("link-sub/../link-in", at("base/chain")), "chain");
  must(symlink("../file.bib", at("base/sub/back")), "back");
  must(symlink("../../out.bib", at("base/sub/out2")), "out2");
  must(mkfifo(at("base/fifo"), 0644), "fifo");
}

/* What opening path beneath base gives: 0 (a regular file) or an errno. */
static int outcome(const char *path, unsigned flags, struct stat *sb) {
  char why[256];
  int fd = cv_input_open(at("base"), path, CV_OPEN_BENEATH | flags, NULL, sb,
                         why, sizeof why);
  if (fd < 0)
    return errno;
  close(fd);
  return 0;
}

static void test_beneath(void) {
  static const struct {
    const char *path;
    int want; /* 0: read; else the errno */
  } cases[] = {
      {"file.bib", 0},
      {"./file.bib", 0},
      {"sub/inner.bib", 0},
      {"sub//inner.bib", 0},
      {"sub/./inner.bib", 0},
      {"sub/../file.bib", 0},
      {"link-in", 0},
      {"link-sub/inner.bib", 0},
      {"chain", 0},
      {"sub/back", 0},
      {"../out.bib", EXDEV},
      {"sub/../../out.bib", EXDEV},
      {"/etc/hostname", EXDEV},
      {"link-out", EXDEV},
      {"link-abs", EXDEV},
      {"link-abs-in", EXDEV},
      {"up/out.bib", EXDEV},
      {"root/etc/hostname", EXDEV},
      {"sub/out2", EXDEV},
      {"loop1", ELOOP},
      {"missing", ENOENT},
      {"sub/missing/x", ENOENT},
      {"file.bib/x", ENOTDIR},
      {"dir", EISDIR},
      {"fifo", EINVAL},
      {"", ENOENT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct stat a, b;
    int got = outcome(cases[i].path, 0, &a);
    int walk = outcome(cases[i].path, CV_OPEN_WALK, &b);
    char what[160], d[160];
    snprintf(what, sizeof what, "beneath: '%s'", cases[i].path);
    snprintf(d, sizeof d, "openat2 %s, walk %s, want %s", strerror(got),
             strerror(walk), strerror(cases[i].want));
    check(got == cases[i].want && walk == cases[i].want &&
              (got || (a.st_ino == b.st_ino && a.st_dev == b.st_dev)),
          what, d);
  }
}

static void test_open(void) {
  char why[256];
  struct stat sb;
  cv_inputs in;
  cv_inputs_init(&in);
  int fd = cv_input_open(NULL, at("base/fifo"), 0, &in, &sb, why, sizeof why);
  check(fd < 0 && !strcmp(why, "expected a regular file, found a FIFO"),
        "a FIFO is refused without blocking", why);
  fd = cv_input_open(at("base"), "link-in", 0, &in, &sb, why, sizeof why);
  check(fd >= 0 && in.n == 1, "a regular file is opened and recorded", why);
  struct stat other;
  stat(at("base/file.bib"), &other);
  check(cv_inputs_find(&in, &other) &&
            !strcmp(cv_inputs_find(&in, &other), at("base/link-in")),
        "another name for an input is found under the name it was read as",
        NULL);
  if (fd >= 0) {
    size_t len = 0;
    int err = 0;
    char *buf = cv_input_read(fd, 0, 4, &len, &err);
    check(!buf && err == EFBIG, "reading past the limit is refused", NULL);
    close(fd);
  }
  cv_inputs_fini(&in);
}

/* The entries of T/base/out, for checking no temporary file is left. */
static int entries(void) {
  DIR *d = opendir(at("out"));
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    n += e->d_name[0] != '.' || strncmp(e->d_name, ".tmp-", 5) == 0;
  if (d)
    closedir(d);
  return n;
}

static void test_atomic(void) {
  must(mkdir(at("out"), 0755), "out");
  cv_status st = {0};
  mode_t old = umask(027);
  int rc = cv_atomic_write(at("out/new.txt"), 0, NULL, "the text", "a", 1, &st);
  umask(old);
  struct stat sb;
  check(rc == 0 && stat(at("out/new.txt"), &sb) == 0 &&
            (sb.st_mode & 0777) == 0640,
        "a new file gets 0666 less the umask", st.msg);
  chmod(at("out/new.txt"), 0604);
  rc = cv_atomic_write(at("out/new.txt"), 0, NULL, "the text", "bb", 2, &st);
  check(rc == 0 && stat(at("out/new.txt"), &sb) == 0 &&
            (sb.st_mode & 0777) == 0604 && sb.st_size == 2,
        "a replaced file keeps its mode", st.msg);
  cv_status ex = {0};
  rc = cv_atomic_write(at("out/new.txt"), CV_ATOMIC_NO_REPLACE, NULL, "x",
                       "ccc", 3, &ex);
  check(rc < 0 && errno == EEXIST && stat(at("out/new.txt"), &sb) == 0 &&
            sb.st_size == 2,
        "NO_REPLACE keeps an existing file", ex.msg);
  must(symlink("new.txt", at("out/link.txt")), "link.txt");
  rc = cv_atomic_write(at("out/link.txt"), 0, NULL, "x", "dddd", 4, &st);
  check(rc == 0 && lstat(at("out/link.txt"), &sb) == 0 && S_ISLNK(sb.st_mode) &&
            stat(at("out/new.txt"), &sb) == 0 && sb.st_size == 4,
        "a symbolic link is written through and kept", st.msg);
  cv_inputs in;
  cv_inputs_init(&in);
  stat(at("out/new.txt"), &sb);
  cv_inputs_add(&in, &sb, "in.txt");
  cv_status is = {0};
  rc = cv_atomic_write(at("out/link.txt"), 0, &in, "x", "e", 1, &is);
  check(rc < 0 && strstr(is.msg, "found 'in.txt', which this run reads"),
        "an input is never replaced, under any name", is.msg);
  cv_inputs_fini(&in);
  cv_status ds = {0};
  rc = cv_atomic_write(at("out/"), 0, NULL, "x", "e", 1, &ds);
  check(rc < 0 && strstr(ds.msg, "expected a file name"),
        "a directory path is refused", ds.msg);
  cv_output_id a, b;
  cv_status os = {0};
  check(cv_output_identify(at("out/../out/x.pdf"), &a, &os) == 0 &&
            cv_output_identify(at("out/x.pdf"), &b, &os) == 0 &&
            cv_output_same(&a, &b),
        "two spellings of one output are the same", os.msg);
  cv_output_id_fini(&a);
  cv_output_id_fini(&b);
  check(entries() == 2, "no temporary file is left", NULL);
}

int main(void) {
  snprintf(root, sizeof root, "/tmp/test_files_XXXXXX");
  if (!mkdtemp(root)) {
    printf("FAIL - mkdtemp: %s\n", strerror(errno));
    return 1;
  }
  make_tree();
  test_beneath();
  test_open();
  test_atomic();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", root);
  if (failures) {
    printf("%d check(s) failed\n", failures);
    return 1;
  }
  return 0;
}
