import Mustache

/// The templates of the requests area, compiled into the binary like every console page.
enum RequestsTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(inbox, named: "requests-inbox")
        try library.register(newRequest, named: "requests-new")
        try library.register(requestPage, named: "request-page")
        try library.register(style, named: "requests-style")
        try library.register(script, named: "requests-script")
    }

    static let inbox = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> requests-style}}</style>
        <h1>{{title}}</h1>
        {{#content}}
        {{#canRegister}}<p><a class="button-link" href="/requests/new">{{t.console.requests.register}}</a></p>{{/canRegister}}
        <form method="get" action="/requests" class="filters" aria-labelledby="filters-title">
        <h2 id="filters-title">{{t.console.requests.filter.title}}</h2>
        <div class="filter-fields">{{#filterFields}}{{> field}}{{/filterFields}}</div>
        <button type="submit" class="secondary">{{t.console.requests.filter.button}}</button>
        </form>
        {{#hasRows}}
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.requests.table}}"><table class="inbox">
        <thead><tr><th scope="col">{{t.console.requests.field.statedAsk}}</th><th scope="col">{{t.console.requests.field.client}}</th>
        <th scope="col">{{t.console.requests.field.state}}</th><th scope="col">{{t.console.requests.field.deadline}}</th>
        <th scope="col">{{t.console.requests.field.age}}</th></tr></thead>
        <tbody>{{#rows}}
        <tr><td><a href="{{href}}">{{statedAsk}}</a></td><td>{{client}}</td>
        <td>{{state}}{{#rush}} <strong class="rush-marker">{{t.console.requests.rush.marker}}</strong>{{/rush}}</td>
        <td>{{deadline}}</td><td>{{age}}</td></tr>{{/rows}}
        </tbody></table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.none}}</p>{{/hasRows}}
        {{#nextHref}}<p><a class="next" href="{{.}}" rel="next">{{t.console.requests.next}}</a></p>{{/nextHref}}
        {{/content}}
        {{> foot}}
        """#

    static let newRequest = #"""
        {{> head}}
        <p><a class="back" href="/requests">{{t.console.requests.back}}</a></p>
        <h1 id="page-title">{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        {{#form}}{{> form}}{{/form}}
        {{^hasClients}}<p>{{t.console.requests.new.noClients}}</p>{{/hasClients}}
        {{/content}}
        {{> foot}}
        """#

    static let requestPage = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> requests-style}}</style>
        <p><a class="back" href="/requests">{{t.console.requests.back}}</a></p>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <p class="state">{{t.console.requests.field.state}}: <strong>{{state}}</strong></p>
        {{#closing}}<div class="notice"><p>{{.}}</p></div>{{/closing}}
        {{#rush}}<div class="rush-banner" role="note" aria-labelledby="rush-title">
        <h2 id="rush-title">{{t.console.requests.rush.title}}</h2><p>{{rushText}}</p></div>{{/rush}}
        <div class="side-by-side">
        <section aria-labelledby="client-words">
        <h2 id="client-words">{{t.console.requests.clientWords}}</h2>
        <h3>{{t.console.requests.field.statedAsk}}</h3><p class="quote">{{statedAsk}}</p>
        <h3>{{t.console.requests.field.businessGoal}}</h3><p class="quote">{{businessGoal}}</p>
        <dl class="fields facts">{{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        </section>
        <section aria-labelledby="reframe-title">
        <h2 id="reframe-title">{{t.console.requests.reframe.title}}</h2>
        {{#reframeForm}}{{> form}}{{/reframeForm}}
        {{^reframeForm}}<dl class="fields facts">{{#reframing}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/reframing}}</dl>{{/reframeForm}}
        </section>
        </div>
        {{#showShared}}<section id="shared" aria-labelledby="shared-title">
        <h2 id="shared-title">{{t.console.requests.shared.title}}</h2>
        {{#hasShared}}<dl class="fields facts">{{#shared}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/shared}}</dl>{{/hasShared}}
        {{^hasShared}}<p>{{t.console.requests.shared.missing}}</p>{{/hasShared}}
        {{#sharedForm}}{{> form}}{{/sharedForm}}
        </section>{{/showShared}}
        <section id="shortlist" aria-labelledby="shortlist-title">
        <h2 id="shortlist-title">{{t.console.requests.shortlist.title}}</h2>
        {{#shortlistNote}}<p class="none">{{.}}</p>{{/shortlistNote}}
        {{#shortlistForm}}<h3 id="shortlist-form-title">{{t.console.requests.shortlist.formTitle}}</h3>{{> form}}{{/shortlistForm}}
        {{#shortlist}}
        <h3>{{t.console.requests.shortlist.latest}}</h3>
        <p class="meta">{{made}}</p>
        <p>{{t.console.requests.shortlist.scope}} {{scope}}</p>
        {{#excluded}}<p>{{t.console.requests.shortlist.excluded}} {{.}}</p>{{/excluded}}
        {{#hasCandidates}}<ol class="candidates">{{#candidates}}
        <li class="candidate" aria-labelledby="candidate-{{id}}">
        <h4 id="candidate-{{id}}">{{rank}}. {{name}} — {{t.console.requests.candidate.score}} {{score}}</h4>
        <p>{{t.console.requests.candidate.covers}} {{covers}}. {{capacity}}</p>
        <table class="breakdown"><caption>{{t.console.requests.candidate.breakdown}}</caption>
        <tbody>{{#parts}}<tr><th scope="row"><span id="{{id}}">{{label}}</span> <span class="weight">({{weight}})</span></th>
        <td class="bar"><meter aria-labelledby="{{id}}" min="0" max="1" value="{{value}}">{{shown}}</meter></td>
        <td class="value">{{shown}}</td></tr>{{/parts}}</tbody></table>
        <h5>{{t.console.requests.candidate.scorecard}}</h5>
        <dl class="fields facts scorecard">{{#scorecard}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/scorecard}}</dl>
        </li>{{/candidates}}</ol>{{/hasCandidates}}
        {{^hasCandidates}}<p class="none">{{t.console.requests.shortlist.empty}}</p>{{/hasCandidates}}
        {{/shortlist}}
        {{#offerForm}}<h3 id="offer-title">{{t.console.requests.offer.title}}</h3>{{> form}}{{/offerForm}}
        </section>
        <section id="referrals" aria-labelledby="referrals-title" data-page="/requests/{{id}}">
        <h2 id="referrals-title">{{t.console.requests.referrals.title}}</h2>
        {{#hasReferrals}}<ul class="referrals">{{#referrals}}
        <li class="referral"><h3>{{studio}}: {{state}}</h3>
        <p class="meta">{{offered}}</p>
        {{#isOpen}}<p>{{dueText}} — <strong class="countdown" data-due="{{due}}" data-left="{{leftTemplate}}"
         data-overdue="{{overdueText}}">{{left}}</strong></p>{{/isOpen}}
        {{#note}}<p>{{t.console.requests.referral.note}} {{.}}</p>{{/note}}
        {{#reason}}<p>{{.}}</p>{{/reason}}
        {{#handedFrom}}<p>{{.}}</p>{{/handedFrom}}
        {{#handedTo}}<p><strong>{{.}}</strong></p>{{/handedTo}}
        {{#recommendation}}<p>{{t.console.requests.referral.recommendation}} {{.}}</p>{{/recommendation}}
        {{#recommendForm}}<h4 id="recommend-{{id}}">{{t.console.requests.recommend.title}}</h4>{{> form}}{{/recommendForm}}
        {{#engagementForm}}<h4 id="engagement-{{id}}">{{engagementHeading}}</h4>{{> form}}{{/engagementForm}}
        </li>{{/referrals}}</ul>{{/hasReferrals}}
        {{^hasReferrals}}<p class="none">{{t.console.none}}</p>{{/hasReferrals}}
        {{#hasEngagements}}<h3>{{t.console.requests.engagements.title}}</h3>
        <ul class="lines">{{#engagements}}<li><a href="{{href}}">{{text}}</a></li>{{/engagements}}</ul>{{/hasEngagements}}
        </section>
        {{#closeForm}}<section aria-labelledby="close-title">
        <h2 id="close-title">{{t.console.requests.close.title}}</h2>
        {{> form}}
        </section>{{/closeForm}}
        {{#live}}<p id="live-notice" class="live-notice" role="status" data-stopped="{{t.console.live.stopped}}"></p>
        <script nonce="{{nonce}}">
        {{> requests-script}}
        </script>{{/live}}
        {{/content}}
        {{> foot}}
        """#

    static let style = #"""
        .button-link { display: inline-flex; align-items: center; min-height: 44px; padding: 8px 16px; font-weight: 600; color: #fff;
          background: #00703c; box-shadow: 0 2px 0 #002d18; text-decoration: none; }
        .button-link:focus, a.next:focus, a.back:focus { outline: 3px solid #ffbf47; }
        table.inbox td a { display: inline-block; min-height: 44px; padding: 10px 0; }
        a.next { display: inline-block; min-height: 44px; padding: 10px 0; }
        a.back { padding-left: 0; }
        .filters { border: 1px solid #b1b4b6; padding: 8px 16px 16px; margin-bottom: 24px; }
        .filters h2 { margin-top: 8px; }
        .filter-fields { display: flex; flex-wrap: wrap; gap: 0 24px; }
        .filter-fields .field { flex: 1 1 200px; margin-bottom: 12px; }
        .rush-marker { color: #fff; background: #b10e1e; padding: 0 6px; white-space: nowrap; }
        .rush-banner { border: 5px solid #b10e1e; padding: 8px 16px; margin-bottom: 24px; }
        .rush-banner h2 { margin-top: 0; color: #b10e1e; }
        .side-by-side { display: grid; grid-template-columns: 1fr; gap: 0 32px; }
        @media (min-width: 800px) { .side-by-side { grid-template-columns: 1fr 1fr; } }
        .side-by-side section { min-width: 0; }
        .quote { border-left: 5px solid #b1b4b6; padding: 4px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
        h3 { font-size: 19px; margin: 16px 0 8px; }
        h4 { font-size: 18px; margin: 0 0 8px; }
        h5 { font-size: 16px; margin: 12px 0 4px; }
        .candidates, .referrals { list-style: none; padding: 0; }
        .candidate, .referral { border: 1px solid #b1b4b6; padding: 12px 16px; margin-bottom: 16px; }
        .referral h3 { margin-top: 0; }
        table.breakdown caption { text-align: left; font-weight: 600; padding: 4px 0; }
        table.breakdown th, table.breakdown td { padding: 4px 8px; }
        table.breakdown th { font-weight: 400; }
        table.breakdown { table-layout: fixed; }
        table.breakdown th { width: 50%; }
        table.breakdown td.bar { width: 35%; }
        table.breakdown meter { width: 100%; height: 20px; }
        table.breakdown .weight { color: #484949; font-size: 14px; }
        table.breakdown .value { white-space: nowrap; font-weight: 600; }
        dl.scorecard { margin: 0; }
        dl.facts { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
        @media (max-width: 600px) { dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.facts dd { margin-bottom: 8px; } }
        #size, #budget { max-width: 200px; }
        .countdown { white-space: nowrap; }
        /* The label takes the tap of its small checkbox or radio: it is the 44 px target. */
        .choice label { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
        """#

    /// The referral countdowns: each `data-due` moment becomes the time left, every 30 s; when the
    /// club's data change (`/today/events`), the page fetches itself and swaps its referrals.
    static let script = #"""
        (function () {
          function tick() {
            var now = Date.now();
            var items = document.querySelectorAll('[data-due]');
            for (var i = 0; i < items.length; i++) {
              var item = items[i];
              var left = Math.max(0, Math.floor((Date.parse(item.getAttribute('data-due')) - now) / 1000));
              item.textContent = left === 0 ? item.getAttribute('data-overdue') : item.getAttribute('data-left')
                .replace('{hours}', String(Math.floor(left / 3600))).replace('{minutes}', String(Math.floor((left % 3600) / 60)));
            }
          }
          tick();
          setInterval(tick, 30000);
          if (!window.EventSource || !window.fetch || !window.DOMParser) return;
          var source = new EventSource('/today/events');
          source.addEventListener('error', function () {
            // Refused (429, 503) or ended for good: the status line says live updates stopped.
            var notice = document.getElementById('live-notice');
            if (notice && source.readyState === EventSource.CLOSED) notice.textContent = notice.getAttribute('data-stopped');
          });
          source.addEventListener('refresh', function () {
            // The request's own page: after a refused form this page's address is the form's.
            var section = document.getElementById('referrals');
            if (!section) return;
            fetch(section.getAttribute('data-page'), { credentials: 'same-origin' }).then(function (response) {
              if (!response.ok) return null;
              return response.text();
            }).then(function (text) {
              // Only the section is parsed: the page's own style elements, parsed too, would
              // break this page's Content-Security-Policy (their nonce is another response's).
              var start = text ? text.indexOf('<section id="referrals"') : -1;
              var end = start < 0 ? -1 : text.indexOf('</section>', start);
              if (end < 0) return;
              var fresh = new DOMParser().parseFromString(text.slice(start, end + 10), 'text/html').getElementById('referrals');
              var current = document.getElementById('referrals');
              if (fresh && current) { current.replaceWith(fresh); tick(); }
            });
          });
        })();
        """#
}
