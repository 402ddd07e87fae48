// Reads lark-mcp's generated zod tool definitions (English) and prints one
// JSON record per API: method, path, token kinds, description, and the path,
// query and body parameters as a JSON Schema subset. Usage:
//   node extract_mcp.js <lark-mcp package dir> <node_modules with zod>
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");

const [pkg, modules] = process.argv.slice(2);
// The tool files `require("zod")`; resolve it from the pinned install.
const zodPath = require.resolve("zod", { paths: [path.resolve(modules)] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === "zod" ? zodPath : request, ...rest);
};

// One line of English: the first sentence, without markdown noise, bounded.
function oneLine(text) {
  if (!text) return undefined;
  let s = String(text).replace(/\s+/g, " ").replace(/\*\*/g, "").trim();
  const cut = s.search(/(?<=[a-zA-Z0-9)\]`])\.(?= ?[A-Z*-])| Options:|\*\*Notice|\*\*Note/);
  if (cut > 0) s = s.slice(0, cut);
  s = s.replace(/\.$/, "");
  if (s.length > 200) s = s.slice(0, 197).replace(/\s+\S*$/, "") + "…";
  return s || undefined;
}

// A zod schema as a JSON Schema subset; `optional` is reported to the parent.
function convert(schema) {
  let def = schema._def;
  let optional = false;
  let description = def.description;
  for (;;) {
    const t = def.typeName;
    if (t === "ZodOptional" || t === "ZodNullable" || t === "ZodDefault") {
      optional = true;
      def = def.innerType._def;
      description = description || def.description;
    } else if (t === "ZodEffects") {
      def = def.schema._def;
    } else break;
  }
  const out = {};
  switch (def.typeName) {
    case "ZodString": out.type = "string"; break;
    case "ZodNumber":
      out.type = (def.checks || []).some((c) => c.kind === "int") ? "integer" : "number";
      break;
    case "ZodBoolean": out.type = "boolean"; break;
    case "ZodEnum": out.type = "string"; out.enum = [...def.values]; break;
    case "ZodLiteral":
      out.type = typeof def.value === "number" ? "integer" : typeof def.value;
      out.enum = [def.value];
      break;
    case "ZodArray": out.type = "array"; out.items = convert(def.type).schema; break;
    case "ZodObject": {
      out.type = "object";
      out.properties = {};
      const required = [];
      const shape = def.shape();
      for (const key of Object.keys(shape).sort()) {
        if (key === "useUAT") continue; // the MCP tool's own switch, not Feishu's
        const field = convert(shape[key]);
        out.properties[key] = field.schema;
        if (!field.optional) required.push(key);
      }
      if (required.length) out.required = required;
      break;
    }
    case "ZodRecord": out.type = "object"; out.additionalProperties = convert(def.valueType).schema; break;
    default: break; // ZodAny, ZodUnknown: any value
  }
  const desc = oneLine(description);
  if (desc) out.description = desc;
  return { schema: out, optional };
}

const dir = path.join(pkg, "dist/mcp-tool/tools/en/gen-tools/zod");
const apis = [];
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js")).sort()) {
  const mod = require(path.join(path.resolve(dir), file));
  for (const tool of Object.values(mod)) {
    if (!tool || typeof tool !== "object" || !tool.httpMethod) continue;
    const schema = {};
    for (const part of ["path", "params", "data"]) {
      if (tool.schema && tool.schema[part]) schema[part] = convert(tool.schema[part]).schema;
    }
    // "[Feishu/Lark]-Family-Resource[-Sub]-Title-Description": the first
    // sentence-like piece starts the description, the piece before is the title.
    const pieces = String(tool.description || "").split("-");
    let at = pieces.findIndex((p, i) => i >= 3 && p.trim().split(/\s+/).length >= 6);
    if (at < 0) at = pieces.length;
    apis.push({
      name: tool.name,
      method: tool.httpMethod.toUpperCase(),
      path: tool.path,
      tokens: [...(tool.accessTokens || [])].sort(),
      title: oneLine(pieces[at - 1]),
      description: oneLine(pieces.slice(at).join("-")),
      schema,
    });
  }
}
apis.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method));
process.stdout.write(JSON.stringify(apis));
