// The settings a module reads, from its sources: the keys of its application.properties (and
// platform-commons' shared defaults), the environment variables those reference, its
// @ConfigMapping interfaces and its @ConfigProperty injections. Used to check that deployments
// set only what a service reads, and that docs/configuration.md lists every setting.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SERVICES = ['gateway', 'auth-service', 'chat-service', 'signaling-service', 'media-service', 'audit-service'];
export const COMMONS = 'platform-commons';

/** quarkus.rest-client.auth.url → QUARKUS_REST_CLIENT_AUTH_URL (MicroProfile Config's environment rule). */
export const envName = (property) => property.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

function javaFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? javaFiles(path) : path.endsWith('.java') ? [path] : [];
  });
}

/** The body of the block whose opening brace is at {@code open}. */
function block(text, open) {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

/** The interfaces declared in a file, each with its own body (nested interfaces cut out). */
function interfaces(source) {
  const found = new Map();
  const declaration = /\binterface\s+(\w+)[^{]*\{/g;
  let match;
  while ((match = declaration.exec(source))) {
    const body = block(source, match.index + match[0].length - 1);
    let own = body;
    const nested = /\binterface\s+\w+[^{]*\{/g;
    let inner;
    while ((inner = nested.exec(body))) {
      own = own.replace(inner[0] + block(body, inner.index + inner[0].length - 1) + '}', '');
    }
    found.set(match[1], own);
  }
  return found;
}

/** Settings of a @ConfigMapping interface: a nested interface is a group, anything else a leaf. */
function mappingSettings(source) {
  const mapping = /@ConfigMapping\(\s*prefix\s*=\s*"([^"]+)"\s*\)[\s\S]*?\binterface\s+(\w+)/.exec(source);
  if (!mapping) return [];
  const types = interfaces(source);
  const settings = [];
  const walk = (type, prefix, seen) => {
    const body = (types.get(type) || '').replace(/\/\*(?!\*)[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const method = /(\/\*\*(?:[^*]|\*(?!\/))*\*\/\s*)?((?:@\w+(?:\((?:"[^"]*"|[^)])*\))?\s*)*)([\w.<>, ?]+?)\s+(\w+)\(\)\s*;/g;
    let m;
    while ((m = method.exec(body))) {
      const renamed = /@WithName\("([^"]+)"\)/.exec(m[2]);
      const fallback = /@WithDefault\("((?:[^"\\]|\\.)*)"\)/.exec(m[2]);
      const name = `${prefix}.${renamed ? renamed[1] : kebab(m[4])}`;
      const inner = m[3].replace(/^(Optional|List|Set)<(.+)>$/, '$2').trim();
      if (types.has(inner) && !seen.has(inner)) {
        walk(inner, name, new Set([...seen, inner]));
      } else {
        settings.push({ name: /^Map</.test(m[3]) ? `${name}.*` : name, fallback: fallback ? fallback[1] : undefined,
          comment: m[1] ? oneLine(m[1].split('\n')) : '' });
      }
    }
  };
  walk(mapping[2], mapping[1], new Set([mapping[2]]));
  return settings;
}

/** A comment's text on one line, markers and "DEV DEFAULT" notes kept as written. */
const oneLine = (lines) => lines.map((l) => l.replace(/^\s*(#|\/\*\*|\*\/|\*)\s?/, '').replace(/\s*\*\/\s*$/, '').trim())
  .filter(Boolean).join(' ')
  .replace(/\{@code ([^}]*)\}/g, '`$1`').replace(/\{@link ([^}]*)\}/g, '`$1`');

function properties(file) {
  if (!existsSync(file)) return [];
  const entries = [];
  let comment = [];
  let blank = true;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*$/.test(line)) { blank = true; comment = []; continue; }
    if (/^\s*#/.test(line)) {
      if (blank) comment = []; // a comment after a key starts a new group
      comment.push(line);
      blank = false;
      continue;
    }
    const entry = /^\s*([^#!\s][^=:\s]*)\s*[=:]\s*(.*)$/.exec(line);
    if (!entry) continue;
    blank = true; // the group's comment stays until the next blank line or comment
    const profile = /^%([^.]+)\./.exec(entry[1]);
    const name = entry[1].replace(/^%[^.]+\./, '').replace(/"/g, '');
    entries.push({ name, value: entry[2].trim(), profile: profile?.[1], comment: oneLine(comment) });
    for (const reference of entry[2].matchAll(/\$\{([A-Za-z0-9_]+)(?::([^}]*))?\}/g)) {
      entries.push({ env: reference[1], value: reference[2], comment: `read by \`${name}\`` });
    }
  }
  return entries;
}

/**
 * Every setting the module reads: {name (property, or null for a bare environment variable), env,
 * value (its default where the sources give one), profiles (profile: value where only some profiles
 * set it)}. With {@code shared} false, platform-commons' own settings are left out.
 */
export function settingsOf(root, module, shared = true) {
  const byEnv = new Map();
  const add = (name, env, value, profile, comment) => {
    const key = env || envName(name);
    const setting = byEnv.get(key) || { name: name || null, env: key, value: undefined, profiles: {}, comment: '' };
    if (profile) profile.split(',').forEach((p) => { setting.profiles[p] = value; });
    else if (value !== undefined && setting.value === undefined) setting.value = value;
    if (comment && !setting.comment) setting.comment = comment;
    byEnv.set(key, setting);
  };
  const modules = shared && module !== COMMONS ? [module, COMMONS] : [module];
  for (const m of modules) {
    const file = m === COMMONS ? 'src/main/resources/META-INF/microprofile-config.properties' : 'src/main/resources/application.properties';
    for (const entry of properties(join(root, m, file))) {
      if (entry.env) add(null, entry.env, entry.value, undefined, entry.comment);
      else add(entry.name, null, entry.value, entry.profile, entry.comment);
    }
    for (const path of javaFiles(join(root, m, 'src/main/java'))) {
      const source = readFileSync(path, 'utf8');
      for (const setting of mappingSettings(source)) {
        add(setting.name, setting.name.endsWith('.*') ? envName(setting.name.slice(0, -1)) + '*' : null, setting.fallback,
          undefined, setting.comment);
      }
      for (const injected of source.matchAll(/@ConfigProperty\(\s*name\s*=\s*"([^"]+)"(?:\s*,\s*defaultValue\s*=\s*"([^"]*)")?/g)) {
        add(injected[1], null, injected[2]);
      }
    }
  }
  return [...byEnv.values()];
}

/** Whether the module reads the environment variable (a mapped map reads every name under its prefix). */
export function reads(settings, env) {
  return settings.some((s) => s.env === env || (s.env.endsWith('*') && env.startsWith(s.env.slice(0, -1))));
}
