"""Merges the three official packages into spec/feishu-apis.json.

lark-oapi (read with `ast`, never imported) gives the API set, method, path,
token kinds, query names, body kind, downloads and the named request and
response models; lark-mcp (its zod schemas, read by extract_mcp.js) gives
required flags, enums, wire scalar types and English descriptions of the
request; node-sdk's lib/index.js gives the documentation links and which APIs
page. The three are keyed by method and path template. Output is sorted and
stable: the same packages give the same bytes.

Usage: merge.py <lark_oapi dir> <mcp.json> <node-sdk lib/index.js> <out dir>
"""

import ast
import json
import keyword
import os
import re
import sys
from collections import Counter, defaultdict

SCALARS = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
TOKENS = {"TENANT": "tenant", "USER": "user", "APP": "app"}


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def read_models(model_dir):
    """Every model class of one service version: name -> {field: type expr}."""
    models = {}
    service, version = os.path.normpath(model_dir).split(os.sep)[-3:-1]
    for file in sorted(os.listdir(model_dir)):
        if not file.endswith(".py") or file == "__init__.py":
            continue
        tree = ast.parse(open(os.path.join(model_dir, file), encoding="utf-8").read())
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and getattr(stmt.targets[0], "id", None) == "_types"
                    and isinstance(stmt.value, ast.Dict)
                ):
                    models[node.name] = {
                        wire_name(k.value, f"{service}.{version}.{node.name}"): ast.unparse(v)
                        for k, v in zip(stmt.value.keys, stmt.value.values)
                    }
    return models


# lark-oapi names a field that is a Python keyword with a trailing `_`
# (`from_`); on the wire, and in lark-mcp's schemas, it is the keyword.
UNESCAPED = []


def wire_name(name, where):
    if name.endswith("_") and keyword.iskeyword(name[:-1]):
        UNESCAPED.append(f"{where}.{name}")
        return name[:-1]
    return name


def model_schema(expr, models, refs, prefix):
    """A lark-oapi type expression as a schema; named models become `$ref`s."""
    m = re.fullmatch(r"List\[(.*)\]", expr)
    if m:
        return {"type": "array", "items": model_schema(m.group(1), models, refs, prefix)}
    m = re.fullmatch(r"Dict\[\s*str\s*,\s*(.*)\]", expr)
    if m:
        inner = model_schema(m.group(1), models, refs, prefix)
        return {"type": "object", "additionalProperties": inner}
    if expr in SCALARS:
        return {"type": SCALARS[expr]}
    if expr.startswith("IO"):
        return {"type": "file"}
    if expr in models:
        refs.add(expr)
        return {"$ref": f"{prefix}.{expr}"}
    return {}


def read_request(path, models):
    """A `<op>_request.py`: method, uri, tokens, query/path names and types, body class."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    out = {"query": {}, "paths": [], "body": None, "tokens": []}
    annotations = {}
    for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
        for fn in [n for n in cls.body if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(fn):
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute):
                    annotations[node.target.attr] = ast.unparse(node.annotation)
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Attribute):
                    attr = node.targets[0].attr
                    if attr == "http_method":
                        out["method"] = node.value.attr
                    elif attr == "uri":
                        out["uri"] = node.value.value
                    elif attr == "token_types":
                        out["tokens"] = sorted(TOKENS[e.attr] for e in getattr(node.value, "elts", []))
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
                    target = node.targets[0]
                    if getattr(target.value, "attr", None) == "paths":
                        out["paths"].append(target.slice.value)
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "attr", None) == "add_query"
                    and isinstance(node.args[0], ast.Constant)
                ):
                    out["query"][node.args[0].value] = None
    for name in out["query"]:
        ann = annotations.get(name, "Optional[str]")
        ann = re.sub(r"^Optional\[(.*)\]$", r"\1", ann)
        out["query"][name] = ann
    body = re.sub(r"^Optional\[(.*)\]$", r"\1", annotations.get("request_body", ""))
    out["body"] = body if body in models else None
    return out


def read_oapi(root):
    """APIs, models and events of lark-oapi, keyed by `METHOD path`."""
    apis, models_out, events = {}, {}, {}
    api_root = os.path.join(root, "api")
    for svc in sorted(os.listdir(api_root)):
        if not os.path.isdir(os.path.join(api_root, svc)):
            continue
        for ver in sorted(os.listdir(os.path.join(api_root, svc))):
            base = os.path.join(api_root, svc, ver)
            if not os.path.isdir(os.path.join(base, "resource")) or not os.path.isdir(os.path.join(base, "model")):
                continue
            models = read_models(os.path.join(base, "model"))
            prefix = f"{svc}.{ver}"
            used = set()
            for file in sorted(os.listdir(os.path.join(base, "resource"))):
                if not file.endswith(".py") or file == "__init__.py":
                    continue
                resource = file[:-3]
                source = open(os.path.join(base, "resource", file), encoding="utf-8").read()
                tree = ast.parse(source)
                for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
                    for fn in [n for n in cls.body if isinstance(n, ast.FunctionDef)]:
                        args = fn.args.args
                        if len(args) < 2 or args[1].annotation is None:
                            continue
                        req_class = ast.unparse(args[1].annotation)
                        if not req_class.endswith("Request"):
                            continue
                        text = ast.get_source_segment(source, fn)
                        req = read_request(
                            os.path.join(base, "model", snake(req_class) + ".py"), models
                        )
                        resp_body = models.get(req_class[: -len("Request")] + "Response", {})
                        data_class = resp_body.get("data")
                        record = {
                            "id": f"{svc}.{ver}.{resource}.{fn.name}",
                            "method": req["method"],
                            "path": req["uri"],
                            "tokens": req["tokens"],
                            "query": req["query"],
                            "path_params": req["paths"],
                            "multipart": "MultipartEncoder" in text,
                            "download": "parse_file_name" in text,
                            "body": None,
                            "response": None,
                        }
                        if req["body"]:
                            record["body"] = model_schema(req["body"], models, used, prefix)
                        if data_class in models:
                            record["response"] = model_schema(data_class, models, used, prefix)
                        apis[f"{record['method']} {record['path']}"] = record
            # Events: `P2…` classes and their `…Data` payloads.
            for name, fields in models.items():
                if name.startswith("P2") and name.endswith("Data"):
                    events[name[: -len("Data")]] = (prefix, fields)
            # The models reachable from the APIs and events, with their fields.
            todo = list(used) + [
                t for n, (p, f) in events.items() if p == prefix for t in f.values()
            ]
            seen = set()
            while todo:
                name = re.sub(r"^(List|Dict)\[(str, )?(.*)\]$", r"\3", todo.pop())
                if name not in models or name in seen:
                    continue
                seen.add(name)
                fields = {}
                for field, expr in sorted(models[name].items()):
                    refs = set()
                    fields[field] = model_schema(expr, models, refs, prefix)
                    todo.extend(refs)
                models_out[f"{prefix}.{name}"] = {"type": "object", "properties": fields}
    return apis, models_out, events


def read_event_types(root):
    """`P2ImMessageReceiveV1` -> `im.message.receive_v1`, from the dispatcher."""
    text = open(os.path.join(root, "event", "dispatcher_handler.py"), encoding="utf-8").read()
    pairs = re.findall(r'_processorMap\["p2\.([^"]+)"\]\s*=\s*\(?\s*(\w+)Processor', text)
    return {cls: kind for kind, cls in pairs}


def read_sdk(lib):
    """node-sdk: per `METHOD path` its api-explorer link, paging and download flags."""
    text = open(lib, encoding="utf-8").read()
    out = {}
    pattern = re.compile(
        r"api-explorer\?from=op_doc_tab&apiName=(\w+)&project=(\w+)&resource=([\w.]+)&version=(\w+) document"
        r".*?\*/\s*(\w+): \(payload, options\).*?fillApiPath\(`\$\{this\.domain\}([^`]+)`.*?method: \"(\w+)\"",
        re.S,
    )
    iterators = set(re.findall(r"fillApiPath\(`\$\{this\.domain\}([^`]+)`, path\),\s*method: \"(\w+)\",\s*headers: pickBy", text))
    for m in pattern.finditer(text):
        api_name, project, resource, version, _js, path, method = m.groups()
        body = text[m.end() : m.end() + 600]
        out[f"{method} {path}"] = {
            "doc_url": (
                "https://open.feishu.cn/api-explorer?from=op_doc_tab"
                f"&apiName={api_name}&project={project}&resource={resource}&version={version}"
            ),
            "paginated": (path, method) in iterators,
            "download": 'responseType: "stream"' in body,
        }
    return out


def merge_schema(mcp, oapi, models, conflicts, where):
    """lark-mcp's request schema, with lark-oapi's int/float and model names."""
    if oapi and "$ref" in oapi:
        model = models.get(oapi["$ref"], {})
        if mcp.get("type") == "object":
            mcp = dict(mcp, title=oapi["$ref"].rsplit(".", 1)[1])
        oapi = model
    kind = mcp.get("type")
    if kind == "number":
        mcp = dict(mcp, type="number" if (oapi or {}).get("type") == "number" else "integer")
    elif kind == "object" and "properties" in mcp:
        props = (oapi or {}).get("properties", {})
        mcp = dict(mcp, properties={
            k: merge_schema(v, props.get(k), models, conflicts, f"{where}.{k}")
            for k, v in mcp["properties"].items()
        })
    elif kind == "array":
        mcp = dict(mcp, items=merge_schema(mcp.get("items", {}), (oapi or {}).get("items"), models, conflicts, where))
    return mcp


def main():
    root, mcp_path, sdk_lib, out_dir = sys.argv[1:]
    oapi, models, events = read_oapi(root)
    event_types = read_event_types(root)
    sdk = read_sdk(sdk_lib)
    mcp = {f"{a['method']} {a['path']}": a for a in json.load(open(mcp_path, encoding="utf-8"))}
    conflicts = [
        f"`{w}` (lark-oapi's Python name) read as `{w.rsplit('.', 1)[1][:-1]}`, as lark-mcp and the wire have it"
        for w in sorted(set(UNESCAPED))
    ]
    apis = []
    stats = Counter()
    for key in sorted(oapi):
        api = oapi[key]
        tool = mcp.get(key)
        node = sdk.get(key, {})
        stats["lark-oapi"] += 1
        stats["lark-mcp"] += tool is not None
        stats["node-sdk"] += bool(node)
        tokens = api["tokens"]
        if tool and sorted(tool["tokens"]) != tokens:
            conflicts.append(
                f"`{api['id']}` tokens: lark-oapi {'+'.join(tokens) or 'none'}, "
                f"lark-mcp {'+'.join(tool['tokens']) or 'none'}; kept lark-oapi's"
            )
        if node.get("download") and not api["download"]:
            conflicts.append(f"`{api['id']}` download: node-sdk yes, lark-oapi no; kept download")
        schema = (tool or {}).get("schema", {})
        query_schema = schema.get("params", {})
        query = []
        for name, ann in sorted(api["query"].items()):
            field = dict(query_schema.get("properties", {}).get(name, {}))
            oapi_type = model_schema(re.sub(r"^List\[(.*)\]$", r"\1", ann), {}, set(), "")
            field["type"] = oapi_type.get("type", "string") if field.get("type") in (None, "number") else field["type"]
            if ann.startswith("List["):
                field = {"type": "array", "items": {"type": field.pop("type"), **({"enum": field.pop("enum")} if "enum" in field else {})}, **field}
            query.append({"name": name, "required": name in query_schema.get("required", []), **field})
        path_schema = schema.get("path", {}).get("properties", {})
        path_params = [
            {"name": p, **({"description": path_schema[p]["description"]} if "description" in path_schema.get(p, {}) else {})}
            for p in re.findall(r":(\w+)", api["path"])
        ]
        body = None
        body_kind = "multipart" if api["multipart"] else ("json" if api["body"] or "data" in schema else "none")
        if "data" in schema and not api["multipart"]:
            body = merge_schema(schema["data"], api["body"], models, conflicts, api["id"])
        elif api["body"]:
            ref = api["body"].get("$ref")
            body = {"$ref": ref} if ref else api["body"]
        paginated = node.get("paginated", False) or (
            any(q["name"] == "page_token" for q in query)
        )
        record = {
            "id": api["id"],
            "method": api["method"],
            "path": api["path"],
            "title": (tool or {}).get("title"),
            "description": (tool or {}).get("description"),
            "tokens": tokens,
            "path_params": path_params,
            "query": query,
            "body_kind": body_kind,
            "body": body,
            "response": api["response"],
            "download": api["download"] or node.get("download", False),
            "paginated": paginated,
            "doc_url": node.get("doc_url") or (
                "https://open.feishu.cn/api-explorer?from=op_doc_tab&apiName={3}&project={0}&resource={2}&version={1}".format(*api["id"].split("."))
            ),
        }
        apis.append({k: v for k, v in record.items() if v is not None})
        for k in ("body", "response"):
            stats[f"{k} typed"] += record[k] is not None
        stats["paginated"] += paginated
        stats["download"] += record["download"]
        stats["multipart"] += body_kind == "multipart"
        for t in tokens:
            stats[f"token {t}"] += 1
    event_records = []
    for cls, (prefix, fields) in sorted(events.items()):
        kind = event_types.get(cls)
        if not kind:
            conflicts.append(f"event model `{cls}` has no event type in the dispatcher; left out")
            continue
        props = {f: model_schema(e, {n.rsplit('.', 1)[1]: 1 for n in models if n.startswith(prefix + ".")}, set(), prefix) for f, e in sorted(fields.items())}
        event_records.append({"type": kind, "model": cls, "schema": {"type": "object", "properties": props}})
    event_records.sort(key=lambda e: e["type"])
    only_mcp = sorted(k for k in mcp if k not in oapi)
    only_sdk = sorted(k for k in sdk if k not in oapi)
    spec = {
        "sources": {
            "lark-oapi": "1.7.5 (PyPI)",
            "@larksuiteoapi/lark-mcp": "0.5.1 (npm)",
            "@larksuiteoapi/node-sdk": "1.74.0 (npm)",
        },
        "apis": apis,
        "models": dict(sorted(models.items())),
        "events": event_records,
    }
    with open(os.path.join(out_dir, "feishu-apis.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
    families = Counter(a["id"].split(".")[0] for a in apis)
    lines = [
        "# The Feishu Open API spec: merge report",
        "",
        "Generated by `tools/spec-gen/spec-gen.sh`; do not edit.",
        "",
        "## Counts",
        "",
        "| what | count |",
        "|---|---|",
        f"| APIs (lark-oapi's set) | {len(apis)} |",
        f"| … with lark-mcp's request schema | {stats['lark-mcp']} |",
        f"| … with node-sdk's entry (doc link, paging) | {stats['node-sdk']} |",
        f"| typed request bodies | {stats['body typed']} |",
        f"| typed response `data` | {stats['response typed']} |",
        f"| paginated | {stats['paginated']} |",
        f"| downloads | {stats['download']} |",
        f"| multipart uploads | {stats['multipart']} |",
        f"| tenant / user / app token | {stats['token tenant']} / {stats['token user']} / {stats['token app']} |",
        f"| named models | {len(models)} |",
        f"| `p2_*` events | {len(event_records)} |",
        f"| service families | {len(families)} |",
        f"| APIs only in lark-mcp (left out) | {len(only_mcp)} |",
        f"| APIs only in node-sdk (left out) | {len(only_sdk)} |",
        "",
        "## Families",
        "",
        "| family | APIs |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in sorted(families.items())],
        "",
        f"## Conflicts resolved ({len(conflicts)})",
        "",
        *[f"- {c}" for c in sorted(conflicts)],
        "",
        "## APIs in other packages only (not in lark-oapi, left out)",
        "",
        *[f"- lark-mcp: `{k}`" for k in only_mcp],
        *[f"- node-sdk: `{k}`" for k in only_sdk],
        "",
    ]
    with open(os.path.join(out_dir, "REPORT.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
