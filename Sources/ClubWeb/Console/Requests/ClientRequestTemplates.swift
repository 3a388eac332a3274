import Mustache

/// The client's request page (`ClientRequestView`), compiled into the binary like every console page.
enum ClientRequestTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(page, named: "client-request-page")
    }

    static let page = #"""
        {{> head}}
        <style nonce="{{nonce}}">{{> requests-style}}</style>
        <p><a class="back" href="/">{{t.console.clientRequest.back}}</a></p>
        <h1>{{title}}</h1>
        {{> error-summary}}
        {{> form-problem}}
        {{#content}}
        <p class="state">{{t.console.clientRequest.state}}: <strong>{{state}}</strong></p>
        <section aria-labelledby="asked-title">
        <h2 id="asked-title">{{t.console.clientRequest.asked}}</h2>
        <p class="quote">{{statedAsk}}</p>
        <h3>{{t.console.clientRequest.goal}}</h3>
        <p class="quote">{{businessGoal}}</p>
        <dl class="fields facts">{{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        </section>
        {{#hasEngagements}}<section aria-labelledby="engagements-title">
        <h2 id="engagements-title">{{t.console.clientRequest.engagements}}</h2>
        <ul class="lines">{{#engagements}}<li><a href="{{href}}">{{text}}</a></li>{{/engagements}}</ul>
        </section>{{/hasEngagements}}
        {{#showCandidates}}<section id="candidates" aria-labelledby="candidates-title">
        <h2 id="candidates-title">{{t.console.clientRequest.candidates}}</h2>
        {{#hasCandidates}}<ul class="candidates">{{#candidates}}
        <li class="candidate">
        <h3 id="candidate-{{id}}">{{name}}</h3>
        {{#chosen}}<p><strong>{{t.console.clientRequest.chosen}}</strong></p>{{/chosen}}
        {{#notChosen}}<p>{{t.console.clientRequest.notChosen}}</p>{{/notChosen}}
        <dl class="fields facts">{{#facts}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/facts}}</dl>
        {{#engagementHref}}<ul class="lines"><li><a href="{{.}}">{{engagementLabel}}</a></li></ul>{{/engagementHref}}
        {{#chooseForm}}{{> form}}{{/chooseForm}}
        </li>{{/candidates}}</ul>{{/hasCandidates}}
        {{^hasCandidates}}<p class="none">{{t.console.clientRequest.noCandidates}}</p>{{/hasCandidates}}
        </section>{{/showCandidates}}
        {{/content}}
        {{> foot}}
        """#
}
