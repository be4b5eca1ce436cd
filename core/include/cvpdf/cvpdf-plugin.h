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
#define CVPDF_ABI_MINOR 4

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
/* LIST of strings: an item may also be a bullet with sub-bullets,
 * {text: ..., items: [...]}, its items again strings or such mappings
 * (print them with cvpdf_list).  A host that does not know the flag
 * reports such an item as an error. */
#define CVPDF_FIELD_NESTED 0x8u

/* Declarations grow like the tables: members are only ever appended.  A
 * plugin's arrays of them are read with the strides its descriptor gives
 * (`type_size`, `field_size`, `option_size`, ABI 1.2), so a plugin built
 * against older headers, whose elements are smaller, is read as it was
 * written; members it does not have read as NULL / 0. */
typedef struct cvpdf_field {
  const char *name;
  cvpdf_field_type type;
  unsigned flags;
  const char *doc; /* one line, for errors and JSON Schema */
  const struct cvpdf_field
      *children; /* MAP / LIST of maps; ends at name NULL */
} cvpdf_field;

/* ABI 1.2: a layout option a section type reads with host->option.  A
 * layout's `sections:` and a CV's `theme: {sections: ...}` are checked
 * against these: an option no plugin declares for the type is an error
 * with the nearest declared name, and so is a value not in `values`. */
typedef struct cvpdf_option {
  const char *name;          /* "arrangement" */
  const char *doc;           /* one line: what it changes */
  const char *const *values; /* the values it takes, ends at NULL; NULL: any */
} cvpdf_option;

typedef struct cvpdf_section_type {
  const char *name; /* the `type:` value, e.g. "education" */
  const char *doc;  /* one line */
  const cvpdf_field
      *fields; /* section fields besides type/title; ends at NULL */
  /* --- ABI 1.2 --- */
  /* The layout options it reads (host->option); ends at name NULL. */
  const cvpdf_option *options;
  /* The keys of the words it prints (host->word: "present", "Advisor"),
   * so a layout's `words:` blocks can be checked; ends at NULL. */
  const char *const *words;
  /* Style names it uses besides the standard ones (title, subtitle, date,
   * location, detail, note, body, summary, ...: docs/plugins.md), so a
   * layout may define them; ends at NULL. */
  const char *const *styles;
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

  /* --- ABI 1.2 (check size before use) --- */
  /* The strings parts[0..n) joined with sep between them (NULL and empty
   * parts skipped; sep may be NULL), in one string owned by the builder,
   * or NULL when no part is left.  Joining in one call keeps a long list
   * linear: a string grown part by part with fmt is copied again for each
   * part.  cvpdf-util.h's cvpdf_join falls back to fmt on older hosts. */
  const char *(*join)(cvpdf_builder *b, const char *const *parts, size_t n,
                      const char *sep);

  /* --- ABI 1.3 (check with CVPDF_HOST_HAS before use) --- */
  /* A day's date as the document's language writes it in a letter (CLDR's
   * long date: "December 3, 2026", "3. Dezember 2026"), owned by the
   * builder.  date: a date field with a day (2026-12-03); one without a
   * day prints as date_range prints it, `today` (or NULL) is the
   * document's date (its date:, else SOURCE_DATE_EPOCH's), a {text: ...} date
   * its text.  A bad date is reported as an error and gives NULL. */
  const char *(*day_date)(cvpdf_builder *b, const cvpdf_node *date);
  /* Blocks between place_begin and place_end go where the layout places
   * `name` on the current page (its places:; those of cvpdf's layouts
   * are "din5008": the address field of a DIN
   * 5008 letter, 45 mm from the top and 20 mm from the left of an A4
   * sheet, 85 x 45 mm, form B; "din5008a": form A, 27 mm from the top),
   * set in its width, and what follows starts below it.  Returns 1 when
   * placed so, 0 when the layout knows no such place or the page has
   * already passed it (the blocks then flow as any others; the latter is
   * warned about).  Places do not nest. */
  int (*place_begin)(cvpdf_builder *b, const char *name);
  void (*place_end)(cvpdf_builder *b);
  /* An image (JPEG or PNG) on a line of its own: path is the node of its
   * file name, relative to the CV file it comes from (in safe mode only
   * beneath its directory); alt, its alternate text (may be NULL).  Its
   * height is the size of `style`, its position the style's alignment.
   * A file that cannot be read is an error at path. */
  void (*image)(cvpdf_builder *b, const char *style, const cvpdf_node *path,
                const char *alt);
} cvpdf_host;

/* Whether the host's table has `member` (a service appended after the
 * plugin's oldest supported host) and it is set:
 *   if (CVPDF_HOST_HAS(h, join)) ... h->join(b, parts, n, ", ");
 * Services of ABI 1.0 are always there. */
#define CVPDF_HOST_HAS(host, member)                                           \
  ((host)->size >= offsetof(cvpdf_host, member) + sizeof((host)->member) &&    \
   (host)->member != NULL)

/* Threads.  The host loads plugins once per document: `init` runs when a
 * document's render starts, before any of its sections is built, and
 * `fini` when that render ends.  `cvpdf render -j N` renders N documents
 * at once in N threads, each with its own load, so `init`, `build` and
 * `fini` of one plugin may run at the same time in several threads, each
 * call with the state its own `init` made.  Within one document the calls
 * are sequential: init, then build for each section in order, then fini.
 * A plugin therefore keeps what it needs in *state, never in writable
 * globals; const tables are fine. */
typedef struct cvpdf_plugin {
  uint32_t abi_major; /* CVPDF_ABI_MAJOR the plugin was built against */
  uint32_t abi_minor;
  size_t size; /* sizeof(cvpdf_plugin) the plugin was built with */
  const char *name;
  const char *version;
  /* The section types it handles; ends at name == NULL.  The type named
   * "header" is special: it is built once per document, before the
   * sections, with the whole CV (the top-level mapping) as its section
   * node and no heading; its fields are the top-level keys besides the
   * ones core reads (layout, theme, sections, ...). */
  const cvpdf_section_type *types;
  /* Optional: called once per document after loading (see Threads);
   * *state is passed to build/fini.  Non-zero refuses the plugin. */
  int (*init)(const cvpdf_host *host, void **state);
  /* Build one section.  Return 0 on success; on failure report through
   * host->error and return non-zero. */
  int (*build)(void *state, const cvpdf_host *host, cvpdf_builder *b,
               const char *type, const cvpdf_node *section);
  /* Optional: called before unloading. */
  void (*fini)(void *state);

  /* --- ABI 1.2 (the host reads these only when `size` covers them) --- */
  /* Strides of the plugin's declaration arrays: sizeof of each struct as
   * the plugin was built (CVPDF_PLUGIN_HEADER sets them).  0 reads as the
   * size of ABI 1.2. */
  size_t type_size;   /* of the elements of `types` */
  size_t field_size;  /* of the elements of every `fields`/`children` */
  size_t option_size; /* of the elements of every `options` */
  /* Optional, instead of init (when both are set, only this one is
   * called): the same, and on failure it may write one line saying why
   * into msg (msg_size bytes; the host ends it), which the host prints
   * in its error: "plugin 'x': init failed: no licence file". */
  int (*init_msg)(const cvpdf_host *host, void **state, char *msg,
                  size_t msg_size);
} cvpdf_plugin;

/* Convenience for plugin authors: the initialiser of the header fields
 * and of the strides of the declarations. */
#define CVPDF_PLUGIN_HEADER                                                    \
  .abi_major = CVPDF_ABI_MAJOR, .abi_minor = CVPDF_ABI_MINOR,                  \
  .size = sizeof(cvpdf_plugin), .type_size = sizeof(cvpdf_section_type),       \
  .field_size = sizeof(cvpdf_field), .option_size = sizeof(cvpdf_option)

#ifdef __cplusplus
}
#endif
#endif
