#!/usr/bin/env python3
"""values.py - the printed text a JSON Resume or RenderCV input promises.

  values.py INPUT                 print each string value, one a line
  values.py INPUT --check TEXT    exit 1 unless each value appears in TEXT
                                  (pdftotext output), listing those missing

Left out: addresses (URLs, e-mail links are kept), dates (printed in the
layout's own format), settings, and values the format defines as not
printed (an image, a profile network shown as an icon)."""
import json
import re
import sys
import unicodedata

import yaml

DATE = re.compile(r"^(\d{4}(-\d\d(-\d\d)?)?|present)$", re.I)
URL = re.compile(r"^(https?://|www\.)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ICON_NETWORKS = {"linkedin", "github", "twitter", "x", "orcid",
                 "google scholar"}

SKIP = {
    "jsonresume": {"$schema", "meta", "image", "url", "website", "address",
                   "postalCode", "startDate", "endDate", "date",
                   "releaseDate"},
    "rendercv": {"design", "locale", "settings", "rendercv_settings", "photo",
                 "url", "doi", "date", "start_date", "end_date"},
}


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    return doc, "jsonresume" if "basics" in doc else "rendercv"


def values(doc, fmt):
    out = []

    def walk(node, key=None):
        if isinstance(node, dict):
            net = str(node.get("network", "")).lower()
            for k, v in node.items():
                if k in SKIP[fmt]:
                    continue
                if k == "network" and net in ICON_NETWORKS:
                    continue  # shown as the network's icon
                if fmt == "rendercv" and key == "sections":
                    out.append(k.replace("_", " ") if k.islower() else k)
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif node is not None:
            s = str(node)
            if fmt == "rendercv":
                s = LINK.sub(r"\1", s)
            if s.strip() and not DATE.match(s) and not URL.match(s):
                out.append(s)
    walk(doc)
    return out


def squeeze(s):
    """Letters and digits only: line breaks, hyphenation, quotes and markup
    do not count."""
    s = unicodedata.normalize("NFKC", s).lower()
    return "".join(c for c in s if c.isalnum())


def main(argv):
    doc, fmt = load(argv[1])
    vals = values(doc, fmt)
    if len(argv) < 4 or argv[2] != "--check":
        print("\n".join(vals))
        return 0
    with open(argv[3], encoding="utf-8") as f:
        text = squeeze(f.read())
    missing = [v for v in vals if squeeze(v) not in text]
    for v in missing:
        print("missing from the PDF text: " + v)
    print(f"{len(vals) - len(missing)}/{len(vals)} values found")
    return 1 if missing or not vals else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
