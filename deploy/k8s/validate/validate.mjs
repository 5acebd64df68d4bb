// Validates the rendered manifests (kubectl kustomize deploy/k8s) given as a file argument:
//  1. every built-in object against the Kubernetes OpenAPI schema of its kind (kubernetes-models: types, formats,
//     required fields, enums), and for unknown (misspelt) fields against the field lists of the API's models
//     (@kubernetes/client-node's generated models, which the schemas above do not close);
//  2. the CloudNativePG Cluster, whose CRD schema is not available offline, against the fields this project uses;
//  3. the project's rules: probes, limits, non-root read-only containers, no committed secrets, no self-migrating
//     replicas, selectors that match, Secrets referenced that the operator creates (or that docs/operations.md, "Deploy" makes);
//  4. operations (issue 15): the connection budget (pools × replicas within max_connections), durability (synchronous
//     replication, base backups and WAL archiving, pinned images), trust (forwarded headers from the ingress only,
//     NetworkPolicies, an API role that is not the schema's owner).
// Prints one line per object and problem; exits 1 when anything is wrong.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

// Only the generated model classes: the package's entry point loads an HTTP client this tool does not need.
const models = await import(new URL("./node_modules/@kubernetes/client-node/dist/gen/models/all.js", import.meta.url));

/** Collects the fields of value that the model type does not have, recursively. */
function unknownFields(value, type, path, found) {
  if (value === null || typeof value !== "object") return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, index) => unknownFields(item, array[1], `${path}[${index}]`, found));
    return;
  }
  const model = models[type];
  if (typeof model?.getAttributeTypeMap !== "function") return; // a map, a quantity, IntOrString, ...
  const fields = new Map(model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]));
  for (const [key, child] of Object.entries(value)) {
    if (!fields.has(key)) found.push(`${path}.${key}: unknown field`);
    else unknownFields(child, fields.get(key), `${path}.${key}`, found);
  }
}

const file = process.argv[2];
const docs = parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map(String).join("; ")}`);
  return doc.toJS();
}).filter(Boolean);

const problems = [];
const fail = (object, message) => problems.push(`${object.kind}/${object.metadata?.name}: ${message}`);

// 1. Schemas of the built-in kinds.
for (const object of docs) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  if (group?.endsWith("cnpg.io")) continue;
  let Model;
  try {
    const module = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
    Model = module[object.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    fail(object, `no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    fail(object, `schema: ${error.message}`);
    continue;
  }
  const modelName = version[0].toUpperCase() + version.slice(1) + object.kind; // apps/v1 Deployment → V1Deployment
  if (!models[modelName]) {
    fail(object, `no field list for ${modelName}`);
    continue;
  }
  const unknown = [];
  unknownFields(object, modelName, "", unknown);
  if (unknown.length > 0) {
    for (const field of unknown) fail(object, field);
    continue;
  }
  console.log(`schema ok: ${object.apiVersion} ${object.kind}/${object.metadata.name}`);
}

const ofKind = (kind) => docs.filter((object) => object.kind === kind);
const one = (kind, name) => docs.find((object) => object.kind === kind && object.metadata.name === name);

// 2. The CloudNativePG Cluster.
const clusterSpecFields = new Set(["instances", "imageName", "primaryUpdateStrategy", "bootstrap", "storage", "resources",
  "postgresql", "affinity", "monitoring", "backup", "description", "enableSuperuserAccess", "minSyncReplicas", "maxSyncReplicas",
  "managed"]);
const clusters = ofKind("Cluster");
if (clusters.length !== 1) problems.push(`expected one CloudNativePG Cluster, found ${clusters.length}`);
for (const cluster of clusters) {
  const spec = cluster.spec ?? {};
  if (cluster.apiVersion !== "postgresql.cnpg.io/v1") fail(cluster, `apiVersion ${cluster.apiVersion}`);
  for (const key of Object.keys(spec)) if (!clusterSpecFields.has(key)) fail(cluster, `unexpected spec field ${key}`);
  if (!Number.isInteger(spec.instances) || spec.instances < 2) fail(cluster, "spec.instances must be an integer ≥ 2 (a primary and a replica)");
  if (!/^\d+(Mi|Gi|Ti)$/.test(spec.storage?.size ?? "")) fail(cluster, "spec.storage.size must be a quantity such as 10Gi");
  if (!spec.bootstrap?.initdb?.database || !spec.bootstrap?.initdb?.owner) fail(cluster, "spec.bootstrap.initdb needs database and owner");
  if (!["unsupervised", "supervised", undefined].includes(spec.primaryUpdateStrategy)) fail(cluster, "spec.primaryUpdateStrategy");
  console.log(`fields ok: ${cluster.apiVersion} Cluster/${cluster.metadata.name} (no CRD schema offline: checked the fields used)`);
}
const clusterName = clusters[0]?.metadata.name;
// Secrets that CloudNativePG creates for a cluster, and those the Cluster itself names, which are made once at install
// (docs/operations.md, "Deploy": the API role's password, the backup bucket's credentials).
const operatorSecrets = new Set([`${clusterName}-app`, `${clusterName}-ca`]);
for (const role of clusters[0]?.spec?.managed?.roles ?? []) if (role.passwordSecret?.name) operatorSecrets.add(role.passwordSecret.name);
for (const credential of Object.values(clusters[0]?.spec?.backup?.barmanObjectStore?.s3Credentials ?? {})) {
  if (credential?.name) operatorSecrets.add(credential.name);
}

// 3. The project's rules.
if (ofKind("Secret").length > 0) problems.push("a Secret is in the manifests: secret values must never be committed");
const configMaps = Object.fromEntries(ofKind("ConfigMap").map((map) => [map.metadata.name, map.data ?? {}]));

function checkPod(owner, pod, { probes }) {
  const podSecurity = pod.securityContext ?? {};
  if (podSecurity.runAsNonRoot !== true) fail(owner, "pod securityContext.runAsNonRoot must be true");
  for (const container of pod.containers) {
    const name = `container ${container.name}`;
    const security = container.securityContext ?? {};
    if (security.readOnlyRootFilesystem !== true) fail(owner, `${name}: readOnlyRootFilesystem must be true`);
    if (security.allowPrivilegeEscalation !== false) fail(owner, `${name}: allowPrivilegeEscalation must be false`);
    if (!security.capabilities?.drop?.includes("ALL")) fail(owner, `${name}: capabilities must drop ALL`);
    for (const kind of ["requests", "limits"]) {
      if (!container.resources?.[kind]?.memory) fail(owner, `${name}: resources.${kind}.memory missing`);
    }
    if (!container.volumeMounts?.some((mount) => mount.mountPath === "/tmp")) fail(owner, `${name}: needs a writable /tmp`);
    const env = Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable]));
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef && !configMaps[source.configMapRef.name]) fail(owner, `${name}: ConfigMap ${source.configMapRef.name} is not in the manifests`);
    }
    for (const variable of Object.values(env)) {
      const secret = variable.valueFrom?.secretKeyRef?.name;
      if (secret && !operatorSecrets.has(secret)) fail(owner, `${name}: Secret ${secret} is neither in the manifests nor made by the operator`);
      if (/password=(?!\$\()/i.test(variable.value ?? "")) fail(owner, `${name}: ${variable.name} holds a password literally`);
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.secret && !operatorSecrets.has(volume.secret.secretName)) fail(owner, `volume ${volume.name}: Secret ${volume.secret.secretName} unknown`);
    }
    const connection = env.ConnectionStrings__LinkJ?.value ?? "";
    if (!connection.includes(`Host=${clusterName}-rw;`)) fail(owner, `${name}: ConnectionStrings__LinkJ must go to the primary (${clusterName}-rw)`);
    if (probes) {
      const expect = { startupProbe: "/health/live", readinessProbe: "/health/ready", livenessProbe: "/health/live" };
      for (const [probe, path] of Object.entries(expect)) {
        if (container[probe]?.httpGet?.path !== path) fail(owner, `${name}: ${probe} must GET ${path}`);
      }
    }
  }
}

const deployment = one("Deployment", "linkj-api");
if (!deployment) {
  problems.push("Deployment/linkj-api missing");
} else {
  if (!(deployment.spec.replicas >= 2)) fail(deployment, "replicas must be ≥ 2");
  checkPod(deployment, deployment.spec.template.spec, { probes: true });
  const config = Object.assign({}, ...deployment.spec.template.spec.containers[0].envFrom.map((source) => configMaps[source.configMapRef?.name] ?? {}));
  if (config.Database__ApplyMigrationsOnStartup !== "false") fail(deployment, "replicas must not migrate (Database__ApplyMigrationsOnStartup=false)");
  if (config.Database__SeedOnStartup !== "false") fail(deployment, "replicas must not seed (Database__SeedOnStartup=false)");
  const labels = deployment.spec.template.metadata.labels;
  const matches = (selector) => Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
  for (const kind of ["Service", "PodDisruptionBudget"]) {
    for (const object of ofKind(kind)) {
      const selector = kind === "Service" ? object.spec.selector : object.spec.selector.matchLabels;
      if (!matches(selector)) fail(object, "selector does not match the Deployment's pods");
    }
  }
  for (const service of ofKind("Service")) {
    const podPorts = deployment.spec.template.spec.containers[0].ports;
    for (const port of service.spec.ports) {
      const target = podPorts.find((candidate) => candidate.name === port.targetPort || candidate.containerPort === port.targetPort);
      if (!target) fail(service, `targetPort ${port.targetPort} is not a port of the pods`);
      if (target?.name === "metrics") fail(service, "the metrics port must not be exposed through the Service");
    }
  }
  for (const hpa of ofKind("HorizontalPodAutoscaler")) {
    if (hpa.spec.scaleTargetRef.name !== deployment.metadata.name) fail(hpa, "scaleTargetRef is not the Deployment");
    if (!(hpa.spec.minReplicas >= 2)) fail(hpa, "minReplicas must be ≥ 2");
  }
  if (ofKind("PodDisruptionBudget").length !== 1) fail(deployment, "needs one PodDisruptionBudget");
  if (ofKind("HorizontalPodAutoscaler").length !== 1) fail(deployment, "needs one HorizontalPodAutoscaler");
}

const job = one("Job", "linkj-migrate");
if (!job) {
  problems.push("Job/linkj-migrate missing");
} else {
  const container = job.spec.template.spec.containers[0];
  if (JSON.stringify(container.args) !== JSON.stringify(["migrate"])) fail(job, 'the container must run the "migrate" verb');
  if (deployment && container.image !== deployment.spec.template.spec.containers[0].image) fail(job, "must use the API's image");
  checkPod(job, job.spec.template.spec, { probes: false });
}

await import("./operations.mjs").then((operations) => operations.check(docs, problems, fail));

for (const problem of problems) console.log(`PROBLEM ${problem}`);
console.log(problems.length === 0 ? `${docs.length} objects valid` : `${problems.length} problem(s) in ${docs.length} objects`);
process.exit(problems.length === 0 ? 0 : 1);
