import Mustache

/// The templates of the mediation area (fix lists, complaints), compiled into the binary.
enum MediationTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(style, named: "mediation-style")
        try library.register(fixListNew, named: "mediation-fix-list-new")
        try library.register(fixList, named: "mediation-fix-list")
        try library.register(fixListLive, named: "mediation-fix-list-live")
        try library.register("{{#content}}{{> mediation-fix-list-live}}{{/content}}", named: "mediation-fix-list-part")
        try library.register(fixItem, named: "mediation-fix-item")
        try library.register(itemRow, named: "mediation-item-row")
        try library.register(liveScript, named: "mediation-live-script")
        try library.register(ComplaintTemplates.complaintNew, named: "mediation-complaint-new")
        try library.register(ComplaintTemplates.complaint, named: "mediation-complaint")
    }

    static let style = #"""
        .mediation .state { font-size: 20px; font-weight: 600; margin: 0 0 8px; }
        .mediation .summary { margin: 0 0 16px; color: #484949; }
        .mediation ol.items { list-style: none; padding: 0; margin: 0; }
        .mediation ol.items > li { border-top: 1px solid #b1b4b6; padding: 12px 0; }
        .mediation ol.rounds, .mediation ul.comments { padding-left: 1.25em; }
        .mediation .item-head { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
        .mediation .item-head h3 { margin: 0; font-size: 18px; overflow-wrap: anywhere; }
        .mediation .struck h3 { text-decoration: line-through; text-decoration-thickness: 2px; }
        .mediation .tag { display: inline-block; padding: 0 8px; border: 2px solid #0b0c0c; font-size: 14px; font-weight: 600; }
        .mediation .tag.done { border-color: #00703c; color: #00703c; }
        .mediation .tag.late { border-color: #b10e1e; color: #b10e1e; }
        .mediation .tag.pending { border-color: #1d4f91; color: #1d4f91; }
        .mediation .item-body p { margin: 4px 0; overflow-wrap: anywhere; }
        .mediation .item-link { display: inline-block; min-height: 44px; padding: 10px 0; }
        .mediation ul.plain { padding-left: 20px; }
        .mediation .confirmations { display: grid; grid-template-columns: minmax(80px, max-content) 1fr; gap: 4px 16px; }
        .mediation .confirmations dt { font-weight: 600; }
        .mediation .confirmations dd { margin: 0; }
        .mediation section.part { margin-top: 32px; }
        .mediation .internal { background: #f3f2f1; padding: 4px 8px; }
        .mediation td, .mediation th { vertical-align: top; }
        .mediation .row-form { margin: 12px 0; padding: 8px 12px; border-left: 4px solid #b1b4b6; }
        .mediation .row-form h4 { margin: 0 0 8px; font-size: 16px; }
        .mediation .row-form form .field:last-of-type { margin-bottom: 12px; }
        .mediation section.reopened { border-left: 5px solid #b10e1e; padding-left: 12px; }
        .mediation section.reopened p { margin: 4px 0; overflow-wrap: anywhere; }
        .mediation .live-status:empty { display: none; }
        .mediation .live-status { border-left: 5px solid #00703c; padding: 4px 12px; font-weight: 600; }
        .mediation .live-status.lost { border-color: #b10e1e; color: #b10e1e; }
        .mediation ul.share-links { list-style: none; padding: 0; }
        .mediation ul.share-links > li { border-left: 4px solid #b1b4b6; padding: 4px 12px; margin-bottom: 12px; overflow-wrap: anywhere; }
        .mediation ul.share-links p { margin: 4px 0; }
        .mediation details.again { margin: 16px 0; }
        .mediation details.again summary { min-height: 44px; padding: 8px 0; cursor: pointer; }
        .mediation details.again summary h3 { display: inline; margin: 0; }
        /* A checkbox or radio is small; its label takes the tap, so it is a full touch target. */
        .mediation .choice label { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
        @media (max-width: 480px) {
          .mediation dl.fields { grid-template-columns: 1fr; gap: 0; }
          .mediation dl.fields dd { margin-bottom: 8px; }
        }
        """#

    static let fixListNew = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> mediation-style}}</style>
        {{#content}}
        <div class="mediation">
        <p><a class="item-link" href="{{engagementHref}}">{{engagementLabel}}</a></p>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        <p class="hint">{{t.console.fixLists.new.intro}}</p>
        {{#form}}{{> form}}{{/form}}
        </div>
        {{/content}}
        {{> foot}}
        """#

    /// One item: heading, wording, state in words, every round (strike and reopening), the
    /// client's check and the comments.
    static let itemRow = #"""
        <li id="{{anchor}}" class="{{#isStruck}}struck{{/isStruck}}">
        <div class="item-head"><h3>{{position}}. {{statement}}</h3>
        <span class="tag{{#isAccepted}} done{{/isAccepted}}{{#isOverdue}} late{{/isOverdue}}">{{state}}</span>
        {{#pending}}<span class="tag pending">{{.}}</span>{{/pending}}</div>
        {{#source}}<p class="app-link"><a href="{{href}}">{{text}}</a></p>{{/source}}
        <div class="item-body">
        <p><strong>{{t.console.fixLists.field.acceptance}}:</strong> {{acceptance}}</p>
        <p>{{due}}{{#isOverdue}} — <strong>{{t.console.fixLists.overdue}}</strong>{{/isOverdue}}</p>
        {{#rowStrike}}<div class="row-form"><h4 id="{{strikeHeading}}">{{strikeTitle}}</h4>{{> form}}</div>{{/rowStrike}}
        {{#struckLine}}<p>{{.}}</p>{{/struckLine}}
        {{#strikeNote}}<p><strong>{{t.console.fixLists.field.strikeNote}}:</strong> {{.}}</p>{{/strikeNote}}
        {{#reopenLine}}<p>{{.}}</p>{{/reopenLine}}
        {{#hasRounds}}<ol class="rounds">
        {{#rounds}}<li><p>{{struckLine}}{{#late}} <span class="tag late">{{t.console.fixLists.round.lateTag}}</span>{{/late}}</p>
        <p><strong>{{t.console.fixLists.field.strikeNote}}:</strong> {{strikeNote}}</p>
        {{#roundReopenLine}}<p>{{.}}</p>{{/roundReopenLine}}</li>{{/rounds}}</ol>{{/hasRounds}}
        {{#awaitingLine}}<p><strong>{{.}}</strong></p>{{/awaitingLine}}
        {{#acceptedLine}}<p>{{.}}</p>{{/acceptedLine}}
        {{#acceptNote}}<p><strong>{{t.console.fixLists.field.acceptNote}}:</strong> {{.}}</p>{{/acceptNote}}
        {{#rowAccept}}<div class="row-form"><h4 id="{{acceptHeading}}">{{acceptTitle}}</h4>{{> form}}</div>{{/rowAccept}}
        {{#rowReopen}}<div class="row-form"><h4 id="{{reopenHeading}}">{{reopenTitle}}</h4>{{> form}}</div>{{/rowReopen}}
        {{#hasComments}}<h4>{{t.console.fixLists.comments.title}}</h4>
        <ul class="comments">{{#comments}}<li><p><strong>{{heading}}</strong></p><p>{{text}}</p></li>{{/comments}}</ul>{{/hasComments}}
        {{#internalNote}}<p class="internal"><strong>{{t.console.fixLists.internalNote}}:</strong> {{.}}</p>{{/internalNote}}
        {{#href}}<p><a class="item-link" href="{{href}}#main">{{linkLabel}}</a></p>{{/href}}
        </div>
        </li>

        """#

    /// What the live script swaps when the list changes: state, confirmations, items, history.
    static let fixListLive = #"""
        <div id="fix-list-live" data-events="{{eventsPath}}" data-part="/fix-lists/{{id}}?part=live">
        <p class="state">{{state}}</p>
        <p class="summary">{{revision}} · {{progress}}{{#agreed}} · {{.}}{{/agreed}}</p>
        {{#amending}}<div class="notice"><p>{{.}}</p></div>{{/amending}}
        <section class="part" aria-labelledby="confirmations">
        <h2 id="confirmations">{{t.console.fixLists.confirmations}}</h2>
        <dl class="confirmations">{{#confirmations}}<dt>{{side}}</dt><dd>{{text}}</dd>{{/confirmations}}</dl>
        </section>
        {{#hasReopened}}<section class="part reopened" id="reopened" aria-labelledby="reopened-heading">
        <h2 id="reopened-heading">{{t.console.parties.reopened.title}}</h2>
        <ul class="lines">{{#reopened}}<li><a href="{{href}}">{{title}}</a>
        <p><strong>{{t.console.parties.reopened.reason}}:</strong> {{reason}}</p><p>{{due}}</p></li>{{/reopened}}</ul>
        </section>{{/hasReopened}}
        <section class="part" aria-labelledby="items">
        <h2 id="items">{{t.console.fixLists.items}}</h2>
        {{#hasItems}}<ol class="items">{{#items}}{{> mediation-item-row}}{{/items}}</ol>{{/hasItems}}
        {{^hasItems}}<p class="none">{{t.console.none}}</p>{{/hasItems}}
        </section>
        <section class="part" aria-labelledby="history">
        <h2 id="history">{{t.console.fixLists.history.title}}</h2>
        {{#hasHistory}}<div class="table-wrap" tabindex="0" role="region" aria-labelledby="history"><table class="stack">
        <thead><tr><th scope="col">{{t.console.fixLists.history.when}}</th><th scope="col">{{t.console.fixLists.history.who}}</th>
        <th scope="col">{{t.console.fixLists.history.what}}</th></tr></thead>
        <tbody>{{#history}}<tr><td>{{when}}</td><td>{{who}}</td><td>{{what}}</td></tr>{{/history}}</tbody>
        </table></div>{{/hasHistory}}
        {{^hasHistory}}<p class="none">{{t.console.none}}</p>{{/hasHistory}}
        </section>
        </div>

        """#

    static let fixList = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> mediation-style}}</style>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <div class="mediation">
        <p><a class="item-link" href="{{engagementHref}}">{{engagementLabel}}</a></p>
        <h1>{{title}}</h1>
        {{#internalNote}}<p class="internal"><strong>{{t.console.fixLists.internalNote}}:</strong> {{.}}</p>{{/internalNote}}
        <p id="live-status" class="live-status" role="status" data-lost="{{t.console.parties.live.lost}}"
         data-live="{{t.console.parties.live.back}}" data-stopped="{{t.console.live.stopped}}"></p>
        {{#confirmForm}}<section class="part" aria-labelledby="confirm-list"><h2 id="confirm-list">{{t.console.fixLists.confirm.title}}</h2>
        <p>{{t.console.fixLists.confirm.intro}}</p>{{> form}}</section>{{/confirmForm}}
        {{> mediation-fix-list-live}}
        {{#shareLinks}}<section class="part" aria-labelledby="share-links"><h2 id="share-links">{{t.console.parties.share.title}}</h2>
        <p>{{t.console.parties.share.intro}}</p>
        {{#newURL}}<div class="notice" role="status"><p>{{t.console.parties.share.shownOnce}}</p>
        <div class="field"><label for="new-share-link">{{t.console.parties.share.link}}</label>
        <input id="new-share-link" class="text" type="text" readonly value="{{.}}"></div>{{#newExpiry}}<p>{{.}}</p>{{/newExpiry}}</div>{{/newURL}}
        {{#hasLinkRows}}<ul class="share-links">{{#linkRows}}<li><p id="{{headingId}}"><strong>{{made}}</strong></p><p>{{state}}</p>
        {{#revokeForm}}{{> form}}{{/revokeForm}}</li>{{/linkRows}}</ul>{{/hasLinkRows}}
        {{^hasLinkRows}}<p class="none">{{t.console.parties.share.none}}</p>{{/hasLinkRows}}
        <h3 id="share-make">{{t.console.parties.share.makeTitle}}</h3>
        {{#makeForm}}{{> form}}{{/makeForm}}
        </section>{{/shareLinks}}
        {{#addForm}}<section class="part"><h2 id="add-item">{{t.console.fixLists.add.title}}</h2>
        {{/addForm}}{{#addNote}}<p class="hint">{{.}}</p>{{/addNote}}{{#addForm}}{{> form}}</section>{{/addForm}}
        </div>
        {{/content}}
        <script nonce="{{nonce}}">
        {{> mediation-live-script}}
        </script>
        {{> foot}}
        """#

    static let fixItem = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> mediation-style}}</style>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <div class="mediation">
        <p><a class="item-link" href="{{listHref}}">{{t.console.fixLists.backToList}}</a></p>
        <h1>{{title}}</h1>
        {{#item}}<ol class="items">{{> mediation-item-row}}</ol>{{/item}}
        {{#editForm}}<section class="part"><h2 id="edit-item">{{t.console.fixLists.edit.title}}</h2>
        {{/editForm}}{{#editNote}}<p class="hint">{{.}}</p>{{/editNote}}{{#editForm}}{{> form}}</section>{{/editForm}}
        {{#strikeForm}}<section class="part"><h2 id="strike-item">{{t.console.fixLists.strike.title}}</h2>{{> form}}</section>{{/strikeForm}}
        {{#acceptForm}}<section class="part"><h2 id="accept-item">{{t.console.fixLists.accept.title}}</h2>{{> form}}</section>{{/acceptForm}}
        {{#reopenForm}}<section class="part"><h2 id="reopen-item">{{t.console.fixLists.reopen.title}}</h2>{{> form}}</section>{{/reopenForm}}
        {{#commentForm}}<section class="part"><h2 id="comment-item">{{t.console.fixLists.comment.title}}</h2>{{> form}}</section>{{/commentForm}}
        {{#.files}}{{> files-section}}{{/.files}}
        {{#removeForm}}<section class="part"><h2 id="remove-item">{{t.console.fixLists.remove.title}}</h2>
        <p>{{t.console.fixLists.remove.intro}}</p>{{> form}}</section>{{/removeForm}}
        </div>
        {{/content}}
        {{> foot}}
        """#

    /// The fix list live: on `refresh` (and on every reconnection after the first, for the
    /// stream ends after each change) the page fetches its live part alone (a whole page parsed
    /// here would carry styles of another nonce, which the CSP reports) and swaps it in.
    static let liveScript = #"""
        (function () {
          var live = document.getElementById('fix-list-live');
          if (!live || !window.EventSource || !window.fetch || !window.DOMParser) return;
          var status = document.getElementById('live-status');
          var source = new EventSource(live.getAttribute('data-events'));
          var opened = false, ended = false, lost = false;
          function say(text, isLost) {
            if (!status) return;
            status.textContent = text;
            status.className = 'live-status' + (isLost ? ' lost' : '');
          }
          function key(field) {
            var form = field.form;
            return (form ? form.getAttribute('action') : '') + '|' + field.name;
          }
          // What the person typed in the live part's forms, and where they are, carried over the swap.
          function typed(root) {
            var values = {};
            root.querySelectorAll('textarea, input:not([type=hidden])').forEach(function (field) {
              if (field.value !== field.defaultValue) values[key(field)] = field.value;
            });
            return values;
          }
          function refresh() {
            // The list's own address: a refused form shows the list under the form's address.
            var part = document.getElementById('fix-list-live').getAttribute('data-part');
            fetch(part, { credentials: 'same-origin' }).then(function (response) {
              return response.ok ? response.text() : null;
            }).then(function (text) {
              if (!text) return;
              var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById('fix-list-live');
              var current = document.getElementById('fix-list-live');
              if (!fresh || !current) return;
              var values = typed(current);
              var active = document.activeElement;
              var focused = active && current.contains(active) && active.name ? key(active) : null;
              var caret = focused && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
              fresh = document.importNode(fresh, true);
              fresh.querySelectorAll('textarea, input:not([type=hidden])').forEach(function (field) {
                var value = values[key(field)];
                if (value !== undefined) field.value = value;
                if (focused && key(field) === focused) {
                  window.requestAnimationFrame(function () {
                    field.focus();
                    if (caret) try { field.setSelectionRange(caret[0], caret[1]); } catch (e) {}
                  });
                }
              });
              current.replaceWith(fresh);
            });
          }
          source.addEventListener('refresh', function () { ended = true; refresh(); });
          source.addEventListener('open', function () {
            // The stream ends after each change; any reopening may have missed one.
            if (opened) refresh();
            opened = true;
            ended = false;
            if (lost) { lost = false; say(status ? status.getAttribute('data-live') : '', false); }
          });
          source.addEventListener('error', function () {
            // After a `refresh` the server closes the stream on purpose and the browser reconnects.
            if (ended && source.readyState === EventSource.CONNECTING) { ended = false; return; }
            lost = true;
            // Closed for good (a refusal, 429 or 503): no reconnection is coming.
            var closed = source.readyState === EventSource.CLOSED;
            say(status ? status.getAttribute(closed ? 'data-stopped' : 'data-lost') : '', true);
          });
        })();
        """#
}
