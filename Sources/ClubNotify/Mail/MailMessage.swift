import Foundation

/// A mailbox: an ASCII address and an optional display name in any language.
public struct MailAddress: Sendable, Hashable {
    /// `local@domain`, ASCII only (an internationalised address would need SMTPUTF8 of every relay).
    public let address: String
    /// Any text; control characters (CR, LF among them) become spaces, so it can never end a header.
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(MailMessage.Invalid) {
        guard Self.isValidAddress(address) else {
            throw MailMessage.Invalid(field: "address", reason: "'\(address.debugDescription)' is not an ASCII address local@domain")
        }
        self.address = address
        let name = displayName.map(MIMEText.withoutControlCharacters)?.trimmingCharacters(in: .whitespaces)
        self.displayName = name?.isEmpty == false ? name : nil
    }

    /// Dot-atom characters only on the left (no quoted local parts), a host name on the right.
    static func isValidAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, address.utf8.count <= 254, let local = parts.first, let domain = parts.last else { return false }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".unicodeScalars)
        let localIsDotAtom =
            !local.isEmpty && local.utf8.count <= 64 && !local.hasPrefix(".") && !local.hasSuffix(".")
            && !local.contains("..") && local.unicodeScalars.allSatisfy { atext.contains($0) || $0 == "." }
        return localIsDotAtom && isValidHostName(String(domain))
    }

    /// Letters, digits, hyphens and dots, as a DNS name is written (or a bracketed address literal).
    static func isValidHostName(_ name: String) -> Bool {
        if name.hasPrefix("["), name.hasSuffix("]") {
            return name.count > 2
                && name.dropFirst().dropLast().unicodeScalars.allSatisfy { $0.isASCII && "0123456789abcdefABCDEF.:".unicodeScalars.contains($0) }
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return !name.isEmpty && name.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
            }
    }

    /// `"Name" <address>`, the name as RFC 2047 encoded words when it is not plain ASCII.
    var headerValue: String {
        guard let displayName else { return "<\(address)>" }
        let phrase: String
        // A long name goes as encoded words too: they fold, a quoted string may not.
        if displayName.unicodeScalars.allSatisfy({ $0.isASCII }), !displayName.contains("=?"), displayName.utf8.count <= 60 {
            phrase = "\"" + displayName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        } else {
            phrase = MIMEText.encodedWords(displayName).joined(separator: "\r\n ")
        }
        // Folded before the address only when one line would pass 78 characters.
        let fitsOneLine = !phrase.contains("\r\n") && phrase.utf8.count + address.utf8.count <= 66
        return fitsOneLine ? "\(phrase) <\(address)>" : "\(phrase)\r\n <\(address)>"
    }
}

/// One notification e-mail (DESIGN §10, docs/design.md §10): a plain text part and its HTML
/// alternative, both UTF-8 and quoted-printable, with the headers a mailbox provider expects of
/// an automatic message. Built from caller values that are checked here, so that none can add a
/// header or break the message's structure; ``render()`` gives the exact bytes for `DATA`.
public struct MailMessage: Sendable, Hashable {
    public let from: MailAddress
    public let to: MailAddress
    /// Any text (Russian included); control characters become spaces.
    public let subject: String
    public let text: String
    public let html: String
    /// `left@right` without angle brackets, stable per notification: a retry is then the same
    /// message, and a mailbox that already has it can drop the copy.
    public let messageID: String
    public let date: Date
    /// The recipient's language as a BCP 47 tag (`ru`, `en`), sent as `Content-Language`.
    public let language: String
    /// An `https` address that unsubscribes the recipient from this kind of notification in one
    /// request (RFC 8058); when given, `List-Unsubscribe` and `List-Unsubscribe-Post` are sent.
    public let unsubscribeURL: String?

    /// Which caller value was refused and why.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let field: String
        public let reason: String
        public var description: String { "\(field): \(reason)" }
    }

    public init(
        from: MailAddress,
        to: MailAddress,
        subject: String,
        text: String,
        html: String,
        messageID: String,
        date: Date,
        language: String,
        unsubscribeURL: String? = nil
    ) throws(Invalid) {
        guard Self.isValidMessageID(messageID) else {
            throw Invalid(field: "messageID", reason: "'\(messageID.debugDescription)' is not left@right (no brackets, spaces or line breaks)")
        }
        guard Self.isValidLanguageTag(language) else {
            throw Invalid(field: "language", reason: "'\(language.debugDescription)' is not a language tag such as ru or en-GB")
        }
        if let unsubscribeURL {
            guard Self.isValidUnsubscribeURL(unsubscribeURL) else {
                throw Invalid(field: "unsubscribeURL", reason: "'\(unsubscribeURL.debugDescription)' is not an https address of printable ASCII")
            }
        }
        self.from = from
        self.to = to
        self.subject = MIMEText.withoutControlCharacters(subject)
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.language = language
        self.unsubscribeURL = unsubscribeURL
    }

    /// QP output never holds `=_` (every `=` is escaped or ends a line), so no part can contain it.
    static let boundary = "=_clubd-alternative"

    /// The whole message as sent in `DATA` (before dot-stuffing): 7-bit ASCII, CRLF line
    /// endings, no line longer than 998 bytes.
    public func render() -> [UInt8] {
        var headers = [
            "Date: \(MIMEText.rfc5322Date(date))",
            "From: \(from.headerValue)",
            "To: \(to.headerValue)",
            "Subject: \(MIMEText.subjectValue(subject))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Language: \(language)",
            // RFC 3834: tells vacation responders and mailing list software not to answer.
            "Auto-Submitted: auto-generated",
        ]
        if let unsubscribeURL {
            headers += ["List-Unsubscribe: <\(unsubscribeURL)>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
        }
        headers.append("Content-Type: multipart/alternative; boundary=\"\(Self.boundary)\"")
        var lines = headers + [""]
        for (subtype, body) in [("plain", text), ("html", html)] {
            lines += [
                "--\(Self.boundary)",
                "Content-Type: text/\(subtype); charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                MIMEText.quotedPrintable(body),
            ]
        }
        lines.append("--\(Self.boundary)--")
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func isValidMessageID(_ id: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
        let parts = id.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && id.utf8.count <= 250
            && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy { allowed.contains($0) } }
    }

    static func isValidLanguageTag(_ tag: String) -> Bool {
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        return tag.utf8.count <= 35
            && subtags.allSatisfy {
                (1...8).contains($0.count) && $0.unicodeScalars.allSatisfy { $0.isASCII && CharacterSet.alphanumerics.contains($0) }
            }
            && subtags.first?.unicodeScalars.allSatisfy { CharacterSet.letters.contains($0) } == true
    }

    /// Printable ASCII without spaces or angle brackets, short enough for one header line.
    static func isValidUnsubscribeURL(_ url: String) -> Bool {
        url.lowercased().hasPrefix("https://") && url.utf8.count > "https://".count && url.utf8.count <= 900
            && url.utf8.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }
}

/// The encodings a header or body needs to travel as 7-bit lines (RFC 2045, 2047, 5322).
enum MIMEText {
    /// CR, LF, tab and every other control character as a space: a caller's text cannot end a line.
    static func withoutControlCharacters(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// Plain when short printable ASCII, otherwise RFC 2047 encoded words, folded.
    static func subjectValue(_ subject: String) -> String {
        let plain = subject.unicodeScalars.allSatisfy { $0.isASCII } && !subject.contains("=?") && subject.utf8.count <= 66
        return plain ? subject : encodedWords(subject).joined(separator: "\r\n ")
    }

    /// `=?UTF-8?B?…?=` words of at most 42 bytes of text each (68 characters: a folded line stays
    /// within 78), never splitting a character's bytes between two words.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
            chunk = []
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 42 { flush() }
            chunk += bytes
        }
        flush()
        return words.isEmpty ? ["=?UTF-8?B??="] : words
    }

    /// Quoted-printable (RFC 2045 §6.7) of the UTF-8 text, any line ending as CRLF, lines of at
    /// most 76 characters. A line's leading `.` stays as it is: the SMTP client stuffs it.
    static func quotedPrintable(_ text: String) -> String {
        var output: [String] = []
        for line in lines(of: Array(text.utf8)) {
            var current = ""
            for (index, byte) in line.enumerated() {
                let isLast = index == line.count - 1
                let literal = (33...126).contains(byte) && byte != UInt8(ascii: "=") || (byte == 32 || byte == 9) && !isLast
                let token = literal ? String(UnicodeScalar(byte)) : "=" + hex(byte)
                if current.utf8.count + token.utf8.count > 75 {
                    output.append(current + "=")
                    current = ""
                }
                current += token
            }
            output.append(current)
        }
        return output.joined(separator: "\r\n")
    }

    /// Splits at CRLF, a lone LF or a lone CR.
    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 10 || byte == 13 {
                result.append(bytes[start..<index])
                index += byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        result.append(bytes[start..<bytes.count])
        return result
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// `Sun, 06 Dec 2026 15:27:04 +0000`, in UTC, with English names whatever the locale.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(two(parts.day)) \(month) \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
