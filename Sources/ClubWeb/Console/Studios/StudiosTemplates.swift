import Mustache

/// The templates of the studios area, compiled into the binary like every console page.
enum StudiosTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(style, named: "studios-style")
        try library.register(registry, named: "studios")
        try library.register(singleForm, named: "studios-form")
        try library.register(studio, named: "studio")
        try library.register(clients, named: "clients")
        try library.register(client, named: "client")
        try library.register(invitationShown, named: "invitation-shown")
    }

    /// The area's own additions to the console's style.
    static let style = #"""
        .button-link { display: inline-flex; align-items: center; min-height: 44px; padding: 8px 16px; font-weight: 600; color: #fff;
          background: #00703c; box-shadow: 0 2px 0 #002d18; text-decoration: none; }
        .button-link:focus { outline: 3px solid #ffbf47; outline-offset: 0; color: #0b0c0c; background: #ffbf47; }
        .filters { display: flex; flex-wrap: wrap; gap: 0 16px; align-items: flex-end; margin-bottom: 16px; }
        .filters .field { flex: 1 1 200px; margin-bottom: 12px; }
        .filters button { margin-bottom: 12px; }
        .pager { display: flex; gap: 24px; }
        .pager a, td a { display: inline-block; min-height: 44px; padding: 10px 0; }
        .row-action { display: inline-block; margin: 2px 8px 2px 0; }
        .status-tag { display: inline-block; padding: 2px 8px; font-weight: 600; background: #f3f2f1; border: 1px solid #0b0c0c; }
        .studio-sections > section { border-top: 1px solid #b1b4b6; margin-top: 24px; }
        .scorecard { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; padding: 0; margin: 0; }
        .scorecard div { border-left: 4px solid #1d4f91; padding: 4px 8px; }
        .scorecard dt { color: #484949; font-size: 14px; }
        .scorecard dd { margin: 0; font-size: 22px; font-weight: 600; }
        .passed { color: #00703c; font-weight: 600; }
        .failed { color: #b10e1e; font-weight: 600; }
        .invitation-link { overflow-wrap: anywhere; font-size: 16px; }
        /* A visually hidden header stays inside its scrolling table, not past the page's edge. */
        .table-wrap { position: relative; }
        .choice label { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; padding-right: 8px; }
        """#

    static let registry = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        <h1>{{title}}</h1>
        {{#content}}
        {{#canRegister}}<p><a class="button-link" href="/studios/new">{{t.console.studios.register}}</a></p>{{/canRegister}}
        <form method="get" action="/studios" class="filters" aria-label="{{t.console.studios.filter.label}}">
        <div class="field"><label for="filter-status">{{t.console.studios.filter.status}}</label>
        <select id="filter-status" name="status">
        {{#statusOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}</select></div>
        <div class="field"><label for="filter-competence">{{t.console.studios.filter.competence}}</label>
        <select id="filter-competence" name="competence">
        {{#competenceOptions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/competenceOptions}}</select></div>
        <div class="field"><label for="filter-region">{{t.console.studios.filter.region}}</label>
        <input id="filter-region" name="region" type="text" class="text" value="{{region}}"></div>
        <button type="submit" class="secondary">{{t.console.studios.filter.apply}}</button>
        </form>
        <p class="meta" role="status">{{count}}</p>
        {{#hasRows}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{title}}"><table>
        <thead><tr><th scope="col">{{t.console.studios.field.name}}</th><th scope="col">{{t.console.studios.field.status}}</th>
        <th scope="col">{{t.console.studios.field.competences}}</th><th scope="col">{{t.console.studios.field.regions}}</th>
        <th scope="col">{{t.console.studios.field.budget}}</th><th scope="col">{{t.console.studios.field.capacity}}</th></tr></thead>
        <tbody>{{#rows}}
        <tr><td><a href="/studios/{{id}}">{{name}}</a></td><td>{{status}}</td><td>{{competences}}</td><td>{{regions}}</td>
        <td>{{budget}}</td><td>{{capacity}}</td></tr>{{/rows}}
        </tbody></table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        <nav class="pager" aria-label="{{t.console.studios.pages}}">
        {{#previousPage}}<a href="{{.}}">{{t.console.studios.previous}}</a>{{/previousPage}}
        {{#nextPage}}<a href="{{.}}">{{t.console.studios.next}}</a>{{/nextPage}}
        </nav>
        {{/content}}
        {{> foot}}
        """#

    /// A page with one form: registering a studio or a client, inviting a person.
    static let singleForm = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        {{#intro}}<p>{{.}}</p>{{/intro}}
        {{#form}}{{> form}}{{/form}}
        <p><a class="back" href="{{back}}">{{backLabel}}</a></p>
        {{/content}}
        {{> foot}}
        """#

    static let studio = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        {{#content}}
        <p><a class="back" href="/studios">{{t.console.studios.back}}</a></p>
        <h1>{{name}} <span class="status-tag">{{status}}</span></h1>
        {{/content}}
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <div class="studio-sections">
        <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{{t.console.studios.page.profile}}</h2>
        <dl class="fields">{{#profile}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/profile}}</dl>
        </section>

        <section aria-labelledby="vetting-heading">
        <h2 id="vetting-heading">{{t.console.studios.page.vetting}}</h2>
        <h3>{{t.console.studios.check.required}}</h3>
        <dl class="fields">{{#requiredChecks}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/requiredChecks}}</dl>
        {{#hasChecks}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.studios.check.table}}"><table>
        <thead><tr><th scope="col">{{t.console.studios.check.kind}}</th><th scope="col">{{t.console.studios.check.result}}</th>
        <th scope="col">{{t.console.studios.check.notes}}</th><th scope="col">{{t.console.studios.check.when}}</th></tr></thead>
        <tbody>{{#checks}}<tr><td>{{kind}}</td><td class="{{#passed}}passed{{/passed}}{{^passed}}failed{{/passed}}">{{result}}</td>
        <td>{{notes}}</td><td>{{recorded}}</td></tr>{{/checks}}</tbody></table></div>
        {{/hasChecks}}
        {{^hasChecks}}<p class="none">{{t.console.studios.check.none}}</p>{{/hasChecks}}
        {{#vettingClosed}}<p class="meta">{{.}}</p>{{/vettingClosed}}
        {{#vettingForm}}<h3>{{t.console.studios.check.record}}</h3>{{> form}}{{/vettingForm}}
        </section>

        <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">{{t.console.studios.page.decisions}}</h2>
        {{#hasDecisions}}<ul class="lines">{{#decisions}}<li><strong>{{decision}}</strong> ({{change}}): {{reason}}
        <span class="note">— {{decided}}</span></li>{{/decisions}}</ul>{{/hasDecisions}}
        {{^hasDecisions}}<p class="none">{{t.console.studios.decision.none}}</p>{{/hasDecisions}}
        {{#decisionForm}}{{> form}}{{/decisionForm}}
        </section>

        <section aria-labelledby="notes-heading">
        <h2 id="notes-heading">{{t.console.studios.page.notes}}</h2>
        {{#hasNotes}}<ul class="lines">{{#notes}}<li>{{note}} <span class="note">— {{recorded}}</span></li>{{/notes}}</ul>{{/hasNotes}}
        {{^hasNotes}}<p class="none">{{t.console.studios.note.none}}</p>{{/hasNotes}}
        {{#noteForm}}{{> form}}{{/noteForm}}
        </section>

        <section aria-labelledby="engagements-heading">
        <h2 id="engagements-heading">{{t.console.studios.page.engagements}}</h2>
        {{#hasEngagements}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.studios.engagement.table}}"><table>
        <thead><tr><th scope="col">{{t.console.studios.engagement.id}}</th><th scope="col">{{t.console.studios.engagement.client}}</th>
        <th scope="col">{{t.console.studios.field.status}}</th><th scope="col">{{t.console.studios.engagement.started}}</th></tr></thead>
        <tbody>{{#engagements}}
        <tr><td><a href="{{href}}">{{id}}</a></td><td>{{party}}</td><td>{{status}}</td><td>{{started}}</td></tr>{{/engagements}}
        </tbody></table></div>
        {{/hasEngagements}}
        {{^hasEngagements}}<p class="none">{{t.console.none}}</p>{{/hasEngagements}}
        </section>

        <section aria-labelledby="scorecard-heading">
        <h2 id="scorecard-heading">{{t.console.studios.page.scorecard}}</h2>
        <p>{{t.console.studios.score.rating}} <strong>{{rating}}</strong></p>
        <dl class="scorecard">{{#scorecard}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/scorecard}}</dl>
        </section>

        <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">{{t.console.studios.page.edit}}</h2>
        {{#editForm}}{{> form}}{{/editForm}}
        </section>
        </div>
        {{/content}}
        {{> foot}}
        """#

    static let clients = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        <h1>{{title}}</h1>
        {{#content}}
        {{#canRegister}}<p><a class="button-link" href="/clients/new">{{t.console.clients.register}}</a></p>{{/canRegister}}
        {{#hasRows}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{title}}"><table>
        <thead><tr><th scope="col">{{t.console.clients.field.name}}</th><th scope="col">{{t.console.clients.field.contacts}}</th>
        <th scope="col">{{t.console.clients.field.created}}</th></tr></thead>
        <tbody>{{#rows}}<tr><td><a href="/clients/{{id}}">{{name}}</a></td><td>{{contacts}}</td><td>{{created}}</td></tr>{{/rows}}
        </tbody></table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        {{#nextPage}}<nav class="pager" aria-label="{{t.console.studios.pages}}"><a href="{{.}}">{{t.console.studios.next}}</a></nav>{{/nextPage}}
        {{/content}}
        {{> foot}}
        """#

    static let client = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        {{#content}}
        <p><a class="back" href="/clients">{{t.console.clients.back}}</a></p>
        <h1>{{name}}</h1>
        {{/content}}
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <div class="studio-sections">
        <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">{{t.console.clients.page.profile}}</h2>
        <h3>{{t.console.clients.field.contacts}}</h3>
        {{#hasContacts}}<dl class="fields">{{#contacts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/contacts}}</dl>{{/hasContacts}}
        {{^hasContacts}}<p class="none">{{t.console.none}}</p>{{/hasContacts}}
        <dl class="fields">{{#profile}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/profile}}</dl>
        </section>

        <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">{{t.console.clients.page.requests}}</h2>
        {{#hasRequests}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.clients.request.table}}"><table>
        <thead><tr><th scope="col">{{t.console.clients.request.ask}}</th><th scope="col">{{t.console.studios.field.status}}</th>
        <th scope="col">{{t.console.clients.field.created}}</th></tr></thead>
        <tbody>{{#requests}}<tr><td><a href="{{href}}">{{ask}}</a></td><td>{{status}}</td><td>{{created}}</td></tr>{{/requests}}</tbody>
        </table></div>
        {{/hasRequests}}
        {{^hasRequests}}<p class="none">{{t.console.none}}</p>{{/hasRequests}}
        </section>

        <section aria-labelledby="engagements-heading">
        <h2 id="engagements-heading">{{t.console.clients.page.engagements}}</h2>
        {{#hasEngagements}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.studios.engagement.table}}"><table>
        <thead><tr><th scope="col">{{t.console.studios.engagement.id}}</th><th scope="col">{{t.console.clients.engagement.studio}}</th>
        <th scope="col">{{t.console.studios.field.status}}</th><th scope="col">{{t.console.studios.engagement.started}}</th></tr></thead>
        <tbody>{{#engagements}}
        <tr><td><a href="{{href}}">{{id}}</a></td><td>{{party}}</td><td>{{status}}</td><td>{{started}}</td></tr>{{/engagements}}
        </tbody></table></div>
        {{/hasEngagements}}
        {{^hasEngagements}}<p class="none">{{t.console.none}}</p>{{/hasEngagements}}
        </section>

        <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">{{t.console.clients.page.edit}}</h2>
        {{#editForm}}{{> form}}{{/editForm}}
        </section>
        </div>
        {{/content}}
        {{> foot}}
        """#

    /// The invitation's link, this once.
    static let invitationShown = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        <h1>{{title}}</h1>
        {{#content}}
        <div class="notice" role="status">
        <p>{{message}}</p>
        <p>{{t.console.peoplePages.shown.once}}</p>
        <p><code class="key invitation-link" id="invitation-link">{{link}}</code></p>
        <p>{{expires}}</p>
        </div>
        <p><a class="back" href="/people">{{t.console.peoplePages.back}}</a></p>
        {{/content}}
        {{> foot}}
        """#
}
