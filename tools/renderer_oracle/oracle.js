// Runs the JavaScript packages feeds follows on inputs given as JSON on stdin, and prints their
// outputs as JSON: {"kind": "titlecase", "inputs": [...]} or {"kind": "render", "renderer":
// "hexo-renderer-markdown-it", "config": {...the site's _config.yml keys...}, "inputs": [...]}.
// The renderer is loaded as Hexo loads a plugin: its index.js with a global `hexo` whose config
// is the one given, and its registered `md` renderer called as Hexo calls it.
'use strict';

const path = require('path');

function titlecase(inputs) {
  const toTitleCase = require('titlecase');
  return inputs.map((s) => toTitleCase(s));
}

function render(name, config, inputs) {
  const renderers = {};
  global.hexo = {
    config: JSON.parse(JSON.stringify(config || {})),
    base_dir: __dirname,
    log: { warn() {}, info() {}, debug() {} },
    extend: { renderer: { register(ext, out, fn) { renderers[ext] = fn; } } },
    execFilterSync() {},
  };
  require(path.join(__dirname, 'node_modules', name, 'index.js'));
  const md = renderers.md;
  return inputs.map((text) => md.call(global.hexo, { text, path: 'post.md' }, {}));
}

let raw = '';
process.stdin.on('data', (chunk) => { raw += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(raw);
  const out = request.kind === 'titlecase'
    ? titlecase(request.inputs)
    : render(request.renderer, request.config, request.inputs);
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
});
