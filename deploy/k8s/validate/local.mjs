// Checks the local stack (docker-compose.yml) and the image's build (deploy/Dockerfile), given as file arguments:
//  - compose (issue 15, item 18): the API reads through the standby it starts (ConnectionStrings__LinkJRead), every
//    published port is bound to 127.0.0.1, every password comes from the environment and is required there
//    (${VAR:?message}: no committed default), every service restarts by itself;
//  - Dockerfile (item 9): the build takes the release's version and source revision as build arguments and passes them
//    to the build, so the image and /health say what runs.
// Prints one "ok" line per rule that holds and one PROBLEM line per rule that does not; exits 1 when anything is wrong.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { connectionSettings } from "./operations.mjs";

const [composeFile, dockerfile] = process.argv.slice(2);
const problems = [];
const ok = (message) => console.log(`ok: ${message}`);

const compose = parse(readFileSync(composeFile, "utf8"));
const services = compose.services ?? {};
const envOf = (service) => Array.isArray(service.environment)
  ? Object.fromEntries(service.environment.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]))
  : (service.environment ?? {});

// The API reads through the standby.
const api = services.api;
const apiEnv = envOf(api ?? {});
const standby = Object.entries(services).find(([, service]) => String(service.entrypoint ?? "").includes("standby"))?.[0] ?? "postgres-standby";
if (!api) problems.push(`${composeFile}: no service "api"`);
else if (connectionSettings(apiEnv.ConnectionStrings__LinkJRead).host !== standby) {
  problems.push(`${composeFile}: api: ConnectionStrings__LinkJRead must name the standby (Host=${standby}), so that the API uses it`);
} else ok(`compose: the API reads through ${standby}`);

// Ports on loopback only.
let published = 0;
for (const [name, service] of Object.entries(services)) {
  for (const port of service.ports ?? []) {
    published++;
    const hostIp = typeof port === "object" ? port.host_ip : /^(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):/.exec(String(port))?.[1];
    if (hostIp !== "127.0.0.1" && hostIp !== "[::1]" && hostIp !== "::1") {
      problems.push(`${composeFile}: ${name}: port ${JSON.stringify(port)} is published on every interface: bind it to 127.0.0.1`);
    }
  }
}

if (!problems.some((problem) => problem.includes("published on every interface"))) ok(`compose: ${published} published port(s), all on loopback`);

// Passwords from the environment, required.
const required = /^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}$/;
let passwords = 0;
for (const [name, service] of Object.entries(services)) {
  for (const [key, value] of Object.entries(envOf(service))) {
    const candidates = [];
    if (/PASSWORD/i.test(key)) candidates.push(String(value));
    const password = connectionSettings(String(value)).password;
    if (password !== undefined) candidates.push(password);
    for (const candidate of candidates) {
      passwords++;
      if (!required.test(candidate.trim())) {
        problems.push(`${composeFile}: ${name}: ${key} has a committed or defaulted password (${candidate}): use \${VARIABLE:?message}`);
      }
    }
  }
}

if (!problems.some((problem) => problem.includes("password"))) ok(`compose: ${passwords} password(s), each required from the environment`);

// Restart policies.
const restartless = Object.entries(services).filter(([, service]) => !["always", "unless-stopped", "on-failure"].includes(String(service.restart ?? "").split(":")[0]));
for (const [name] of restartless) problems.push(`${composeFile}: ${name}: no restart policy (restart: unless-stopped)`);
if (restartless.length === 0) ok(`compose: every service (${Object.keys(services).join(", ")}) restarts by itself`);

// The image says what it runs.
const docker = readFileSync(dockerfile, "utf8").replace(/\\\n/g, " ");
const args = new Set([...docker.matchAll(/^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)/gm)].map((match) => match[1]));
const publish = docker.split("\n").find((line) => /^\s*RUN\s+dotnet\s+publish\b/.test(line)) ?? "";
const passes = (property, arg) => new RegExp(`-p:${property}=\\$\\{?${arg}\\b`).test(publish);
if (!args.has("SOURCE_REVISION") || !args.has("VERSION") || !passes("SourceRevisionId", "SOURCE_REVISION") || !passes("Version", "VERSION")) {
  problems.push(`${dockerfile}: the build must take ARG VERSION and ARG SOURCE_REVISION and pass them to dotnet publish (-p:Version=$VERSION -p:SourceRevisionId=$SOURCE_REVISION)`);
} else ok("Dockerfile: dotnet publish gets the VERSION and SOURCE_REVISION build arguments");

for (const problem of problems) console.log(`PROBLEM ${problem}`);
console.log(problems.length === 0 ? `${composeFile} and ${dockerfile} valid` : `${problems.length} problem(s) in ${composeFile} and ${dockerfile}`);
process.exit(problems.length === 0 ? 0 : 1);
