/** HTML building blocks of the playground's pages (server-rendered; a few lines of script). */

export const escapeHtml = (value: string): string => {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
};

/** JSON text of anything a connector returned or threw: cycles and bigints must not fail a page. */
const toJson = (value: unknown): string => {
  try {
    return JSON.stringify(value, null, 2) ?? 'undefined';
  } catch (error) {
    return `(not representable as JSON: ${error instanceof Error ? error.message : String(error)})`;
  }
};

/** Pretty-printed JSON in a `<pre>`. */
export const jsonBlock = (value: unknown, testId?: string) =>
  `<pre class="json"${testId ? ` data-testid="${testId}"` : ''}>${escapeHtml(toJson(value))}</pre>`;

const styles = `
:root{--fg:#1d1d1f;--muted:#6b6b73;--line:#e3e3e8;--accent:#5d34f2;--bad:#c62828;--good:#1b7f3b;--bg:#f7f7fa}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem 1rem;padding:.8rem 1.5rem;background:#fff;border-bottom:1px solid var(--line)}
header.top a{color:inherit;text-decoration:none;font-weight:600}
header.top .muted{font-weight:400}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
.muted,.hint{color:var(--muted)}
.hint{font-size:.85rem;margin:.25rem 0 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem;padding:0;list-style:none}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem;display:flex;gap:.8rem;color:inherit;text-decoration:none}
.card:hover{border-color:var(--accent)}
.card img,.logo{width:40px;height:40px;flex:none;object-fit:contain}
.card h2{font-size:1rem;margin:0}
.card p{margin:.2rem 0 0;font-size:.85rem;color:var(--muted)}
.badge{display:inline-block;font-size:.75rem;padding:0 .45rem;border-radius:99px;background:#eee;color:#333;margin-left:.3rem;vertical-align:middle}
.badge.social{background:#ebe6ff;color:#3d1fb3}.badge.email{background:#e3f4ea;color:#14613a}.badge.sms{background:#fff1d6;color:#7a4b00}
.badge.emulator{background:#e6f1ff;color:#0b4a99}.badge.real{background:#ffe9e6;color:#9b1c0e}
.badge.fault{background:#fff1d6;color:#7a4b00}
.layout{display:grid;grid-template-columns:minmax(0,26rem) minmax(0,1fr);gap:1.5rem;align-items:start}
@media (max-width:60rem){.layout{grid-template-columns:minmax(0,1fr)}}
main{overflow-wrap:anywhere}
.title>div{min-width:0}
section.panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem 1.2rem;margin-bottom:1rem}
section.panel h2{font-size:1.05rem;margin:0 0 .6rem}
.title{display:flex;gap:1rem;align-items:center;margin-bottom:1rem}
.title h1{margin:0;font-size:1.4rem}
.field{margin:.8rem 0}
.field>label{display:block;font-weight:600;font-size:.9rem;margin-bottom:.2rem}
.field.invalid input,.field.invalid textarea,.field.invalid select{border-color:var(--bad)}
input[type=text],input[type=password],input[type=number],input[type=email],textarea,select{width:100%;padding:.45rem .55rem;border:1px solid #cfcfd6;border-radius:6px;font:inherit;background:#fff}
textarea.json,pre.json{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.json{background:#f6f6f9;border:1px solid var(--line);border-radius:6px;padding:.6rem;overflow:auto;max-height:28rem;margin:.3rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
fieldset.multi{border:0;padding:0;margin:0;min-width:0}
fieldset.multi legend{font-weight:600;font-size:.9rem;padding:0;margin-bottom:.2rem}
.field{scroll-margin:2rem 0 6rem}
.working{align-self:center;color:var(--muted)}
.working::before{content:"";display:inline-block;width:.8em;height:.8em;margin-right:.4rem;border:2px solid var(--accent);border-right-color:transparent;border-radius:50%;vertical-align:-.1em;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(1turn)}}
form[aria-busy=true] button{cursor:progress}
.multi label,.switch{display:inline-flex;gap:.3rem;align-items:center;margin-right:1rem;font-weight:400}
.required{color:var(--bad)}
.field-errors,.errors{color:var(--bad);margin:.3rem 0;padding-left:1.1rem;font-size:.88rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem -1.2rem -1rem;padding:.8rem 1.2rem;position:sticky;bottom:0;background:#fff;border-top:1px solid var(--line);border-radius:0 0 10px 10px}
fieldset.test-message{border:1px solid var(--line);border-radius:8px;margin:0 0 1rem}
button{font:inherit;padding:.5rem .9rem;border-radius:6px;border:1px solid #cfcfd6;background:#fff;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
.result{border-left:4px solid var(--good)}
.result.failed{border-left-color:var(--bad)}
.result h2 .code{font-family:ui-monospace,monospace;color:var(--bad)}
table.kv{border-collapse:collapse;width:100%;margin:.3rem 0}
table.kv th{text-align:left;font-weight:600;width:9rem;padding:.25rem .5rem .25rem 0;vertical-align:top;color:var(--muted)}
table.kv td{padding:.25rem 0;word-break:break-all}
iframe.mail{width:100%;height:16rem;border:1px solid var(--line);border-radius:6px;background:#fff}
.notice{background:#eef4ff;border:1px solid #cfe0ff;border-radius:8px;padding:.6rem .8rem;font-size:.9rem}
code{font-family:ui-monospace,monospace;font-size:.9em}
ol.timeline{list-style:none;padding:0;margin:.3rem 0}
ol.timeline>li{border-top:1px solid var(--line);padding:.35rem 0}
ol.timeline summary{cursor:pointer}
.http-status{font-weight:600;color:var(--good)}.http-status.bad{color:var(--bad)}
.copy-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.5rem}
.copy-actions form{margin:0}
`;

/**
 * The pages' only script: shows or hides form items with `showConditions` as the form changes;
 * while a post runs (a provider may take seconds), disables the buttons and shows "Working…";
 * focuses the first field with a problem; keeps the emulator / real provider badge current.
 */
const script = `
document.querySelectorAll('form.config').forEach(function (form) {
  const valueOf = (key) => {
    var field = form.querySelector('[data-key="' + key + '"]');
    if (!field) return undefined;
    var box = field.querySelector('input[type=checkbox]');
    if (box && field.dataset.type === 'Switch') return box.checked;
    var input = field.querySelector('input,select,textarea');
    return input ? input.value : undefined;
  }
  const update = () => {
    form.querySelectorAll('[data-show-conditions]').forEach(function (field) {
      var conditions = JSON.parse(field.dataset.showConditions);
      field.hidden = !conditions.every(function (c) {
        var v = valueOf(c.targetKey);
        return c.expectValue === undefined ? Boolean(v) : v === c.expectValue;
      });
    });
  }
  form.addEventListener('change', update);

  // Disabled buttons are not submitted: the one pressed is carried by a hidden input instead.
  form.addEventListener('submit', function (event) {
    var pressed = event.submitter;
    if (form.getAttribute('aria-busy') === 'true') { event.preventDefault(); return; }
    if (pressed && pressed.name) {
      var carried = document.createElement('input');
      carried.type = 'hidden'; carried.name = pressed.name; carried.value = pressed.value;
      carried.className = 'carried-submitter';
      form.appendChild(carried);
    }
    form.setAttribute('aria-busy', 'true');
    form.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
    var working = form.querySelector('.working');
    if (working) working.hidden = false;
  });
  // Back from the provider, a page restored from the back/forward cache must be usable again.
  window.addEventListener('pageshow', function () {
    form.removeAttribute('aria-busy');
    form.querySelectorAll('button').forEach(function (button) { button.disabled = false; });
    form.querySelectorAll('.carried-submitter').forEach(function (input) { input.remove(); });
    var working = form.querySelector('.working');
    if (working) working.hidden = true;
  });

  // After load: scrolling to the page's #result fragment would otherwise take the focus away.
  var firstInvalid = form.querySelector('.field.invalid:not([hidden]) [aria-invalid=true]');
  if (firstInvalid) {
    window.addEventListener('load', function () {
      setTimeout(function () {
        firstInvalid.closest('.field').scrollIntoView({ block: 'center' });
        firstInvalid.focus({ preventScroll: true });
      });
    });
  }

  var modeUrl = form.dataset.modeUrl;
  var badge = document.querySelector('[data-testid=mode]');
  var timer;
  var askMode = function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(modeUrl, { method: 'POST', body: new URLSearchParams(new FormData(form)) })
        .then(function (answer) { return answer.json(); })
        .then(function (mode) {
          badge.dataset.mode = mode.mode;
          badge.className = 'badge ' + mode.mode;
          badge.textContent = mode.mode === 'emulator' ? mode.emulatorName : 'real provider';
        })
        .catch(function () {});
    }, 200);
  };
  if (modeUrl && badge) {
    form.addEventListener('input', askMode);
    form.addEventListener('change', askMode);
  }
});
`;

export const page = (title: string, body: string): string => {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · idplug playground</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>${styles}</style></head>
<body><header class="top"><a href="/">idplug playground</a><span class="muted">Logto connectors of this workspace, end to end</span><a href="/inbox" data-testid="inbox-link">Inbox</a></header>
<main>${body}</main>
<script>${script}</script>
</body></html>`;
};
