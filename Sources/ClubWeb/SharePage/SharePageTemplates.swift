import Mustache

/// The client's page. Kept in code rather than in resource files so that the binary is the whole
/// deployment; every `{{value}}` is HTML-escaped by Mustache, so a statement containing
/// `<script>` is shown, never run. No external assets: the page works offline. The style and the
/// script are partials of their own (`ShareAssets`), inlined with the response's nonce.
enum SharePageTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(page, named: "page")
        try library.register(list, named: "list")
        try library.register(notice, named: "notice")
        try library.register(ShareAssets.style, named: "style")
        try library.register(ShareAssets.noticeStyle, named: "notice-style")
        try library.register(ShareAssets.script, named: "script")
        return library
    }

    static let page = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>Final correction list · {{clientName}}</title>
        <style nonce="{{nonce}}">
        {{> style}}
        </style>
        </head>
        <body data-live="offline">
        <header><div class="wrap">
        <span class="live" id="live">live</span>
        <h1>Final correction list</h1>
        <p class="parties">{{clientName}} · {{studioName}}</p>
        </div></header>
        {{> list}}
        <footer><div class="wrap">
        This page updates by itself when an item is struck or reopened.
        Read-only link, valid until {{expiresAt}}.
        </div></footer>
        <script nonce="{{nonce}}">
        {{> script}}
        </script>
        </body>
        </html>
        """#

    static let list = #"""
        <main id="list" class="wrap" data-revision="{{revision}}">
        <div class="summary">
        <span class="status{{#isDone}} done{{/isDone}}">{{statusLabel}}</span>
        <progress class="bar" max="{{total}}" value="{{struck}}" aria-label="{{struck}} of {{total}} items struck">
        {{percent}}%</progress>
        <span class="count" id="progress">{{struck}} of {{total}} struck</span>
        </div>
        <ol>
        {{#items}}
        <li class="item {{state}}{{#isOverdue}} overdue{{/isOverdue}}" id="item-{{position}}" data-state="{{state}}">
        <div><span class="num">{{position}}.</span><span class="statement">{{statement}}</span>
        {{#isStruck}}<span class="tag done">struck</span>{{/isStruck}}
        {{#isLate}}<span class="tag late">struck late</span>{{/isLate}}
        {{#isOverdue}}<span class="tag late">overdue</span>{{/isOverdue}}
        {{#isReopened}}<span class="tag again">reopened</span>{{/isReopened}}
        {{#isPending}}<span class="tag pending">awaiting both sides' confirmation</span>{{/isPending}}
        </div>
        <p class="criterion"><b>Done when:</b> {{acceptance}}</p>
        <p class="meta"><b>Due</b> {{due}}</p>
        {{#isStruck}}
        <p class="note strike">Struck by <b>{{struckBy}}</b> on {{struckAt}}{{#strikeNote}} — {{strikeNote}}{{/strikeNote}}</p>
        {{/isStruck}}
        {{#reopenReason}}
        <p class="note reopen">Reopened by <b>{{reopenedBy}}</b> on {{reopenedAt}}: {{reopenReason}}</p>
        {{/reopenReason}}
        </li>
        {{/items}}
        </ol>
        </main>
        """#

    static let notice = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}}</title>
        <style nonce="{{nonce}}">
        {{> notice-style}}
        </style>
        </head>
        <body><div><h1>{{title}}</h1><p>{{message}}</p></div></body>
        </html>
        """#
}
