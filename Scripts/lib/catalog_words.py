"""The console's words, read from the catalogs by key (Sources/ClubCore/Localization/Catalogs), so
that a browser journey finds buttons and labels by the text people see, in either language."""
import glob
import json
import os

CATALOGS = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "ClubCore", "Localization", "Catalogs")


class Words:
    """The catalog texts of one language (`ru.json`, `ru.requests.json`, … read as one), with
    `{name}` arguments filled in; a plural entry gives its `other` form."""

    def __init__(self, language):
        self.language = language
        self.texts = {}
        for path in sorted(glob.glob(os.path.join(CATALOGS, f"{language}.json")) + glob.glob(os.path.join(CATALOGS, f"{language}.*.json"))):
            with open(path, encoding="utf-8") as file:
                self.texts.update(json.load(file)["texts"])

    def __call__(self, key, **arguments):
        text = self.texts[key]
        if isinstance(text, dict):
            text = text["other"]
        for name, value in arguments.items():
            text = text.replace("{" + name + "}", str(value))
        return text
