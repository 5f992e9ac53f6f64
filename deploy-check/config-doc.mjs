// docs/configuration.md, made from the sources (settings.mjs): every setting of every service with
// its environment variable, default and meaning (the comment beside it in the properties file or
// on its config-mapping method). `node deploy-check/config-doc.mjs --write` rewrites it;
// deploy-check fails when the committed file differs, or when a setting has no comment.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMONS, SERVICES, settingsOf } from './settings.mjs';

/** Settings whose meaning is the same wherever they appear. */
const COMMON_MEANINGS = {
  'quarkus.application.name': 'The service\'s name: in logs, metrics, audit events and shipped log records.',
  'quarkus.http.port': 'The HTTP port (REST, WebSockets, /q/*).',
  'quarkus.redis.hosts': 'Redis, as a URI (`redis://` or `rediss://`, with credentials if any).',
  'kafka.bootstrap.servers': 'Kafka brokers, comma separated (outbox relay, consumers, log shipping). Every other `kafka.*` client setting (`KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_MECHANISM`, `KAFKA_SASL_JAAS_CONFIG`, `KAFKA_SSL_TRUSTSTORE_LOCATION`, …) reaches the consumers, the outbox relay and log shipping alike (ADR 0028).',
  'quarkus.hibernate-orm.database.version-check.enabled': 'Off: MariaDB locally, MySQL 8 in production; the check would refuse one of them.',
  'quarkus.mongodb.connection-string': 'MongoDB, as a connection string (credentials and TLS included).',
  'quarkus.mongodb.database': 'The MongoDB database.',
  'talkline.instance-id': 'This instance\'s name in shipped log records (devstack sets it; default: the host).',
};

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function value(setting) {
  const parts = [];
  if (setting.value !== undefined && setting.value !== '') parts.push(`\`${cell(setting.value)}\``);
  for (const [profile, v] of Object.entries(setting.profiles)) parts.push(`${profile}: \`${cell(v)}\``);
  return parts.length ? parts.join('; ') : '—';
}

export function configurationDoc(root) {
  const lines = [
    '# Configuration',
    '',
    'Every setting of every service, made from the sources by `deploy-check/config-doc.mjs` (do not',
    'edit by hand: change the comment beside the setting, then run `node deploy-check/config-doc.mjs',
    '--write`; CI fails when this file and the sources differ). Set any of them through its',
    'environment variable. "dev", "test" and "local" mark values that only those profiles have: a',
    'service started without them runs in `prod` and must be given the credentials (ADR 0015). A',
    'name ending in `*` is a family (one entry per instance or route). Each service also reads every',
    'setting of the first table, and every `kafka.*` Kafka client setting (TLS, SASL) as its',
    '`KAFKA_*` variable.',
    '',
  ];
  const missing = [];
  for (const module of [COMMONS, ...SERVICES]) {
    lines.push(module === COMMONS ? '## Every service (platform-commons)' : `## ${module}`, '');
    lines.push('| setting | environment variable | default | what it does |', '|---|---|---|---|');
    const settings = settingsOf(root, module, false).sort((a, b) => (a.name || a.env).localeCompare(b.name || b.env));
    for (const s of settings) {
      const meaning = s.comment || COMMON_MEANINGS[s.name] || '';
      if (!meaning) missing.push(`${module}: ${s.name || s.env}`);
      lines.push(`| ${s.name ? `\`${cell(s.name)}\`` : '—'} | \`${s.env}\` | ${value(s)} | ${cell(meaning)} |`);
    }
    lines.push('');
  }
  return { text: lines.join('\n'), missing };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const { text, missing } = configurationDoc(root);
  if (process.argv.includes('--write')) {
    writeFileSync(join(root, 'docs/configuration.md'), text);
    console.log('wrote docs/configuration.md');
  } else {
    process.stdout.write(text);
  }
  if (missing.length) console.error(`settings without a comment:\n- ${missing.join('\n- ')}`);
}
