// What Hexo 8 writes for a site `url`: reads a JSON list of url values on stdin and prints, for each,
// {"url": value, "valid": Hexo's validate_config accepts it, "root": hexo-generator-feed's site
// <link>/<id> (encodeURL(url + '/') after Hexo strips trailing slashes), "post": a post's permalink
// through full_url_for and the feed's uriencode filter}.
'use strict';

const { encodeURL, full_url_for } = require('hexo-util');

function valid(url) {
  try {
    return new URL(url).protocol.startsWith('http');
  } catch {
    return false;
  }
}

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(value => {
    const url = value.replace(/\/+$/, ''); // load_config.js
    const row = { url: value, valid: valid(value) };
    if (!row.valid) return row;
    const ctx = { config: { url, pretty_urls: { trailing_index: true, trailing_html: true } } };
    try {
      row.root = encodeURL(url + '/');
      row.post = encodeURL(full_url_for.call(ctx, '2024/01/02/héllo wörld/'));
    } catch (e) {
      row.error = String(e.message);
    }
    return row;
  });
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
});
