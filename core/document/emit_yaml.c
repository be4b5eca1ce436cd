/* cvpdf - document tree to YAML with libyaml's emitter. */
#define _POSIX_C_SOURCE 200809L
#include "document/emit_yaml.h"

#include "base/atomic.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

static int write_handler(void *data, unsigned char *buffer, size_t size) {
  cv_buf *b = data;
  cv_buf_put(b, buffer, size);
  return !b->failed;
}

static int word_in(const char *s, const char *const *words) {
  for (size_t i = 0; words[i]; i++)
    if (!strcmp(s, words[i]))
      return 1;
  return 0;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* Would a YAML 1.1 or 1.2 reader take plain s for a number? */
static int looks_numeric(const char *s) {
  static const char *const specials[] = {
      ".inf",  ".Inf",  ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
      "+.Inf", "+.INF", ".nan", ".NaN",  ".NAN",  NULL};
  if (word_in(s, specials))
    return 1;
  const char *p = s;
  if (*p == '+' || *p == '-')
    p++;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b') && p[2])
    return 1; /* hex, octal, binary: close enough to quote */
  int digits = 0, colon = 0;
  while (is_digit(*p) || *p == '_' || *p == ':') {
    digits |= is_digit(*p);
    colon |= *p == ':';
    p++;
  }
  if (colon)
    return digits && *p == '\0'; /* 1.1 sexagesimal: 1:20 */
  if (*p == '.') {
    p++;
    while (is_digit(*p) || *p == '_') {
      digits = 1;
      p++;
    }
  }
  if (!digits)
    return 0;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!is_digit(*p))
      return 0;
    while (is_digit(*p))
      p++;
  }
  return *p == '\0';
}

/* Plain text that reads back as null or a boolean in YAML 1.1 or 1.2. */
static int looks_keyword(const char *s) {
  static const char *const words[] = {
      "",     "~",     "null",  "Null",  "NULL", "true", "True",
      "TRUE", "false", "False", "FALSE", "yes",  "Yes",  "YES",
      "no",   "No",    "NO",    "on",    "On",   "ON",   "off",
      "Off",  "OFF",   "y",     "Y",     "n",    "N",    NULL};
  return word_in(s, words);
}

static yaml_scalar_style_t scalar_style(const cvpdf_node *n) {
  if (looks_keyword(n->str))
    return YAML_SINGLE_QUOTED_SCALAR_STYLE;
  /* A number written plain in the source stays plain (year: 2021); text
   * that merely looks like one keeps its quotes. */
  if (n->quoted && looks_numeric(n->str))
    return YAML_SINGLE_QUOTED_SCALAR_STYLE;
  /* libyaml falls back to quotes where plain text is not allowed. */
  return YAML_ANY_SCALAR_STYLE;
}

typedef struct emitter {
  yaml_emitter_t e;
  cv_status *st;
  size_t depth;
} emitter;

static int emit(emitter *em, yaml_event_t *ev) {
  if (yaml_emitter_emit(&em->e, ev))
    return 0;
  cv_status_set(em->st, "cannot write YAML: %s",
                em->e.problem ? em->e.problem : "out of memory");
  return -1;
}

static int emit_scalar(emitter *em, const char *s, size_t len,
                       yaml_scalar_style_t style) {
  yaml_event_t ev;
  if (len > (size_t)INT32_MAX ||
      !yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len,
                                    1, 1, style)) {
    cv_status_set(em->st, "out of memory while writing YAML");
    return -1;
  }
  return emit(em, &ev);
}

static int emit_node(emitter *em, const cvpdf_node *n) {
  yaml_event_t ev;
  /* The tree may share nodes (aliases), never cycles; the depth bound
   * only guards against a tree built wrongly. */
  if (++em->depth > 256) {
    cv_status_set(em->st, "cannot write YAML: nesting too deep");
    return -1;
  }
  int rc = 0;
  switch (n ? n->kind : CVPDF_NODE_NONE) {
  case CVPDF_NODE_NONE:
    rc = emit_scalar(em, "", 0, YAML_SINGLE_QUOTED_SCALAR_STYLE);
    break;
  case CVPDF_NODE_SCALAR:
    rc = emit_scalar(em, n->str, n->len, scalar_style(n));
    break;
  case CVPDF_NODE_SEQ:
    if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                              YAML_BLOCK_SEQUENCE_STYLE) ||
        emit(em, &ev) < 0) {
      rc = -1;
      break;
    }
    for (size_t i = 0; rc == 0 && i < n->n; i++)
      rc = emit_node(em, n->items[i]);
    if (rc == 0 &&
        (!yaml_sequence_end_event_initialize(&ev) || emit(em, &ev) < 0))
      rc = -1;
    break;
  case CVPDF_NODE_MAP:
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                             YAML_BLOCK_MAPPING_STYLE) ||
        emit(em, &ev) < 0) {
      rc = -1;
      break;
    }
    for (size_t i = 0; rc == 0 && i < n->n; i++) {
      rc = emit_scalar(em, n->keys[i]->str, n->keys[i]->len,
                       scalar_style(n->keys[i]));
      if (rc == 0)
        rc = emit_node(em, n->items[i]);
    }
    if (rc == 0 &&
        (!yaml_mapping_end_event_initialize(&ev) || emit(em, &ev) < 0))
      rc = -1;
    break;
  }
  if (rc < 0 && !em->st->failed)
    cv_status_set(em->st, "out of memory while writing YAML");
  em->depth--;
  return rc;
}

int cv_emit_yaml(const cvpdf_node *root, const char *header, cv_buf *out,
                 cv_status *st) {
  for (const char *p = header; p && *p;) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) : strlen(p);
    cv_buf_puts(out, n ? "# " : "#");
    cv_buf_put(out, p, n);
    cv_buf_putc(out, '\n');
    p += n + (nl != NULL);
  }
  emitter em = {.st = st};
  if (!yaml_emitter_initialize(&em.e)) {
    cv_status_set(st, "out of memory while writing YAML");
    return -1;
  }
  yaml_emitter_set_output(&em.e, write_handler, out);
  yaml_emitter_set_unicode(&em.e, 1);
  yaml_emitter_set_width(&em.e, -1); /* no folding: lines as the user wrote */
  yaml_emitter_set_indent(&em.e, 2);
  yaml_event_t ev;
  int rc = -1;
  if (yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
      emit(&em, &ev) == 0 &&
      yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
      emit(&em, &ev) == 0 && emit_node(&em, root) == 0 &&
      yaml_document_end_event_initialize(&ev, 1) && emit(&em, &ev) == 0 &&
      yaml_stream_end_event_initialize(&ev) && emit(&em, &ev) == 0 &&
      yaml_emitter_flush(&em.e))
    rc = 0;
  if (rc < 0 && !st->failed)
    cv_status_set(st, "cannot write YAML: %s",
                  em.e.problem ? em.e.problem : "out of memory");
  yaml_emitter_delete(&em.e);
  if (rc == 0 && out->failed) {
    cv_status_set(st, "out of memory while writing YAML");
    rc = -1;
  }
  return rc;
}

int cv_emit_yaml_file(const cvpdf_node *root, const char *header,
                      const char *path, const cv_inputs *inputs,
                      cv_status *st) {
  cv_buf b;
  cv_buf_init(&b);
  int rc = cv_emit_yaml(root, header, &b, st);
  if (rc == 0 && !strcmp(path, "-")) {
    if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
      cv_status_set(st, "cannot write to standard output: %s", strerror(errno));
      rc = -1;
    }
  } else if (rc == 0) {
    rc = cv_atomic_write(path, 0, inputs, "the YAML", b.data, b.len, st);
  }
  cv_buf_fini(&b);
  return rc;
}
