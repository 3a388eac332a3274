import Mustache

/// The templates of the studio's desk: a referral to answer, the list of referrals, the
/// studio's own scorecard. Narrow screens first: one column, nothing wider than the phone.
enum StudioDeskTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(style, named: "studio-desk-style")
        try library.register(referral, named: "studio-referral")
        try library.register(referrals, named: "studio-referrals")
        try library.register(scorecard, named: "studio-scorecard")
    }

    static let style = #"""
        h1, .ask { overflow-wrap: anywhere; }
        .ask { font-size: 19px; font-weight: 600; }
        .deadline { font-size: 19px; border-left: 6px solid #1d70b8; padding: 4px 12px; }
        .deadline.overdue { border-left-color: #b10e1e; }
        .answer-forms { display: grid; gap: 8px 32px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); }
        .answer-forms h2 { font-size: 22px; }
        .score { list-style: none; padding: 0; margin: 0; }
        .score li { border-top: 1px solid #b1b4b6; padding: 12px 0; }
        .score .value { font-size: 24px; font-weight: 700; display: block; }
        .score .name { font-size: 19px; font-weight: 600; display: block; }
        .score p { margin: 4px 0 0; overflow-wrap: anywhere; }
        main .lines a, main a.back-link { display: inline-flex; align-items: center; min-height: 44px; overflow-wrap: anywhere; }
        """#

    static let referral = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <style nonce="{{nonce}}">{{> studio-desk-style}}</style>
        <p><a class="back-link" href="{{backHref}}">{{t.studio.referrals.back}}</a></p>
        <section aria-labelledby="request-title">
        <h2 id="request-title">{{t.studio.referral.request}}</h2>
        <p class="ask">{{statedAsk}}</p>
        <dl class="fields">
        <dt>{{t.studio.referral.goal}}</dt><dd>{{businessGoal}}</dd>
        {{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}
        </dl>
        </section>
        <section aria-labelledby="answer-title">
        <h2 id="answer-title">{{t.studio.referral.answerTitle}}</h2>
        <p><strong>{{state}}</strong></p>
        <p class="meta">{{offered}}</p>
        {{#deadline}}<p class="deadline{{#overdue}} overdue{{/overdue}}">{{.}}</p>{{/deadline}}
        {{#answer}}<p class="meta">{{.}}</p>{{/answer}}
        {{#answerNote}}<p>{{t.studio.referral.yourNote}} {{.}}</p>{{/answerNote}}
        </section>
        {{#canAnswer}}<div class="answer-forms">
        {{#acceptForm}}<section><h2 id="accept-title">{{t.studio.referral.accept.title}}</h2>{{> form}}</section>{{/acceptForm}}
        {{#declineForm}}<section><h2 id="decline-title">{{t.studio.referral.decline.title}}</h2>{{> form}}</section>{{/declineForm}}
        </div>{{/canAnswer}}
        {{/content}}
        {{> foot}}
        """#

    static let referrals = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{#content}}
        <style nonce="{{nonce}}">{{> studio-desk-style}}</style>
        <section aria-labelledby="open-title">
        <h2 id="open-title">{{t.studio.referrals.open}}</h2>
        {{#hasOpen}}<ul class="lines">{{#open}}<li><a href="{{href}}">{{text}}</a>
        <p class="meta">{{state}} — {{note}}</p></li>{{/open}}</ul>{{/hasOpen}}
        {{^hasOpen}}<p class="none">{{t.studio.referrals.noneOpen}}</p>{{/hasOpen}}
        </section>
        <section aria-labelledby="answered-title">
        <h2 id="answered-title">{{t.studio.referrals.answered}}</h2>
        {{#hasAnswered}}<ul class="lines">{{#answered}}<li><a href="{{href}}">{{text}}</a>
        <p class="meta">{{state}} — {{note}}</p></li>{{/answered}}</ul>{{/hasAnswered}}
        {{^hasAnswered}}<p class="none">{{t.console.none}}</p>{{/hasAnswered}}
        </section>
        {{/content}}
        {{> foot}}
        """#

    static let scorecard = #"""
        {{> head}}
        <h1>{{title}}</h1>
        {{#content}}
        <style nonce="{{nonce}}">{{> studio-desk-style}}</style>
        <p><strong>{{studio}}</strong></p>
        <p class="meta">{{asOf}}</p>
        <p class="hint">{{t.studio.scorecard.intro}}</p>
        <ul class="score">
        {{#lines}}<li id="{{id}}"><span class="name">{{label}}</span><span class="value">{{value}}</span>
        {{#drivers}}<p>{{.}}</p>{{/drivers}}</li>{{/lines}}
        </ul>
        {{/content}}
        {{> foot}}
        """#
}
