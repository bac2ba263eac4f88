// Build a Hexo blog with Hexo itself and dump what Hexo would publish, one JSON file.
//
//   node hexo_dump.js BASE_DIR OUT_JSON CONFIG_FILES [--generate]
//
// BASE_DIR is a scratch copy of the blog (Hexo writes db.json, public/ and _multiconfig.yml
// into it). CONFIG_FILES is Hexo's own --config list ("_config.yml,_hexo_compare.yml"): Hexo
// merges the files itself. HEXO_COMPARE_NODE_MODULES names the node_modules that holds hexo.
// With --generate, `hexo generate` runs first (hexo-generator-feed writes atom.xml and
// rss2.xml); if that fails the posts are still dumped after a plain `hexo.load()`.
'use strict';

const path = require('path');
const fs = require('fs');
const util = require('util');

const [baseDir, outJson, configFiles, ...flags] = process.argv.slice(2);
const modules = process.env.HEXO_COMPARE_NODE_MODULES || path.join(baseDir, 'node_modules');
const { createRequire } = require('module');
const Hexo = require(path.join(modules, 'hexo'));
// hexo's own dependencies, resolved as hexo resolves them
const hexoRequire = createRequire(path.join(modules, 'hexo', 'package.json'));
const { stripHTML } = hexoRequire('hexo-util');
const { parse: parseFrontMatter, split: splitFrontMatter } = hexoRequire('hexo-front-matter');
const moment = hexoRequire('moment-timezone');
const Bluebird = hexoRequire('bluebird');

const logs = [];
const renderErrors = [];
const stubTags = new Set();

function collapse(text) {
  return String(text).replace(/\s+/g, ' ').trim();
}

function isoAndMs(value, timezone) {
  if (value == null) return { iso: null, ms: null };
  const m = moment.isMoment(value) ? value.clone() : moment(value);
  if (!m.isValid()) return { iso: String(value), ms: null };
  const zoned = timezone && moment.tz.zone(timezone) ? m.tz(timezone) : m;
  return { iso: zoned.format('YYYY-MM-DDTHH:mm:ss.SSSZ'), ms: m.valueOf() };
}

function categoryNames(cat, byId) {
  const names = [];
  for (let c = cat; c; c = c.parent ? byId.get(c.parent) : null) names.unshift(String(c.name));
  return names;
}

// A post whose Nunjucks tag is unknown (usually one a missing theme registers) is rendered again
// with that tag replaced by a stub that keeps its inner content, so one theme tag does not lose
// the whole build; every such retry is recorded in the dump.
function guardRender(hexo) {
  const original = hexo.post.render.bind(hexo.post);
  hexo.post.render = function render(source, data = {}, callback) {
    return Bluebird.resolve(guarded(source, data)).asCallback(callback);
  };
  async function guarded(source, data) {
    const raw = data._content != null ? data._content : data.content;
    let lastError;
    for (let attempt = 0; attempt < 25; attempt++) {
      try {
        const result = await original(source, data);
        if (attempt > 0) renderErrors.push({ source: data.source || source, message: String(lastError && lastError.message).split('\n')[0], retried: 'stub tags' });
        return result;
      } catch (err) {
        lastError = err;
        const text = `${err && err.message} ${err && err.type}`;
        const m = text.match(/unknown block tag: ([\w-]+)/);
        if (!m || stubTags.has(m[1]) && attempt > 0) break;
        const name = m[1];
        const ends = raw != null && new RegExp(`{%-?\\s*end${name}\\s*-?%}`).test(raw);
        hexo.extend.tag.register(name, (args, content) => (ends ? content : ''), { ends });
        stubTags.add(name);
        if (raw != null) data.content = raw;
      }
    }
    // Not a tag we can stub: render without Nunjucks, as `disableNunjucks: true` would.
    renderErrors.push({ source: data.source || source, message: String(lastError && lastError.message).split('\n')[0], retried: 'disableNunjucks' });
    if (raw != null) data.content = raw;
    data.disableNunjucks = true;
    try {
      return await original(source, data);
    } catch (err) {
      renderErrors.push({ source: data.source || source, message: String(err.message).split('\n')[0], retried: 'gave up' });
      data.content = '';
      return data;
    }
  }
}

async function main() {
  const hexo = new Hexo(baseDir, { silent: true, config: configFiles });
  for (const level of ['warn', 'error', 'fatal']) {
    hexo.log[level] = (...args) => {
      // hexo logs errors as (obj with err, format, ...values) or (format, ...values)
      let err = null;
      if (args[0] instanceof Error) err = args.shift();
      else if (args[0] && typeof args[0] === 'object' && args[0].err) err = args.shift().err;
      let msg = args.length ? util.format(...args) : '';
      if (err) msg += `${msg ? ': ' : ''}${String(err.message || err).split('\n')[0]}`;
      logs.push({ level, message: msg.replace(/\x1b\[[0-9;]*m/g, '') });
    };
  }
  await hexo.init();
  guardRender(hexo);
  let generated = false;
  let generateError = null;
  if (flags.includes('--generate')) {
    try {
      await hexo.call('generate', {});
      generated = true;
    } catch (err) {
      generateError = String(err && err.message).split('\n')[0];
    }
  }
  if (!generated) await hexo.load();

  const { config } = hexo;
  const timezone = config.timezone || process.env.TZ || '';
  const byId = new Map(hexo.model('Category').toArray().map(c => [c._id, c]));
  const sourceDir = hexo.source_dir;
  const posts = hexo.locals.get('posts').sort('date').toArray().map(post => {
    const cats = post.categories.toArray();
    // read as Hexo reads it (hexo-fs: BOM dropped, CRLF and CR made LF)
    const rawText = fs.existsSync(post.full_source)
      ? fs.readFileSync(post.full_source, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
      : '';
    let fm = {};
    try { fm = parseFrontMatter(rawText); } catch (e) { fm = {}; }
    let header = '';
    try { header = splitFrontMatter(rawText).data || ''; } catch (e) { header = ''; }
    const rawValue = key => {
      const m = header.match(new RegExp(`^${key}:[ \\t]*(.*)$`, 'm'));
      return m ? m[1].trim() : null;
    };
    const content = post.content || '';
    return {
      source: post.source.replace(/^_posts\//, ''),
      source_from_root: path.relative(sourceDir, post.full_source).split(path.sep).join('/'),
      title: post.title == null ? '' : String(post.title),
      permalink: post.permalink,
      path: post.path,
      date: isoAndMs(post.date, timezone),
      updated: isoAndMs(post.updated, timezone),
      front_matter_raw: { date: rawValue('date'), updated: rawValue('updated') },
      front_matter_has: { date: 'date' in fm, updated: 'updated' in fm, title: 'title' in fm, permalink: 'permalink' in fm },
      categories: cats.map(c => categoryNames(c, byId)),
      category_slugs: cats.map(c => c.slug),
      category_paths: cats.map(c => c.path),
      tags: post.tags.toArray().map(t => ({ name: String(t.name), slug: t.slug })),
      published: post.published,
      layout: post.layout,
      content_html: content,
      text: collapse(stripHTML(content))
    };
  });

  const out = {
    hexo_version: hexo.version,
    plugins: Object.keys(hexo.extend.renderer.list()),
    config: {
      url: config.url, root: config.root, permalink: config.permalink, timezone: config.timezone,
      language: config.language, title: config.title, new_post_name: config.new_post_name,
      future: config.future, render_drafts: config.render_drafts, updated_option: config.updated_option,
      post_asset_folder: config.post_asset_folder, pretty_urls: config.pretty_urls, theme: config.theme
    },
    generated,
    generate_error: generateError,
    public_dir: hexo.public_dir,
    stub_tags: [...stubTags],
    render_errors: renderErrors,
    logs,
    posts
  };
  fs.writeFileSync(outJson, JSON.stringify(out));
  await hexo.exit();
}

// Exit once the dump is written: a plugin can leave a timer or a handle open (wqdygkd's blog kept
// node alive after hexo.exit()), and the comparison waits for this process to end.
main().then(() => process.exit(), err => {
  fs.writeFileSync(outJson, JSON.stringify({ fatal: String(err && err.stack || err), logs }));
  process.exit(1);
});
