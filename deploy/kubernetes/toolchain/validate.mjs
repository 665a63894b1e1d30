// Reads rendered manifests (a JSON array of objects) on stdin and validates each against its Kubernetes or CRD schema
// from kubernetes-models, twice:
//  1. the package's own validator: types, enums, formats and required fields;
//  2. strict field validation, as an API server with `fieldValidation=Strict` (kubectl's default since 1.27) does:
//     every field of the object must be declared by the schema, except under a map or a field the schema leaves open
//     (x-kubernetes-preserve-unknown-fields). The models' validators allow unknown fields, so this walks the object
//     along the model's declared TypeScript types, which the packages generate from the same OpenAPI and CRD schemas.
// Prints one line per problem and exits 1 if there is any; an object of a kind without a published schema is a problem
// too.
import { readFileSync, writeFileSync } from "node:fs";
import ts from "typescript";

const PACKAGES = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
  "keda.sh": "@kubernetes-models/keda/keda.sh",
};

const objects = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
const models = new Map(); // module specifier -> interface name, for the strict pass
let checked = 0;
for (const obj of objects) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const id = `${obj.apiVersion}/${obj.kind}`;
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const base = PACKAGES[group] ?? (group === "" ? "kubernetes-models" : `kubernetes-models/${group}`);
  const specifier = `${base}/${version}/${obj.kind}`;
  let mod;
  try {
    mod = await import(specifier);
  } catch (e) {
    problems.push(`${where}: no schema for ${id} (${e.code ?? e.message})`);
    continue;
  }
  const Kind = mod[obj.kind] ?? mod.default;
  try {
    new Kind(obj).validate();
  } catch (e) {
    problems.push(`${where}: ${e.message.replace(/\s+/g, " ")}`);
    continue;
  }
  models.set(specifier, `I${obj.kind}`);
  obj.__model = specifier;
  checked++;
}

// The strict pass: one TypeScript program over the declarations of every kind seen.
const entry = "strict-entry.ts";
const specifiers = [...models.keys()];
writeFileSync(entry, specifiers.map((s, i) => `import type { ${models.get(s)} as M${i} } from "${s}";\nexport type T${i} = M${i};\n`).join(""));
const program = ts.createProgram([entry], {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: [],
});
const checker = program.getTypeChecker();
// A model TypeScript cannot resolve would be `any`, and every object of its kind would pass unchecked: refuse that.
for (const d of program.getSemanticDiagnostics(program.getSourceFile(entry))) {
  problems.push(`the strict check cannot read a model: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}
const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)));
const typeOf = new Map(specifiers.map((s, i) => [s, checker.getDeclaredTypeOfSymbol(exports.find(e => e.name === `T${i}`))]));
for (const [specifier, type] of typeOf) {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) problems.push(`the strict check resolved no type for ${specifier}`);
}

const OPEN = ts.TypeFlags.Any | ts.TypeFlags.Unknown;
// Object types, and intersections of them (the CRDs' oneOf alternatives are generated as unions of intersections).
function objectMembers(type) {
  const members = type.isUnion() ? type.types : [type];
  return members.filter(t => (t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) !== 0 && !checker.isArrayType(t));
}
function strict(value, type, path, where) {
  if (value === null || typeof value !== "object") return; // scalars: the first pass checks their types
  type = checker.getNonNullableType(type);
  if (type.flags & OPEN) return;
  if (Array.isArray(value)) {
    const array = (type.isUnion() ? type.types : [type]).find(t => checker.isArrayType(t));
    if (!array) return;
    const element = checker.getTypeArguments(array)[0];
    value.forEach((v, i) => strict(v, element, `${path}[${i}]`, where));
    return;
  }
  const members = objectMembers(type);
  if (members.length === 0) return;
  for (const [key, v] of Object.entries(value)) {
    if (path === "" && key === "__model") continue;
    let next = null;
    let open = false;
    for (const m of members) {
      const prop = checker.getPropertyOfType(m, key);
      if (prop) { next = checker.getTypeOfSymbol(prop); break; }
      const index = checker.getIndexTypeOfType(m, ts.IndexKind.String);
      if (index) { next = index; break; }
      // `{}`: a field the schema leaves open (x-kubernetes-preserve-unknown-fields, or an object without properties)
      if (checker.getPropertiesOfType(m).length === 0) open = true;
    }
    if (next) strict(v, next, `${path}.${key}`, where);
    else if (!open) problems.push(`${where}: ${path ? path.substring(1) + "." : ""}${key}: field not declared in the schema (strict field validation rejects it)`);
  }
}
for (const obj of objects) {
  if (!obj.__model) continue;
  const where = `${obj.kind}/${obj.metadata?.name}`;
  const model = obj.__model;
  delete obj.__model;
  strict(obj, typeOf.get(model), "", where);
}

for (const p of problems) console.log(p);
console.log(`checked ${checked} objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
