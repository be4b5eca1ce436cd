/* cvpdf - the serve command's parts: the document being edited (its text
 * on disk, the last good render and its page pictures) and the HTTP side
 * that shows it in a browser. */
#ifndef CV_SERVE_H
#define CV_SERVE_H

#include <pthread.h>
#include <stdint.h>

#include "cli/cli.h"
#include "output/raster.h"
#include "pipeline/plugin_host.h"

/* The pages of one good render, shared by the requests that show them and
 * freed by the last one to let go. */
typedef struct cv_snapshot {
  int refs;     /* under the server's mu */
  uint64_t rev; /* which render made it */
  char *pdf;    /* the PDF's bytes: a preview (output/pdf.h) */
  size_t pdf_len;
  char *text; /* what was rendered, with which layout (NULL: the CV's) */
  size_t text_len;
  char *layout;
  cv_buf file;        /* the PDF `cvpdf render` writes, once asked; under mu */
  cv_raster *raster;  /* poppler's reading of pdf; under mu */
  pthread_mutex_t mu; /* one page is drawn at a time */
  size_t npages;
  struct cv_page_png { /* the last picture drawn of each page */
    double dpi;
    int fast;
    uint64_t hash; /* of png's bytes: the same picture, the same hash */
    cv_buf png;
  } * pages;
} cv_snapshot;

typedef struct cv_serve {
  /* Fixed once the server runs. */
  const char *cv_path; /* as given: names the CV in messages */
  char *real_path;     /* where saves go (a symlink stays one) */
  char *base;          /* the CV's file name */
  char *dir;           /* its directory */
  char token[33];
  cv_render_args args;
  cv_dirs dirs;
  char tmpdir[PATH_MAX]; /* private: the PDF each render writes */
  char pdf_tmp[PATH_MAX + 16];
  cv_fontcache *fonts;
  cv_hyphcache *hyph;
  cv_datecache *dates;
  /* The plugins, loaded once: each render's own load of the same files
   * then finds them in memory instead of mapping and relocating them. */
  cv_plugins *pinned;
  char **layouts;    /* installed layout names, NULL-terminated */
  cv_buf schema;     /* JSON Schema of the CV, for completion */
  size_t body_limit; /* bytes a request body may have */
  /* What a request's Host header may say (see cv_serve_host_ok). */
  char host[300]; /* the address served, as a URL writes it */
  unsigned port;
  int loopback, wildcard;

  pthread_mutex_t mu;     /* guards what follows */
  pthread_cond_t changed; /* disk_version moved, or stopping */
  int stopping;
  uint64_t edit_seq; /* edits received; the latest wins */
  cv_snapshot *snap; /* the last good render, or NULL */
  uint64_t rev;      /* renders finished, good or not */
  char *disk_text;   /* the CV as last read or saved */
  size_t disk_len;
  uint64_t disk_version; /* bumped when another program changes it */

  pthread_mutex_t render_mu; /* one render at a time */
} cv_serve;

/* ---- serve_doc.c ---- */

/* Reads the CV at start: it must be a regular file the server may
 * replace.  Returns 0, or -1 after saying why. */
int cv_serve_load(cv_serve *s);

/* A page to draw as soon as a render is done, for the answer to carry. */
typedef struct cv_picture_req {
  size_t page; /* from 0; a page the render does not have is not drawn */
  double dpi;
} cv_picture_req;

/* Renders text (len bytes) as the CV with the chosen layout (an installed
 * name, or NULL for the command line's or the CV's).  Appends the answer as
 * JSON to out: {"ok", "rev", "ms", "pages": [[w, h]...], "diags": [...]},
 * or {"superseded": true} when a newer edit arrived meanwhile.  With want
 * (may be NULL), the page it names is drawn at once into png (a preview
 * picture, as GET /page.png draws it) and the answer says so in "picture":
 * {"n" (from 1), "dpi", "raster_ms", "hash"}. */
void cv_serve_render(cv_serve *s, const char *text, size_t len,
                     const char *layout, const cv_picture_req *want,
                     cv_buf *out, cv_buf *png);
/* The current snapshot with a reference taken, or NULL. */
cv_snapshot *cv_serve_snapshot(cv_serve *s);
void cv_snapshot_release(cv_serve *s, cv_snapshot *snap);
/* The PDF of snap as `cvpdf render` writes it (the pages drawn come from
 * a preview), rendered at the first call; NULL with st set on failure.
 * The caller holds snap->mu, not render_mu. */
const cv_buf *cv_snapshot_file(cv_serve *s, cv_snapshot *snap, cv_status *st);
/* Page i of snap as a PNG at dpi (cached); NULL with st set on failure.
 * The buffer, and snap->pages[i].hash, stay valid while the caller holds
 * snap->mu. */
const cv_buf *cv_snapshot_png(cv_snapshot *snap, size_t i, double dpi, int fast,
                              double *ms, cv_status *st);
/* Writes text to the CV file atomically.  Refused (returns 1) when the
 * file changed on disk since the page saw version `seen`, unless force. */
int cv_serve_save(cv_serve *s, const char *text, size_t len, uint64_t seen,
                  int force, cv_status *st);
/* Reads the CV file again after a change on disk; wakes the pages waiting
 * for one when its text differs from what the server knew. */
void cv_serve_reload(cv_serve *s);
/* Appends {"version", "text"} of the CV on disk to out. */
void cv_serve_disk_json(cv_serve *s, cv_buf *out);
/* Appends s as a JSON string (quoted, escaped) to out. */
void cv_json_str(cv_buf *out, const char *s, size_t len);
int cv_layout_installed(const cv_serve *s, const char *name);

/* ---- the page's files, embedded at build time (serve_assets.c) ---- */

typedef struct cv_asset {
  const char *name;          /* the URL path, "/" for the page */
  const char *type;          /* Content-Type */
  const unsigned char *data; /* len bytes, then a NUL */
  size_t len;
} cv_asset;

extern const cv_asset cv_serve_assets[]; /* ends with a NULL name */

/* ---- serve_http.c ---- */

struct MHD_Daemon;
/* Starts the HTTP server on a listening socket (which stays the
 * caller's); NULL after saying why. */
struct MHD_Daemon *cv_serve_start(cv_serve *s, int listen_fd);
/* Stops what cv_serve_start started (NULL: nothing). */
void cv_serve_stop(struct MHD_Daemon *d);
/* Whether a request's Host header names this server: the address served,
 * localhost on loopback, or any IP address when serving on all of them, and
 * the port.  Anything else may be a DNS name rebound to this machine. */
int cv_serve_host_ok(const cv_serve *s, const char *host);

#endif
