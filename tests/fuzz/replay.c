/* Replays fuzz inputs as an ordinary test: every file given on the command
 * line (or found in a directory given) goes through the target once.  Linked
 * with one fuzz target instead of libFuzzer's main. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include <dirent.h>
#include <sys/stat.h>

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (cv_grow((void **)&buf, &cap, len + 4096, 1) < 0) {
      fclose(f);
      free(buf);
      return 1;
    }
    size_t r = fread(buf + len, 1, cap - len, f);
    len += r;
    if (r == 0)
      break;
  }
  int err = ferror(f);
  fclose(f);
  if (!err)
    LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
  free(buf);
  printf("%s - %s\n", err ? "FAIL" : "ok", path);
  return err ? 1 : 0;
}

static int run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    perror(path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode))
    return run_file(path);
  DIR *dir = opendir(path);
  if (!dir) {
    perror(path);
    return 1;
  }
  int fails = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    size_t n = strlen(path) + strlen(e->d_name) + 2;
    char *full = malloc(n);
    if (!full) {
      fails++;
      break;
    }
    snprintf(full, n, "%s/%s", path, e->d_name);
    fails += run_path(full);
    free(full);
  }
  closedir(dir);
  return fails;
}

int main(int argc, char **argv) {
  int fails = 0;
  for (int i = 1; i < argc; i++)
    fails += run_path(argv[i]);
  return fails ? 1 : 0;
}
