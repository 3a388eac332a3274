/// The share page's style and script, as ordinary CSS and JavaScript: nothing loads from
/// another host, and the page's Content-Security-Policy admits them by the response's nonce.
enum ShareAssets {
    static let style = #"""
        :root {
          --ink: #1d2430;
          --muted: #5f6b7a;
          --line: #e3e7ee;
          --accent: #2559c4;
          --done: #17734a;
          --late: #a83220;
          --warn: #8a5a12;
        }
        * { box-sizing: border-box; }
        body {
          margin: 0;
          font: 16px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink);
          background: #f6f7fb;
          overflow-wrap: break-word;
        }
        header { background: #fff; border-bottom: 1px solid var(--line); padding: 24px 16px 16px; }
        .wrap { max-width: 820px; margin: 0 auto; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        .parties { color: var(--muted); margin: 0; }
        .live { float: right; font-size: 13px; color: var(--muted); }
        .live::before { content: "●"; margin-right: 6px; color: #7b8594; }
        body[data-live="connected"] .live::before { color: var(--done); }
        main { padding: 16px; }
        .summary { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin: 8px 0 20px; }
        progress.bar {
          flex: 1;
          min-width: 96px;
          height: 12px;
          border: 0;
          border-radius: 6px;
          overflow: hidden;
          background: var(--line);
          appearance: none;
          -webkit-appearance: none;
        }
        progress.bar::-webkit-progress-bar { background: var(--line); border-radius: 6px; }
        progress.bar::-webkit-progress-value {
          background: var(--done);
          border-radius: 6px;
          transition: width .4s ease;
        }
        progress.bar::-moz-progress-bar { background: var(--done); border-radius: 6px; }
        .count { font-weight: 600; white-space: nowrap; }
        .status {
          display: inline-block;
          font-size: 12px;
          text-transform: uppercase;
          letter-spacing: .04em;
          padding: 2px 8px;
          border-radius: 10px;
          background: #e8eefc;
          color: var(--accent);
        }
        .status.done { background: #e3f5ec; color: var(--done); }
        ol { list-style: none; padding: 0; margin: 0; }
        li.item {
          background: #fff;
          border: 1px solid var(--line);
          border-left: 4px solid var(--accent);
          border-radius: 8px;
          padding: 14px 16px;
          margin-bottom: 12px;
        }
        li.item.struck { border-left-color: var(--done); background: #fbfdfc; }
        li.item.struck .statement { text-decoration: line-through; color: var(--muted); }
        li.item.overdue { border-left-color: var(--late); background: #fff7f5; }
        li.item.reopened { border-left-color: var(--warn); }
        li.item.accepted { border-left-color: var(--done); background: #fbfdfc; }
        li.item.accepted .statement { text-decoration: line-through; color: var(--muted); }
        li.item ol.rounds { margin: 4px 0 0; padding-left: 1.25em; }
        .num { color: var(--muted); font-weight: 600; margin-right: 6px; }
        .statement { font-weight: 600; }
        .criterion, .meta { color: var(--muted); font-size: 14px; margin: 4px 0 0; }
        .criterion b, .meta b { color: var(--ink); font-weight: 600; }
        .tag {
          display: inline-block;
          font-size: 12px;
          font-weight: 600;
          padding: 1px 8px;
          border-radius: 10px;
          margin-left: 6px;
        }
        .tag.late { background: #fde8e4; color: var(--late); }
        .tag.done { background: #e3f5ec; color: var(--done); }
        .tag.again { background: #fdf3e1; color: var(--warn); }
        .tag.pending { background: #eef0f4; color: var(--muted); }
        .note { margin: 8px 0 0; padding: 8px 10px; border-radius: 6px; font-size: 14px; }
        .note.strike { background: #eef8f2; }
        .note.reopen { background: #fdf3e1; }
        ul.images { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; padding: 0; margin: 10px 0 0; }
        ul.images a {
          display: block;
          min-width: 44px;
          min-height: 44px;
          border: 1px solid var(--line);
          border-radius: 6px;
          overflow: hidden;
          background: #fff;
        }
        ul.images a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        ul.images img { display: block; max-width: 160px; max-height: 120px; width: auto; height: auto; object-fit: contain; }
        footer { color: var(--muted); font-size: 13px; padding: 8px 16px 32px; }
        .live-notice { border-left: 4px solid #b10e1e; padding: 4px 12px; margin: 8px 0 0; font-weight: 600; }
        .live-notice:empty { display: none; }
        @media print { .live { display: none; } body { background: #fff; } }
        """#

    static let noticeStyle = #"""
        body {
          margin: 0;
          font: 16px/1.5 -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
          color: #1d2430;
          background: #f6f7fb;
          display: flex;
          min-height: 100vh;
          align-items: center;
          justify-content: center;
        }
        div { background: #fff; border: 1px solid #e3e7ee; border-radius: 8px; padding: 24px 32px; max-width: 420px; }
        h1 { font-size: 20px; margin: 0 0 8px; }
        p { color: #5f6b7a; margin: 0; }
        """#

    /// Replaces the list with each `update` the server sends; says so when the link is gone. The
    /// stream is asked for in the page's language (`<html lang>`), and the words for a dead link
    /// come from the page (`data-expired`): the script holds no text of its own. A stream the
    /// server refused (429, 503) or ended for good leaves the browser's EventSource closed: the
    /// page then says in its status line (`data-stopped`) that it no longer updates itself, and
    /// its indicator no longer reads "live" (`data-off`).
    static let script = #"""
        window.clubPageLoadedAt = Date.now();
        (function () {
          if (!window.EventSource) { return; }
          var language = encodeURIComponent(document.documentElement.lang || "");
          var source = new EventSource(location.pathname.replace(/\/$/, "") + "/events?lang=" + language);
          source.onopen = function () { document.body.dataset.live = "connected"; };
          source.onerror = function () {
            document.body.dataset.live = "offline";
            if (source.readyState !== EventSource.CLOSED) { return; }
            var notice = document.getElementById("live-notice");
            if (notice) { notice.textContent = notice.dataset.stopped; }
            var live = document.getElementById("live");
            if (live) { live.textContent = live.dataset.off; }
          };
          source.addEventListener("update", function (event) {
            var current = document.getElementById("list");
            var holder = document.createElement("div");
            holder.innerHTML = event.data;
            if (current && holder.firstElementChild) { current.replaceWith(holder.firstElementChild); }
            document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
          });
          source.addEventListener("gone", function () {
            source.close();
            document.body.dataset.live = "offline";
            var live = document.getElementById("live");
            live.textContent = live.dataset.expired;
          });
        })();
        """#
}
