import ClubCore
import Mustache

/// What templates call `t`: `{{t.share.title}}` renders the catalog text of `share.title`,
/// HTML-escaped like every `{{value}}`. Mustache walks the dotted name one part at a time, so each
/// step is a lookup of a longer key. Texts with placeholders or plural forms are filled by the
/// view and handed to the template as values. The catalog tests read every `{{t.…}}` in the
/// sources and fail on a key no catalog has.
struct TextLookup: MustacheParent, MustacheCustomRenderable {
    let localizer: Localizer
    let key: String

    init(_ localizer: Localizer, key: String = "") {
        self.localizer = localizer
        self.key = key
    }

    func child(named name: String) -> Any? {
        TextLookup(localizer, key: key.isEmpty ? name : key + "." + name)
    }

    var renderText: String { localizer.text(key) }
    var isNull: Bool { false }
}
