/* cvpdf - the plugins command: which section plugins a render would use.
 *
 * It loads the search path exactly as render does (same order, same
 * shadowing, same refusals), so what it lists is what a render gets. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "typeset/layout.h"
#include "pipeline/plugin_host.h"

/* The section types p handles (not those a plugin earlier on the path
 * took), joined by ", " into out; truncated with "..." when longer than
 * outsz: this is a terminal table, not data. */
static void join_types(const cv_plugins *ps, const cv_plugin *p, char *out,
                       size_t outsz) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; p->types[i].name; i++) {
    if (cv_plugins_find(ps, p->types[i].name, NULL) != p)
      continue;
    int n = snprintf(out + used, outsz - used, "%s%s", used ? ", " : "",
                     p->types[i].name);
    if (n < 0 || (size_t)n >= outsz - used) {
      if (outsz > 4)
        memcpy(out + outsz - 4, "...", 4);
      return;
    }
    used += (size_t)n;
  }
}

static const char *or_dash(const char *s) {
  return s && *s ? s : "-";
}

/* `-v`: a type's description, the layout options it reads (with the
 * values they take) and the words it prints. */
static void print_type(const cvpdf_section_type *st) {
  printf("    %s: %s\n", st->name, or_dash(st->doc));
  for (size_t i = 0; st->options && st->options[i].name; i++) {
    const cvpdf_option *o = &st->options[i];
    printf("      option %s", o->name);
    for (size_t v = 0; o->values && o->values[v]; v++)
      printf("%s%s", v ? " | " : ": ", o->values[v]);
    printf("%s%s\n", o->doc ? " - " : "", o->doc ? o->doc : "");
  }
  for (size_t i = 0; st->words && st->words[i]; i++)
    printf("%s%s%s", i ? ", " : "      words: ", st->words[i],
           st->words[i + 1] ? "" : "\n");
}

static void print_table(const cv_plugins *ps, int verbose) {
  size_t n = cv_plugins_count(ps);
  /* Column widths from the data, at least as wide as the heading. */
  size_t wname = 4, wver = 7, wtypes = 13;
  char types[512];
  for (size_t i = 0; i < n; i++) {
    const cv_plugin *p = cv_plugins_at(ps, i);
    join_types(ps, p, types, sizeof types);
    size_t l = strlen(p->desc->name);
    wname = l > wname ? l : wname;
    l = strlen(or_dash(p->desc->version));
    wver = l > wver ? l : wver;
    l = strlen(types);
    wtypes = l > wtypes ? l : wtypes;
  }
  printf("%-*s  %-*s  %-5s  %-*s  %s\n", (int)wname, "NAME", (int)wver,
         "VERSION", "ABI", (int)wtypes, "SECTION TYPES", "PATH");
  for (size_t i = 0; i < n; i++) {
    const cv_plugin *p = cv_plugins_at(ps, i);
    char abi[24];
    snprintf(abi, sizeof abi, "%u.%u", (unsigned)p->desc->abi_major,
             (unsigned)p->desc->abi_minor);
    join_types(ps, p, types, sizeof types);
    printf("%-*s  %-*s  %-5s  %-*s  %s\n", (int)wname, p->desc->name, (int)wver,
           or_dash(p->desc->version), abi, (int)wtypes, types, p->path);
    if (!verbose)
      continue;
    for (size_t t = 0; p->types[t].name; t++) {
      const cvpdf_section_type *st = &p->types[t];
      /* A type another plugin earlier on the path handles is not this
       * plugin's to build: say so rather than let the list mislead. */
      const cv_plugin *owner = cv_plugins_find(ps, st->name, NULL);
      if (owner != p)
        printf("    %s: (handled by %s, earlier on the path)\n", st->name,
               owner ? owner->path : "?");
      else
        print_type(st);
    }
  }
}

static void print_path(const char *const *dirs, const char *dflt) {
  printf("Search path:");
  for (size_t i = 0; dirs[i]; i++)
    printf(" %s", dirs[i]);
  const char *env = getenv("CVPDF_PLUGIN_PATH");
  if (env && *env)
    printf(" %s", env);
  printf(" %s\n", dflt);
}

int cv_cmd_plugins(int argc, char **argv) {
  static const struct option longopts[] = {
      {"plugin-dir", required_argument, NULL, 'p'},
      {"verbose", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *plugin_dirs[CV_MAX_DIRS + 1] = {0};
  size_t nplugin = 0;
  int verbose = 0, c;
  cv_opts g = CV_OPTS(argc, argv, "p:vh", longopts, plugin_dirs, &nplugin);
  while ((c = cv_opts_next(&g)) >= 0) {
    switch (c) {
    case 'v':
      verbose = 1;
      break;
    }
  }
  if (c == CV_OPTS_EXIT)
    return g.status;
  if (optind < argc) {
    fprintf(stderr, "cvpdf: plugins takes no arguments, found '%s'\n",
            argv[optind]);
    return 2;
  }
  cv_dirs d;
  cv_find_dirs(&d);
  cv_plugins *ps = cv_plugins_create(cv_host_table());
  if (!ps) {
    fputs("cvpdf: out of memory\n", stderr);
    return 1;
  }
  cv_status st = {0};
  int rc = cv_plugins_load_path(ps, plugin_dirs, d.plugin, &st);
  /* What did load is still worth showing next to the refusal: it tells
   * which directory the bad file sits in relative to the good ones. */
  print_table(ps, verbose);
  print_path(plugin_dirs, d.plugin);
  if (rc != 0)
    fprintf(stderr, "cvpdf: error: %s\n", st.msg);
  else if (cv_plugins_count(ps) == 0)
    fprintf(stderr,
            "cvpdf: no plugins found; is cvpdf installed (plugins "
            "belong in %s)?\n",
            d.plugin);
  size_t n = cv_plugins_count(ps);
  cv_plugins_destroy(ps);
  return rc != 0 || n == 0 ? 1 : 0;
}
