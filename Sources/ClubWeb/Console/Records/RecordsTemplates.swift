import Mustache

/// The templates of the records area, compiled into the binary like every console page.
enum RecordsTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(style, named: "records-style")
        try library.register(lessons, named: "lessons")
        try library.register(reports, named: "reports")
        try library.register(journal, named: "journal")
    }

    static let style = #"""
        .search-form { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin-bottom: 24px; }
        .search-form .field { margin: 0; flex: 1 1 220px; }
        .lessons { list-style: none; padding: 0; }
        .lessons li { border-bottom: 1px solid #b1b4b6; padding: 8px 0; }
        .lessons p { margin: 0 0 4px; }
        main a { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
        main li a, main dd a { overflow-wrap: anywhere; }
        th[aria-sort] a { text-decoration-thickness: 3px; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        th[scope=row] { font-weight: 600; }
        th a { overflow-wrap: normal; }
        .chart { display: block; width: 100%; max-width: 560px; height: auto; }
        .chart .bar { fill: #1d4f91; }
        .chart text { font: 15px system-ui, sans-serif; fill: #0b0c0c; }
        .chart text.count { font-weight: 700; }
        .result { border-left: 5px solid #00703c; padding: 4px 12px; margin: 16px 0; }
        .result.broken { border-left-color: #b10e1e; color: #b10e1e; font-weight: 600; }
        .result code { overflow-wrap: anywhere; }
        .club-score { font-size: 1.5rem; font-weight: 700; }
        """#

    static let lessons = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{#content}}
        <style nonce="{{nonce}}">{{> records-style}}</style>
        <form method="get" action="/lessons" class="search-form" role="search">
        <div class="field"><label for="q">{{t.console.records.lessons.search}}</label>
        <input id="q" name="q" type="search" class="text" value="{{query}}"></div>
        <button type="submit">{{t.console.records.lessons.button}}</button>
        </form>
        {{#searched}}<p role="status">{{found}}</p>{{/searched}}
        {{#hasRows}}<ul class="lessons">{{#rows}}
        <li><p>{{lesson}}</p><p class="meta"><a href="{{engagement.href}}">{{engagement.label}}</a> · {{recorded}}</p></li>
        {{/rows}}</ul>{{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        {{#next}}<p><a class="next" href="{{href}}">{{label}}</a></p>{{/next}}
        {{/content}}
        {{> foot}}
        """#

    static let reports = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{#content}}
        <style nonce="{{nonce}}">{{> records-style}}</style>
        <section aria-labelledby="scorecards-heading">
        <h2 id="scorecards-heading">{{t.console.records.scorecards.title}}</h2>
        <p class="hint">{{t.console.records.scorecards.hint}}</p>
        <p><a class="download" href="{{scorecardsCSV}}" download>{{t.console.records.scorecards.csv}}</a></p>
        {{#hasRows}}
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="scorecards-heading"><table>
        <thead><tr>{{#headers}}
        <th scope="col"{{#ariaSort}} aria-sort="{{.}}"{{/ariaSort}}><a href="{{href}}">{{label}}{{#arrow}}
        <span aria-hidden="true">{{.}}</span>{{/arrow}}</a></th>{{/headers}}</tr></thead>
        <tbody>{{#rows}}
        <tr><th scope="row"><a href="{{href}}">{{name}}</a></th>{{#cells}}<td class="number">{{.}}</td>{{/cells}}</tr>
        {{/rows}}</tbody>
        </table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        </section>
        {{#club}}
        <section aria-labelledby="club-heading">
        <h2 id="club-heading">{{t.console.records.club.title}}</h2>
        <p class="hint">{{t.console.records.club.hint}}</p>
        <p>{{period}}</p>
        <p class="club-score">{{score}}</p>
        <p>{{counts}}</p>
        {{#hasComments}}<ul class="lessons" aria-label="{{t.console.records.club.comments}}">{{#comments}}
        <li><p>{{comment}}</p><p class="meta">{{score}} · {{client}} · <a href="{{engagement.href}}">{{engagement.label}}</a>
        · {{occasion}} · {{given}}</p></li>
        {{/comments}}</ul>{{/hasComments}}
        </section>
        {{/club}}
        <section aria-labelledby="funnel-heading">
        <h2 id="funnel-heading">{{t.console.records.funnel.title}}</h2>
        <form method="get" action="/reports" class="search-form" aria-labelledby="funnel-heading">
        {{#fields}}{{> field}}{{/fields}}
        <button type="submit">{{t.console.records.funnel.button}}</button>
        </form>
        <p>{{period}}</p>
        <svg class="chart" role="img" aria-label="{{chartLabel}}" viewBox="0 0 {{chartWidth}} {{chartHeight}}" xmlns="http://www.w3.org/2000/svg">
        <title>{{chartLabel}}</title>
        {{#bars}}<g><text x="0" y="{{labelY}}">{{label}}</text><rect class="bar" x="0" y="{{barY}}" width="{{width}}" height="{{barHeight}}"></rect>
        <text x="{{countX}}" y="{{countY}}" class="count">{{count}}</text></g>
        {{/bars}}
        </svg>
        <p>{{conversion}}</p>
        <p><a class="download" href="{{funnelCSV}}" download>{{t.console.records.funnel.csv}}</a></p>
        </section>
        {{/content}}
        {{> foot}}
        """#

    static let journal = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{#content}}
        <style nonce="{{nonce}}">{{> records-style}}</style>
        <section aria-labelledby="verify-heading">
        <h2 id="verify-heading">{{t.console.records.journal.verifyTitle}}</h2>
        <p class="hint">{{t.console.records.journal.verifyHint}}</p>
        {{#verification}}<div class="result{{^intact}} broken{{/intact}}" role="status"><p>{{message}}</p>
        {{#head}}<p><code>{{.}}</code></p>{{/head}}</div>{{/verification}}
        {{#verifyForm}}{{> form}}{{/verifyForm}}
        </section>
        <section aria-labelledby="events-heading">
        <h2 id="events-heading">{{t.console.records.journal.events}}</h2>
        <form method="get" action="/journal" class="search-form" aria-label="{{t.console.records.journal.filter}}">
        {{#fields}}{{> field}}{{/fields}}
        <button type="submit">{{t.console.records.journal.filterButton}}</button>
        </form>
        {{#hasRows}}
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="events-heading"><table>
        <thead><tr><th scope="col">{{t.console.records.col.seq}}</th><th scope="col">{{t.console.records.col.at}}</th>
        <th scope="col">{{t.console.records.col.actor}}</th><th scope="col">{{t.console.records.col.entityType}}</th>
        <th scope="col">{{t.console.records.col.entityId}}</th><th scope="col">{{t.console.records.col.action}}</th></tr></thead>
        <tbody>{{#rows}}
        <tr><td class="number">{{seq}}</td><td>{{at}}</td><td>{{actor}}</td><td>{{entityType}}</td>
        <td>{{#href}}<a href="{{.}}">{{entityId}}</a>{{/href}}{{^href}}{{entityId}}{{/href}}</td><td>{{action}}</td></tr>
        {{/rows}}</tbody>
        </table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        {{#next}}<p><a class="next" href="{{href}}">{{label}}</a></p>{{/next}}
        </section>
        {{/content}}
        {{> foot}}
        """#
}
