// What Hexo's yaml renderer makes of each text: reads {"name": "yaml text", ...} on stdin and prints
// {"name": {"value": ..., "functions": ["dotted.key", ...]} or {"error": "..."}} as JSON.
// In "value", a RegExp is {"$regexp": source, "$flags": flags}, a Date {"$date": ISO}, a number
// JSON cannot hold {"$number": "NaN"}; undefined and functions are what JSON.stringify makes of
// them (a mapping's key left out, null in a list): the key a site loses.
'use strict';

const yaml = require('js-yaml');
const { escape } = require('hexo-front-matter');
const schema = yaml.DEFAULT_SCHEMA.extend(require('js-yaml-js-types').all);

function functions(value, path, out) {
  if (typeof value === 'function') out.push(path.join('.'));
  else if (value && typeof value === 'object' && !(value instanceof RegExp) && !(value instanceof Date)) {
    for (const key of Object.keys(value)) functions(value[key], [...path, key], out);
  }
  return out;
}

function replacer(key, value) {
  const raw = this[key];
  if (raw instanceof RegExp) return { $regexp: raw.source, $flags: raw.flags };
  if (raw instanceof Date) return { $date: Number.isNaN(raw.getTime()) ? 'Invalid Date' : raw.toISOString() };
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { $number: String(raw) };
  return value;
}

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const cases = JSON.parse(input);
  const out = {};
  for (const [name, text] of Object.entries(cases)) {
    try {
      const value = yaml.load(escape(text), { schema });
      out[name] = { value: JSON.parse(JSON.stringify({ v: value }, replacer)).v ?? null, functions: functions(value, [], []) };
    } catch (e) {
      out[name] = { error: String(e.message).split('\n')[0] };
    }
  }
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
});
