import Mustache

/// The settings and unsubscribe pages' templates, compiled into the binary like every console page.
enum SettingsTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(settings, named: "settings")
        try library.register(unsubscribe, named: "unsubscribe")
        try library.register(style, named: "settings-style")
    }

    /// Links in running text and in tables are touch targets too (44 px, as the console's others).
    static let style = #"""
        a.target { display: inline-block; min-height: 44px; padding: 10px 0; }
        code.relay { overflow-wrap: anywhere; }
        """#

    static let settings = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> settings-style}}</style>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        {{#saved}}<div class="notice" role="status"><p>{{t.settings.saved}}</p></div>{{/saved}}
        <h2 id="choices-title">{{t.settings.choices}}</h2>
        <p>{{t.settings.intro}}</p>
        <p class="hint">{{t.settings.noticesNote}}</p>
        <p><a class="target" href="/notices">{{t.settings.noticesLink}}</a></p>
        {{#form}}{{> form}}{{/form}}
        {{/content}}
        {{> foot}}
        """#

    static let unsubscribe = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> settings-style}}</style>
        <h1>{{title}}</h1>
        {{#content}}
        {{#done}}
        <div class="notice" role="status"><p>{{t.settings.unsubscribe.done}} <b>{{kindName}}</b></p></div>
        <p>{{t.settings.unsubscribe.stillListed}}</p>
        {{/done}}
        {{^done}}
        <p>{{t.settings.unsubscribe.for}} <b>{{personName}}</b></p>
        <p>{{t.settings.unsubscribe.what}} <b>{{kindName}}</b></p>
        <p class="hint">{{t.settings.unsubscribe.explain}}</p>
        <form method="post" action="{{action}}"><button type="submit">{{t.settings.unsubscribe.button}}</button></form>
        {{/done}}
        <p><a class="target" href="/settings">{{t.settings.unsubscribe.settingsLink}}</a></p>
        {{/content}}
        {{> foot}}
        """#
}
