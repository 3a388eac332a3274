import ClubCore
import Foundation

/// The response letter's Markdown (`ResponseLetter.render(.markdown)`) as HTML, so that the
/// preview and the printable download show exactly the text the `.md` download gives. The letter
/// uses a small part of Markdown only: `#`/`##` headings, paragraphs, `- **label:** value` items,
/// nested `  - <link>` items; everything else is text, HTML-escaped.
enum LetterMarkup {
    /// `headingOffset` 1 makes `#` an `<h2>`, for a letter shown inside a page with its own `<h1>`.
    static func html(fromMarkdown markdown: String, headingOffset: Int = 0) -> String {
        var output: [String] = []
        var paragraph: [String] = []
        // Open lists, innermost last, each with whether its last item is still open (a nested
        // list goes inside its parent's item).
        var lists: [Bool] = []

        func closeParagraph() {
            if !paragraph.isEmpty { output.append("<p>" + paragraph.joined(separator: "<br>\n") + "</p>") }
            paragraph = []
        }
        func setList(depth: Int) {
            while lists.count > depth {
                if lists.removeLast() { output.append("</li>") }
                output.append("</ul>")
            }
            while lists.count < depth {
                output.append("<ul>")
                lists.append(false)
            }
        }
        func item(_ html: String, depth: Int) {
            setList(depth: depth)
            if lists[depth - 1] { output.append("</li>") }
            output.append("<li>" + html)
            lists[depth - 1] = true
        }

        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                closeParagraph()
                setList(depth: 0)
            } else if line.hasPrefix("## ") {
                closeParagraph()
                setList(depth: 0)
                output.append(heading(2 + headingOffset, inline(String(line.dropFirst(3)))))
            } else if line.hasPrefix("# ") {
                closeParagraph()
                setList(depth: 0)
                output.append(heading(1 + headingOffset, inline(String(line.dropFirst(2)))))
            } else if let listed = listItem(line) {
                closeParagraph()
                item(inline(listed.text), depth: listed.depth)
            } else {
                setList(depth: 0)
                paragraph.append(inline(line))
            }
        }
        closeParagraph()
        setList(depth: 0)
        return output.joined(separator: "\n")
    }

    private static func heading(_ level: Int, _ html: String) -> String {
        "<h\(level)>" + html + "</h\(level)>"
    }

    /// `- text` (depth 1) or `  - text` (depth 2).
    private static func listItem(_ line: String) -> (depth: Int, text: String)? {
        if line.hasPrefix("- ") { return (1, String(line.dropFirst(2))) }
        if line.hasPrefix("  - ") { return (2, String(line.dropFirst(4))) }
        return nil
    }

    /// Escapes the text, then makes `**bold**` strong and `<http…>` a link.
    static func inline(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                result += "<strong>" + escape(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])) + "</strong>"
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("<http"), let end = rest.firstIndex(of: ">") {
                let link = escape(String(rest[rest.index(after: rest.startIndex)..<end]))
                result += "<a href=\"\(link)\">\(link)</a>"
                rest = rest[rest.index(after: end)...]
            } else {
                result += escape(String(rest[rest.startIndex]))
                rest = rest.dropFirst()
            }
        }
        return result
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }

    /// The print style of the standalone letter: one column, a serif body, links written out.
    static let printStyle = """
        body { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; font: 12pt/1.5 Georgia, "Times New Roman", serif; color: #000; }
        h1 { font-size: 18pt; margin: 0 0 1rem; }
        h2 { font-size: 14pt; margin: 1.5rem 0 0.5rem; page-break-after: avoid; }
        ul { padding-left: 1.5rem; }
        a { color: #000; overflow-wrap: anywhere; }
        @media print { body { margin: 0; max-width: none; } @page { margin: 2cm; } }
        """

    /// A page that stands alone (opened from disk, printed): its style carries a nonce that its
    /// own policy names, and it loads nothing.
    static func standalonePage(markdown: String, title: String, language: String, nonce: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(escape(language))">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(policy(nonce: nonce))">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style nonce="\(nonce)">
        \(printStyle)
        </style>
        </head>
        <body>
        <main>
        \(html(fromMarkdown: markdown))
        </main>
        </body>
        </html>

        """
    }

    static func policy(nonce: String) -> String {
        "default-src 'none'; style-src 'nonce-\(nonce)'; base-uri 'none'; form-action 'none'"
    }
}
