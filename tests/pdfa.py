#!/usr/bin/env python3
"""PDF/A-2 (ISO 19005-2): the rules cvpdf's --pdfa output must meet that a
reader of the file can check, without a PDF/A validator.

  pdfa.py FILE.pdf...   prints one line a failed rule; exit 1 if any
  pdfa.py               renders the examples with --pdfa and checks them
                        (and that the checks fail on a PDF without --pdfa,
                        that a missing sRGB profile is a clear error and
                        that the output is the same bytes twice)

Checked (clause of ISO 19005-2 in brackets): the header and its binary
comment line (6.1.2); a trailer /ID and no /Encrypt (6.1.3); no LZW
(6.1.7.2) nor PostScript XObjects (6.2.9); an output intent GTS_PDFA1 with
an RGB ICC profile of version 2 to 4 and /N 3 (6.2.3); no CMYK colour
(images, content operators k and K) with that RGB intent (6.2.4.3); no
transfer functions (6.2.5), /Alternates or /Interpolate true on images
(6.2.8); every font embedded (6.2.11.4); every annotation printed and not
hidden (6.3.2); no forbidden actions or JavaScript, no /AA (6.5.1); XMP
with pdfaid:part 2 and conformance A for a tagged file (6.6.4), a schema
for every non-predefined property used (pdfuaid) (6.6.2.3), and Info
entries equal to their XMP properties (6.6.3); no embedded files (6.8).
Not checked: the fonts' programs against their /W widths and glyphs,
the ICC profile's content beyond its header, the XMP packet's full RDF
grammar, and the tagged structure beyond what tests/pdfua.py checks.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfua import Doc, listify, load, text  # noqa: E402

FORBIDDEN_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm",
                     "/ImportData", "/JavaScript", "/Hide", "/SetOCGState",
                     "/Rendition", "/Trans", "/GoTo3DView"}
INFO_XMP = [("/Title", "dc:title"), ("/Author", "dc:creator"),
            ("/Subject", "dc:description"), ("/Keywords", "pdf:Keywords"),
            ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer"),
            ("/CreationDate", "xmp:CreateDate"),
            ("/ModDate", "xmp:ModifyDate")]


def xmp_value(xmp, prop):
    m = re.search(r"<%s>(.*?)</%s>" % (prop, prop), xmp, re.S)
    if not m:
        return None
    v = m.group(1)
    li = re.search(r"<rdf:li[^>]*>(.*?)</rdf:li>", v, re.S)
    v = li.group(1) if li else v
    return v.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def pdf_date(d):
    """D:YYYYMMDDHHmmSS+HH'mm' as YYYY-MM-DDTHH:mm:SS+HH:mm."""
    m = re.match(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([-+Z])(\d\d)?'?(\d\d)?",
                 d or "")
    if not m:
        return None
    g = m.groups()
    zone = "Z" if g[6] == "Z" else "%s%s:%s" % (g[6], g[7] or "00", g[8] or "00")
    return "%s-%s-%sT%s:%s:%s%s" % (g[:6] + (zone,))


def check_xmp(xmp, info, tagged, bad):
    if xmp_value(xmp, "pdfaid:part") != "2":
        bad.append("6.6.4 no pdfaid:part 2 in the XMP")
    conf = xmp_value(xmp, "pdfaid:conformance")
    if conf != ("A" if tagged else "B"):
        bad.append("6.6.4 pdfaid:conformance %s for a%s tagged file"
                   % (conf, "" if tagged else "n un"))
    if "pdfuaid:" in xmp and not re.search(
            r"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/<", xmp):
        bad.append("6.6.2.3 pdfuaid used with no extension schema for it")
    for key, prop in INFO_XMP:
        iv, xv = text(info.get(key)), xmp_value(xmp, prop)
        if key.endswith("Date"):
            iv = pdf_date(iv)
        if iv is not None and iv != xv:
            bad.append(f"6.6.3 Info {key} '{iv}' differs from {prop} '{xv}'")


def check_intent(doc, cat, bad):
    intents = [doc.deref(x) for x in listify(doc.deref(cat.get("/OutputIntents")))]
    pdfa = [i for i in intents if isinstance(i, dict) and i.get("/S") == "/GTS_PDFA1"]
    if len(pdfa) != 1:
        bad.append("6.2.3 expected one GTS_PDFA1 output intent, found %d" % len(pdfa))
        return
    ref = pdfa[0].get("/DestOutputProfile")
    prof = doc.obj(ref) if ref else {}
    icc = doc.data(ref) if ref else b""
    if prof.get("/N") != 3:
        bad.append("6.2.3 the output profile has no /N 3")
    if len(icc) < 128 or icc[36:40] != b"acsp" or icc[16:20] != b"RGB ":
        bad.append("6.2.3 the output profile is not an RGB ICC profile")
    elif not 2 <= icc[8] <= 4:
        bad.append("6.2.3 the output profile's ICC version is %d" % icc[8])


def check_object(doc, ref, v, bad):
    """Rules on one dictionary (or a stream's dictionary)."""
    where = ref[4:]
    if v.get("/Type") == "/Annot" or v.get("/Subtype") in ("/Link", "/Widget"):
        f = v.get("/F") if isinstance(v.get("/F"), int) else 0
        if not f & 4 or f & (1 | 2 | 32):
            bad.append(f"6.3.2 annotation {where} is not printed, or hidden (/F {f})")
    for key in ("/A", "/OpenAction"):
        a = doc.deref(v.get(key))
        if isinstance(a, dict) and a.get("/S") in FORBIDDEN_ACTIONS:
            bad.append(f"6.5.1 object {where}: a {a.get('/S')} action")
    if "/AA" in v:
        bad.append(f"6.5.2 object {where} has additional actions (/AA)")
    if "/JS" in v or v.get("/S") == "/JavaScript":
        bad.append(f"6.5.1 object {where} holds JavaScript")
    if v.get("/Type") == "/ExtGState" and ("/TR" in v or "/TR2" in v):
        bad.append(f"6.2.5 graphics state {where} has a transfer function")
    if v.get("/Subtype") == "/Image":
        if v.get("/ColorSpace") == "/DeviceCMYK":
            bad.append(f"6.2.4.3 image {where} is CMYK, the output intent RGB")
        if v.get("/Interpolate") is True or "/Alternates" in v:
            bad.append(f"6.2.8 image {where} has /Interpolate true or /Alternates")
    if v.get("/Subtype") == "/PS":
        bad.append(f"6.2.9 PostScript XObject {where}")
    filters = listify(v.get("/Filter"))
    if "/LZWDecode" in filters:
        bad.append(f"6.1.7.2 object {where} is LZW-compressed")
    if v.get("/Type") == "/Font" and v.get("/Subtype") != "/Type3":
        fonts = [doc.deref(x) for x in listify(v.get("/DescendantFonts"))] or [v]
        for f in fonts:
            fd = doc.deref(f.get("/FontDescriptor")) or {}
            if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad.append(f"6.2.11.4 font {where} ({v.get('/BaseFont')}) is not embedded")
    if v.get("/Type") == "/Filespec" or "/EmbeddedFiles" in v:
        bad.append(f"6.8 object {where} embeds a file")


def check(pdf):
    bad = []
    with open(pdf, "rb") as f:
        raw = f.read()
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", raw):
        bad.append("6.1.2 the header is not %PDF-1.n and a binary comment")
    if not raw.rstrip(b"\r\n").endswith(b"%%EOF"):
        bad.append("6.1.3 the file does not end with %%EOF")
    doc = Doc(load(pdf))
    trailer = doc.objs.get("trailer", {}).get("value", {})
    if "/Encrypt" in trailer:
        bad.append("6.1.3 the file is encrypted")
    ids = trailer.get("/ID") or []
    if len(ids) != 2:
        bad.append("6.1.3 the trailer has no /ID")
    cat = doc.deref(trailer.get("/Root")) or {}
    info = doc.deref(trailer.get("/Info")) or {}
    meta = cat.get("/Metadata")
    xmp = doc.data(meta).decode("utf-8", "replace") if meta else ""
    check_xmp(xmp, info, bool(cat.get("/StructTreeRoot")), bad)
    check_intent(doc, cat, bad)
    for ref, o in doc.objs.items():
        if not isinstance(o, dict) or not ref.startswith("obj:"):
            continue
        v = o.get("value", o.get("stream", {}).get("dict"))
        if isinstance(v, dict):
            check_object(doc, ref, v, bad)
        is_page = isinstance(v, dict) and v.get("/Type") == "/Page"
        for c in listify(v.get("/Contents")) if is_page else []:
            ops = doc.data(c)
            if re.search(rb"(^|\s)(k|K)(\s|$)", ops):
                bad.append(f"6.2.4.3 page {ref[4:]} paints in DeviceCMYK")
    return bad


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def self_test(cvpdf):
    """Renders the examples with --pdfa and checks them; the checks must
    find faults in a PDF written without it."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    env.pop("CVPDF_SRGB_PROFILE", None)
    with tempfile.TemporaryDirectory(prefix="cvpdf-pdfa-") as tmp:
        return run_cases(cvpdf, env, tmp)


def run_cases(cvpdf, env, tmp):
    fails = 0
    examples = sorted(f for f in os.listdir("examples") if f.endswith(".yaml"))
    cases = [(e, None) for e in examples] + [("academic-cv.yaml", l) for l in
                                            ("awesome", "modern", "compact")]
    for n, (ex, layout) in enumerate(cases):
        out = os.path.join(tmp, "%d.pdf" % n)
        cmd = [cvpdf, "render", "-q", "--pdfa", "examples/" + ex, "-o", out]
        p = run(cmd + (["--layout", layout] if layout else []), env=env)
        name = ex + (" (%s)" % layout if layout else "")
        bad = [p.stderr.strip()] if p.returncode else check(out)
        print(("ok - " if not bad else "FAIL - ") + name)
        for b in bad:
            print("  " + b)
        fails += bool(bad)
    # The same bytes twice.
    again = os.path.join(tmp, "again.pdf")
    run([cvpdf, "render", "-q", "--pdfa", "examples/" + examples[0], "-o", again], env=env)
    same = open(again, "rb").read() == open(os.path.join(tmp, "0.pdf"), "rb").read()
    print(("ok - " if same else "FAIL - ") + "the same bytes twice")
    fails += not same
    # The checks can fail: a PDF without --pdfa breaks them.
    plain = os.path.join(tmp, "plain.pdf")
    run([cvpdf, "render", "-q", "examples/minimal.yaml", "-o", plain], env=env)
    found = check(plain)
    want = ("6.6.4", "6.2.3")
    ok = all(any(b.startswith(w) for b in found) for w in want)
    print(("ok - " if ok else "FAIL - ") + "a PDF without --pdfa fails 6.6.4 and 6.2.3")
    fails += not ok
    # A missing profile is an error naming it, and writes nothing.
    gone = os.path.join(tmp, "gone.pdf")
    p = run([cvpdf, "render", "--pdfa", "examples/minimal.yaml", "-o", gone],
            env=dict(env, CVPDF_SRGB_PROFILE=os.path.join(tmp, "none.icc")))
    ok = (p.returncode == 1 and "none.icc" in p.stderr and "sRGB" in p.stderr
          and not os.path.exists(gone))
    print(("ok - " if ok else "FAIL - ") + "a missing sRGB profile: " + p.stderr.strip()[:160])
    fails += not ok
    # A file that is not an ICC profile is refused too.
    p = run([cvpdf, "render", "--pdfa", "examples/minimal.yaml", "-o", gone],
            env=dict(env, CVPDF_SRGB_PROFILE="examples/minimal.yaml"))
    ok = p.returncode == 1 and "not an ICC profile" in p.stderr
    print(("ok - " if ok else "FAIL - ") + "a file that is no ICC profile: " + p.stderr.strip()[:160])
    fails += not ok
    n, f = setting_cases(cvpdf, env, tmp)
    n2, f2 = forbidden_cases(cvpdf, env, tmp)
    n, f = n + n2, f + f2
    print("%d passed, %d failed" % (len(cases) + 4 + n - fails - f, fails + f))
    return 1 if fails or f else 0


CV = """name: Ada Lovelace
%s
sections:
  - type: summary
    text: Notes on the analytical engine.
"""


def is_pdfa(path):
    return os.path.exists(path) and not check(path)


def setting_cases(cvpdf, env, tmp):
    """The pdf: key of a CV, of its theme: and of a layout, and which wins
    against --pdfa and --no-pdfa.  Returns (cases run, cases failed)."""
    layout = os.path.join(tmp, "archive.yaml")
    with open(layout, "w") as f:
        f.write("extends: classic\npdf:\n  standard: pdfa-2\n")
    # (what, the CV's extra lines, options, PDF/A expected)
    cases = [
        ("the CV's pdf: standard: pdfa-2", "pdf:\n  standard: pdfa-2", [], True),
        ("the CV's theme: pdf:", "theme:\n  pdf: {standard: pdfa-2}", [], True),
        ("the layout's pdf:", "layout: %s" % layout, [], True),
        ("the CV's pdf: none over the layout's",
         "layout: %s\npdf: {standard: none}" % layout, [], False),
        ("the CV's pdf: over its theme:'s",
         "theme:\n  pdf: {standard: pdfa-2}\npdf: {standard: none}", [], False),
        ("--no-pdfa over the CV's pdf:", "pdf: {standard: pdfa-2}",
         ["--no-pdfa"], False),
        ("--pdfa over the CV's pdf: none", "pdf: {standard: none}",
         ["--pdfa"], True),
        ("no pdf: anywhere", "", [], False),
    ]
    fails = 0
    for n, (what, extra, opts, want) in enumerate(cases):
        cv = os.path.join(tmp, "set%d.yaml" % n)
        out = os.path.join(tmp, "set%d.pdf" % n)
        with open(cv, "w") as f:
            f.write(CV % extra)
        p = run([cvpdf, "render", "-q", cv, "-o", out] + opts, env=env)
        got = p.returncode == 0 and is_pdfa(out)
        ok = p.returncode == 0 and got == want
        print(("ok - " if ok else "FAIL - ") + "%s: %s" % (
            what, "PDF/A" if got else "plain PDF " + p.stderr.strip()[:120]))
        fails += not ok
    # A misspelt value or key: an error at its line and column, with the
    # name meant.
    bad = [("pdf:\n  standard: pdfa2", ":3:13: error: pdf: standard: expected "
            "pdfa-2", "did you mean 'pdfa-2'?"),
           ("pdf:\n  standrd: pdfa-2", ":3:3: error: unknown key 'standrd' in "
            "pdf", "did you mean 'standard'?"),
           ("pdf: pdfa-2", ":2:6: error: pdf: expected a mapping", "")]
    for n, (extra, where, hint) in enumerate(bad):
        cv = os.path.join(tmp, "bad%d.yaml" % n)
        with open(cv, "w") as f:
            f.write(CV % extra)
        p = run([cvpdf, "check", cv], env=env)
        ok = p.returncode != 0 and (cv + where) in p.stderr and hint in p.stderr
        print(("ok - " if ok else "FAIL - ") + "check: " + p.stderr.strip()[:200])
        fails += not ok
    # The JSON schema lists the key and its values.
    import json
    p = run([cvpdf, "schema"], env=env)
    try:
        prop = json.loads(p.stdout)["properties"]["pdf"]
        enum = prop["properties"]["standard"]["enum"]
    except (ValueError, KeyError, TypeError):
        enum = None
    ok = enum == ["pdfa-2", "none"]
    print(("ok - " if ok else "FAIL - ") + "cvpdf schema: pdf: standard %s" % enum)
    fails += not ok
    return len(cases) + len(bad) + 1, fails


def report(ok, what):
    print(("ok - " if ok else "FAIL - ") + what)
    return not ok


def refused(cvpdf, env, cv, where, words, opts=()):
    """render and check of cv both fail with an error at where (":L:C")
    holding every one of words; render writes nothing."""
    out = cv[:-5] + ".pdf"
    p = run([cvpdf, "render", "-q", cv, "-o", out] + list(opts), env=env)
    c = run([cvpdf, "check", cv], env=env) if not opts else p
    msg = p.stderr.strip().splitlines()[0] if p.stderr.strip() else ""
    ok = (p.returncode == 1 and c.returncode == 1 and not os.path.exists(out)
          and msg.startswith(where + ": error: ")
          and all(w in msg for w in words) and (where + ": error: ") in c.stderr)
    return ok, msg


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def png_rgba(path, w=8, h=8):
    """A PNG with an alpha channel (colour type 6), half transparent."""
    import struct
    import zlib

    def chunk(t, d):
        return (struct.pack(">I", len(d)) + t + d
                + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff))
    rows = b"".join(b"\0" + bytes([200, 40, 40, 16 * x]) * w for x in range(h))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def restricted_font(tmp):
    """Lato renamed Zato, its OS/2 fsType set to 2 (restricted licence
    embedding), and a fontconfig set-up that finds it.  Returns the
    environment's additions, or None when Lato is not installed."""
    import struct
    src = run(["fc-match", "-f", "%{file}", "Lato:style=Regular"]).stdout
    if not src.endswith(".ttf"):
        return None
    data = bytearray(open(src, "rb").read())
    n = struct.unpack(">H", data[4:6])[0]
    for i in range(n):
        tag, _, off, _ = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag == b"OS/2":
            data[off + 8:off + 10] = struct.pack(">H", 2)
    data = data.replace(b"L\0a\0t\0o", b"Z\0a\0t\0o").replace(b"Lato", b"Zato")
    fonts = os.path.join(tmp, "fonts")
    os.makedirs(fonts, exist_ok=True)
    with open(os.path.join(fonts, "Zato-Regular.ttf"), "wb") as f:
        f.write(data)
    conf = write(os.path.join(tmp, "fonts.conf"),
                 '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                 '<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf'
                 '</include><dir>%s</dir><cachedir>%s/cache</cachedir>'
                 '</fontconfig>' % (fonts, tmp))
    return {"FONTCONFIG_FILE": conf}


def forbidden_cases(cvpdf, env, tmp):
    """What PDF/A cannot hold, brought in by a CV: an error at the line and
    column that brought it, in render and check; or, for what cannot
    happen, a render that shows it.  Returns (cases run, cases failed)."""
    d = os.path.join(tmp, "forbidden")
    os.makedirs(d)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                       "photo", "cmyk.jpg")
    with open(src, "rb") as f, open(os.path.join(d, "cmyk.jpg"), "wb") as g:
        g.write(f.read())
    fails = n = 0
    # A CMYK photo: at the photo: value, in both of its forms.
    cv = write(os.path.join(d, "photo.yaml"),
               CV % "pdf: {standard: pdfa-2}\nphoto: cmyk.jpg")
    ok, msg = refused(cvpdf, env, cv, cv + ":3:8",
                      ["photo 'cmyk.jpg'", "CMYK", "RGB"])
    fails += report(ok, "a CMYK photo: " + msg[:200]); n += 1
    cv = write(os.path.join(d, "photo2.yaml"), CV % (
        "photo:\n  alt: Me\n  path: cmyk.jpg"))
    ok, msg = refused(cvpdf, env, cv, cv + ":4:9", ["photo 'cmyk.jpg'", "CMYK"],
                      ["--pdfa"])
    fails += report(ok, "a CMYK photo {path:} with --pdfa: " + msg[:120]); n += 1
    # Without PDF/A it is no error.
    out = os.path.join(d, "plain.pdf")
    p = run([cvpdf, "render", "-q", cv, "-o", out], env=env)
    fails += report(p.returncode == 0, "the same photo without PDF/A renders"); n += 1
    # A letter's CMYK signature, at its image: value.
    cv = write(os.path.join(d, "letter.yaml"), """type: letter
name: Ada Lovelace
pdf: {standard: pdfa-2}
recipient:
  name: Analytical Society
  address: [London]
subject: Application
opening: Dear Sir,
body: [I write to apply.]
closing: Yours,
signature:
  name: Ada Lovelace
  image: cmyk.jpg
""")
    ok, msg = refused(cvpdf, env, cv, cv + ":13:10", ["image 'cmyk.jpg'", "CMYK"])
    fails += report(ok, "a letter's CMYK signature: " + msg[:160]); n += 1
    # A bundle is one PDF/A file when its first part asks: a later part's
    # CMYK photo is refused at its own line.
    first = write(os.path.join(d, "first.yaml"), CV % "pdf: {standard: pdfa-2}")
    second = write(os.path.join(d, "second.yaml"), CV % "photo: cmyk.jpg")
    out = os.path.join(d, "bundle.pdf")
    p = run([cvpdf, "render", "-q", "--bundle", first, second, "-o", out], env=env)
    ok = (p.returncode == 1 and (second + ":2:8: error: photo 'cmyk.jpg'") in p.stderr
          and not os.path.exists(out))
    fails += report(ok, "a bundle's second part: " + p.stderr.strip()[:160]); n += 1
    # A theme font whose licence forbids embedding: at the theme's value.
    extra = restricted_font(d)
    if extra:
        fenv = dict(env, **extra)
        cv = write(os.path.join(d, "font.yaml"), CV % (
            "pdf: {standard: pdfa-2}\ntheme:\n  styles:\n    body: {family: Zato}"))
        ok, msg = refused(cvpdf, fenv, cv, cv + ":5:20",
                          ["font 'Zato'", "fsType 0x0002", "restricted"])
        fails += report(ok, "a font that forbids embedding: " + msg[:200]); n += 1
        out = os.path.join(d, "zato.pdf")
        p = run([cvpdf, "render", "-q", "--no-pdfa", cv, "-o", out], env=fenv)
        fails += report(p.returncode == 0, "the same font without PDF/A renders"); n += 1
    else:
        print("ok - # SKIP Lato is not installed: no font to restrict")
    # Cannot happen: a link other than a URI action.  javascript: and
    # file: are dropped with a warning; the rest are /URI actions.
    cv = write(os.path.join(d, "links.yaml"), CV.replace(
        "Notes on the analytical engine.",
        "'[a](javascript:alert(1)) [b](file:///etc/passwd) [c](notes.pdf) "
        "[d](https://example.org)'") % "pdf: {standard: pdfa-2}")
    out = os.path.join(d, "links.pdf")
    p = run([cvpdf, "render", "-q", cv, "-o", out], env=env)
    bad = check(out) if p.returncode == 0 else [p.stderr.strip()]
    doc = Doc(load(out)) if p.returncode == 0 else None
    kinds = sorted(doc.deref(v.get("/A")).get("/S") for o in (doc.objs.values() if doc else [])
                   for v in [o.get("value")] if isinstance(v, dict)
                   and v.get("/Subtype") == "/Link")
    ok = (not bad and kinds == ["/URI", "/URI"] and "javascript" in p.stderr
          and "file:" in p.stderr)
    fails += report(ok, "links are URI actions only: %s %s" % (kinds, bad)); n += 1
    # Allowed in PDF/A-2: a PNG with transparency, kept as a soft mask.
    png_rgba(os.path.join(d, "alpha.png"))
    cv = write(os.path.join(d, "alpha.yaml"),
               CV % "pdf: {standard: pdfa-2}\nphoto: alpha.png")
    out = os.path.join(d, "alpha.pdf")
    p = run([cvpdf, "render", "-q", cv, "-o", out], env=env)
    bad = check(out) if p.returncode == 0 else [p.stderr.strip()]
    smask = p.returncode == 0 and any(
        isinstance(o.get("stream"), dict) and "/SMask" in o["stream"].get("dict", {})
        for o in Doc(load(out)).objs.values() if isinstance(o, dict))
    fails += report(not bad and smask, "a PNG with alpha: a soft mask, PDF/A %s" % bad); n += 1
    return n, fails


def main():
    if len(sys.argv) > 1:
        status = 0
        for pdf in sys.argv[1:]:
            bad = check(pdf)
            for b in bad:
                print(f"{pdf}: {b}")
            status |= bool(bad)
            if not bad:
                print(f"ok {pdf}: the PDF/A-2 rules checked hold")
        return status
    return self_test(os.environ.get("CVPDF_BIN", "build/core/cvpdf"))


if __name__ == "__main__":
    sys.exit(main())
