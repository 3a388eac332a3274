import Mustache

/// The templates of the audits area, compiled into the binary like every console page.
enum AuditsTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(style, named: "audits-style")
        try library.register(list, named: "audits")
        try library.register(newAudit, named: "audit-new")
        try library.register(audit, named: "audit")
        try library.register(letter, named: "audit-letter")
    }

    static let style = #"""
        .badge { display: inline-block; border: 2px solid #b10e1e; color: #b10e1e; background: #fff; padding: 0 8px;
          font-size: 16px; font-weight: 700; vertical-align: middle; }
        .finding { border-top: 2px solid #b1b4b6; margin-top: 32px; }
        .finding h3 { font-size: 18px; margin: 16px 0 4px; }
        .statement { font-size: 19px; font-weight: 600; }
        .evidence { padding-left: 20px; }
        main a { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
        main li a, main dd a { overflow-wrap: anywhere; }
        .choice label { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
        .position { font-size: 18px; }
        .log-form { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin-bottom: 24px; }
        .log-form .field { margin: 0; flex: 1 1 320px; }
        fieldset.finding-row { border: 1px solid #b1b4b6; padding: 12px 16px; margin: 0 0 20px; }
        fieldset.finding-row legend { font-size: 19px; padding: 0 4px; }
        .downloads { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px 24px; }
        .letter { border: 1px solid #b1b4b6; padding: 8px 24px 16px; max-width: 720px; font-family: Georgia, "Times New Roman", serif; }
        .letter a { overflow-wrap: anywhere; }
        .letter h2 { font-size: 24px; }
        .letter h3 { font-size: 19px; }
        """#

    static let list = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{#content}}
        <style nonce="{{nonce}}">{{> audits-style}}</style>
        {{#hasEngagements}}
        <form method="get" action="/audits/new" class="log-form">
        <div class="field"><label for="engagement">{{t.console.audits.logFor}}</label>
        <select id="engagement" name="engagement">
        {{#engagements}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/engagements}}</select>
        </div>
        <button type="submit">{{t.console.audits.logButton}}</button>
        </form>
        {{/hasEngagements}}
        {{#hasRows}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.audits.listLabel}}"><table>
        <thead><tr><th scope="col">{{t.console.audits.col.subject}}</th><th scope="col">{{t.console.audits.col.auditor}}</th>
        <th scope="col">{{t.console.audits.col.studio}}</th><th scope="col">{{t.console.audits.col.received}}</th>
        <th scope="col">{{t.console.audits.col.findings}}</th><th scope="col">{{t.console.audits.col.status}}</th></tr></thead>
        <tbody>{{#rows}}
        <tr><td><a href="{{href}}">{{subject}}</a></td><td>{{auditor}}</td><td>{{studio}}</td>
        <td>{{received}}</td><td>{{findings}}</td><td>{{status}}</td></tr>
        {{/rows}}</tbody>
        </table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        {{#next}}<p><a class="next" href="{{href}}">{{label}}</a></p>{{/next}}
        {{/content}}
        {{> foot}}
        """#

    /// The form of a new audit, its findings grouped a fieldset each (the shared `form` partial
    /// lists fields flat).
    static let newAudit = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <style nonce="{{nonce}}">{{> audits-style}}</style>
        <p>{{t.console.audits.new.about}} <a href="{{engagement.href}}">{{engagement.label}}</a></p>
        <p class="hint">{{t.console.audits.new.intro}}</p>
        {{#form}}
        <form method="post" action="{{action}}" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        {{#problem}}<div class="form-problem" role="alert"><p>{{.}}</p></div>{{/problem}}
        {{/form}}
        {{#head}}{{> field}}{{/head}}
        {{#rows}}<fieldset class="finding-row"><legend>{{legend}}</legend>
        {{#fields}}{{> field}}{{/fields}}
        </fieldset>{{/rows}}
        {{#tail}}{{> field}}{{/tail}}
        {{#form}}<button type="submit">{{submitLabel}}</button>
        </form>{{/form}}
        {{/content}}
        {{> foot}}
        """#

    static let audit = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <style nonce="{{nonce}}">{{> audits-style}}</style>
        <dl class="fields">
        <dt>{{t.console.audits.col.auditor}}</dt><dd>{{auditor}}</dd>
        <dt>{{t.console.audits.col.received}}</dt><dd>{{received}}</dd>
        <dt>{{t.console.audits.col.studio}}</dt><dd>{{studio}}</dd>
        <dt>{{t.console.audits.col.engagement}}</dt><dd><a href="{{engagement.href}}">{{engagement.label}}</a></dd>
        <dt>{{t.console.audits.col.status}}</dt><dd>{{status}}</dd>
        </dl>
        <p>{{summary}}</p>
        {{#letterHref}}<p><a class="button-link" href="{{.}}">{{t.console.audits.letter.open}}</a></p>{{/letterHref}}
        {{#.files}}{{> files-section}}{{/.files}}
        {{#findings}}
        <section class="finding" aria-labelledby="{{headingId}}" id="section-{{headingId}}">
        <h2 id="{{headingId}}">{{heading}}{{^constructive}} <span class="badge">{{t.console.audits.notConstructive}}</span>{{/constructive}}</h2>
        <p class="statement">{{statement}}</p>
        <dl class="fields">
        <dt>{{t.console.audits.col.severity}}</dt><dd>{{severity}}</dd>
        <dt>{{t.console.audits.col.category}}</dt><dd>{{category}}</dd>
        <dt>{{t.console.audits.col.proposal}}</dt><dd>{{#proposal}}{{.}}{{/proposal}}{{^proposal}}{{t.console.audits.noProposal}}{{/proposal}}</dd>
        </dl>
        <h3>{{t.console.audits.studioArguments}}</h3>
        {{#hasArguments}}<ul>{{#arguments}}<li><p>{{argument}}</p>
        <ul class="evidence">{{#evidence}}<li><a href="{{href}}" rel="noreferrer">{{label}}</a></li>{{/evidence}}</ul>
        <p class="meta">{{byline}}</p></li>{{/arguments}}</ul>{{/hasArguments}}
        {{^hasArguments}}<p class="none">{{t.console.audits.noArguments}}</p>{{/hasArguments}}
        <h3>{{t.console.audits.clubPosition}}</h3>
        {{#position}}<p class="position"><strong>{{position}}</strong></p><p>{{argument}}</p>
        {{#hasEvidence}}<ul class="evidence">{{#evidence}}<li><a href="{{href}}" rel="noreferrer">{{label}}</a></li>{{/evidence}}</ul>{{/hasEvidence}}
        <p class="meta">{{byline}}</p>{{/position}}
        {{^position}}<p class="none">{{t.console.audits.noPosition}}</p>{{/position}}
        {{#correction}}<h3>{{t.console.audits.correction}}</h3><p class="correction">{{text}}</p>
        {{#removed}}<p class="meta">{{t.console.audits.correction.removed}}</p>{{/removed}}
        <p><a href="{{href}}">{{t.console.audits.correction.link}}</a></p>{{/correction}}
        {{#form}}{{> form}}{{/form}}
        {{#.files}}{{> files-section}}{{/.files}}
        </section>
        {{/findings}}
        {{#showsAnswer}}
        <section aria-labelledby="answer-heading">
        <h2 id="answer-heading">{{t.console.audits.answer.title}}</h2>
        {{#missing}}<p>{{.}}</p>{{/missing}}
        {{#answerForm}}<p>{{t.console.audits.answer.intro}}</p>{{> form}}{{/answerForm}}
        {{#outcome}}<p><strong>{{t.console.audits.field.outcome}}:</strong> {{.}}</p>{{/outcome}}
        {{#closeForm}}{{> form}}{{/closeForm}}
        {{#letterHref}}<p><a class="button-link" href="{{.}}">{{t.console.audits.letter.open}}</a></p>{{/letterHref}}
        </section>
        {{/showsAnswer}}
        {{/content}}
        {{> foot}}
        """#

    static let letter = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{#content}}
        <style nonce="{{nonce}}">{{> audits-style}}</style>
        <p><a class="button-link" href="{{auditHref}}">{{t.console.audits.letter.back}}</a></p>
        {{#notYet}}<div class="notice" role="status"><p>{{t.console.audits.letter.notYet}}</p></div>{{/notYet}}
        {{^notYet}}
        <p class="hint">{{t.console.audits.letter.intro}}</p>
        <ul class="downloads">
        <li><a href="{{markdownHref}}" download>{{t.console.audits.letter.markdown}}</a></li>
        <li><a href="{{htmlHref}}" download>{{t.console.audits.letter.html}}</a></li>
        </ul>
        <article class="letter" aria-label="{{t.console.audits.letter.preview}}">
        {{{letterHTML}}}
        </article>
        {{/notYet}}
        {{/content}}
        {{> foot}}
        """#
}
