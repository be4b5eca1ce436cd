/* cvpdf - the command line: usage and the command table.  Each command
 * lives in its own cmd_*.c; what they share is in common.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>

#include "cli/cli.h"
#define CVPDF_COMPILATION
#include <cvpdf/cvpdf-plugin.h>

const char cv_usage[] =
    "Usage: cvpdf render CV.yaml... [-o OUT.pdf|OUT.png|DIR] [-j N]\n"
    "                    [--layout NAME] [--plugin-dir DIR]... [--png]\n"
    "                    [--dpi N] [--trace FILE] [-q] [--timing]\n"
    "                    [--only TAG]... [--lang LANG] [--pdfa|--no-pdfa]\n"
    "                    [--safe [--max-seconds N]] [--offline]\n"
    "       cvpdf render PART.yaml... --bundle -o OUT.pdf\n"
    "                    [--page-numbers continue|restart] [render options]\n"
    "       cvpdf plugins [--plugin-dir DIR]... [-v|--verbose]\n"
    "       cvpdf check CV.yaml... [--layout NAME] [--plugin-dir DIR]... [-q]\n"
    "                   [--only TAG]... [--lang LANG|all] [--offline]\n"
    "       cvpdf watch CV.yaml [render options]\n"
    "       cvpdf serve CV.yaml [--port N] [--host ADDR] [--open]\n"
    "                   [render options]\n"
    "       cvpdf new \"Full Name\" [-o cv.yaml] [--force]\n"
    "       cvpdf schema [-o FILE] [--plugin-dir DIR]...\n"
    "       cvpdf convert IN -o OUT.yaml [--plugin-dir DIR]... [--lang LANG]\n"
    "                     [-q]\n"
    "       cvpdf --version\n"
    "       cvpdf --help\n"
    "\n"
    "Typesets a CV written in YAML into a PDF.  A file with `type: letter` at\n"
    "its top is a cover letter, with the header and layout of the CV its\n"
    "`cv:` names; it renders to its own PDF as a CV does.\n"
    "\n"
    "Commands:\n"
    "  render CV        write CV's PDF (CV.yaml -> CV.pdf unless -o is given)\n"
    "                   (CV may also be a letter: type: letter)\n"
    "                   (an application file, bundle: [letter.yaml, cv.yaml],\n"
    "                   writes its parts as one PDF, as --bundle does)\n"
    "  plugins          list the section plugins found: name, version, "
    "section\n"
    "                   types, file (-v, --verbose: each type's description)\n"
    "  check CV...      list every problem of each CV (file:line:col), write\n"
    "                   nothing; exit 1 if any is an error\n"
    "  watch CV         render CV, then again each time it is saved, printing\n"
    "                   how long each render took; Ctrl-C stops\n"
    "  serve CV         edit CV in a web browser with its pages beside it,\n"
    "                   rendered again as you type; prints the address to\n"
    "                   open; Ctrl-C stops\n"
    "  new NAME         write a starter cv.yaml (or -o FILE) that renders as\n"
    "                   is; never replaces a file unless --force is given\n"
    "  schema           print a JSON Schema of the CV format, from the fields\n"
    "                   the plugins declare, for editors (or -o FILE)\n"
    "  convert IN       write IN (a JSON Resume or RenderCV file, or a CV) as\n"
    "                   cvpdf's own YAML to OUT.yaml (- for standard output)\n"
    "\n"
    "Options of render:\n"
    "  -o, --output FILE     write the PDF to FILE; a failed run leaves an\n"
    "                        existing FILE untouched\n"
    "                        (several CVs: -o names a directory; without -o\n"
    "                        each PDF goes next to its CV)\n"
    "      --bundle          render the files given (a cover letter, a CV, "
    "...)\n"
    "                        into one PDF, named with -o: each in its own\n"
    "                        layout, one outline with an entry per part\n"
    "      --page-numbers continue|restart  in a bundle, number each part's\n"
    "                        pages on from the part before or from 1 again\n"
    "                        (default: as each layout's page_numbers: says,\n"
    "                        restart unless it says continue)\n"
    "  -j, --jobs N          render several CVs N at a time (threads; with\n"
    "                        --safe, child processes); one failed CV does\n"
    "                        not stop the others (exit 1)\n"
    "  -l, --layout NAME     use layout NAME (a file in the layouts dir, or a\n"
    "                        path to a .yaml layout) instead of the CV's\n"
    "  -p, --plugin-dir DIR  look for section plugins in DIR first "
    "(repeatable)\n"
    "      --png             write PNG pictures of the pages instead of the\n"
    "                        PDF (also when -o ends in .png): OUT.png for one\n"
    "                        page, else OUT-1.png, OUT-2.png, ...\n"
    "      --dpi N           resolution of the PNGs (18 to 600; default 150)\n"
    "      --pdfa            write PDF/A-2a (ISO 19005-2, for archives and\n"
    "                        portals): an sRGB output intent, from the ICC\n"
    "                        profile of Debian's icc-profiles-free; a CV or\n"
    "                        layout asks for it with pdf: {standard: pdfa-2}\n"
    "      --no-pdfa         write plain PDF, whatever the CV's or the\n"
    "                        layout's pdf: says (the command line wins)\n"
    "      --trace FILE      also write a plain-text trace of every placed "
    "run\n"
    "                        (- for standard output)\n"
    "  -q, --quiet           print nothing on success\n"
    "      --timing          print where the time went\n"
    "      --only TAG        print only untagged items and those tagged TAG\n"
    "                        (repeatable; also an option of check)\n"
    "      --lang LANG       print translated fields in LANG, with its dates\n"
    "                        and words (check --lang all: report every\n"
    "                        missing translation)\n"
    "      --safe            for services rendering CVs they do not trust:\n"
    "                        files the CV names are resolved beneath its\n"
    "                        directory (symlinks out of it refused), no\n"
    "                        CVPDF_PLUGIN_PATH, installed layouts only, links\n"
    "                        http(s), mailto and tel only, no photo fetched\n"
    "                        from the web; each render runs\n"
    "                        in a child process (1 GiB of memory, 64 files,\n"
    "                        64 MiB file size, no core dump; seccomp: no\n"
    "                        network, no programs or processes, no file\n"
    "                        opened for writing) that sends its PDF back; a\n"
    "                        crash, loop or exit() in a plugin is an error\n"
    "                        naming it, and a batch goes on.  It does not\n"
    "                        stop a plugin reading what the user may read:\n"
    "                        see SAFE MODE in cvpdf(1)\n"
    "      --offline         a photo given as a web address (http, https) is\n"
    "                        read only from the photo cache, where the first\n"
    "                        render that fetched it left it: no connection\n"
    "                        is made (also an option of check, watch, serve)\n"
    "      --max-seconds N   with --safe, stop a render after N s of CPU time\n"
    "                        or 2N s of real time (default 60)\n"
    "      --max-pages N     fail when the PDF would have more than N pages\n"
    "                        (default 500)\n"
    "      --max-input-bytes N  refuse a CV file larger than N bytes\n"
    "                        (K, M, G allowed; default 16M)\n"
    "      --max-string N    refuse a text value over N bytes (default 1M)\n"
    "      --max-depth N     refuse nesting deeper than N levels (default 64)\n"
    "      --max-nodes N     refuse a CV of more than N values, aliases\n"
    "                        counted as expanded (default 1000000)\n"
    "\n"
    "Options of serve (and render's --layout, --plugin-dir, --only, --safe,\n"
    "--offline and --max-* options):\n"
    "      --port N          listen on port N (default 8000, or the next free\n"
    "                        one up to 8019; 0: any free port)\n"
    "      --host ADDR       listen on ADDR instead of 127.0.0.1 (the token\n"
    "                        in the printed address is still required)\n"
    "      --open            open the page in the desktop's browser\n"
    "\n"
    "Environment:\n"
    "  CVPDF_PLUGIN_PATH     colon-separated plugin dirs, after --plugin-dir\n"
    "  SOURCE_DATE_EPOCH     creation date written into the PDF\n"
    "  XDG_CACHE_HOME        the photo cache is its cvpdf folder (default\n"
    "                        ~/.cache/cvpdf): web photos fetched once, named\n"
    "                        by the SHA-256 of their address\n"
    "\n"
    "Exit status: 0 on success, 1 when the CV could not be rendered, 2 on a\n"
    "usage error.  See cvpdf(1).\n";

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(cv_usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
    printf("cvpdf %s (plugin ABI %d.%d)\n", CVPDF_VERSION, CVPDF_ABI_MAJOR,
           CVPDF_ABI_MINOR);
    return 0;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(cv_usage, stdout);
    return 0;
  }
  static const struct {
    const char *name;
    cv_command_fn fn;
  } commands[] = {{"render", cv_cmd_render},   {"plugins", cv_cmd_plugins},
                  {"schema", cv_cmd_schema},   {"new", cv_cmd_new},
                  {"check", cv_cmd_check},     {"watch", cv_cmd_watch},
                  {"convert", cv_cmd_convert}, {"serve", cv_cmd_serve}};
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
    if (strcmp(cmd, commands[i].name))
      continue;
    int rc = commands[i].fn(argc - 1, argv + 1);
    /* The process owns fontconfig's global configuration: release it so
     * leak checkers see only what cvpdf itself failed to free. */
    FcFini();
    return rc;
  }
  fprintf(stderr, "cvpdf: unknown command '%s'\nTry 'cvpdf --help'.\n", cmd);
  return 2;
}
