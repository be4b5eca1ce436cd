/* cvpdf - the pipeline: CV file -> model -> plugins -> layout -> PDF. */
#ifndef CV_RENDER_H
#define CV_RENDER_H

#include "diag.h"
#include "model.h"

typedef struct cv_render_opts {
  const char *input;     /* path, or the name used in messages with data */
  const char *data;      /* when non-NULL: the CV itself, len bytes */
  size_t len;
  const char *output;    /* NULL: the input's name with .pdf */
  const char *trace;     /* also write the placement trace here, or NULL */
  const char *layout;    /* overrides the CV's `layout:` */
  const char *const *plugin_dirs;  /* searched first (CLI), NULL-terminated */
  const char *default_plugin_dir;  /* searched last */
  const char *const *layout_dirs;
  const char *const *font_dirs;
  const char *const *hyph_dirs;
  cv_limits limits;
} cv_render_opts;

typedef struct cv_render_stats {
  double t_parse, t_plugins, t_build, t_shape, t_break, t_pages, t_write,
      t_total;
  size_t pages, bytes, lines, paragraphs, hyphenated, overfull;
  char output[4096];
} cv_render_stats;

/* Renders one CV.  On failure nothing is written at the output path (the
 * PDF goes to a temporary file renamed into place) and diags say why.
 * Returns 0 or -1. */
int cv_render(const cv_render_opts *o, cv_diags *diags, cv_render_stats *stats);

/* The output path for an input: dir/name.pdf for dir/name.yaml. */
char *cv_default_output(const char *input);

#endif
