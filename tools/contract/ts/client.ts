// A partner website's client of LinkJ.Api (and, at the end, an internal system's write), written against the types
// openapi-typescript generates from docs/openapi/v1.json and run with openapi-fetch: no casts, no hand-written types. scripts/contract-checks.sh
// type-checks it with `tsc --strict` and runs it against the service; any surprise exits non-zero.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/linkj.js";

type Agreement = components["schemas"]["Agreement"];

const baseUrl = process.env.LINKJ_BASE_URL;
if (!baseUrl) {
  throw new Error("Set LINKJ_BASE_URL to the service, e.g. http://localhost:5080");
}

const api = createClient<paths>({ baseUrl });

function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

// List agreements a page at a time, following `next` to the end.
const seen: Agreement[] = [];
let cursor: string | undefined;
let pages = 0;
do {
  const query = cursor === undefined ? { limit: 5 } : { limit: 5, cursor };
  const { data, error, response } = await api.GET("/api/v1/agreements", { params: { query } });
  check(data !== undefined, `GET /api/v1/agreements → ${response.status}: ${JSON.stringify(error)}`);
  seen.push(...data.items); // data is AgreementPage: items without a cast
  cursor = data.next ?? undefined;
  pages++;
} while (cursor !== undefined && pages < 100);
check(seen.length >= 13, `expected the 13 seeded agreements, listed ${seen.length}`);
check(pages >= 3, `5 a page should take at least 3 pages, took ${pages}`);

// Read one by id.
const first = seen[0];
check(first !== undefined, "no agreement listed");
const one = await api.GET("/api/v1/agreements/{id}", { params: { path: { id: first.id } } });
check(one.data !== undefined, `GET /api/v1/agreements/${first.id} → ${one.response.status}`);
const title: string = one.data.title.ja;
const ordinal: number | undefined = one.data.ordinal?.overall;

// A seeded partner has no external reference: the service sends null, and the type says it may.
const osaka = await api.GET("/api/v1/partners/{idOrSlug}", { params: { path: { idOrSlug: "osaka-prefecture" } } });
check(osaka.data !== undefined, `GET /api/v1/partners/osaka-prefecture → ${osaka.response.status}`);
const externalRef: components["schemas"]["ExternalReference"] | null = osaka.data.externalRef;
check(externalRef === null, `osaka-prefecture's externalRef should be null, is ${JSON.stringify(externalRef)}`);
const region: string | null = osaka.data.region === null ? null : osaka.data.region.ja;

// A problem is typed too.
const missing = await api.GET("/api/v1/agreements/{id}", { params: { path: { id: "00000000-0000-0000-0000-000000000000" } } });
check(missing.error !== undefined && missing.response.status === 404, `a missing agreement should be 404, was ${missing.response.status}`);
const code: string = missing.error.code;

// A write with an API key (agreements:write): create a draft, then change it with the ETag the create sent in the
// typed If-Match header parameter, which the type requires, as the service does (428 without it).
const apiKey = process.env.LINKJ_API_KEY;
check(apiKey !== undefined && apiKey.length > 0, "Set LINKJ_API_KEY to a key with agreements:write");
const writer = createClient<paths>({ baseUrl, headers: { Authorization: `ApiKey ${apiKey}` } });
const created = await writer.POST("/api/v1/agreements", {
  body: {
    partnerId: osaka.data.id,
    type: "mou",
    title: { ja: "LINK-Jと大阪府の連携に関する覚書（TypeScript）", en: "MOU between LINK-J and Osaka Prefecture (TypeScript)" },
    signedOn: "2026-04-01",
    cooperation: { scopes: ["event-cooperation"], isOpenEnded: true },
    status: "draft",
  },
});
check(created.data !== undefined, `POST /api/v1/agreements → ${created.response.status}: ${JSON.stringify(created.error)}`);
const etag = created.response.headers.get("ETag");
check(etag !== null, "the create sent no ETag");
const changed = await writer.PATCH("/api/v1/agreements/{id}", {
  params: { path: { id: created.data.id }, header: { "If-Match": etag } },
  body: { sourceNote: "Changed by the TypeScript client." },
  headers: { "Content-Type": "application/merge-patch+json" },
});
check(changed.data !== undefined && changed.data.version === 2, `PATCH with If-Match → ${changed.response.status}: ${JSON.stringify(changed.error)}`);
// Without If-Match the type does not compile (the directive fails tsc if it ever does), and the service says 428.
const unconditional = await writer.PATCH("/api/v1/agreements/{id}", {
  // @ts-expect-error If-Match is a required header parameter
  params: { path: { id: created.data.id } },
  body: { sourceNote: "No If-Match." },
  headers: { "Content-Type": "application/merge-patch+json" },
});
check(unconditional.error?.code === "precondition.required" && unconditional.response.status === 428,
  `PATCH without If-Match should be 428 precondition.required, was ${unconditional.response.status}`);

console.log(`TypeScript client: ${seen.length} agreements in ${pages} pages; ${title} (#${ordinal ?? "-"}); ` +
  `osaka-prefecture externalRef=${externalRef}, region=${region}; missing → ${code}; ` +
  `created ${created.data.id} (${etag}), patched with If-Match to v${changed.data.version}; without If-Match → 428`);
