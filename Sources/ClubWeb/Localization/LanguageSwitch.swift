/// The language switch of pages before sign-in: a partial (`language-switch`) and its style
/// (`language-switch-style`), kept apart from the share page's own style.
enum LanguageSwitch {
    static let template = #"""
        <nav class="languages" aria-label="{{t.language.switch}}">{{#languages}}
        <a href="?lang={{code}}" lang="{{code}}" hreflang="{{code}}"{{#isCurrent}} aria-current="true"{{/isCurrent}}>{{name}}</a>{{/languages}}
        </nav>

        """#

    /// Each link is a 44 × 44 px target at least (WCAG 2.5.5, which the browser test checks), in
    /// the text colour of its page.
    static let style = #"""
        .languages { display: flex; flex-wrap: wrap; gap: 4px; margin: 0 0 4px; font-size: 14px; }
        .languages a {
          display: inline-flex;
          align-items: center;
          justify-content: center;
          min-width: 44px;
          min-height: 44px;
          padding: 0 8px;
          color: inherit;
        }
        .languages a[aria-current] { font-weight: 600; text-decoration: none; }
        """#
}
