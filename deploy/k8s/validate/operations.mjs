// The operations rules of validate.mjs (issue 15, items 16-18), on the rendered objects:
//  - connection budget: every pod's Npgsql pools, at the most pods there can be (HPA maximum + rolling-update surge),
//    plus the migrations Job and a reserve, within the cluster's max_connections (docs/decisions/0025-connection-budget.md);
//  - durability: synchronous replication, base backups and WAL archiving for point-in-time recovery, pinned images
//    (docs/decisions/0026-database-durability.md);
//  - trust: X-Forwarded-For believed from the ingress only, NetworkPolicies (ingress → API, monitoring → metrics, API
//    and Job → database, nothing else), the running API on a role that is not the schema's owner
//    (docs/decisions/0027-deployment-trust.md).
// Prints one "ok" line per rule that holds; adds a problem for every one that does not.

/** Connections PostgreSQL keeps for itself and the operator besides superuser_reserved_connections: CloudNativePG's
 * instance manager, its metrics exporter and a psql for a human on a bad day. */
export const OPERATOR_RESERVE = 10;

/** Npgsql's pool size when the connection string names none. */
export const NPGSQL_DEFAULT_POOL = 100;

const ok = (message) => console.log(`ok: ${message}`);

/** The key=value pairs of an ADO.NET connection string, keys lower case without spaces. */
export function connectionSettings(connectionString) {
  const settings = {};
  for (const part of (connectionString ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0) settings[part.slice(0, index).replace(/\s+/g, "").toLowerCase()] = part.slice(index + 1).trim();
  }
  return settings;
}

export function poolSize(connectionString) {
  const settings = connectionSettings(connectionString);
  const value = settings.maximumpoolsize ?? settings.maxpoolsize;
  return value === undefined ? NPGSQL_DEFAULT_POOL : Number.parseInt(value, 10);
}

const envOf = (container) => Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));

const matchesLabels = (selector, labels) =>
  Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value) && !(selector?.matchExpressions?.length > 0);

/** The prefix length of a CIDR, and whether it is IPv6. */
function prefixOf(cidr) {
  const [address, length] = String(cidr).split("/");
  return { v6: address.includes(":"), length: length === undefined ? (address.includes(":") ? 128 : 32) : Number(length) };
}

export function check(docs, problems, fail) {
  const ofKind = (kind) => docs.filter((object) => object.kind === kind);
  const cluster = ofKind("Cluster")[0];
  const deployment = docs.find((object) => object.kind === "Deployment" && object.metadata.name === "linkj-api");
  const job = docs.find((object) => object.kind === "Job" && object.metadata.name === "linkj-migrate");
  const hpa = ofKind("HorizontalPodAutoscaler")[0];
  if (!cluster || !deployment || !job || !hpa) {
    problems.push("operations: the Cluster, Deployment/linkj-api, Job/linkj-migrate and the HorizontalPodAutoscaler are needed to check the budget and trust");
    return;
  }

  const spec = cluster.spec ?? {};
  const apiContainer = deployment.spec.template.spec.containers[0];
  const jobContainer = job.spec.template.spec.containers[0];
  const apiEnv = envOf(apiContainer);
  const jobEnv = envOf(jobContainer);
  const configMaps = Object.fromEntries(ofKind("ConfigMap").map((map) => [map.metadata.name, map.data ?? {}]));
  const apiConfig = Object.assign({}, ...(apiContainer.envFrom ?? []).map((source) => configMaps[source.configMapRef?.name] ?? {}));

  // ---- item 16: the connection budget ----
  const parameters = spec.postgresql?.parameters ?? {};
  const maxConnections = Number(parameters.max_connections ?? 100);
  const superuserReserved = Number(parameters.superuser_reserved_connections ?? 3);
  const available = maxConnections - superuserReserved - OPERATOR_RESERVE;
  const replicas = hpa.spec.maxReplicas;
  const surgeSetting = deployment.spec.strategy?.rollingUpdate?.maxSurge ?? "25%";
  const surge = typeof surgeSetting === "string" && surgeSetting.endsWith("%")
    ? Math.ceil((replicas * Number.parseInt(surgeSetting, 10)) / 100)
    : Number(surgeSetting);
  const pods = replicas + surge;
  const writePool = poolSize(apiEnv.ConnectionStrings__LinkJ);
  const readPool = apiEnv.ConnectionStrings__LinkJRead === undefined ? 0 : poolSize(apiEnv.ConnectionStrings__LinkJRead);
  const jobPool = poolSize(jobEnv.ConnectionStrings__LinkJ);
  const onPrimary = pods * writePool + jobPool;
  const onReplica = pods * readPool;
  const budget = `${pods} pods (HPA max ${replicas} + surge ${surge}) × ${writePool} + Job ${jobPool} = ${onPrimary} on the primary, `
    + `${pods} × ${readPool} = ${onReplica} on a replica; max_connections ${maxConnections} − ${superuserReserved} superuser − ${OPERATOR_RESERVE} operator = ${available}`;
  if (onPrimary > available || onReplica > available) {
    fail(deployment, `connection budget exceeded: ${budget} (set Maximum Pool Size in the connection strings, lower the HPA maximum or raise max_connections)`);
  } else {
    ok(`connection budget: ${budget}`);
  }

  const apiUser = connectionSettings(apiEnv.ConnectionStrings__LinkJ).username;
  const apiRole = (spec.managed?.roles ?? []).find((role) => role.name === apiUser);
  if (apiRole?.connectionLimit !== undefined && apiRole.connectionLimit !== -1 && apiRole.connectionLimit < pods * Math.max(writePool, readPool)) {
    fail(cluster, `role ${apiUser}: connectionLimit ${apiRole.connectionLimit} is below the API's ${pods * Math.max(writePool, readPool)} pooled connections`);
  }

  // ---- item 17: durability ----
  const synchronous = spec.postgresql?.synchronous;
  const syncNumber = synchronous?.number ?? spec.minSyncReplicas ?? 0;
  if (!(syncNumber >= 1) || (synchronous && !["any", "first"].includes(synchronous.method))) {
    fail(cluster, "replication is asynchronous: set spec.postgresql.synchronous (method any|first, number ≥ 1) so that a failover cannot lose acknowledged writes");
  } else if ((synchronous?.dataDurability ?? "required") === "required" && spec.instances < syncNumber + 2) {
    fail(cluster, `synchronous replication with dataDurability required and ${spec.instances} instances stops every write while one replica is down: use ≥ ${syncNumber + 2} instances`);
  } else {
    ok(`synchronous replication: ${synchronous ? `${synchronous.method} ${synchronous.number}, dataDurability ${synchronous.dataDurability ?? "required"}` : `minSyncReplicas ${spec.minSyncReplicas}`}, ${spec.instances} instances`);
  }

  const store = spec.backup?.barmanObjectStore;
  const walPlugin = (spec.plugins ?? []).find((plugin) => plugin.isWALArchiver === true);
  if (!store?.destinationPath && !walPlugin) {
    fail(cluster, "no WAL archive: configure spec.backup.barmanObjectStore (or the Barman Cloud plugin as WAL archiver) for point-in-time recovery");
  } else {
    if (store && !spec.backup.retentionPolicy) fail(cluster, "spec.backup.retentionPolicy missing: the bucket would grow forever");
    ok(`WAL archiving: ${store?.destinationPath ?? walPlugin.name}`);
  }

  const scheduled = ofKind("ScheduledBackup").filter((backup) => backup.spec?.cluster?.name === cluster.metadata.name);
  if (scheduled.length === 0 || scheduled.some((backup) => typeof backup.spec.schedule !== "string" || backup.spec.schedule.trim().split(/\s+/).length !== 6)) {
    fail(cluster, "no ScheduledBackup (six-field schedule) for the cluster: point-in-time recovery needs base backups");
  } else {
    ok(`base backups: ${scheduled.map((backup) => `${backup.metadata.name} "${backup.spec.schedule}"`).join(", ")}`);
  }

  const pinned = (image) => /@sha256:[0-9a-f]{64}$/.test(image ?? "") || /:[0-9]+\.[0-9]+(\.[0-9]+)?([-.][A-Za-z0-9.-]+)?$/.test(image ?? "");
  const images = [["Cluster imageName", spec.imageName], ...[deployment, job].map((owner) => [`${owner.kind}/${owner.metadata.name}`, owner.spec.template.spec.containers[0].image])];
  for (const [what, image] of images) {
    if (!pinned(image)) problems.push(`${what}: image ${image} is not pinned to a version (major.minor at least) or a digest`);
  }

  if (images.every(([, image]) => pinned(image))) ok(`pinned images: ${images.map(([, image]) => image).join(", ")}`);

  // ---- item 18: trust ----
  const networks = Object.entries(apiConfig).filter(([key]) => /^ReverseProxy__KnownNetworks__\d+$/.test(key)).map(([, value]) => value);
  const proxies = Object.entries(apiConfig).filter(([key]) => /^ReverseProxy__KnownProxies__\d+$/.test(key)).map(([, value]) => value);
  const wide = networks.filter((cidr) => {
    const { v6, length } = prefixOf(cidr);
    return v6 ? length < 64 : length < 24;
  });
  if (apiConfig.ReverseProxy__ForwardedHeaders === "true") {
    if (wide.length > 0) fail(deployment, `forwarded headers trusted from ${wide.join(", ")}: trust the ingress controller's range only (IPv4 /24 or narrower, IPv6 /64)`);
    else if (networks.length + proxies.length === 0) fail(deployment, "ReverseProxy__ForwardedHeaders=true without the ingress's address: clients' addresses would never be read");
    else ok(`forwarded headers believed from ${[...networks, ...proxies].join(", ")} only`);
  }

  const policies = ofKind("NetworkPolicy");
  const isolatesIngress = (policy) => (policy.spec.policyTypes ?? ["Ingress"]).includes("Ingress");
  const denyAll = policies.find((policy) => Object.keys(policy.spec.podSelector ?? {}).length === 0 && isolatesIngress(policy) && !(policy.spec.ingress?.length > 0));
  if (!denyAll) fail(deployment, "no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules): every pod of the namespace is open to the cluster");

  /** The ingress rules that admit connections to pods with these labels. */
  const rulesFor = (labels) => policies
    .filter((policy) => isolatesIngress(policy) && matchesLabels(policy.spec.podSelector, labels))
    .flatMap((policy) => (policy.spec.ingress ?? []).map((rule) => ({ policy, rule })));
  const namespaceOf = (peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
  const portNames = (rule) => (rule.ports ?? []).map((port) => port.port);

  const checkRules = (labels, what, allowed) => {
    const rules = rulesFor(labels);
    let wrong = 0;
    for (const { policy, rule } of rules) {
      if (!(rule.from?.length > 0) || !(rule.ports?.length > 0)) {
        fail(policy, `${what}: a rule without from or ports admits everyone or every port`);
        wrong++;
        continue;
      }

      for (const peer of rule.from) {
        for (const port of portNames(rule)) {
          if (!allowed(peer, port)) {
            fail(policy, `${what}: port ${port} admitted from ${JSON.stringify(peer)}`);
            wrong++;
          }
        }
      }
    }

    return { rules, wrong };
  };

  const apiLabels = deployment.spec.template.metadata.labels;
  const jobLabels = job.spec.template.metadata.labels;
  const dbLabels = { "cnpg.io/cluster": cluster.metadata.name };
  const ingressNamespace = "ingress-nginx";
  const monitoringNamespace = "monitoring";
  const api = checkRules(apiLabels, "API pods", (peer, port) =>
    (port === "http" || port === 8080) ? namespaceOf(peer) === ingressNamespace
      : (port === "metrics" || port === 9464) ? namespaceOf(peer) === monitoringNamespace
        : false);
  const admits = (rules, port, test) => rules.some(({ rule }) => portNames(rule).includes(port) && (rule.from ?? []).some(test));
  if (!admits(api.rules, "http", (peer) => namespaceOf(peer) === ingressNamespace)) fail(deployment, `no NetworkPolicy admits the ingress (namespace ${ingressNamespace}) to the API's http port`);
  if (!admits(api.rules, "metrics", (peer) => namespaceOf(peer) === monitoringNamespace)) fail(deployment, `no NetworkPolicy admits monitoring (namespace ${monitoringNamespace}) to the metrics port`);

  const samePods = (peer, labels) => !peer.namespaceSelector && peer.podSelector && matchesLabels(peer.podSelector, labels);
  const db = checkRules(dbLabels, "database pods", (peer, port) =>
    port === 5432 ? samePods(peer, apiLabels) || samePods(peer, jobLabels) || samePods(peer, dbLabels) || namespaceOf(peer) === "cnpg-system"
      : port === 8000 ? samePods(peer, dbLabels) || namespaceOf(peer) === "cnpg-system"
        : port === 9187 ? namespaceOf(peer) === monitoringNamespace
          : false);
  if (!admits(db.rules, 5432, (peer) => samePods(peer, apiLabels))) fail(cluster, "no NetworkPolicy admits the API's pods to PostgreSQL");
  if (!admits(db.rules, 5432, (peer) => samePods(peer, jobLabels))) fail(cluster, "no NetworkPolicy admits the migrations Job's pods to PostgreSQL");
  if (denyAll && api.wrong + db.wrong === 0) {
    ok(`network policies: default deny; ${ingressNamespace} → API http, ${monitoringNamespace} → API metrics; API, Job, instances, operator → PostgreSQL`);
  }

  const owner = spec.bootstrap?.initdb?.owner;
  const jobUser = connectionSettings(jobEnv.ConnectionStrings__LinkJ).username;
  const readUser = connectionSettings(apiEnv.ConnectionStrings__LinkJRead).username;
  const ddlRoles = new Set([owner, "postgres", "streaming_replica"]);
  const safeMemberships = new Set(["pg_read_all_data", "pg_write_all_data", "pg_monitor"]);
  if (ddlRoles.has(apiUser) || (readUser !== undefined && ddlRoles.has(readUser))) {
    fail(deployment, `the API connects as ${apiUser}, who owns the schema: a role without DDL rights, from spec.managed.roles, is for the running API`);
  } else if (!apiRole || apiRole.login !== true || apiRole.superuser || apiRole.createdb || apiRole.createrole
    || (apiRole.inRoles ?? []).some((role) => !safeMemberships.has(role))) {
    fail(cluster, `the API's role ${apiUser} must be a managed login role without superuser, createdb, createrole, or membership beyond ${[...safeMemberships].join(", ")}`);
  } else {
    ok(`the API connects as ${apiUser} (${(apiRole.inRoles ?? []).join(", ")}), the migrations Job as the owner ${jobUser}`);
  }

  if (jobUser !== owner) fail(job, `the migrations Job must connect as the schema's owner ${owner}, not ${jobUser}`);
}
