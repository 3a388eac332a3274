"""clubd(1), an mdoc page, from `clubd --experimental-dump-help` (ArgumentParser's ToolInfo JSON) on standard input.

Written here rather than by swift-argument-parser's generate-manual plugin: the plugin runs through `swift package`,
a second SwiftPM on the build folder that the running `swift test` uses (so the freshness test could not call it),
builds every product again (in release unless told otherwise), and dates the page with the day it runs, so that a
committed page would differ from a fresh one every day. This reads the same ToolInfo the plugin reads, from the
binary CI has already built.

Usage: manual.py DATE < dump.json > clubd.1   (DATE as mdoc's .Dd wants it, e.g. "December 6, 2026")
"""

import json
import sys

# What the argument parser does not know: where the files are, the environment, exit codes.
FILES = [
    ("/etc/clubd/clubd.json", "The configuration file given by --config (Config/clubd.json in a source checkout)."),
    ("/var/lib/clubd", "The data folder given by --data: clubd.sqlite, the evidence files, tls/ and bootstrap-token."),
    ("/etc/systemd/system/clubd.service", "The systemd unit (Config/clubd.service in the sources)."),
]
ENVIRONMENT = [
    ("CLUBD_*", "Every configuration key in upper case, words and dots as underscores: CLUBD_PORT for port, "
     "CLUBD_LOG_FORMAT for log.format, CLUBD_PUBLIC_URL for publicURL. Command-line options win over the environment, which wins over the file."),
    ("CLUBD_SMTP_USERNAME, CLUBD_SMTP_PASSWORD", "The SMTP relay's credentials, never read from the file."),
]
ASCII = {"\u2026": "...", "\u2014": "\\(em", "\u2013": "\\(en", "\u2018": "\\(oq", "\u2019": "\\(cq", "\u201c": "\\(lq", "\u201d": "\\(rq"}
SEE_ALSO = [("systemctl", 1), ("journalctl", 1), ("systemd.exec", 5)]


def escape(text):
    """Text safe on an mdoc line: backslashes doubled, and a leading dot or quote kept from reading as a request."""
    text = " ".join(text.split()).replace("\\", "\\e")
    # Outside ASCII as roff's own escapes, or ASCII where a terminal without UTF-8 has no glyph for them: the page
    # reads the same through man-db, mandoc or a bare groff, in any locale.
    text = "".join(c if ord(c) < 128 else ASCII.get(c, "\\[u%04X]" % ord(c)) for c in text)
    return "\\&" + text if text[:1] in (".", "'") else text


def display(argument):
    return argument.get("shouldDisplay", True) and argument.get("valueName") != "help"


def flag_name(name):
    return ("Fl " + name["name"]) if name["kind"] == "short" else ("Fl -" + name["name"])


def synopsis_item(argument):
    """One argument in the synopsis: `Op Fl -role Ar role`, `Ar id`."""
    if argument["kind"] == "positional":
        item = "Ar " + argument["valueName"] + (" ..." if argument.get("isRepeating") else "")
    else:
        item = flag_name(argument["preferredName"])
        if argument["kind"] == "option":
            item += " Ar " + argument["valueName"]
    return ("Op " + item) if argument.get("isOptional") else item


def argument_entry(argument):
    """An argument as an item of a tag list: its names, then what it does, its values and its default."""
    if argument["kind"] == "positional":
        head = "Ar " + argument["valueName"]
    else:
        names = [flag_name(name) + (" Ar " + argument["valueName"] if argument["kind"] == "option" else "")
                 for name in argument["names"]]
        head = " , ".join(names)
    lines = [".It " + head]
    text = argument.get("abstract", "")
    if argument.get("discussion"):
        text += " " + argument["discussion"]
    if text:
        lines.append(escape(text))
    if argument.get("allValues") and not all(value in text for value in argument["allValues"]):
        lines.append("One of: " + escape(", ".join(argument["allValues"])) + ".")
    if argument.get("defaultValue"):
        lines.append("Default: " + escape(argument["defaultValue"]) + ".")
    return lines


def command_entries(command, path):
    """The subcommands of `command`, each an item with its synopsis, description and options, recursively."""
    lines = []
    for sub in command.get("subcommands", []):
        if not sub.get("shouldDisplay", True) or sub["commandName"] == "help":
            continue
        full = path + [sub["commandName"]]
        arguments = [argument for argument in sub.get("arguments", []) if display(argument)]
        lines.append(".It Xo")
        lines.append(".Nm " + " ".join(full))
        lines += ["." + synopsis_item(argument) for argument in arguments]
        lines.append(".Xc")
        text = sub.get("abstract", "")
        if sub.get("discussion"):
            text += " " + sub["discussion"]
        if text:
            lines.append(escape(text))
        if arguments or sub.get("subcommands"):
            lines.append(".Bl -tag -width 6n")
            for argument in arguments:
                lines += argument_entry(argument)
            lines += command_entries(sub, full)
            lines.append(".El")
    return lines


def manual(info, date):
    root = info["command"]
    name = root["commandName"]
    lines = [
        ".\\\" Generated by Scripts/generate-manuals from `clubd --experimental-dump-help`: do not edit.",
        ".Dd " + date,
        ".Dt " + name.upper() + " 1",
        ".Os",
        ".Sh NAME",
        ".Nm " + name,
        ".Nd " + escape(root.get("abstract", "")),
        ".Sh SYNOPSIS",
        ".Nm",
        ".Ar subcommand",
        ".Op Ar options",
        ".Sh DESCRIPTION",
        escape(root.get("abstract", "")),
        "Each subcommand takes",
        ".Fl -help .",
        ".Bl -tag -width 6n",
    ]
    lines += command_entries(root, [name])
    lines += [".El", ".Sh ENVIRONMENT", ".Bl -tag -width 6n"]
    for variable, text in ENVIRONMENT:
        lines += [".It Ev " + variable, escape(text)]
    lines += [".El", ".Sh FILES", ".Bl -tag -width 6n"]
    for path, text in FILES:
        lines += [".It Pa " + path, escape(text)]
    lines += [
        ".El",
        ".Sh EXIT STATUS",
        ".Ex -std",
        ".Sh SEE ALSO",
        " ,\n".join(".Xr %s %d" % page for page in SEE_ALSO),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(manual(json.load(sys.stdin), sys.argv[1]))
