/* cvpdf - section plugin ABI.
 *
 * A section plugin is a shared object that exports one const descriptor,
 * `cvpdf_plugin_descriptor` (a `cvpdf_plugin`).  The host dlopen()s it, checks
 * `abi_major`, and calls `build` once per section of a type the plugin
 * declared.  The plugin reads the section through the host's service table
 * (`cvpdf_host`) and emits blocks through the same table.  It never sees fonts,
 * point sizes, pages or PDF objects: those belong to the layout (theme).
 *
 * Versioning: structs only grow at the end.  `size` tells which trailing
 * members exist.  A change that is not an append bumps CVPDF_ABI_MAJOR, and the
 * host refuses plugins of another major version.
 *
 * Ownership: every pointer the host hands out is borrowed and valid until
 * `build` returns.  Strings returned by `fmt`, `date_range` and `escape` are
 * owned by the builder and freed with the document.
 */
#if !defined(CVPDF_H_IN) && !defined(CVPDF_COMPILATION)
#error "Include <cvpdf/cvpdf.h> instead."
#endif
#ifndef CVPDF_PLUGIN_H
#define CVPDF_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CVPDF_ABI_MAJOR 1
#define CVPDF_ABI_MINOR 1

/* Name of the exported descriptor symbol.  It does not change with the ABI
 * version, so the host can read `abi_major` of any plugin and refuse it. */
#define CVPDF_PLUGIN_SYMBOL "cvpdf_plugin_descriptor"

#if defined(__GNUC__)
#define CVPDF_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define CVPDF_PLUGIN_EXPORT
#endif

/* A node of the CV document (a YAML scalar, mapping or sequence).  Opaque. */
typedef struct cvpdf_node cvpdf_node;
/* Where a plugin's blocks go.  Opaque. */
typedef struct cvpdf_builder cvpdf_builder;

typedef enum cvpdf_node_kind {
  CVPDF_NODE_NONE = 0, /* absent (NULL node) */
  CVPDF_NODE_SCALAR,
  CVPDF_NODE_MAP,
  CVPDF_NODE_SEQ
} cvpdf_node_kind;

/* Field types a plugin declares; the host validates the document against
 * them before `build` is called, so `build` may trust shapes and types. */
typedef enum cvpdf_field_type {
  CVPDF_FIELD_STRING = 1, /* printed text; inline markup allowed */
  CVPDF_FIELD_INT,        /* integer */
  CVPDF_FIELD_BOOL,       /* true/false/yes/no */
  CVPDF_FIELD_DATE,       /* 2021, 2021-05, May 2021, present */
  CVPDF_FIELD_URL,        /* a link target, never printed as is */
  CVPDF_FIELD_LIST,       /* sequence: of strings, or of maps if children */
  CVPDF_FIELD_MAP,        /* mapping with the fields in children */
  CVPDF_FIELD_DICT        /* mapping of free keys to strings (label: value) */
} cvpdf_field_type;

/* Field flags. */
#define CVPDF_FIELD_REQUIRED 0x1u
/* LIST with children: an item may also be a plain string. */
#define CVPDF_FIELD_STRING_ITEMS 0x2u
/* STRING: a sequence of strings is also accepted (joined by the plugin). */
#define CVPDF_FIELD_ONE_OR_MORE 0x4u

typedef struct cvpdf_field {
  const char *name;
  cvpdf_field_type type;
  unsigned flags;
  const char *doc; /* one line, for errors and JSON Schema */
  const struct cvpdf_field
      *children; /* MAP / LIST of maps; ends at name NULL */
} cvpdf_field;

typedef struct cvpdf_section_type {
  const char *name; /* the `type:` value, e.g. "education" */
  const char *doc;  /* one line */
  const cvpdf_field
      *fields; /* section fields besides type/title; ends at NULL */
} cvpdf_section_type;

/* List kinds for list_begin. */
typedef enum cvpdf_list_kind {
  CVPDF_LIST_BULLET = 0,
  CVPDF_LIST_NUMBERED = 1
} cvpdf_list_kind;

/* Services the host gives a plugin.  Every function takes the builder of
 * the section being built as its first argument (or a node), so two documents
 * can be built at once. */
typedef struct cvpdf_host {
  uint32_t abi_major;
  uint32_t abi_minor;
  size_t size; /* sizeof(cvpdf_host) of the host */

  /* --- reading the document (all borrowed, NULL-safe) --- */
  cvpdf_node_kind (*kind)(const cvpdf_node *n);
  /* Value of key in a mapping, or NULL. */
  const cvpdf_node *(*get)(const cvpdf_node *map, const char *key);
  /* Text of a scalar, or NULL for a non-scalar / NULL node. */
  const char *(*str)(const cvpdf_node *n);
  /* Shorthand for str(get(map, key)). */
  const char *(*get_str)(const cvpdf_node *map, const char *key);
  /* Number of items of a sequence or pairs of a mapping; 1 for a scalar. */
  size_t (*len)(const cvpdf_node *n);
  /* Item i of a sequence; for a scalar, i == 0 gives the scalar itself. */
  const cvpdf_node *(*at)(const cvpdf_node *seq, size_t i);
  /* Key (as text) and value of pair i of a mapping, in document order. */
  const char *(*key_at)(const cvpdf_node *map, size_t i);
  const cvpdf_node *(*value_at)(const cvpdf_node *map, size_t i);
  /* Boolean scalar, or dflt when absent. */
  int (*get_bool)(const cvpdf_node *map, const char *key, int dflt);

  /* --- diagnostics: file:line:col of the node is added by the host --- */
  void (*error)(cvpdf_builder *b, const cvpdf_node *at, const char *fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;
  void (*warn)(cvpdf_builder *b, const cvpdf_node *at, const char *fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;

  /* --- text helpers; results are owned by the builder --- */
  const char *(*fmt)(cvpdf_builder *b, const char *fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;
  /* Escape text so markup characters print literally. */
  const char *(*escape)(cvpdf_builder *b, const char *text);
  /* Dates of an entry in the layout's format: start/end (either may be
   * NULL), e.g. "May 2025 – Nov 2025", "2021 – present", "Dec 2022".
   * Returns NULL when both are NULL. Bad dates are reported as errors. */
  const char *(*date_range)(cvpdf_builder *b, const cvpdf_node *start,
                            const cvpdf_node *end);
  /* A word in the CV's language ("present", "and", ...); the key itself
   * when the layout has no translation. */
  const char *(*word)(cvpdf_builder *b, const char *key);
  /* A layout option for this section type, e.g. "arrangement", or NULL. */
  const char *(*option)(cvpdf_builder *b, const char *key);

  /* --- building blocks; styles are names the layout defines --- */
  /* Section title: styled by the layout, gets an outline entry, and is
   * kept with what follows. */
  void (*heading)(cvpdf_builder *b, const char *title);
  /* Group title inside a section ("Preprints", "Efficient ML Algorithms"). */
  void (*subheading)(cvpdf_builder *b, const char *title);
  /* An entry groups blocks that belong together (its head is kept with its
   * first lines).  label: optional markup set beside the entry (margin
   * label "(P2)" or a venue column, as the layout says), or NULL. */
  void (*entry_begin)(cvpdf_builder *b, const char *label);
  void (*entry_end)(cvpdf_builder *b);
  /* A paragraph of markup in a style. */
  void (*paragraph)(cvpdf_builder *b, const char *style, const char *markup);
  /* A row: left part flush left, right part flush right on the same line
   * (title left, date right).  Either part may be NULL. */
  void (*row)(cvpdf_builder *b, const char *left_style, const char *left,
              const char *right_style, const char *right);
  /* Lists; items may nest a list between item_begin and item_end. */
  void (*list_begin)(cvpdf_builder *b, cvpdf_list_kind kind);
  void (*item)(cvpdf_builder *b, const char *markup);
  void (*item_begin)(cvpdf_builder *b, const char *markup);
  void (*item_end)(cvpdf_builder *b);
  void (*list_end)(cvpdf_builder *b);
  /* A label/value pair (skills, coursework, "Journals: ..."); consecutive
   * pairs form a grid or run-in lines, as the layout says. */
  void (*pair)(cvpdf_builder *b, const char *label, const char *value);
  /* Contact items of the header: kind is "email", "phone", "website",
   * "linkedin", "twitter", "github", "scholar", "orcid", "location" or any
   * other word; text is printed, url (may be NULL) is the link.  A contact
   * line is closed by the next block. */
  void (*contact)(cvpdf_builder *b, const char *kind, const char *text,
                  const char *url);
  /* Horizontal rule, and vertical space by the layout's name for it
   * ("small", "medium", "large"). */
  void (*rule)(cvpdf_builder *b);
  void (*space)(cvpdf_builder *b, const char *name);
  /* Sets the document's author (PDF metadata) if not set yet. */
  void (*set_author)(cvpdf_builder *b, const char *name);

  /* --- ABI 1.1 (check size before use) --- */
  /* Reads a BibTeX file, path relative to the CV file of node `at`, into
   * a sequence of mappings, one per entry in file order: `key`, `type`
   * (article, inproceedings, ...) and the entry's fields by their BibTeX
   * names (title, author, editor, year, month, journal, booktitle, doi,
   * url, note, ...), with LaTeX accents and braces turned into Unicode
   * text; `author` and `editor` are sequences of names ("First Last";
   * BibTeX's `others` becomes "et al."), and `date` is added from `year`
   * and `month` when they form a date.
   * Nodes carry the .bib file's positions.  Returns NULL after reporting
   * an error at `at` (missing file, syntax error). */
  const cvpdf_node *(*load_bibtex)(cvpdf_builder *b, const cvpdf_node *at,
                                   const char *path);
} cvpdf_host;

typedef struct cvpdf_plugin {
  uint32_t abi_major; /* CVPDF_ABI_MAJOR the plugin was built against */
  uint32_t abi_minor;
  size_t size; /* sizeof(cvpdf_plugin) the plugin was built with */
  const char *name;
  const char *version;
  const cvpdf_section_type *types; /* ends at name == NULL */
  /* Optional: called once after loading; *state is passed to build/fini. */
  int (*init)(const cvpdf_host *host, void **state);
  /* Build one section.  Return 0 on success; on failure report through
   * host->error and return non-zero. */
  int (*build)(void *state, const cvpdf_host *host, cvpdf_builder *b,
               const char *type, const cvpdf_node *section);
  /* Optional: called before unloading. */
  void (*fini)(void *state);
} cvpdf_plugin;

/* Convenience for plugin authors: the initialiser of the header fields. */
#define CVPDF_PLUGIN_HEADER                                                    \
  .abi_major = CVPDF_ABI_MAJOR, .abi_minor = CVPDF_ABI_MINOR,                  \
  .size = sizeof(cvpdf_plugin)

#ifdef __cplusplus
}
#endif
#endif
