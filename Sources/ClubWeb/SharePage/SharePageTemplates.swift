import Mustache

/// The client's page. Kept in code rather than in resource files, so that the templates compiled
/// in are the ones tested; every `{{value}}` is HTML-escaped by Mustache, so a statement containing
/// `<script>` is shown, never run (the `{{{…Line}}}` values are built by `HTMLText`, which
/// escapes what they hold). No external assets: the page works offline. The style and the script
/// are partials of their own (`ShareAssets`), inlined with the response's nonce. Every word is a
/// catalog text: `{{t.share.title}}` (`TextLookup`) or a value the view filled from the catalog.
enum SharePageTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(page, named: "page")
        try library.register(list, named: "list")
        try library.register(notice, named: "notice")
        try library.register(LanguageSwitch.template, named: "language-switch")
        try library.register(ShareAssets.style, named: "style")
        try library.register(ShareAssets.noticeStyle, named: "notice-style")
        try library.register(LanguageSwitch.style, named: "language-switch-style")
        try library.register(ShareAssets.script, named: "script")
        return library
    }

    static let page = #"""
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{t.share.title}} · {{clientName}}</title>
        <style nonce="{{nonce}}">
        {{> style}}
        {{> language-switch-style}}
        </style>
        </head>
        <body data-live="offline">
        <header><div class="wrap">
        <span class="live" id="live" data-expired="{{t.share.live.expired}}" data-off="{{t.share.live.off}}">{{t.share.live}}</span>
        {{> language-switch}}
        <h1>{{t.share.title}}</h1>
        <p class="parties">{{clientName}} · {{studioName}}</p>
        <p class="live-notice" id="live-notice" role="status" data-stopped="{{t.share.live.stopped}}"></p>
        </div></header>
        {{> list}}
        <footer><div class="wrap">
        {{t.share.footer.live}}
        {{validUntil}}
        {{timeZoneNote}}
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
        <progress class="bar" max="{{total}}" value="{{struck}}" aria-label="{{progressLabel}}">
        {{percent}}%</progress>
        <span class="count" id="progress">{{progressCount}}</span>
        <span class="remaining" id="remaining">{{remaining}}</span>
        <span class="accepted" id="accepted">{{acceptedCount}}</span>
        </div>
        <ol>
        {{#items}}
        <li class="item {{state}}{{#isOverdue}} overdue{{/isOverdue}}" id="item-{{position}}" data-state="{{state}}">
        <div><span class="num">{{position}}.</span><span class="statement">{{statement}}</span>
        {{#isAccepted}}<span class="tag done">{{t.share.item.accepted}}</span>{{/isAccepted}}
        {{#isAwaitingCheck}}<span class="tag done">{{t.share.item.struck}}</span>
        <span class="tag pending">{{t.share.item.awaitingCheck}}</span>{{/isAwaitingCheck}}
        {{#isLate}}<span class="tag late">{{t.share.item.late}}</span>{{/isLate}}
        {{#isOverdue}}<span class="tag late">{{t.share.item.overdue}}</span>{{/isOverdue}}
        {{#isReopened}}<span class="tag again">{{t.share.item.reopened}}</span>{{/isReopened}}
        {{#isPending}}<span class="tag pending">{{t.share.item.pending}}</span>{{/isPending}}
        </div>
        <p class="criterion"><b>{{t.share.item.acceptance}}</b> {{acceptance}}</p>
        <p class="meta"><b>{{t.share.item.due}}</b> {{due}}</p>
        {{#hasRounds}}
        <ol class="rounds">
        {{#rounds}}
        <li><p class="note strike">{{{struckLine}}} — {{strikeNote}}{{#isLate}} <span class="tag late">{{t.share.item.late}}</span>{{/isLate}}</p>
        {{#roundReopenLine}}<p class="note reopen">{{{.}}}{{#roundNewDue}} — {{.}}{{/roundNewDue}}</p>{{/roundReopenLine}}</li>
        {{/rounds}}
        </ol>
        {{/hasRounds}}
        {{^hasRounds}}
        {{#isStruck}}
        <p class="note strike">{{{struckLine}}}{{#strikeNote}} — {{strikeNote}}{{/strikeNote}}</p>
        {{/isStruck}}
        {{#reopenLine}}
        <p class="note reopen">{{{reopenLine}}}</p>
        {{/reopenLine}}
        {{/hasRounds}}
        {{#acceptedLine}}
        <p class="note accepted">{{{acceptedLine}}}{{#acceptNote}} — {{acceptNote}}{{/acceptNote}}</p>
        {{/acceptedLine}}
        {{#hasImages}}
        <ul class="images">
        {{#images}}
        <li><a href="{{imageURL}}"><img src="{{thumbnailURL}}" alt="{{imageAlt}}"{{#thumbnailWidth}} width="{{.}}"{{/thumbnailWidth}}\#
        {{#thumbnailHeight}} height="{{.}}"{{/thumbnailHeight}}></a></li>
        {{/images}}
        </ul>
        {{/hasImages}}
        </li>
        {{/items}}
        </ol>
        </main>
        """#

    static let notice = #"""
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}}</title>
        <style nonce="{{nonce}}">
        {{> notice-style}}
        {{> language-switch-style}}
        </style>
        </head>
        <body><div>{{> language-switch}}<h1>{{title}}</h1><p>{{message}}</p></div></body>
        </html>
        """#
}
