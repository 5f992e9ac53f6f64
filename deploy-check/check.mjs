// Checks the deployment files of the repository without a cluster or a Docker engine, and the
// documents made to match the code (deploy-check/README.md). Exits non-zero naming every problem found.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';
import { Parser, fromFile } from '@asyncapi/parser';
import { SERVICES, reads, settingsOf } from './settings.mjs';
import { configurationDoc } from './config-doc.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

// ---------- what each service reads (settings.mjs)

const readers = Object.fromEntries(SERVICES.map((service) => [service, settingsOf(root, service)]));
const httpPort = (module) => readers[module].find((s) => s.name === 'quarkus.http.port')?.value ?? null;

function checkEnv(where, module, names) {
  for (const name of names) {
    if (!reads(readers[module], name)) problem(where, `sets ${name}, which ${module} does not read (a typo, or a setting it lost)`);
  }
}

// ---------- Kubernetes: render, validate against the schemas, apply the policies

const models = {
  v1: 'kubernetes-models/v1', 'apps/v1': 'kubernetes-models/apps/v1', 'batch/v1': 'kubernetes-models/batch/v1',
  'policy/v1': 'kubernetes-models/policy/v1', 'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
};

function render(overlay) {
  const dir = join(root, 'k8s/overlays', overlay);
  const key = join(dir, 'auth-signing-key.pem');
  const made = readFileSync(join(dir, 'kustomization.yaml'), 'utf8').includes('auth-signing-key.pem') && !existsSync(key);
  if (made) execFileSync(join(root, 'docker/auth-signing-key.sh'), [key], { stdio: 'ignore' }); // a throwaway key to render with
  try {
    return parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJS()).filter(Boolean);
  } finally {
    if (made) rmSync(key);
  }
}

/** The keys of the Secrets an overlay does not generate: the templates in k8s/secrets. */
const secretTemplates = Object.fromEntries(readdirSync(join(root, 'k8s/secrets')).map((file) => {
  const secret = parse(readFileSync(join(root, 'k8s/secrets', file), 'utf8'));
  return [secret.metadata.name, Object.keys(secret.stringData || secret.data || {})];
}));

const podSpecOf = (object) => object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec?.template?.spec;

async function checkOverlay(overlay) {
  const objects = render(overlay);
  const at = (o) => `k8s/overlays/${overlay}: ${o.kind}/${o.metadata?.name}`;
  for (const object of objects) {
    const module = models[object.apiVersion];
    if (!module) { problem(at(object), `apiVersion ${object.apiVersion} has no schema here`); continue; }
    const Model = (await import(module))[object.kind];
    if (!Model) { problem(at(object), `unknown kind for ${object.apiVersion}`); continue; }
    // kustomize wraps long base64 values over lines; the API server's decoder skips the newlines
    const checked = object.kind === 'Secret' && object.data
      ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, String(v).replace(/\s/g, '')])) }
      : object;
    try { new Model(checked).validate(); } catch (e) { problem(at(object), `schema: ${e.message}`); }
  }
  const configMaps = new Map(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, Object.keys(o.data || {})]));
  const secrets = new Map(objects.filter((o) => o.kind === 'Secret').map((o) => [o.metadata.name, Object.keys({ ...o.data, ...o.stringData })]));
  for (const [name, keys] of Object.entries(secretTemplates)) if (!secrets.has(name)) secrets.set(name, keys);
  const workloads = objects.filter((o) => podSpecOf(o));
  for (const workload of workloads) {
    const spec = podSpecOf(workload);
    const platform = workload.metadata.labels?.['app.kubernetes.io/component'] === 'service';
    for (const container of [...(spec.initContainers || []), ...spec.containers]) {
      const where = `${at(workload)} container ${container.name}`;
      const tag = /^[^@]+:([^/:@]+)$/.exec(container.image || '');
      if (!tag && !(container.image || '').includes('@sha256:')) problem(where, `image ${container.image} has no tag`);
      if (tag && tag[1] === 'latest') problem(where, `image ${container.image} uses the tag latest`);
      for (const env of container.env || []) {
        const cm = env.valueFrom?.configMapKeyRef;
        if (cm && !(configMaps.get(cm.name) || []).includes(cm.key)) problem(where, `env ${env.name}: ConfigMap ${cm.name} has no key ${cm.key}`);
        const secret = env.valueFrom?.secretKeyRef;
        if (secret && !(secrets.get(secret.name) || []).includes(secret.key)) problem(where, `env ${env.name}: Secret ${secret.name} has no key ${secret.key}`);
      }
      for (const volume of spec.volumes || []) {
        if (volume.secret && !secrets.has(volume.secret.secretName)) problem(where, `volume ${volume.name}: no Secret ${volume.secret.secretName}`);
        if (volume.configMap && !configMaps.has(volume.configMap.name)) problem(where, `volume ${volume.name}: no ConfigMap ${volume.configMap.name}`);
      }
      if (!platform) continue;
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
        const path = container[probe]?.httpGet?.path || '';
        if (!path.startsWith('/q/health/')) problem(where, `${probe} missing or not on /q/health/*`);
      }
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (!container.resources?.[kind]?.[resource]) problem(where, `resources.${kind}.${resource} missing`);
        }
      }
      const security = container.securityContext || {};
      if (!(security.runAsNonRoot ?? spec.securityContext?.runAsNonRoot)) problem(where, 'runAsNonRoot is not true');
      if (security.readOnlyRootFilesystem !== true) problem(where, 'readOnlyRootFilesystem is not true');
      if (security.allowPrivilegeEscalation !== false) problem(where, 'allowPrivilegeEscalation is not false');
      if (!(security.capabilities?.drop || []).includes('ALL')) problem(where, 'capabilities do not drop ALL');
      const pause = Number(container.lifecycle?.preStop?.exec?.command?.at(-1));
      if (!pause) problem(where, 'no preStop pause before SIGTERM');
      // the pause, Quarkus' shutdown delay (≤ 5 s) and its shutdown timeout (10 s) must fit in the grace period
      if ((spec.terminationGracePeriodSeconds ?? 30) < pause + 15) problem(where, `terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} < preStop ${pause} s + 15 s drain`);
      const module = container.image.replace(/^.*\//, '').replace(/:.*$/, '');
      if (!SERVICES.includes(module)) { problem(where, `image ${container.image} is not one of the services`); continue; }
      const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
      if (String(port) !== httpPort(module)) problem(where, `port ${port}, but ${module} listens on ${httpPort(module)}`);
      checkEnv(where, module, (container.env || []).map((e) => e.name));
    }
  }
  const templates = workloads.map((w) => ({ labels: podSpecOf(w) && w.spec.template.metadata?.labels || {}, workload: w }));
  const matches = (selector) => templates.filter((t) => Object.entries(selector || {}).every(([k, v]) => t.labels[k] === v));
  for (const service of objects.filter((o) => o.kind === 'Service')) {
    if (matches(service.spec.selector).length === 0) problem(at(service), `selector ${JSON.stringify(service.spec.selector)} matches no pod template`);
  }
  for (const budget of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
    if (matches(budget.spec.selector.matchLabels).length === 0) problem(at(budget), 'selector matches no pod template');
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = hpa.spec.scaleTargetRef;
    if (!objects.some((o) => o.kind === target.kind && o.metadata.name === target.name)) problem(at(hpa), `scales ${target.kind}/${target.name}, which does not exist`);
  }
  const deployments = objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'service');
  if (deployments.length !== SERVICES.length) problem(`k8s/overlays/${overlay}`, `${deployments.length} service Deployments, expected ${SERVICES.length}`);
  console.log(`k8s/overlays/${overlay}: ${objects.length} objects rendered and validated`);
  return objects;
}

const prod = await checkOverlay('prod');
await checkOverlay('dev');
for (const name of ['gateway', 'chat-service', 'signaling-service']) {
  const hpa = prod.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === name);
  if (!hpa || hpa.spec.minReplicas < 2) problem(`k8s/overlays/prod: ${name}`, 'needs an HPA with at least 2 replicas');
}

// ---------- Dockerfile: every path it copies exists in each service's build output

const dockerfile = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
const copies = [...dockerfile.matchAll(/^COPY\s+(?:--\S+\s+)*(\S+)\s+\S+\s*$/gm)].map((m) => m[1]);
if (copies.length === 0) problem('docker/Dockerfile', 'copies nothing');
for (const service of SERVICES) {
  for (const source of copies) {
    const path = source.replace('${SERVICE}', service);
    const dir = dirname(path);
    const present = path.includes('*')
      ? existsSync(join(root, dir)) && readdirSync(join(root, dir)).some((f) => new RegExp('^' + path.split('/').at(-1).replace('.', '\\.').replace('*', '.*') + '$').test(f))
      : existsSync(join(root, path));
    if (!present) problem('docker/Dockerfile', `COPY ${source}: ${path} is not in the build output (mvn -DskipTests package first)`);
  }
}
console.log(`docker/Dockerfile: ${copies.length} copied paths present for ${SERVICES.length} services`);

// ---------- compose: each file valid for docker-compose, every service's settings read by it

const composeFiles = ['docker-compose.yml', ...readdirSync(join(root, 'compose')).filter((f) => f.endsWith('.yml')).map((f) => `compose/${f}`)];
for (const file of composeFiles) {
  let rendered;
  try {
    rendered = execFileSync('docker-compose', ['--env-file', join(root, '.env.example'), '-f', join(root, file), 'config'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    problem(file, `docker-compose config: ${e.stderr || e.message}`);
    continue;
  }
  for (const [name, service] of Object.entries(parse(rendered).services || {})) {
    const where = `${file}: service ${name}`;
    if (service.image && (!service.image.includes(':') || service.image.endsWith(':latest'))) problem(where, `image ${service.image} is not pinned`);
    const module = service.build?.args?.SERVICE;
    // the services' image has a HEALTHCHECK of its own; the one-shot topics job needs none
    const imageChecks = module && service.build.dockerfile === 'docker/Dockerfile' && /^HEALTHCHECK /m.test(dockerfile);
    if (!service.healthcheck && !imageChecks && name !== 'topics') problem(where, 'has no healthcheck');
    if (!module) continue;
    if (!SERVICES.includes(module)) { problem(where, `builds ${module}, which is not a service`); continue; }
    if (String(service.build.args.PORT) !== httpPort(module)) problem(where, `PORT ${service.build.args.PORT}, but ${module} listens on ${httpPort(module)}`);
    const environment = Array.isArray(service.environment) ? service.environment.map((e) => e.split('=')[0]) : Object.keys(service.environment || {});
    checkEnv(where, module, environment);
  }
}
console.log(`compose: ${composeFiles.length} files valid`);

// ---------- docs/configuration.md: made from the sources, so it cannot drift from them

const doc = configurationDoc(root);
if (readFileSync(join(root, 'docs/configuration.md'), 'utf8') !== doc.text) {
  problem('docs/configuration.md', 'differs from the sources: run node deploy-check/config-doc.mjs --write');
}
doc.missing.forEach((setting) => problem(setting, 'has no comment saying what it does (beside it in the properties file or on its mapping method)'));
console.log('docs/configuration.md: matches the sources');

// ---------- docs/asyncapi.yaml: valid AsyncAPI 3, and it names what the code really uses

const asyncApiFile = join(root, 'docs/asyncapi.yaml');
const { document: asyncApi, diagnostics } = await fromFile(new Parser(), asyncApiFile).parse();
diagnostics.filter((d) => d.severity === 0)
  .forEach((d) => problem(`docs/asyncapi.yaml ${d.path.join('.')}`, `${d.code}: ${d.message}`));
if (asyncApi) {
  const channel = (id) => asyncApi.channels().get(id);
  const names = (id) => new Set(channel(id)?.messages().all().map((m) => m.name()) ?? []);
  const topics = new Set(asyncApi.channels().all().filter((c) => c.servers().all().some((s) => s.protocol() === 'kafka'))
    .map((c) => c.address()));
  const infra = readFileSync(join(root, 'devstack/src/main/java/io/talkline/devstack/Infra.java'), 'utf8');
  const created = [.../TOPICS = List\.of\(([^)]*)\)/s.exec(infra)[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  created.filter((t) => !topics.has(t)).forEach((t) => problem('docs/asyncapi.yaml', `topic ${t} (devstack creates it) is not described`));
  [...topics].filter((t) => !created.includes(t)).forEach((t) => problem('docs/asyncapi.yaml', `topic ${t} is not one the platform has`));
  // every frame type a socket handles is a message of its channel
  for (const [id, source] of [['chat', 'chat-service/src/main/java/io/talkline/chat/realtime/ChatSocket.java'],
    ['signal', 'signaling-service/src/main/java/io/talkline/signaling/realtime/SignalSocket.java']]) {
    const handled = [...readFileSync(join(root, source), 'utf8').matchAll(/case ((?:"[a-z.]+"(?:, )?)+) ->/g)]
      .flatMap((m) => [...m[1].matchAll(/"([a-z.]+)"/g)].map((n) => n[1]))
      .filter((type) => !['timeout', 'rejected', 'busy', 'hangup'].includes(type));
    handled.filter((type) => !names(id).has(type))
      .forEach((type) => problem('docs/asyncapi.yaml', `channel ${id} lacks the frame ${type} that ${source} handles`));
  }
  console.log(`docs/asyncapi.yaml: valid AsyncAPI ${asyncApi.version()}, ${asyncApi.channels().length} channels, ${asyncApi.allMessages().length} messages`);
}

if (problems.length) {
  console.error(`\n${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('deployment files: all checks passed');
