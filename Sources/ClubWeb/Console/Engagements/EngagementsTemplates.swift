import Mustache

/// The templates of the engagements area, compiled into the binary like every console page.
enum EngagementsTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(board, named: "engagement-board")
        try library.register(page, named: "engagement")
        try library.register(style, named: "engagements-style")
        try library.register(parting, named: "engagement-parting")
        try library.register(retrospective, named: "engagement-retrospective")
    }

    /// The area's own layout: the board's columns, agreement and check-in cards.
    static let style = #"""
        .board { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 16px; }
        .board section { border-top: 4px solid #1d4f91; padding-top: 4px; }
        .board section.state-atRisk { border-color: #b10e1e; }
        .board section.state-inRecovery { border-color: #f47738; }
        .board section.state-exiting { border-color: #00703c; }
        .board section.state-closed { border-color: #b1b4b6; }
        .board h2 .count { display: block; }
        .board h2 { font-size: 19px; margin-top: 0; }
        .cards { list-style: none; margin: 0; padding: 0; }
        .cards li { border: 1px solid #b1b4b6; padding: 4px 8px; margin-bottom: 8px; overflow-wrap: anywhere; }
        .cards a { display: inline-block; min-height: 44px; padding: 10px 0; font-weight: 600; }
        .cards p { margin: 0 0 4px; }
        .filter { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-end; margin-bottom: 24px; }
        .filter .field { margin: 0; }
        .entries { list-style: none; margin: 0; padding: 0; }
        .entries > li { border-left: 4px solid #b1b4b6; padding: 4px 12px; margin-bottom: 16px; overflow-wrap: anywhere; }
        .entries > li.overdue { border-color: #b10e1e; }
        .entries dl { display: grid; grid-template-columns: minmax(100px, max-content) 1fr; gap: 2px 12px; margin: 4px 0; }
        .entries dt { font-weight: 600; }
        .entries dd { margin: 0; }
        .entries h3, .entries h4 { font-size: 18px; margin: 4px 0; }
        .actions { display: flex; flex-wrap: wrap; gap: 8px 16px; }
        .actions a, .download { display: inline-flex; align-items: center; min-height: 44px; font-weight: 600; }
        fieldset.row { border: 1px solid #b1b4b6; padding: 8px 12px; margin: 0 0 16px; }
        fieldset.row legend { padding: 0 4px; }
        details.form { margin: 8px 0 24px; }
        details.form summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; font-weight: 600; color: #1d4f91; }
        a.target { display: inline-block; min-height: 44px; padding: 10px 0; }
        .choice label { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
        meter { width: 100px; height: 16px; vertical-align: middle; }
        """#

    static let board = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> engagements-style}}</style>
        <h1>{{title}}</h1>
        {{#content}}
        <form class="filter" method="get" action="/engagements" role="search" aria-label="{{t.console.engagements.board.filter}}">
        <div class="field"><label for="status">{{t.console.engagements.field.state}}</label>
        <select id="status" name="status">{{#statusOptions}}
        <option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statusOptions}}
        </select></div>
        <div class="field"><label for="request">{{t.console.engagements.field.request}}</label>
        <input id="request" name="request" class="text" type="text" value="{{requestFilter}}"></div>
        <button type="submit" class="secondary">{{t.console.engagements.board.show}}</button>
        {{#filtered}}<a class="back" href="/engagements">{{t.console.engagements.board.reset}}</a>{{/filtered}}
        </form>
        <div class="board">
        {{#columns}}
        <section class="state-{{id}}" aria-labelledby="column-{{id}}">
        <h2 id="column-{{id}}">{{title}} <span class="count">{{count}}</span></h2>
        {{#hasCards}}<ul class="cards">{{#cards}}
        <li><a href="{{href}}">{{title}}</a><p>{{state}}</p><p class="note">{{scope}}</p><p class="note">{{started}}</p></li>{{/cards}}
        </ul>{{/hasCards}}
        {{^hasCards}}<p class="none">{{t.console.none}}</p>{{/hasCards}}
        {{#moreHref}}<p><a href="{{.}}">{{t.console.engagements.board.more}}</a></p>{{/moreHref}}
        </section>
        {{/columns}}
        </div>
        {{#nextHref}}<p><a class="back" href="{{.}}">{{t.console.engagements.board.next}}</a></p>{{/nextHref}}
        {{/content}}
        {{> foot}}
        """#

    static let page = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> engagements-style}}</style>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <h1>{{heading}}</h1>
        <dl class="fields">
        <dt>{{t.console.engagements.field.state}}</dt><dd><strong>{{state}}</strong></dd>
        <dt>{{t.console.engagements.field.studio}}</dt><dd>{{studioName}}</dd>
        <dt>{{t.console.engagements.field.client}}</dt><dd>{{clientName}}</dd>
        <dt>{{t.console.engagements.field.request}}</dt><dd><a class="target" href="{{requestHref}}">{{requestId}}</a></dd>
        <dt>{{t.console.engagements.field.scope}}</dt><dd>{{scope}}</dd>
        <dt>{{t.console.engagements.field.keyStages}}</dt><dd>{{keyStages}}</dd>
        <dt>{{t.console.engagements.field.stagesReached}}</dt><dd>{{stagesReached}}</dd>
        <dt>{{t.console.engagements.field.started}}</dt><dd>{{started}}</dd>
        {{#ended}}<dt>{{t.console.engagements.field.ended}}</dt><dd>{{.}}</dd>{{/ended}}
        </dl>
        {{#caseFileHref}}<p><a class="download" href="{{.}}" download>{{t.console.engagements.caseFile}}</a></p>{{/caseFileHref}}
        {{#updateForm}}
        <h2 id="update-heading">{{t.console.engagements.update.title}}</h2>
        {{> form}}
        {{/updateForm}}

        <h2 id="agreements-heading">{{t.console.engagements.agreements.title}}</h2>
        {{#hasAgreements}}<ul class="entries" aria-labelledby="agreements-heading">{{#agreements}}
        <li class="{{#overdue}}overdue{{/overdue}}" id="agreement-{{id}}"><h3>{{what}}</h3>
        <dl>
        <dt>{{t.console.engagements.field.owner}}</dt><dd>{{owner}}</dd>
        <dt>{{t.console.engagements.field.due}}</dt>
        <dd>{{due}}{{#overdue}} — <strong>{{t.console.engagements.agreement.overdue}}</strong>{{/overdue}}</dd>
        <dt>{{t.console.engagements.field.consequence}}</dt><dd>{{consequence}}</dd>
        <dt>{{t.console.engagements.agreement.client}}</dt><dd>{{clientConfirmed}}</dd>
        <dt>{{t.console.engagements.agreement.studio}}</dt><dd>{{studioConfirmed}}</dd>
        {{#fulfilled}}<dt>{{t.console.engagements.agreement.fulfilled}}</dt><dd>{{.}}</dd>{{/fulfilled}}
        </dl>
        {{#fulfilForm}}<form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
        {{#problem}}<div class="form-problem" role="alert"><p>{{.}}</p></div>{{/problem}}
        <button type="submit" class="secondary" aria-label="{{fulfilLabel}}">{{submitLabel}}</button>
        </form>{{/fulfilForm}}
        {{#confirmForm}}<form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}
        {{#problem}}<div class="form-problem" role="alert"><p>{{.}}</p></div>{{/problem}}
        <button type="submit" aria-label="{{confirmLabel}}">{{submitLabel}}</button>
        </form>{{/confirmForm}}
        </li>{{/agreements}}
        </ul>{{/hasAgreements}}
        {{^hasAgreements}}<p class="none">{{t.console.none}}</p>{{/hasAgreements}}
        {{#agreementForm}}
        <details class="form"{{#openForms.agreement}} open{{/openForms.agreement}}>
        <summary id="agreement-form-heading">{{t.console.engagements.agreement.formTitle}}</summary>
        {{> form}}
        </details>
        {{/agreementForm}}

        <h2 id="check-ins-heading">{{t.console.engagements.checkIns.title}}</h2>
        {{#hasCheckIns}}<ul class="entries" aria-labelledby="check-ins-heading">{{#checkIns}}
        <li><h3>{{heldAt}}</h3>
        <dl>
        <dt>{{t.console.engagements.field.attendees}}</dt><dd>{{attendees}}</dd>
        <dt>{{t.console.engagements.field.studioReport}}</dt><dd>{{report}}</dd>
        {{#clubReads}}<dt>{{t.console.engagements.field.clientSentiment}}</dt>
        <dd><meter min="1" max="5" low="3" high="4" optimum="5" value="{{sentimentValue}}" aria-hidden="true"></meter>
         {{sentiment}}</dd>{{/clubReads}}
        {{#hasRisks}}<dt>{{t.console.engagements.field.risks}}</dt><dd>{{risks}}</dd>{{/hasRisks}}
        <dt>{{t.console.engagements.checkIn.recordedBy}}</dt><dd>{{recordedBy}}</dd>
        </dl>{{#.files}}{{> files-section}}{{/.files}}</li>{{/checkIns}}
        </ul>{{/hasCheckIns}}
        {{^hasCheckIns}}<p class="none">{{t.console.none}}</p>{{/hasCheckIns}}
        {{#checkInForm}}
        <details class="form"{{#openForms.checkIn}} open{{/openForms.checkIn}}>
        <summary id="check-in-form-heading">{{t.console.engagements.checkIn.formTitle}}</summary>
        {{> form}}
        </details>
        {{/checkInForm}}

        <h2 id="feedback-heading">{{t.console.engagements.feedback.title}}</h2>
        {{#hasFeedback}}<ul class="entries" aria-labelledby="feedback-heading">{{#feedback}}
        <li><h3>{{stage}}</h3><p>{{score}}</p>{{#comment}}<p>{{.}}</p>{{/comment}}<p class="note">{{given}}</p></li>{{/feedback}}
        </ul>{{/hasFeedback}}
        {{^hasFeedback}}<p class="none">{{t.console.none}}</p>{{/hasFeedback}}
        {{#hasAwaitingFeedback}}<p><strong>{{t.console.engagements.feedback.awaiting}}</strong> {{awaitingFeedback}}</p>{{/hasAwaitingFeedback}}
        {{#feedbackForm}}<section aria-labelledby="feedback-form-heading"><h3 id="feedback-form-heading">{{t.console.parties.feedback.title}}</h3>
        <p class="hint">{{t.console.parties.feedback.intro}}</p>{{> form}}</section>{{/feedbackForm}}
        {{#hasRatingForms}}{{#ratingForms}}<section aria-labelledby="{{headingId}}"><h3 id="{{headingId}}">{{title}}</h3>
        {{#form}}{{> form}}{{/form}}</section>{{/ratingForms}}{{/hasRatingForms}}
        {{#hasClubRatings}}<h3 id="club-ratings-heading">{{t.console.engagements.clubRatings.title}}</h3>
        <ul class="entries" aria-labelledby="club-ratings-heading">{{#clubRatings}}
        <li><h4>{{stage}}</h4><p>{{score}}</p>{{#comment}}<p>{{.}}</p>{{/comment}}<p class="note">{{given}}</p></li>{{/clubRatings}}
        </ul>{{/hasClubRatings}}

        {{#showRelated}}
        <h2 id="related-heading">{{t.console.engagements.related.title}}</h2>
        <h3>{{t.console.engagements.related.fixLists}}</h3>
        {{#hasFixLists}}<ul class="lines">{{#fixLists}}
        <li><a href="{{href}}">{{text}}</a> <span class="note">— {{note}}</span></li>{{/fixLists}}
        </ul>{{/hasFixLists}}
        {{^hasFixLists}}<p class="none">{{t.console.none}}</p>{{/hasFixLists}}
        <h3>{{t.console.engagements.related.complaints}}</h3>
        {{#hasComplaints}}<ul class="lines">{{#complaints}}
        <li><a href="{{href}}">{{text}}</a> <span class="note">— {{note}}</span></li>{{/complaints}}
        </ul>{{/hasComplaints}}
        {{^hasComplaints}}<p class="none">{{t.console.none}}</p>{{/hasComplaints}}
        <h3>{{t.console.engagements.related.audits}}</h3>
        {{#hasAudits}}<ul class="lines">{{#audits}}
        <li><a href="{{href}}">{{text}}</a> <span class="note">— {{note}}</span></li>{{/audits}}
        </ul>{{/hasAudits}}
        {{^hasAudits}}<p class="none">{{t.console.none}}</p>{{/hasAudits}}
        <p class="actions">
        {{#composeFixListHref}}<a href="{{.}}">{{t.console.engagements.related.composeFixList}}</a>{{/composeFixListHref}}
        {{#recordComplaintHref}}<a href="{{.}}">{{t.console.engagements.related.recordComplaint}}</a>{{/recordComplaintHref}}
        {{#logAuditHref}}<a href="{{.}}">{{t.console.engagements.related.logAudit}}</a>{{/logAuditHref}}
        </p>
        {{/showRelated}}
        {{> engagement-parting}}
        {{> engagement-retrospective}}
        {{/content}}
        {{> foot}}
        """#

    /// The exit, its consulting offer with the client's answer, and the sessions.
    static let parting = #"""
        {{#showExit}}
        <h2 id="exit-heading">{{t.console.engagements.exit.title}}</h2>
        {{#exit}}
        <dl class="fields">
        <dt>{{t.console.engagements.field.reason}}</dt><dd>{{reason}}</dd>
        <dt>{{t.console.engagements.field.decidedBy}}</dt><dd>{{decidedBy}}</dd>
        <dt>{{t.console.engagements.exit.decidedAt}}</dt><dd>{{decidedAt}}</dd>
        </dl>
        {{#offer}}
        <h3>{{t.console.engagements.offer.title}}</h3>
        <dl class="fields">
        <dt>{{t.console.engagements.field.sessions}}</dt><dd>{{sessions}}</dd>
        <dt>{{t.console.engagements.field.validUntil}}</dt><dd>{{validUntil}}</dd>
        <dt>{{t.console.engagements.offer.answer}}</dt><dd><strong>{{status}}</strong>{{#answered}} ({{.}}){{/answered}}</dd>
        </dl>
        {{#answerForm}}<h4 id="answer-form-heading">{{t.console.engagements.offer.answerTitle}}</h4>{{> form}}{{/answerForm}}
        <h3 id="sessions-heading">{{t.console.engagements.session.title}}</h3>
        {{#hasSessions}}<ul class="entries" aria-labelledby="sessions-heading">{{#sessionLines}}
        <li><h4 id="{{headingId}}">{{topic}} — {{scheduledAt}}</h4><p>{{status}}</p>{{#notes}}<p>{{.}}</p>{{/notes}}
        {{#markForm}}{{> form}}{{/markForm}}</li>{{/sessionLines}}
        </ul>{{/hasSessions}}
        {{^hasSessions}}<p class="none">{{t.console.none}}</p>{{/hasSessions}}
        {{#scheduleForm}}<h4 id="schedule-form-heading">{{t.console.engagements.session.formTitle}}</h4>{{> form}}{{/scheduleForm}}
        {{/offer}}
        {{#offerForm}}<h3 id="offer-form-heading">{{t.console.engagements.offer.formTitle}}</h3>{{> form}}{{/offerForm}}
        {{/exit}}
        {{#exitForm}}
        <details class="form"{{#openForms.exit}} open{{/openForms.exit}}>
        <summary id="exit-form-heading">{{t.console.engagements.exit.formTitle}}</summary>
        <p>{{t.console.engagements.exit.intro}}</p>
        {{> form}}
        </details>
        {{/exitForm}}
        {{/showExit}}

        """#

    /// The retrospective once written, or the form that writes it.
    static let retrospective = #"""
        {{#showRetrospective}}
        <h2 id="retrospective-heading">{{t.console.engagements.retro.title}}</h2>
        {{#retrospective}}
        <h3>{{t.console.engagements.retro.facts}}</h3><ul>{{#facts}}<li>{{.}}</li>{{/facts}}</ul>
        {{#hasEmotions}}<h3>{{t.console.engagements.retro.emotions}}</h3><ul>{{#emotions}}<li>{{.}}</li>{{/emotions}}</ul>{{/hasEmotions}}
        {{#hasMistakes}}<h3>{{t.console.engagements.retro.mistakes}}</h3><ul>{{#mistakes}}
        <li><strong>{{side}}:</strong> {{statement}}
        {{#counterfactual}} — {{t.console.engagements.retro.otherwise}} {{.}}{{/counterfactual}}</li>{{/mistakes}}</ul>{{/hasMistakes}}
        {{#hasPositives}}<h3>{{t.console.engagements.retro.positives}}</h3><ul>{{#positives}}<li>{{.}}</li>{{/positives}}</ul>{{/hasPositives}}
        {{#hasDifferently}}<h3>{{t.console.engagements.retro.differently}}</h3><ul>{{#differently}}
        <li><strong>{{side}}:</strong> {{statement}}</li>{{/differently}}</ul>{{/hasDifferently}}
        {{#hasLessons}}<h3>{{t.console.engagements.retro.lessons}}</h3><ul>{{#lessons}}<li>{{.}}</li>{{/lessons}}</ul>{{/hasLessons}}
        <p class="note">{{recorded}}</p>
        {{/retrospective}}
        {{#retrospectiveForm}}
        <details class="form"{{#openForms.retrospective}} open{{/openForms.retrospective}}>
        <summary id="retrospective-form-heading">{{t.console.engagements.retro.formTitle}}</summary>
        {{#form}}
        <form method="post" action="{{action}}" novalidate aria-labelledby="retrospective-form-heading">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        {{#problem}}<div class="form-problem" role="alert"><p>{{.}}</p></div>{{/problem}}
        {{/form}}
        {{#lists}}{{> field}}{{/lists}}
        {{#mistakeRows}}<fieldset class="row"><legend>{{legend}}</legend>{{#fields}}{{> field}}{{/fields}}</fieldset>{{/mistakeRows}}
        {{#differentlyRows}}<fieldset class="row"><legend>{{legend}}</legend>{{#fields}}{{> field}}{{/fields}}</fieldset>{{/differentlyRows}}
        {{#closing}}{{> field}}{{/closing}}
        {{#form}}<button type="submit">{{submitLabel}}</button>
        </form>{{/form}}
        </details>
        {{/retrospectiveForm}}
        {{/showRetrospective}}

        """#
}
