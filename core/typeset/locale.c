/* cvpdf - the words of a language (locales/LANG.yaml): the defaults under
 * a layout's and a CV's own `words:`.  A locale file holds one mapping,
 * `words:`, from the word cvpdf asks for ("present", "Advisor", ...) to
 * how the language writes it, and `hyphenation_patterns: false` where
 * Debian ships no hyphenation patterns for the language. */
#define _POSIX_C_SOURCE 200809L
#include "typeset/theme_read.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "document/model.h"

static int is_file(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void add_word(cv_lr *r, const char *tag, const cvpdf_node *k,
                     const cvpdf_node *v) {
  cv_theme *t = r->t;
  const char *key = cv_arena_printf(r->arena, "%s.%s", tag, cv_node_str(k));
  const char *val = cv_lr_dupstr(r, v, cv_node_str(k));
  if (!key || !val)
    return;
  for (size_t i = 0; i < t->nlocale; i++)
    if (!strcmp(t->locale_keys[i], key))
      return;
  if (t->nlocale == CV_MAX_LOCALE_WORDS) {
    cv_lr_err(r, k, "too many words (at most %d in all locale files read)",
              CV_MAX_LOCALE_WORDS);
    return;
  }
  t->locale_keys[t->nlocale] = key;
  t->locale_vals[t->nlocale++] = val;
}

/* Reads tag.yaml from the first of dirs that has it; none is no error. */
static void read_locale(cv_lr *r, const char *tag, const char *const *dirs) {
  for (size_t d = 0; dirs && dirs[d]; d++) {
    const char *path = cv_arena_printf(r->arena, "%s/%s.yaml", dirs[d], tag);
    if (!path || !is_file(path))
      continue;
    cv_model *m = cv_model_load_input(path, NULL, r->inputs, r->diags);
    if (!m) {
      r->errors++;
      return;
    }
    static const char *const keys[] = {"words", "hyphenation_patterns", NULL};
    const cvpdf_node *words = NULL, *pat = NULL;
    int has = 1;
    if (cv_lr_is_map(r, m->root, "a locale file") &&
        cv_lr_known_keys(r, m->root, keys, "a locale file") == 0) {
      if ((pat = cv_node_get(m->root, "hyphenation_patterns")) &&
          cv_lr_bool(r, pat, "hyphenation_patterns", &has) == 0 && !has)
        r->t->no_patterns = 1;
      if ((words = cv_node_get(m->root, "words")) &&
          cv_lr_is_map(r, words, "words"))
        for (size_t i = 0; i < cv_node_len(words); i++)
          add_word(r, tag, cv_node_key_at(words, i),
                   cv_node_value_at(words, i));
    }
    cv_model_destroy(m);
    return;
  }
}

int cv_theme_load_locales(cv_theme *t, const char *lang,
                          const char *const *dirs, cv_inputs *inputs,
                          cv_arena *arena, cv_diags *diags) {
  cv_lr r = {.t = t, .arena = arena, .diags = diags, .inputs = inputs};
  char tag[32], base[16];
  snprintf(tag, sizeof tag, "%s", lang && *lang ? lang : "en");
  for (char *p = tag; *p; p++)
    if (*p == '_')
      *p = '-';
  snprintf(base, sizeof base, "%.*s", (int)strcspn(tag, "-"), tag);
  /* Norwegian without a written standard: Bokmål, as most write it. */
  const char *tags[] = {tag, base, strcmp(base, "no") ? NULL : "nb", "en"};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) {
    int seen = !tags[i];
    for (size_t j = 0; j < i && !seen; j++)
      seen = tags[j] && !strcmp(tags[i], tags[j]);
    if (!seen)
      read_locale(&r, tags[i], dirs);
  }
  return r.errors ? -1 : 0;
}
