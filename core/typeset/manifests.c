/* cvpdf - font family manifests (fonts/NAME.yaml: family, regular, bold,
 * italic, bold-italic, and where a package puts the files) read into a
 * fontset.  The files are YAML, so they are read here, above the text
 * room, which holds the fontset but does not read documents; see
 * core/typeset/README.md. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/manifests.h"
#include "typeset/theme_read.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_file(const char *path) {
  struct stat sb;
  return path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A manifest's `dirs` say where its package puts the files; a file found
 * there needs no fontconfig lookup. */
static void resolve_in_dirs(cv_arena *a, const char *dir,
                            const cvpdf_node *dirs, const char *files[4]) {
  for (int v = 0; v < 4; v++) {
    if (!files[v] || files[v][0] == '/' ||
        is_file(cv_arena_printf(a, "%s/%s", dir, files[v])))
      continue;
    /* "name.ttc#2": the file is name.ttc, the face index stays on. */
    const char *hash = strrchr(files[v], '#');
    int n = hash ? (int)(hash - files[v]) : (int)strlen(files[v]);
    for (size_t i = 0; i < cv_node_len(dirs); i++) {
      const char *d = cv_node_str(cv_node_at(dirs, i));
      char *p = d ? cv_arena_printf(a, "%s/%.*s", d, n, files[v]) : NULL;
      if (is_file(p)) {
        files[v] = cv_arena_printf(a, "%s%s", p, hash ? hash : "");
        break;
      }
    }
  }
}

int cv_fonts_load_manifests(cv_fontset *fs, const char *dir, cv_diags *diags,
                            cv_status *st) {
  static const char *const keys[] = {"family",      "package", "dirs",
                                     "regular",     "bold",    "italic",
                                     "bold-italic", NULL};
  struct dirent **list = NULL;
  int n = scandir(dir, &list, NULL, alphasort);
  if (n < 0)
    return 0; /* no such dir: nothing declared */
  int rc = 0;
  cv_arena a;
  cv_arena_init(&a);
  for (int i = 0; i < n; i++) {
    const char *fn = list[i]->d_name;
    size_t len = strlen(fn);
    if (rc == 0 && len > 5 && !strcmp(fn + len - 5, ".yaml")) {
      char *path = cv_arena_printf(&a, "%s/%s", dir, fn);
      cv_model *m = path ? cv_model_load_file(path, NULL, diags) : NULL;
      if (!m) {
        rc = -1;
      } else {
        cv_theme dummy;
        cv_lr r = {.t = &dummy, .arena = &a, .diags = diags};
        const cvpdf_node *root = m->root;
        if (cv_lr_is_map(&r, root, "font manifest"))
          cv_lr_known_keys(&r, root, keys, "a font manifest");
        const char *family = cv_node_get_str(root, "family");
        if (!family)
          cv_lr_err(&r, root, "font manifest: missing field 'family'");
        const char *files[4] = {cv_node_get_str(root, "regular"),
                                cv_node_get_str(root, "bold"),
                                cv_node_get_str(root, "italic"),
                                cv_node_get_str(root, "bold-italic")};
        resolve_in_dirs(&a, dir, cv_node_get(root, "dirs"), files);
        if (r.errors || cv_fontset_add_family(fs, family, files, dir, st) < 0)
          rc = -1;
        cv_model_destroy(m);
      }
    }
    free(list[i]);
  }
  free(list);
  cv_arena_fini(&a);
  return rc;
}
