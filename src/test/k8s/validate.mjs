// Validates Kubernetes manifests against the Kubernetes API schemas (npm kubernetes-models), offline.
//   node validate.mjs FILE...   (kubernetes-models and yaml installed next to this script)
// Prints one line per object and exits 1 when any object is invalid or of a kind it does not know.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.log(`INVALID ${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
      failed = true;
      continue;
    }
    const object = doc.toJS();
    if (!object) continue;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
    const modulePath = group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`;
    const name = `${object.kind}/${object.metadata?.name}`;
    try {
      const module = await import(modulePath);
      const Model = module[object.kind];
      if (!Model) throw new Error(`unknown kind ${object.kind} in ${object.apiVersion}`);
      new Model(object).validate();
      console.log(`VALID ${name}`);
    } catch (e) {
      console.log(`INVALID ${name}: ${e.message}`);
      failed = true;
    }
  }
}
process.exit(failed ? 1 : 0);
