import Mustache

/// The console's pages (DESIGN §9), compiled into the binary like the share page's. Every word is
/// a catalog text (`{{t.…}}` or a value the view filled from the catalog); every `{{value}}` is
/// HTML-escaped by Mustache. Style and script are inline with the response's nonce; nothing comes
/// from other hosts, and the pages work without the script (it only refreshes Today live).
enum ConsoleTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(head, named: "head")
        try library.register(foot, named: "foot")
        try library.register(errorSummary, named: "error-summary")
        try library.register(signIn, named: "sign-in")
        try library.register(invitation, named: "invitation")
        try library.register(sections, named: "sections")
        try library.register(home, named: "home")
        try library.register("{{> sections}}", named: "sections-part")
        try library.register(people, named: "people")
        try library.register(notice, named: "notice")
        try library.register(authenticator, named: "authenticator")
        try library.register(tokens, named: "tokens")
        try library.register(LanguageSwitch.template, named: "language-switch")
        try library.register(LanguageSwitch.style, named: "language-switch-style")
        try library.register(style, named: "console-style")
        try library.register(script, named: "today-script")
        try library.register(form, named: "form")
        try library.register(field, named: "field")
        try library.register(confirm, named: "confirm")
        try library.register(formProblem, named: "form-problem")
        try RequestsTemplates.register(in: &library)
        try StudiosTemplates.register(in: &library)
        try EngagementsTemplates.register(in: &library)
        try MediationTemplates.register(in: &library)
        try AuditsTemplates.register(in: &library)
        try StudioDeskTemplates.register(in: &library)
        try RecordsTemplates.register(in: &library)
        try NoticesTemplates.register(in: &library)
        try SettingsTemplates.register(in: &library)
        try ClientRequestTemplates.register(in: &library)
        try FilesTemplates.register(in: &library)
        return library
    }

    static let head = #"""
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}} · clubd</title>
        <style nonce="{{nonce}}">
        {{> console-style}}
        {{> language-switch-style}}
        </style>
        </head>
        <body>
        <header class="top"><div class="wrap">
        {{#shell}}
        <nav class="sections" aria-label="{{t.console.nav.label}}"><ul>
        {{#links}}<li><a href="{{href}}"{{#isCurrent}} aria-current="page"{{/isCurrent}}>{{label}}{{#badge}}
         <span class="badge" aria-hidden="true">{{.}}</span><span class="hidden">({{badgeLabel}})</span>{{/badge}}</a></li>{{/links}}
        </ul></nav>
        <p class="who">{{personName}}</p>
        <nav class="account" aria-label="{{t.console.nav.account}}"><ul>
        {{#accountLinks}}<li><a href="{{href}}"{{#isCurrent}} aria-current="page"{{/isCurrent}}>{{label}}</a></li>{{/accountLinks}}
        </ul></nav>
        <form class="sign-out" method="post" action="/sign-out"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="secondary">{{t.console.signOut}}</button></form>
        {{/shell}}
        {{> language-switch}}
        </div></header>
        <main class="wrap" id="main">

        """#

    static let foot = #"""
        </main>
        </body>
        </html>
        """#

    static let errorSummary = #"""
        {{#hasErrors}}
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
        <h2 id="error-summary-title">{{t.console.errors.title}}</h2>
        <ul>{{#errors}}<li><a href="#{{field}}">{{message}}</a></li>{{/errors}}</ul>
        </div>
        {{/hasErrors}}

        """#

    static let signIn = #"""
        {{> head}}
        <h1>{{t.console.signIn.title}}</h1>
        {{#welcome}}<div class="notice" role="status"><p>{{t.console.signIn.welcome}}</p></div>{{/welcome}}
        {{> error-summary}}
        <form method="post" action="/sign-in" novalidate>
        <div class="field{{#emailError}} has-error{{/emailError}}">
        <label for="email">{{t.console.field.email}}</label>
        {{#emailError}}<p class="error-message" id="email-error">{{.}}</p>{{/emailError}}
        <input id="email" name="email" type="email" autocomplete="username" spellcheck="false" value="{{email}}"
        {{#emailError}} aria-describedby="email-error" aria-invalid="true"{{/emailError}}>
        </div>
        <div class="field">
        <label for="password">{{t.console.field.password}}</label>
        <input id="password" name="password" type="password" autocomplete="current-password">
        </div>
        <div class="field">
        <label for="code">{{t.console.field.code}}</label>
        <p class="hint" id="code-hint">{{t.console.signIn.codeHint}}</p>
        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" aria-describedby="code-hint" class="code">
        </div>
        <button type="submit">{{t.console.signIn.button}}</button>
        </form>
        {{> foot}}
        """#

    static let invitation = #"""
        {{> head}}
        <h1>{{t.console.invitation.title}}</h1>
        <p>{{greeting}}</p>
        {{> error-summary}}
        <form method="post" action="{{action}}" novalidate>
        <div class="field{{#passwordError}} has-error{{/passwordError}}">
        <label for="password">{{t.console.field.password}}</label>
        <p class="hint" id="password-hint">{{t.console.invitation.hint}}</p>
        {{#passwordError}}<p class="error-message" id="password-error">{{.}}</p>{{/passwordError}}
        <input id="password" name="password" type="password" autocomplete="new-password"
         aria-describedby="password-hint{{#passwordError}} password-error{{/passwordError}}"{{#passwordError}} aria-invalid="true"{{/passwordError}}>
        </div>
        <div class="field{{#repeatError}} has-error{{/repeatError}}">
        <label for="repeat">{{t.console.field.repeat}}</label>
        {{#repeatError}}<p class="error-message" id="repeat-error">{{.}}</p>{{/repeatError}}
        <input id="repeat" name="repeat" type="password" autocomplete="new-password"
        {{#repeatError}} aria-describedby="repeat-error" aria-invalid="true"{{/repeatError}}>
        </div>
        <button type="submit">{{t.console.invitation.button}}</button>
        </form>
        {{> foot}}
        """#

    /// The sections of Today and of a studio's or client's home; the live script swaps this
    /// element for the one of a freshly fetched page.
    static let sections = #"""
        <div id="sections">
        {{#sections}}
        <section aria-labelledby="section-{{id}}">
        <h2 id="section-{{id}}">{{title}} <span class="count">{{count}}</span></h2>
        {{#hasLines}}<ul class="lines">{{#lines}}
        <li>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}
        {{#note}}<span class="note">— {{.}}</span>{{/note}}</li>{{/lines}}
        </ul>{{/hasLines}}
        {{^hasLines}}<p class="none">{{t.console.none}}</p>{{/hasLines}}
        </section>
        {{/sections}}
        </div>

        """#

    static let home = #"""
        {{> head}}
        <h1>{{title}}</h1>
        <p class="meta">{{asOf}}</p>
        {{#askToEnrol}}<div class="notice"><p><a href="/account/authenticator">{{t.console.totp.ask}}</a></p></div>{{/askToEnrol}}
        {{> sections}}
        {{#live}}<p id="live-notice" class="live-notice" role="status" data-stopped="{{t.console.live.stopped}}"></p>
        <script nonce="{{nonce}}">
        {{> today-script}}
        </script>{{/live}}
        {{> foot}}
        """#

    /// People and their invitations (`PeoplePageView`, built in the studios area).
    static let people = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> studios-style}}</style>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        {{#canInvite}}<p><a class="button-link" href="/people/new">{{t.console.peoplePages.invite}}</a></p>{{/canInvite}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{title}}"><table>
        <thead><tr><th scope="col">{{t.console.people.name}}</th><th scope="col">{{t.console.field.email}}</th>
        <th scope="col">{{t.console.people.role}}</th><th scope="col">{{t.console.people.status}}</th>
        <th scope="col">{{t.console.peoplePages.invitation.column}}</th>
        <th scope="col"><span class="hidden">{{t.console.peoplePages.actions}}</span></th></tr></thead>
        <tbody>{{#rows}}
        <tr id="{{id}}"><td>{{name}}</td><td>{{email}}</td><td>{{role}}</td><td>{{status}}</td><td>{{invitation}}</td>
        <td>{{#actions}}<form method="post" action="{{action}}" class="row-action">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        <button type="submit" class="{{#destructive}}warning{{/destructive}}{{^destructive}}secondary{{/destructive}}"
         aria-label="{{accessibleLabel}}">{{label}}</button></form>{{/actions}}</td></tr>{{/rows}}
        </tbody>
        </table></div>
        {{/content}}
        {{> foot}}
        """#

    static let notice = #"""
        {{> head}}
        <h1>{{title}}</h1>
        <p>{{message}}</p>
        {{#link}}<p><a href="{{href}}">{{label}}</a></p>{{/link}}
        {{> foot}}
        """#

    static let authenticator = #"""
        {{> head}}
        <h1>{{title}}</h1>
        <p>{{t.console.totp.intro}}</p>
        <p class="app-link"><a href="{{authenticatorURL}}">{{t.console.totp.link}}</a></p>
        <p>{{t.console.totp.key}} <code class="key">{{typedSecret}}</code></p>
        {{> error-summary}}
        <form method="post" action="/account/authenticator" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="secret" value="{{secret}}">
        <div class="field{{#codeError}} has-error{{/codeError}}">
        <label for="code">{{t.console.field.code}}</label>
        {{#codeError}}<p class="error-message" id="code-error">{{.}}</p>{{/codeError}}
        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" class="code"
        {{#codeError}} aria-describedby="code-error" aria-invalid="true"{{/codeError}}>
        </div>
        <button type="submit">{{t.console.totp.button}}</button>
        </form>
        {{> foot}}
        """#

    static let tokens = #"""
        {{> head}}
        <h1>{{title}}</h1>
        <p>{{t.console.tokens.intro}}</p>
        {{#newSecret}}<div class="notice" role="status"><p>{{t.console.tokens.shownOnce}}</p>
        <p><code class="key" id="new-token">{{.}}</code></p></div>{{/newSecret}}
        {{> error-summary}}
        <form method="post" action="/account/tokens" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field{{#nameError}} has-error{{/nameError}}">
        <label for="name">{{t.console.tokens.name}}</label>
        {{#nameError}}<p class="error-message" id="name-error">{{.}}</p>{{/nameError}}
        <input id="name" name="name" type="text" class="text" maxlength="100"
        {{#nameError}} aria-describedby="name-error" aria-invalid="true"{{/nameError}}>
        </div>
        <button type="submit">{{t.console.tokens.create}}</button>
        </form>
        <h2>{{t.console.tokens.yours}}</h2>
        {{#hasTokens}}
        <div class="table-wrap" tabindex="0"><table>
        <thead><tr><th scope="col">{{t.console.tokens.name}}</th><th scope="col">{{t.console.tokens.created}}</th>
        <th scope="col">{{t.console.people.status}}</th><th scope="col"><span class="hidden">{{t.console.tokens.revoke}}</span></th></tr></thead>
        <tbody>{{#tokenRows}}
        <tr><td>{{name}}</td><td>{{created}}</td><td>{{status}}</td>
        <td>{{#active}}<form method="post" action="/account/tokens/{{id}}/revoke"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="secondary" aria-label="{{revokeLabel}}">{{t.console.tokens.revoke}}</button></form>{{/active}}</td></tr>
        {{/tokenRows}}
        </tbody>
        </table></div>
        {{/hasTokens}}
        {{^hasTokens}}<p class="none">{{t.console.none}}</p>{{/hasTokens}}
        {{> foot}}
        """#

    /// A console form (`FormView`): the CSRF token and the once-only key, hidden values, each
    /// field, a problem of the whole form at its top, and one button.
    static let form = #"""
        <form method="post" action="{{action}}" novalidate{{#labelledBy}} aria-labelledby="{{.}}"{{/labelledBy}}>
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
        {{#problem}}<div class="form-problem" role="alert"><p>{{.}}</p></div>{{/problem}}
        {{#fields}}{{> field}}{{/fields}}
        <button type="submit" class="{{#secondary}}secondary{{/secondary}}{{#destructive}}warning{{/destructive}}">{{submitLabel}}</button>
        </form>

        """#

    /// One `InputField`: label, hint, error message, the input, and what the person typed when
    /// someone else changed the object meanwhile.
    static let field = #"""
        {{#isGroup}}
        <div class="field{{#error}} has-error{{/error}}" id="{{id}}">
        <fieldset{{#hint}} aria-describedby="{{id}}-hint"{{/hint}}><legend>{{label}}</legend>
        {{#hint}}<p class="hint" id="{{id}}-hint">{{.}}</p>{{/hint}}
        {{#error}}<p class="error-message" id="{{id}}-error">{{.}}</p>{{/error}}
        <div class="choices">{{#options}}<div class="choice">
        <input type="{{#isRadios}}radio{{/isRadios}}{{^isRadios}}checkbox{{/isRadios}}"
         id="{{id}}" name="{{name}}" value="{{value}}"{{#selected}} checked{{/selected}}>
        <label for="{{id}}">{{label}}</label></div>{{/options}}</div>
        </fieldset>
        {{#yours}}<p class="yours">{{t.console.conflict.yours}} {{.}}</p>{{/yours}}
        </div>
        {{/isGroup}}
        {{#isCheckbox}}
        <div class="field choice{{#error}} has-error{{/error}}">
        {{#error}}<p class="error-message" id="{{id}}-error">{{.}}</p>{{/error}}
        <input type="checkbox" id="{{id}}" name="{{name}}" value="on"{{#checked}} checked{{/checked}}>
        <label for="{{id}}">{{label}}</label>
        {{#hint}}<p class="hint" id="{{id}}-hint">{{.}}</p>{{/hint}}
        </div>
        {{/isCheckbox}}
        {{^isGroup}}{{^isCheckbox}}
        <div class="field{{#error}} has-error{{/error}}">
        <label for="{{id}}">{{label}}</label>
        {{#hint}}<p class="hint" id="{{id}}-hint">{{.}}</p>{{/hint}}
        {{#error}}<p class="error-message" id="{{id}}-error">{{.}}</p>{{/error}}
        {{#isTextarea}}<textarea id="{{id}}" name="{{name}}" rows="4"{{#required}} required{{/required}}
        {{#error}} aria-invalid="true"{{/error}}
         aria-describedby="{{#hint}}{{id}}-hint {{/hint}}{{#error}}{{id}}-error{{/error}}">{{value}}</textarea>{{/isTextarea}}
        {{#isSelect}}<select id="{{id}}" name="{{name}}"{{#error}} aria-invalid="true"{{/error}}
         aria-describedby="{{#hint}}{{id}}-hint {{/hint}}{{#error}}{{id}}-error{{/error}}">
        {{#options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/options}}</select>{{/isSelect}}
        {{^isTextarea}}{{^isSelect}}<input id="{{id}}" name="{{name}}" value="{{value}}" class="text"
         {{#isNumber}}inputmode="numeric" {{/isNumber}}
         type="{{#isText}}text{{/isText}}{{#isEmail}}email{{/isEmail}}{{#isNumber}}text{{/isNumber}}{{! a comment breaks the line
         }}{{#isDate}}date{{/isDate}}{{#isDateTime}}datetime-local{{/isDateTime}}"
        {{#required}} required{{/required}}{{#error}} aria-invalid="true"{{/error}}
         aria-describedby="{{#hint}}{{id}}-hint {{/hint}}{{#error}}{{id}}-error{{/error}}">{{/isSelect}}{{/isTextarea}}
        {{#yours}}<p class="yours">{{t.console.conflict.yours}} {{.}}</p>{{/yours}}
        </div>
        {{/isCheckbox}}{{/isGroup}}

        """#

    /// A problem of the form that was sent, at the top of its page.
    static let formProblem = #"""
        {{#formProblem}}<div class="error-summary" role="alert" tabindex="-1"><h2>{{t.console.errors.title}}</h2><p>{{.}}</p></div>{{/formProblem}}

        """#

    /// "Are you sure?": the destructive form's values carried to a confirming button.
    static let confirm = #"""
        {{> head}}
        {{#confirmation}}
        <h1>{{question}}</h1>
        <div class="warning-text"><p>{{consequence}}</p></div>
        <form method="post" action="{{action}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
        <button type="submit" class="warning">{{confirmLabel}}</button>
        <a class="back" href="{{back}}">{{backLabel}}</a>
        </form>
        {{/confirmation}}
        {{> foot}}
        """#

    static let style = #"""
        *, *::before, *::after { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #0b0c0c; background: #fff; }
        .wrap { max-width: 960px; margin: 0 auto; padding: 0 16px; }
        header.top { background: #0b0c0c; color: #fff; padding: 8px 0; margin-bottom: 24px; }
        header.top .wrap { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
        header.top a { color: #fff; }
        .sections { flex-basis: 100%; }
        .account ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
        .account a { display: inline-flex; align-items: center; min-height: 44px; }
        .account a[aria-current] { text-decoration-thickness: 3px; }
        .sections ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
        .sections a { display: inline-flex; align-items: center; min-height: 44px; font-weight: 600; }
        .sections a[aria-current] { text-decoration-thickness: 3px; }
        .badge { display: inline-block; min-width: 1.5em; margin-left: 6px; padding: 0 6px; border-radius: 12px;
          background: #d4351c; color: #fff; font-size: 15px; line-height: 1.6; text-align: center; }
        .who { margin: 0 0 0 auto; }
        .sign-out { margin: 0; }
        h1 { font-size: 32px; line-height: 1.2; margin: 0 0 16px; }
        h2 { font-size: 22px; margin: 24px 0 8px; }
        .count { font-size: 16px; font-weight: 400; color: #484949; }
        .meta, .none, .hint, .note { color: #484949; }
        a { color: #1d4f91; }
        a:focus, button:focus, input:focus { outline: 3px solid #ffbf47; outline-offset: 0; }
        .field { margin: 0 0 20px; }
        .field.has-error { border-left: 5px solid #b10e1e; padding-left: 12px; }
        label { display: block; font-weight: 600; margin-bottom: 4px; }
        code.key { font-size: 18px; letter-spacing: 1px; }
        .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        input[type=email], input[type=password], input.code, input.text { width: 100%; max-width: 420px; min-height: 44px; padding: 6px 8px;
          font: inherit; border: 2px solid #0b0c0c; }
        input.code { max-width: 160px; }
        .error-message { color: #b10e1e; font-weight: 600; margin: 0 0 4px; }
        .error-summary { border: 5px solid #b10e1e; padding: 12px 16px; margin-bottom: 24px; }
        .error-summary h2 { margin-top: 0; }
        .error-summary a { color: #b10e1e; font-weight: 600; }
        .notice { border-left: 5px solid #00703c; padding: 4px 12px; margin-bottom: 24px; }
        .live-notice { border-left: 5px solid #b10e1e; padding: 4px 12px; margin-bottom: 24px; font-weight: 600; }
        .live-notice:empty { display: none; }
        button { min-height: 44px; padding: 8px 16px; font: inherit; font-weight: 600; color: #fff; background: #00703c;
          border: 0; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
        button.secondary { color: #0b0c0c; background: #f3f2f1; box-shadow: 0 2px 0 #929191; }
        .lines { padding-left: 20px; }
        .lines li { margin: 4px 0; }
        .lines a, .notice a, .error-summary a, .app-link a { display: inline-block; min-height: 44px; padding: 10px 0; }
        table { border-collapse: collapse; width: 100%; }
        /* A wide table scrolls inside its box on a phone; the page itself never scrolls sideways. */
        .table-wrap { overflow-x: auto; }
        td { overflow-wrap: break-word; }
        th, td { text-align: left; padding: 8px; border-bottom: 1px solid #b1b4b6; }
        dl.fields { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 4px 16px; }
        dl.fields dt { font-weight: 600; }
        dl.fields dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
        @media (max-width: 600px) { dl.fields { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.fields dd { margin-bottom: 8px; } }
        /* A narrow screen reads a `stack` table's rows as short blocks, one cell under another. */
        @media (max-width: 600px) {
          table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
          table.stack tr { display: block; padding: 8px 0; border-bottom: 1px solid #b1b4b6; }
          table.stack td { display: block; border: 0; padding: 0; }
        }
        input.text, textarea, select { width: 100%; max-width: 640px; min-height: 44px; padding: 6px 8px; font: inherit;
          border: 2px solid #0b0c0c; background: #fff; }
        input[type=date], input[type=datetime-local] { max-width: 240px; }
        select:focus, textarea:focus { outline: 3px solid #ffbf47; outline-offset: 0; }
        fieldset { border: 0; margin: 0; padding: 0; }
        legend { font-weight: 600; margin-bottom: 4px; }
        .choices { display: flex; flex-wrap: wrap; gap: 4px 24px; }
        .choice { display: flex; align-items: center; gap: 8px; min-height: 44px; }
        .choice input { width: 24px; height: 24px; margin: 0; }
        .choice label { margin: 0; font-weight: 400; display: inline-flex; align-items: center; min-height: 44px; }
        .yours { background: #fff7bf; padding: 4px 8px; margin: 4px 0 0; max-width: 640px; }
        .form-problem { border-left: 5px solid #b10e1e; padding: 4px 12px; margin-bottom: 16px; color: #b10e1e; font-weight: 600; }
        button.warning { background: #b10e1e; box-shadow: 0 2px 0 #55050c; }
        .warning-text { border-left: 5px solid #b10e1e; padding: 4px 12px; margin-bottom: 16px; font-weight: 600; }
        a.back { display: inline-block; min-height: 44px; padding: 10px 16px; }
        """#

    /// Today live: on every `refresh` event the page fetches its sections alone (`?part=sections`:
    /// a whole page would bring styles with another response's nonce, which the CSP reports) and
    /// swaps them in. A stream refused (429, 503) or ended for good closes the EventSource: the
    /// status line says the page no longer updates itself (`data-stopped`, a catalog text).
    static let script = #"""
        (function () {
          if (!window.EventSource || !window.fetch || !window.DOMParser) return;
          var source = new EventSource('/today/events');
          source.addEventListener('error', function () {
            var notice = document.getElementById('live-notice');
            if (notice && source.readyState === EventSource.CLOSED) notice.textContent = notice.getAttribute('data-stopped');
          });
          source.addEventListener('refresh', function () {
            fetch(window.location.pathname + '?part=sections', { credentials: 'same-origin' }).then(function (response) {
              if (!response.ok) return null;
              return response.text();
            }).then(function (text) {
              if (!text) return;
              var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('sections');
              var current = document.getElementById('sections');
              if (fresh && current) current.replaceWith(fresh);
            });
          });
        })();
        """#
}
