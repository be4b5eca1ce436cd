/* Fuzz target: inline markup parsing (md4c) and shaping of the result into
 * nodes, then line breaking, as a paragraph would be typeset. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

#include "typeset/linebreak.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Loading fonts and patterns per input would make the target crawl; the
 * harness keeps one set for the process (test code, not the library). */
static cv_fontset *fonts;
static cv_arena arena;
static cv_shaper *sh;
static unsigned runs;

static double width(void *ctx, size_t line) {
  (void)ctx;
  return line == 0 ? 120 : 200;
}

/* Frees the harness's fonts at exit, so leak checkers see only leaks of
 * the code under test. */
static void cleanup(void) {
  cv_shaper_destroy(sh);
  cv_arena_fini(&arena);
  cv_fontset_destroy(fonts);
  FcFini();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cv_status st = {0};
  if (!fonts) {
    atexit(cleanup);
    fonts = cv_fontset_create(&st);
    const char *files[4] = {"LinLibertine_R.otf", "LinLibertine_RB.otf",
                            "LinLibertine_RI.otf", "LinLibertine_RBI.otf"};
    if (!fonts ||
        cv_fontset_add_family(fonts, "Linux Libertine O", files, NULL, &st) < 0)
      abort();
  }
  if (size > 4096)
    return 0;
  /* A fresh shaper (and arena) every 256 inputs bounds memory without
   * reloading the patterns for each input. */
  if (runs++ % 256 == 0) {
    cv_shaper_destroy(sh);
    cv_arena_fini(&arena);
    cv_arena_init(&arena);
    const char *hyph[] = {"/usr/share/hyphen", NULL};
    sh = cv_shaper_create(fonts, &arena, "en", hyph, &st);
    if (!sh)
      abort();
  }
  cv_span *spans = NULL;
  size_t ns = 0;
  cv_hlist hl;
  cv_hlist_init(&hl);
  static const char *const fallbacks[] = {"Noto Sans", NULL};
  cv_textstyle ts = {.family = "Linux Libertine O",
                     .size = 10,
                     .fallbacks = fallbacks,
                     .smallcaps = size & 1,
                     .uppercase = (size >> 1) & 1};
  st.failed = 0;
  if (cv_markup_parse(&arena, (const char *)data, size, &spans, &ns, &st) ==
          0 &&
      cv_shape_spans(sh, &ts, spans, ns, 1, 1, &hl, &st) == 0) {
    cv_hlist_penalty(&hl, 0, CV_INF_PENALTY, 0);
    cv_hlist_glue(&hl, 0, CV_FIL, 0);
    cv_hlist_penalty(&hl, 0, CV_EJECT_PENALTY, 0);
    cv_kp_params kp;
    cv_kp_params_default(&kp);
    cv_line *lines = NULL;
    size_t nl = 0;
    if (cv_linebreak(hl.v, hl.n, width, NULL, &kp, &lines, &nl, NULL, &st) ==
        0) {
      for (size_t i = 0; i < nl; i++)
        if (lines[i].start > lines[i].end || lines[i].end > hl.n)
          abort(); /* a line outside the list */
    }
    free(lines);
  }
  cv_hlist_fini(&hl);
  return 0;
}
