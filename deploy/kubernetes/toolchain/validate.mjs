// Reads rendered manifests (a JSON array of objects) on stdin and validates each against its Kubernetes or CRD schema
// from kubernetes-models. Prints one line per problem and exits 1 if there is any; an object of a kind without a
// published schema is a problem too, unless it is listed in UNMODELLED with the reason.
import { readFileSync } from "node:fs";

const PACKAGES = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
  "keda.sh": "@kubernetes-models/keda/keda.sh",
};
// CloudNativePG's Database resource (1.25+) is not in @kubernetes-models/cloudnative-pg 2.0.0.
const UNMODELLED = new Set(["postgresql.cnpg.io/v1/Database"]);

const objects = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
let checked = 0;
for (const obj of objects) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const id = `${obj.apiVersion}/${obj.kind}`;
  const where = `${obj.kind}/${obj.metadata?.name}`;
  if (UNMODELLED.has(id)) continue;
  const base = PACKAGES[group] ?? (group === "" ? "kubernetes-models" : `kubernetes-models/${group}`);
  let mod;
  try {
    mod = await import(`${base}/${version}/${obj.kind}`);
  } catch (e) {
    problems.push(`${where}: no schema for ${id} (${e.code ?? e.message})`);
    continue;
  }
  const Kind = mod[obj.kind] ?? mod.default;
  try {
    new Kind(obj).validate();
    checked++;
  } catch (e) {
    problems.push(`${where}: ${e.message.replace(/\s+/g, " ")}`);
  }
}
for (const p of problems) console.log(p);
console.log(`checked ${checked} objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
