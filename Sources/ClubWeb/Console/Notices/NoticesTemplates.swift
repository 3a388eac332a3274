import Mustache

/// The notices page's template, compiled into the binary like every console page.
enum NoticesTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(page, named: "notices")
    }

    static let page = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        {{#hasAwaiting}}{{#awaiting}}
        <section aria-labelledby="section-{{id}}">
        <h2 id="section-{{id}}">{{title}} <span class="count">{{count}}</span></h2>
        {{#hasLines}}<ul class="lines">{{#lines}}
        <li>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}
        {{#note}}<span class="note">— {{.}}</span>{{/note}}</li>{{/lines}}
        </ul>{{/hasLines}}
        </section>
        {{/awaiting}}{{/hasAwaiting}}
        <section id="changes" aria-labelledby="changes-title">
        <h2 id="changes-title">{{t.console.notices.changes}} <span class="count">{{count}}</span></h2>
        <p class="meta">{{seenNote}}</p>
        {{#hasChanges}}<ul class="lines">{{#changes}}
        <li>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}
        <span class="note">— {{who}}, <time datetime="{{at}}">{{when}}</time></span></li>{{/changes}}
        </ul>
        {{#newestNote}}<p class="meta">{{.}}</p>{{/newestNote}}
        {{#markForm}}{{> form}}{{/markForm}}
        {{/hasChanges}}
        {{^hasChanges}}<p class="none">{{t.console.notices.none}}</p>{{/hasChanges}}
        </section>
        {{/content}}
        {{> foot}}
        """#
}
