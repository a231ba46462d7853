"""Looks at mdrsd's emails as a reader on a phone would: headless Chromium.

usage: phone_width.py CHROMIUM EML_DIR [--width 360] [--screenshots OUT_DIR]

Takes the HTML part of every EML_DIR/*.eml, lays each out in a frame
--width CSS pixels wide (one browser run for all of them) and reports any
whose page is wider than the frame, i.e. scrolls sideways. With
--screenshots, also photographs each at that width, full length, into
OUT_DIR/NAME.png. Prints one JSON object last; exits 1 if any email
overflows.
"""
import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
from email import policy
from email.parser import BytesParser


def html_part(path):
    with open(path, "rb") as f:
        message = BytesParser(policy=policy.default).parse(f)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_content()
    return None


def chromium(binary, *arguments):
    flags = ["--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-extensions"]
    if os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium's sandbox refuses to run as root
    return subprocess.run([binary, *flags, *arguments], capture_output=True, text=True, timeout=300)


HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
%s
<pre id="result"></pre>
<script>
window.addEventListener("load", function () {
  var out = {};
  document.querySelectorAll("iframe").forEach(function (frame) {
    var root = frame.contentDocument.documentElement;
    out[frame.name] = {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, height: root.scrollHeight};
  });
  document.getElementById("result").textContent = "RESULT" + JSON.stringify(out) + "END";
});
</script></body></html>"""


def measure(binary, pages, width, folder):
    frames = "\n".join('<iframe name="%s" width="%d" height="700" style="border:0;display:block" srcdoc="%s"></iframe>'
                       % (html.escape(name), width, html.escape(text, quote=True)) for name, text in pages.items())
    harness = os.path.join(folder, "harness.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(HARNESS % frames)
    run = chromium(binary, "--virtual-time-budget=20000", "--dump-dom", "file://" + harness)
    dom = run.stdout
    start, end = dom.find("RESULT"), dom.find("END", dom.find("RESULT"))
    if start < 0 or end < 0:
        sys.exit("chromium gave no measurements: %s" % run.stderr[-2000:])
    return json.loads(html.unescape(dom[start + 6:end]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("chromium")
    parser.add_argument("eml_dir")
    parser.add_argument("--width", type=int, default=360)
    parser.add_argument("--screenshots")
    args = parser.parse_args()

    pages = {}
    for name in sorted(os.listdir(args.eml_dir)):
        if name.endswith(".eml"):
            text = html_part(os.path.join(args.eml_dir, name))
            if text is None:
                sys.exit("%s has no HTML part" % name)
            pages[name[:-4]] = text
    if not pages:
        sys.exit("no .eml files in %s" % args.eml_dir)

    with tempfile.TemporaryDirectory() as folder:
        sizes = measure(args.chromium, pages, args.width, folder)
        overflowing = sorted(n for n, s in sizes.items() if s["scrollWidth"] > s["clientWidth"])
        missing = sorted(set(pages) - set(sizes))
        for name in overflowing:
            print("scrolls sideways at %d px: %s (%d px wide)" % (args.width, name, sizes[name]["scrollWidth"]))
        shots = 0
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            for name, text in pages.items():
                page = os.path.join(args.screenshots, name + ".html")
                with open(page, "w", encoding="utf-8") as f:
                    f.write(text)
                height = max(640, int(sizes.get(name, {}).get("height", 1600)) + 16)
                chromium(args.chromium, "--screenshot=%s" % os.path.join(args.screenshots, name + ".png"),
                         "--window-size=%d,%d" % (args.width, height), "file://" + os.path.abspath(page))
                shots += 1
    summary = {"emails": len(pages), "measured": len(sizes), "width_px": args.width, "overflowing": overflowing,
               "unmeasured": missing, "widest_px": max(s["scrollWidth"] for s in sizes.values()), "screenshots": shots}
    print(json.dumps(summary))
    sys.exit(1 if overflowing or missing else 0)


if __name__ == "__main__":
    main()
