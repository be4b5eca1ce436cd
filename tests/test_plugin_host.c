/* Tests of core/pipeline/plugin_host.c.  Builds the plugins of tests/plugins/
 * with the system C compiler ($CC, else cc) into a temporary directory, so it
 * runs from the repository root without any build-system help. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/plugin_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct ctx {
  int failures;
  char tmp[256];
  char marker[300];
  cvpdf_host host; /* stub: no build() runs here, so only the ABI fields */
} ctx;

static void check(ctx *c, int cond, const char *what, const char *fmt, ...)
    CV_PRINTF(4, 5);

static void check(ctx *c, int cond, const char *what, const char *fmt, ...) {
  if (cond) {
    printf("ok - %s\n", what);
    return;
  }
  c->failures++;
  printf("FAIL - %s: ", what);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static int contains(const char *s, const char *part) {
  return s && strstr(s, part) != NULL;
}

/* tmp-relative path; the buffers are small rings so several can be used in
 * one call. */
static const char *tp(ctx *c, const char *rel) {
  static _Thread_local char ring[16][512];
  static _Thread_local int next;
  char *p = ring[next++ % 16];
  snprintf(p, sizeof ring[0], "%s/%s", c->tmp, rel);
  return p;
}

static int run(const char *fmt, ...) CV_PRINTF(1, 2);

static int run(const char *fmt, ...) {
  char cmd[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof cmd)
    return -1;
  return system(cmd);
}

/* Compiles tests/plugins/src.c with extra flags into tmp/out. */
static int build(ctx *c, const char *src, const char *extra, const char *out) {
  const char *cc = getenv("CC");
  int rc = run("%s -shared -fPIC -Icore/include %s -o '%s' tests/plugins/%s.c",
               cc && *cc ? cc : "cc", extra, tp(c, out), src);
  check(c, rc == 0, out, "compiling tests/plugins/%s.c failed (%d)", src, rc);
  return rc;
}

static void write_file(ctx *c, const char *rel, const char *text) {
  FILE *f = fopen(tp(c, rel), "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0)
    check(c, 0, rel, "cannot write the fixture");
}

static char *read_marker(ctx *c) {
  static _Thread_local char buf[1024];
  buf[0] = '\0';
  FILE *f = fopen(c->marker, "r");
  if (!f)
    return buf;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void reset_marker(ctx *c) {
  unlink(c->marker);
}

static int setup(ctx *c) {
  const char *dirs[] = {"lib", "scan", "scan/d.so", "p1", "p2",
                        "p3",  "p4",   "e1",        "e2"};
  for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
    if (mkdir(tp(c, dirs[i]), 0700) != 0)
      return -1;
  int rc = 0;
  rc |= build(c, "good", "", "lib/good.so");
  rc |= build(c, "good",
              "-DGOOD_NAME='\"good2\"' -DGOOD_TYPE_A='\"gamma\"' "
              "-DGOOD_TYPE_B='\"epsilon\"'",
              "lib/good2.so");
  rc |= build(c, "good", "-DGOOD_NAME='\"initfail\"' -DGOOD_INIT_FAILS",
              "lib/initfail.so");
  rc |= build(c, "good", "-DGOOD_NO_BUILD", "lib/nobuild.so");
  rc |= build(c, "good", "-DGOOD_NAME='\"initmsg\"' -DGOOD_INIT_MSG",
              "lib/initmsg.so");
  rc |= build(c, "good", "-DGOOD_TYPE_SIZE=12", "lib/badstride.so");
  rc |= build(c, "good", "-DGOOD_FUTURE", "lib/future.so");
  rc |= build(c, "good", "-DGOOD_TYPE_B='\"\"'", "lib/emptytype.so");
  rc |= build(c, "good", "-DGOOD_TYPE_B='\"alpha\"'", "lib/twice.so");
  rc |= build(c, "wrong_abi", "", "lib/wrong_abi.so");
  rc |= build(c, "not_a_plugin", "", "lib/not_a_plugin.so");
  rc |= build(c, "small_size", "", "lib/small_size.so");
  rc |= build(c, "duplicate_type", "", "lib/duplicate_type.so");
  /* Directory scans: name order is a_good2 before b_good. */
  rc |= build(c, "good", "", "scan/b_good.so");
  rc |= build(c, "good",
              "-DGOOD_NAME='\"good2\"' -DGOOD_TYPE_A='\"gamma\"' "
              "-DGOOD_TYPE_B='\"epsilon\"'",
              "scan/a_good2.so");
  rc |= build(c, "good", "", "p1/good.so");
  rc |= build(c, "duplicate_type", "", "p2/dup.so");
  rc |= build(c, "good", "-DGOOD_NAME='\"goodcopy\"'", "p3/goodcopy.so");
  rc |= build(c, "good", "", "p4/good.so");
  rc |= build(c, "duplicate_type", "", "p4/dup.so");
  rc |= build(c, "duplicate_type", "", "e1/dup.so");
  rc |= build(c, "good",
              "-DGOOD_NAME='\"good2\"' -DGOOD_TYPE_A='\"gamma\"' "
              "-DGOOD_TYPE_B='\"epsilon\"'",
              "e2/good2.so");
  write_file(c, "lib/fake.so", "this is not an ELF file\n");
  /* Would fail to load: proves hidden and non-.so names are not tried. */
  write_file(c, "scan/.hidden.so", "not a plugin\n");
  write_file(c, "scan/README.txt", "not a plugin\n");
  if (symlink("b_good.so", tp(c, "scan/c_link.so")) != 0)
    return -1;
  return rc;
}

static cv_plugins *fresh(ctx *c) {
  cv_plugins *ps = cv_plugins_create(&c->host);
  if (!ps) {
    fprintf(stderr, "cv_plugins_create failed\n");
    exit(2);
  }
  return ps;
}

static const char *owner(const cv_plugins *ps, const char *type) {
  const cv_plugin *p = cv_plugins_find(ps, type, NULL);
  return p ? p->desc->name : "(none)";
}

static void test_good(ctx *c) {
  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  reset_marker(c);
  int rc = cv_plugins_load_file(ps, tp(c, "lib/good.so"), &st);
  check(c, rc == 0 && !st.failed, "good plugin loads", "rc %d: %s", rc, st.msg);
  check(c, cv_plugins_count(ps) == 1, "one plugin registered", "count %zu",
        cv_plugins_count(ps));
  const cvpdf_section_type *t = NULL;
  const cv_plugin *p = cv_plugins_find(ps, "beta", &t);
  check(c,
        p && t && strcmp(t->name, "beta") == 0 &&
            strcmp(p->desc->name, "good") == 0,
        "type beta found in plugin good", "p %p t %p", (void *)p, (void *)t);
  check(c,
        p && strcmp(p->path, tp(c, "lib/good.so")) == 0 && p->handle &&
            p->state,
        "plugin keeps path, handle and init state", "path %s",
        p ? p->path : "(null)");
  check(c, cv_plugins_at(ps, 0) == p && cv_plugins_at(ps, 1) == NULL,
        "cv_plugins_at", "at(0) %p", (void *)cv_plugins_at(ps, 0));
  t = (const cvpdf_section_type *)1;
  check(c, !cv_plugins_find(ps, "nope", &t) && t == NULL,
        "unknown type not found", "t %p", (void *)t);
  const char *const *names = cv_plugins_type_names(ps);
  check(c,
        names && names[0] && names[1] && !names[2] &&
            strcmp(names[0], "alpha") == 0 && strcmp(names[1], "beta") == 0,
        "type names alpha, beta", "first %s", names ? names[0] : "(null)");

  rc = cv_plugins_load_file(ps, tp(c, "lib/good.so"), &st);
  check(c, rc == 0 && !st.failed && cv_plugins_count(ps) == 1,
        "same file twice is skipped", "rc %d count %zu: %s", rc,
        cv_plugins_count(ps), st.msg);
  rc = cv_plugins_load_file(ps, tp(c, "lib/../lib/good.so"), &st);
  check(c, rc == 0 && !st.failed && cv_plugins_count(ps) == 1,
        "same realpath is skipped", "rc %d count %zu: %s", rc,
        cv_plugins_count(ps), st.msg);
  check(c, strcmp(read_marker(c), "init good\n") == 0, "init called once",
        "marker '%s'", read_marker(c));
  cv_plugins_destroy(ps);
  check(c, strcmp(read_marker(c), "init good\nfini good\n") == 0,
        "destroy calls fini with the init state", "marker '%s'",
        read_marker(c));
}

/* Loads lib/file directly into a fresh registry and expects a refusal whose
 * message contains each of the parts. */
static void expect_refused(ctx *c, const char *file, const char *what,
                           const char *part1, const char *part2) {
  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  reset_marker(c);
  char rel[256];
  snprintf(rel, sizeof rel, "lib/%s", file);
  int rc = cv_plugins_load_file(ps, tp(c, rel), &st);
  check(c,
        rc == -1 && st.failed && contains(st.msg, tp(c, rel)) &&
            contains(st.msg, part1) && (!part2 || contains(st.msg, part2)),
        what, "rc %d: '%s'", rc, st.msg);
  printf("# %s\n", st.msg);
  check(c, cv_plugins_count(ps) == 0 && !cv_plugins_type_names(ps)[0],
        "refused plugin not registered", "count %zu", cv_plugins_count(ps));
  cv_plugins_destroy(ps);
  check(c, !contains(read_marker(c), "fini"), "refused plugin not finalised",
        "marker '%s'", read_marker(c));
}

static void test_refusals(ctx *c) {
  expect_refused(c, "wrong_abi.so", "wrong ABI refused",
                 "built for plugin ABI 2", "supports ABI 1");
  expect_refused(c, "not_a_plugin.so", "missing descriptor refused",
                 "is not a cvpdf plugin", "no symbol cvpdf_plugin_descriptor");
  expect_refused(c, "fake.so", "text file named .so refused",
                 "cannot load plugin", NULL);
  expect_refused(c, "small_size.so", "too small descriptor refused",
                 "plugin descriptor of", "needs at least");
  expect_refused(c, "nobuild.so", "descriptor without build refused",
                 "no build", NULL);
  expect_refused(c, "emptytype.so", "empty type name refused", "empty name",
                 NULL);
  expect_refused(c, "twice.so", "type declared twice refused", "'alpha' twice",
                 NULL);
  expect_refused(c, "missing.so", "missing file refused",
                 "No such file or directory", NULL);
  expect_refused(c, "initfail.so", "init failure refused", "init failed",
                 "returned 7");
  check(c, strcmp(read_marker(c), "init initfail\n") == 0,
        "failing init ran, no fini", "marker '%s'", read_marker(c));
  expect_refused(c, "initmsg.so", "init_msg's reason is quoted on one line",
                 "(plugin 'initmsg'): init failed: no licence file in "
                 "/nowhere second line",
                 NULL);
  check(c, strcmp(read_marker(c), "init_msg initmsg\n") == 0,
        "init_msg is called instead of init", "marker '%s'", read_marker(c));
  expect_refused(c, "badstride.so", "a stride no header makes is refused",
                 "gives type_size 12, which no cvpdf header makes",
                 "CVPDF_PLUGIN_HEADER");

  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  int rc = cv_plugins_load_file(ps, tp(c, "scan/d.so"), &st);
  check(c,
        rc == -1 && contains(st.msg, "scan/d.so") &&
            contains(st.msg, "not a regular file"),
        "directory named .so refused by load_file", "rc %d: '%s'", rc, st.msg);
  cv_plugins_destroy(ps);
}

/* Declarations of a later ABI, each struct larger: read with the strides
 * the descriptor gives, copied into this host's layout. */
static void test_future(ctx *c) {
  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  int rc = cv_plugins_load_file(ps, tp(c, "lib/future.so"), &st);
  check(c, rc == 0, "larger declaration structs load", "rc %d: %s", rc, st.msg);
  const cvpdf_section_type *a = NULL, *b = NULL;
  cv_plugins_find(ps, "alpha", &a);
  cv_plugins_find(ps, "beta", &b);
  const cvpdf_field *f = a ? a->fields : NULL;
  check(c,
        a && b && !strcmp(b->doc, "second test type") && !b->fields &&
            !b->options && !b->words,
        "second type read at the plugin's stride", "beta %s",
        b ? b->doc : "(none)");
  check(c,
        f && !strcmp(f[0].name, "text") && !strcmp(f[1].name, "items") &&
            !f[2].name && f[1].children &&
            !strcmp(f[1].children[0].name, "when") &&
            f[1].children[0].type == CVPDF_FIELD_DATE && !f[1].children[1].name,
        "fields and their children read at the plugin's stride", "%s",
        f && f[1].name ? f[1].name : "(none)");
  const cvpdf_option *o = a ? a->options : NULL;
  check(c,
        o && !strcmp(o[0].name, "shape") && !strcmp(o[0].values[1], "square") &&
            !strcmp(o[1].name, "size") && !o[1].values && !o[2].name,
        "options read at the plugin's stride", "%s",
        o && o[0].name ? o[0].name : "(none)");
  check(c,
        a && a->words && !strcmp(a->words[0], "hello") &&
            !strcmp(a->words[1], "world") && !a->words[2],
        "words read", "%s", a && a->words ? a->words[0] : "(none)");
  cv_plugins_destroy(ps);
}

/* CVPDF_HOST_HAS: by the table's size and the member being set. */
static void test_host_has(ctx *c) {
  cvpdf_host h = {.size = offsetof(cvpdf_host, join)};
  h.join = NULL;
  check(c, !CVPDF_HOST_HAS(&h, join), "a 1.1 host has no join", "has");
  h.size = sizeof h;
  check(c, !CVPDF_HOST_HAS(&h, join), "a NULL member is not had", "has");
  h.join = (const char *(*)(cvpdf_builder *, const char *const *, size_t,
                            const char *))1;
  check(c, CVPDF_HOST_HAS(&h, join), "a 1.2 host has join", "has not");
  h.size = offsetof(cvpdf_host, join);
  check(c, !CVPDF_HOST_HAS(&h, join), "size decides, not the member", "has");
}

static void test_dir(ctx *c) {
  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  reset_marker(c);
  int rc = cv_plugins_load_dir(ps, tp(c, "scan"), &st);
  check(c, rc == 0 && !st.failed,
        "dir scan skips d.so dir, hidden and non-.so files", "rc %d: %s", rc,
        st.msg);
  check(c, cv_plugins_count(ps) == 2,
        "dir scan loads two plugins (symlink "
        "to a loaded file skipped)",
        "count %zu", cv_plugins_count(ps));
  const cv_plugin *a = cv_plugins_at(ps, 0), *b = cv_plugins_at(ps, 1);
  check(c,
        a && b && strcmp(a->desc->name, "good2") == 0 &&
            strcmp(b->desc->name, "good") == 0,
        "dir scan in name order", "first %s", a ? a->desc->name : "(none)");
  cv_plugins_destroy(ps);
  check(c,
        strcmp(read_marker(c),
               "init good2\ninit good\nfini good\nfini good2\n") == 0,
        "fini in reverse load order", "marker '%s'", read_marker(c));

  ps = fresh(c);
  rc = cv_plugins_load_dir(ps, tp(c, "nonexistent"), &st);
  check(c, rc == 0 && !st.failed && cv_plugins_count(ps) == 0,
        "missing dir is not an error", "rc %d: %s", rc, st.msg);
  rc = cv_plugins_load_dir(ps, tp(c, "lib/good.so"), &st);
  check(c, rc == -1 && contains(st.msg, "lib/good.so"),
        "a file as plugin dir is an error", "rc %d: %s", rc, st.msg);
  cv_plugins_destroy(ps);

  ps = fresh(c);
  st = (cv_status){0};
  rc = cv_plugins_load_dir(ps, tp(c, "p4"), &st);
  check(c,
        rc == -1 && contains(st.msg, "p4/good.so") &&
            contains(st.msg, "p4/dup.so") && contains(st.msg, "'alpha'"),
        "clash inside one dir is an error naming both", "rc %d: %s", rc,
        st.msg);
  cv_plugins_destroy(ps);
}

static void test_duplicates(ctx *c) {
  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  cv_plugins_load_file(ps, tp(c, "lib/good.so"), &st);
  int rc = cv_plugins_load_file(ps, tp(c, "lib/duplicate_type.so"), &st);
  check(c,
        rc == -1 && contains(st.msg, "lib/duplicate_type.so") &&
            contains(st.msg, "'alpha'") && contains(st.msg, "lib/good.so"),
        "duplicate type in direct load_file is an error", "rc %d: %s", rc,
        st.msg);
  check(c, cv_plugins_count(ps) == 1 && !cv_plugins_find(ps, "delta", NULL),
        "refused duplicate registers nothing", "count %zu",
        cv_plugins_count(ps));
  cv_plugins_destroy(ps);

  ps = fresh(c);
  st = (cv_status){0};
  const char *fwd[] = {tp(c, "p1"), tp(c, "p2"), NULL};
  rc = cv_plugins_load_path(ps, fwd, NULL, &st);
  check(c, rc == 0 && !st.failed, "load_path with a shadowed type", "rc %d: %s",
        rc, st.msg);
  check(c,
        strcmp(owner(ps, "alpha"), "good") == 0 &&
            strcmp(owner(ps, "beta"), "good") == 0 &&
            strcmp(owner(ps, "delta"), "dup") == 0,
        "earlier dir wins alpha, later dir keeps delta", "alpha %s delta %s",
        owner(ps, "alpha"), owner(ps, "delta"));
  const char *const *n = cv_plugins_type_names(ps);
  check(c, n[0] && n[1] && n[2] && !n[3] && strcmp(n[2], "delta") == 0,
        "type names list each type once", "third %s", n[2] ? n[2] : "(null)");
  cv_plugins_destroy(ps);

  ps = fresh(c);
  const char *rev[] = {tp(c, "p2"), tp(c, "p1"), NULL};
  rc = cv_plugins_load_path(ps, rev, NULL, &st);
  check(c,
        rc == 0 && strcmp(owner(ps, "alpha"), "dup") == 0 &&
            strcmp(owner(ps, "beta"), "good") == 0,
        "reversed order: the other plugin wins", "rc %d alpha %s", rc,
        owner(ps, "alpha"));
  cv_plugins_destroy(ps);

  ps = fresh(c);
  reset_marker(c);
  const char *all[] = {tp(c, "p1"), tp(c, "p3"), NULL};
  rc = cv_plugins_load_path(ps, all, NULL, &st);
  check(c,
        rc == 0 && cv_plugins_count(ps) == 1 &&
            strcmp(read_marker(c), "init good\n") == 0,
        "fully shadowed plugin is not kept nor initialised",
        "rc %d count %zu marker '%s'", rc, cv_plugins_count(ps),
        read_marker(c));
  cv_plugins_destroy(ps);

  ps = fresh(c);
  const char *same[] = {tp(c, "p4"), NULL};
  rc = cv_plugins_load_path(ps, same, NULL, &st);
  check(c, rc == -1 && st.failed && contains(st.msg, "p4/dup.so"),
        "clash inside one path dir is an error", "rc %d: %s", rc, st.msg);
  cv_plugins_destroy(ps);
}

static void test_env(ctx *c) {
  char env[1024];
  snprintf(env, sizeof env, ":%s::%s:%s:", tp(c, "e1"), tp(c, "nonexistent"),
           tp(c, "e2"));
  if (setenv("CVPDF_PLUGIN_PATH", env, 1) != 0) {
    check(c, 0, "setenv", "failed");
    return;
  }
  cv_plugins *ps = fresh(c);
  cv_status st = {0};
  int rc = cv_plugins_load_path(ps, NULL, tp(c, "p1"), &st);
  check(c, rc == 0 && !st.failed, "load_path with $CVPDF_PLUGIN_PATH",
        "rc %d: %s", rc, st.msg);
  const cv_plugin *p0 = cv_plugins_at(ps, 0), *p1 = cv_plugins_at(ps, 1),
                  *p2 = cv_plugins_at(ps, 2);
  check(c,
        cv_plugins_count(ps) == 3 && p0 && p1 && p2 &&
            strcmp(p0->desc->name, "dup") == 0 &&
            strcmp(p1->desc->name, "good2") == 0 &&
            strcmp(p2->desc->name, "good") == 0,
        "env entries in order, then the default dir", "count %zu",
        cv_plugins_count(ps));
  check(c,
        strcmp(owner(ps, "alpha"), "dup") == 0 &&
            strcmp(owner(ps, "beta"), "good") == 0,
        "env dir shadows the default dir", "alpha %s", owner(ps, "alpha"));
  cv_plugins_destroy(ps);

  ps = fresh(c);
  const char *dirs[] = {tp(c, "p1"), NULL};
  rc = cv_plugins_load_path(ps, dirs, NULL, &st);
  check(c,
        rc == 0 && strcmp(owner(ps, "alpha"), "good") == 0 &&
            strcmp(owner(ps, "delta"), "dup") == 0,
        "explicit dirs come before $CVPDF_PLUGIN_PATH", "rc %d alpha %s", rc,
        owner(ps, "alpha"));
  cv_plugins_destroy(ps);

  /* A file named on the command line comes before the whole path. */
  ps = fresh(c);
  rc = cv_plugins_load_file(ps, tp(c, "lib/good.so"), &st);
  rc |= cv_plugins_load_path(ps, NULL, NULL, &st);
  check(c,
        rc == 0 && strcmp(owner(ps, "alpha"), "good") == 0 &&
            cv_plugins_count(ps) == 3,
        "a file loaded first shadows the path", "rc %d alpha %s: %s", rc,
        owner(ps, "alpha"), st.msg);
  cv_plugins_destroy(ps);
  unsetenv("CVPDF_PLUGIN_PATH");
}

int main(void) {
  ctx c = {0};
  c.host.abi_major = CVPDF_ABI_MAJOR;
  c.host.abi_minor = CVPDF_ABI_MINOR;
  c.host.size = sizeof c.host;
  const char *tmpdir = getenv("TMPDIR");
  snprintf(c.tmp, sizeof c.tmp, "%s/cvpdf-plugins-XXXXXX",
           tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (!mkdtemp(c.tmp)) {
    printf("FAIL - mkdtemp: %s\n", c.tmp);
    return 1;
  }
  snprintf(c.marker, sizeof c.marker, "%s/marker", c.tmp);
  if (setenv("CVPDF_TEST_MARKER", c.marker, 1) != 0 ||
      unsetenv("CVPDF_PLUGIN_PATH") != 0) {
    printf("FAIL - setenv\n");
    return 1;
  }
  check(&c, cv_plugins_create(NULL) == NULL, "create without host is NULL",
        "not NULL");
  cv_plugins_destroy(NULL);
  if (setup(&c) != 0) {
    printf("FAIL - setup: could not build the test plugins in %s\n", c.tmp);
    return 1;
  }
  test_good(&c);
  test_refusals(&c);
  test_future(&c);
  test_host_has(&c);
  test_dir(&c);
  test_duplicates(&c);
  test_env(&c);
  if (run("rm -rf '%s'", c.tmp) != 0)
    printf("# could not remove %s\n", c.tmp);
  if (c.failures)
    printf("# %d check(s) failed\n", c.failures);
  return c.failures ? 1 : 0;
}
