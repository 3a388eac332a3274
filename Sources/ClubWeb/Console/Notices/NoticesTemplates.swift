import Mustache

/// The notices page's template, compiled into the binary like every console page.
enum NoticesTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(page, named: "notices")
    }

    static let page = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> settings-style}}</style>
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
        <section id="notifications" aria-labelledby="notifications-title">
        <h2 id="notifications-title">{{t.settings.notices.title}} <span class="count">{{notificationCount}}</span></h2>
        <p class="meta"><a class="target" href="/settings">{{t.settings.notices.choose}}</a></p>
        {{#hasNotifications}}<ul class="lines">{{#notifications}}
        <li><a href="{{href}}">{{kind}}</a>
        <span class="note">— <time datetime="{{at}}">{{when}}</time>, {{mailStatus}}</span></li>{{/notifications}}
        </ul>
        {{#notificationsNote}}<p class="meta">{{.}}</p>{{/notificationsNote}}
        {{/hasNotifications}}
        {{^hasNotifications}}<p class="none">{{t.settings.notices.none}}</p>{{/hasNotifications}}
        </section>
        {{#showsFailedMail}}
        <section id="failed-mail" aria-labelledby="failed-mail-title">
        <h2 id="failed-mail-title">{{t.settings.failed.title}} <span class="count">{{failedCount}}</span></h2>
        {{#hasFailedMail}}
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="failed-mail-title"><table class="stack">
        <thead><tr><th scope="col">{{t.settings.failed.recipient}}</th><th scope="col">{{t.settings.failed.kind}}</th>
        <th scope="col">{{t.settings.failed.when}}</th><th scope="col">{{t.settings.failed.answer}}</th></tr></thead>
        <tbody>{{#failedMail}}
        <tr><td>{{recipient}}</td><td><a class="target" href="{{href}}">{{kind}}</a></td><td>{{when}}</td>
        <td>{{#answer}}<code class="relay">{{.}}</code>{{/answer}}{{^answer}}{{t.settings.failed.noAnswer}}{{/answer}}
        <span class="note">({{attempts}})</span></td></tr>{{/failedMail}}
        </tbody>
        </table></div>
        {{/hasFailedMail}}
        {{^hasFailedMail}}<p class="none">{{t.settings.failed.none}}</p>{{/hasFailedMail}}
        </section>
        {{/showsFailedMail}}
        {{/content}}
        {{> foot}}
        """#
}
