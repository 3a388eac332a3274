import Mustache

/// The files section every object page includes (`{{#files}}{{> files-section}}{{/files}}`), its style and the
/// small script for dropping a file onto the form (docs/design.md §11.5). The form works without the script: a plain
/// file input with its label; the script only fills that input from a drop, and is admitted by the page's nonce.
enum FilesTemplates {
    static func register(in library: inout MustacheLibrary) throws {
        try library.register(section, named: "files-section")
        try library.register(style, named: "files-style")
        try library.register(dropScript, named: "files-drop-script")
    }

    static let section = #"""
        <style nonce="{{nonce}}">{{> files-style}}</style>
        <section class="files" id="{{id}}" aria-labelledby="{{id}}-heading">
        <h{{level}} id="{{id}}-heading">{{title}}</h{{level}}>
        {{#hasRows}}<ul class="file-list">{{#rows}}
        <li class="file">{{#.thumbnail}}<a class="file-thumb" href="{{href}}"><img src="{{src}}" alt="{{alt}}" width="{{width}}"
         height="{{height}}" loading="lazy"></a>{{/.thumbnail}}
        <div class="file-about"><p class="file-name"><a href="{{href}}">{{name}}</a> <span class="note">{{kind}}, {{size}}</span></p>
        {{#.caption}}<p class="file-caption">{{.}}</p>{{/.caption}}
        <p class="note">{{uploaded}}</p>
        {{#.removeForm}}<form method="post" action="{{action}}" class="file-remove">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="formKey" value="{{formKey}}">
        <button type="submit" class="warning" aria-label="{{submitLabel}}">{{t.console.files.remove.button}}</button></form>{{/.removeForm}}
        </div></li>{{/rows}}
        </ul>{{/hasRows}}
        {{^hasRows}}<p class="none">{{t.console.files.none}}</p>{{/hasRows}}
        {{#.fullNote}}<p class="hint">{{.}}</p>{{/.fullNote}}
        {{#.upload}}
        <form method="post" action="{{action}}" enctype="multipart/form-data" class="file-drop" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field{{#.captionError}} has-error{{/.captionError}}">
        <label for="{{captionId}}">{{t.console.files.upload.caption}}</label>
        {{#.captionError}}<p class="error-message" id="{{captionId}}-error">{{.}}</p>{{/.captionError}}
        <input id="{{captionId}}" name="caption" type="text" class="text" maxlength="500" value="{{caption}}"
        {{#.captionError}} aria-invalid="true" aria-describedby="{{captionId}}-error"{{/.captionError}}>
        </div>
        <div class="field file-field{{#.error}} has-error{{/.error}}">
        <label for="{{fileId}}">{{t.console.files.upload.file}}</label>
        <p class="hint" id="{{fileId}}-hint">{{maxBytes}}<span class="drop-hint"> {{t.console.files.upload.dropHint}}</span></p>
        {{#.error}}<p class="error-message" id="{{fileId}}-error">{{.}}</p>{{/.error}}
        <input id="{{fileId}}" name="file" type="file" required aria-describedby="{{fileId}}-hint{{#.error}} {{fileId}}-error{{/.error}}"
        {{#.error}} aria-invalid="true"{{/.error}}>
        </div>
        <button type="submit">{{t.console.files.upload.button}}</button>
        </form>
        <script nonce="{{nonce}}">{{> files-drop-script}}</script>
        {{/.upload}}
        </section>

        """#

    static let style = #"""
        .files .file-list { list-style: none; padding: 0; margin: 0 0 16px; }
        .files .file { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: flex-start; padding: 8px 0;
          border-bottom: 1px solid #b1b4b6; }
        .files .file-thumb img { display: block; max-width: 160px; height: auto; border: 1px solid #b1b4b6; background: #f3f2f1; }
        .files .file-about { flex: 1; min-width: 200px; }
        .files .file-about p { margin: 0 0 4px; overflow-wrap: anywhere; }
        .files .file-name a { font-weight: 600; display: inline-block; min-height: 44px; padding: 10px 0; box-sizing: border-box; }
        .files input[type=file] { min-height: 44px; padding: 8px 0; box-sizing: border-box; max-width: 100%; }
        .files .file-remove { margin: 4px 0 0; }
        .files .drop-hint { display: none; }
        .files form.file-drop.can-drop .drop-hint { display: inline; }
        .files form.file-drop.dragging { outline: 3px dashed #1d4f91; outline-offset: 4px; }
        """#

    /// Drag and drop onto an upload form: the dropped file goes into the form's own file input, which the person then
    /// sends with the button as if they had chosen it. Listening on the document serves every form of the page, and
    /// the flag keeps a second copy of the script (one per section) from listening twice.
    static let dropScript = #"""
        (function () {
          if (window.clubFileDrop) return;
          window.clubFileDrop = true;
          var forms = function () { return document.querySelectorAll('form.file-drop'); };
          var canDrop = 'DataTransfer' in window && 'files' in document.createElement('input');
          document.addEventListener('DOMContentLoaded', function () {
            if (!canDrop) return;
            Array.prototype.forEach.call(forms(), function (form) { form.classList.add('can-drop'); });
          });
          var target = function (event) {
            return event.target && event.target.closest ? event.target.closest('form.file-drop') : null;
          };
          document.addEventListener('dragover', function (event) {
            var form = target(event);
            if (!form || !canDrop) return;
            event.preventDefault();
            form.classList.add('dragging');
          });
          document.addEventListener('dragleave', function (event) {
            var form = target(event);
            if (form) form.classList.remove('dragging');
          });
          document.addEventListener('drop', function (event) {
            var form = target(event);
            if (!form || !canDrop || !event.dataTransfer || event.dataTransfer.files.length === 0) return;
            event.preventDefault();
            form.classList.remove('dragging');
            var input = form.querySelector('input[type=file]');
            var chosen = new DataTransfer();
            chosen.items.add(event.dataTransfer.files[0]);
            input.files = chosen.files;
            input.dispatchEvent(new Event('change', { bubbles: true }));
            input.focus();
          });
        })();
        """#
}
