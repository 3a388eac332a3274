/// The complaint pages' templates (registered by `MediationTemplates`).
enum ComplaintTemplates {
    static let complaintNew = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> mediation-style}}</style>
        {{#content}}
        <div class="mediation">
        <p><a class="item-link" href="{{engagementHref}}">{{engagementLabel}}</a></p>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#form}}{{> form}}{{/form}}
        </div>
        {{/content}}
        {{> foot}}
        """#

    static let complaint = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> mediation-style}}</style>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <div class="mediation">
        <p><a class="item-link" href="{{engagementHref}}">{{engagementLabel}}</a></p>
        <h1>{{title}}</h1>
        <p class="state">{{state}}</p>
        {{#next}}<p class="summary">{{.}}</p>{{/next}}
        <dl class="fields">{{#details}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/details}}</dl>
        {{#.files}}{{> files-section}}{{/.files}}

        <section class="part" aria-labelledby="acknowledgement">
        <h2 id="acknowledgement">{{t.console.complaints.ack.title}}</h2>
        {{#hasAcknowledgement}}<dl class="fields">
        {{#acknowledgement}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/acknowledgement}}</dl>{{/hasAcknowledgement}}
        {{^hasAcknowledgement}}<p class="none">{{t.console.complaints.ack.none}}</p>{{/hasAcknowledgement}}
        {{#acknowledgementForm}}{{#acknowledgementFolded}}
        <details class="again"><summary><h3 id="acknowledgement-form">{{t.console.complaints.ack.formTitle}}</h3></summary>
        {{> form}}</details>{{/acknowledgementFolded}}
        {{^acknowledgementFolded}}<h3 id="acknowledgement-form">{{t.console.complaints.ack.formTitle}}</h3>{{> form}}{{/acknowledgementFolded}}
        {{/acknowledgementForm}}
        </section>

        <section class="part" aria-labelledby="meeting">
        <h2 id="meeting">{{t.console.complaints.meeting.title}}</h2>
        {{#meeting}}
        <dl class="fields">{{#details}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/details}}</dl>
        {{#hasFacts}}<h3>{{t.console.complaints.field.facts}}</h3>
        <ul class="plain">{{#facts}}<li>{{.}}</li>{{/facts}}</ul>{{/hasFacts}}
        {{#hasEmotions}}<h3>{{t.console.complaints.field.emotions}}</h3>
        <ul class="plain internal">{{#emotions}}<li>{{.}}</li>{{/emotions}}</ul>{{/hasEmotions}}
        {{/meeting}}
        {{^meeting}}<p class="none">{{t.console.complaints.meeting.none}}</p>{{/meeting}}
        {{#meetingForm}}{{#meetingFolded}}
        <details class="again"><summary><h3 id="meeting-form">{{t.console.complaints.meeting.formTitle}}</h3></summary>
        {{> form}}</details>{{/meetingFolded}}
        {{^meetingFolded}}<h3 id="meeting-form">{{t.console.complaints.meeting.formTitle}}</h3>{{> form}}{{/meetingFolded}}{{/meetingForm}}
        </section>

        <section class="part" aria-labelledby="plan">
        <h2 id="plan">{{t.console.complaints.plan.title}}</h2>
        {{#plan}}
        <h3>{{t.console.complaints.field.goals}}</h3>
        <ul class="plain">{{#goals}}
        <li>{{text}}{{#isInternal}} <span class="tag">{{t.console.complaints.internalTag}}</span>{{/isInternal}}</li>{{/goals}}</ul>
        <h3>{{t.console.complaints.stepsHeading}}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label="{{t.console.complaints.stepsHeading}}"><table>
        <thead><tr><th scope="col">{{t.console.complaints.step.action}}</th><th scope="col">{{t.console.complaints.step.owner}}</th>
        <th scope="col">{{t.console.complaints.step.due}}</th><th scope="col">{{t.console.complaints.step.done}}</th></tr></thead>
        <tbody>{{#steps}}<tr><td>{{action}}</td><td>{{owner}}</td>
        <td>{{due}}{{#isOverdue}} — <strong>{{t.console.complaints.overdue}}</strong>{{/isOverdue}}</td>
        <td>{{done}}</td></tr>{{/steps}}</tbody>
        </table></div>
        {{#hasFollowUps}}<h3>{{t.console.complaints.field.followUps}}</h3>
        <ul class="plain">{{#followUps}}<li>{{.}}</li>{{/followUps}}</ul>{{/hasFollowUps}}
        <dl class="fields">{{#details}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/details}}</dl>
        {{/plan}}
        {{^plan}}<p class="none">{{t.console.complaints.plan.none}}</p>{{/plan}}
        {{#awaitingHead}}<div class="notice"><p>{{.}}</p></div>{{/awaitingHead}}
        {{#approveForm}}<h3 id="approve-form">{{t.console.complaints.approve.title}}</h3>
        <p>{{t.console.complaints.approve.intro}}</p>{{> form}}{{/approveForm}}
        {{#stepsForm}}<h3 id="steps-form">{{t.console.complaints.steps.title}}</h3>{{> form}}{{/stepsForm}}
        {{#planForm}}{{#planFolded}}<details class="again"><summary><h3 id="plan-form">{{t.console.complaints.plan.formTitle}}</h3></summary>
        {{> form}}</details>{{/planFolded}}
        {{^planFolded}}<h3 id="plan-form">{{t.console.complaints.plan.formTitle}}</h3>{{> form}}{{/planFolded}}{{/planForm}}
        </section>

        <section class="part" aria-labelledby="updates">
        <h2 id="updates">{{t.console.complaints.updates.title}}</h2>
        {{#rhythm}}<p class="summary">{{.}}</p>{{/rhythm}}
        {{#hasUpdates}}<dl class="fields">{{#updates}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/updates}}</dl>{{/hasUpdates}}
        {{^hasUpdates}}<p class="none">{{t.console.complaints.updates.none}}</p>{{/hasUpdates}}
        {{#updateForm}}<h3 id="update-form">{{t.console.complaints.updates.formTitle}}</h3>{{> form}}{{/updateForm}}
        </section>

        <section class="part" aria-labelledby="account">
        <h2 id="account">{{t.console.complaints.account.title}}</h2>
        {{#hasStudioAccount}}<dl class="fields">{{#studioAccount}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/studioAccount}}</dl>{{/hasStudioAccount}}
        {{^hasStudioAccount}}<p class="none">{{t.console.complaints.account.none}}</p>{{/hasStudioAccount}}
        {{#accountForm}}<h3 id="account-form">{{t.console.complaints.account.formTitle}}</h3>{{> form}}{{/accountForm}}
        </section>

        <section class="part" aria-labelledby="resolution">
        <h2 id="resolution">{{t.console.complaints.resolution.title}}</h2>
        {{#hasResolution}}<dl class="fields">{{#resolution}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/resolution}}</dl>{{/hasResolution}}
        {{^hasResolution}}<p class="none">{{t.console.complaints.resolution.none}}</p>{{/hasResolution}}
        {{#resolveForm}}<h3 id="resolve-form">{{t.console.complaints.resolve.title}}</h3>
        <h4>{{t.console.complaints.account.beside}}</h4>
        {{#hasStudioAccount}}<dl class="fields">{{#studioAccount}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/studioAccount}}</dl>{{/hasStudioAccount}}
        {{^hasStudioAccount}}<p class="none">{{t.console.complaints.account.none}}</p>{{/hasStudioAccount}}
        {{> form}}{{/resolveForm}}
        <h3 id="answers">{{t.console.complaints.answer.title}}</h3>
        {{#hasAnswers}}<dl class="fields">{{#answers}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/answers}}</dl>{{/hasAnswers}}
        {{^hasAnswers}}<p class="none">{{t.console.complaints.answer.none}}</p>{{/hasAnswers}}
        {{#answerForm}}<h3 id="answer-form">{{t.console.complaints.answer.formTitle}}</h3>{{> form}}{{/answerForm}}
        </section>
        </div>
        {{/content}}
        {{> foot}}
        """#
}
