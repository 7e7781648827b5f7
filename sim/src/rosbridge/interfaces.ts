/**
 * ROS 2 interface definitions and what rosapi derives from them: the `TypeDef`s of
 * `/rosapi/message_details` and `/rosapi/service_{request,response}_details`, and the
 * `gendeps --cat` text of `/rosapi/topics_and_raw_types`.
 *
 * The common message types are @foxglove/rosmsg-msgs-common's parsed ROS 2 Jazzy definitions;
 * types of our own (the sim's services, rosapi's) are `.msg` / `.srv` text (complex field types
 * fully qualified) parsed by @foxglove/rosmsg. The output follows rosbridge_suite's rosapi (`rosapi/objectutils.py`,
 * `stringify_field_types.py`) on ROS 2: type names `pkg/Name`, field types as rosidl's Python
 * `_fields_and_field_types` spells them (`double`, `float`, `boolean`, `octet`,
 * `builtin_interfaces/Time`), array length -1 / 0 / N, depth-first order without repeats.
 */
import { parse } from '@foxglove/rosmsg';
import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';

type Field = ReturnType<typeof parse>[number]['definitions'][number];

/** rosapi_msgs/msg/TypeDef. */
export interface TypeDef {
  type: string;
  fieldnames: string[];
  fieldtypes: string[];
  fieldarraylen: number[];
  examples: string[];
  constnames: string[];
  constvalues: string[];
}

/** `pkg/msg/Name`, `pkg/srv/Name` and `pkg/Name` are one type; this is its `pkg/Name` key. */
export function typeKey(type: string): string {
  const parts = type.trim().replace(/^\/+/, '').split('/');
  if (parts.length === 3 && (parts[1] === 'msg' || parts[1] === 'srv' || parts[1] === 'action')) return `${parts[0]}/${parts[2]}`;
  return parts.join('/');
}

/** rosidl's Python names for the primitive types whose .msg spelling differs. */
const IDL_PRIMITIVE: Record<string, string> = { bool: 'boolean', float64: 'double', float32: 'float', byte: 'octet', char: 'uint8' };
/** @foxglove/rosmsg reads ROS 2's builtin_interfaces/Time and Duration as its primitive time types. */
const BUILTIN: Record<string, string> = { time: 'builtin_interfaces/Time', duration: 'builtin_interfaces/Duration' };
const FLOATS = new Set(['float32', 'float64']);

const isComposite = (f: Field) => f.isComplex === true || f.type in BUILTIN;
const compositeName = (f: Field) => BUILTIN[f.type] ?? typeKey(f.type);

/** Python's str() of a default value, as rosapi's `examples` hold them. */
function pythonStr(type: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && FLOATS.has(type)) return Number.isInteger(value) ? `${value}.0` : String(value);
  return String(value);
}

function example(f: Field): string {
  if (f.isArray) return '[]';
  if (isComposite(f)) return '{}';
  if (f.defaultValue !== undefined) return pythonStr(f.type, f.defaultValue);
  if (f.type === 'bool') return 'False';
  if (f.type === 'string' || f.type === 'wstring') return '';
  return FLOATS.has(f.type) ? '0.0' : '0';
}

function typedef(type: string, fields: Field[]): TypeDef {
  const t: TypeDef = { type, fieldnames: [], fieldtypes: [], fieldarraylen: [], examples: [], constnames: [], constvalues: [] };
  for (const f of fields) {
    if (f.isConstant) {
      t.constnames.push(f.name);
      t.constvalues.push(f.valueText ?? String(f.value));
      continue;
    }
    t.fieldnames.push(f.name);
    t.fieldtypes.push(isComposite(f) ? compositeName(f) : (IDL_PRIMITIVE[f.type] ?? f.type));
    t.fieldarraylen.push(!f.isArray ? -1 : (f.arrayLength ?? 0));
    t.examples.push(example(f));
  }
  return t;
}

/** One line of a .msg file for a parsed field (ROS 2 spelling: `builtin_interfaces/Time`, `NAME=value`, defaults after the name). */
function msgLine(f: Field): string {
  let type = isComposite(f) ? compositeName(f) : f.type;
  if (f.upperBound !== undefined) type += `<=${f.upperBound}`;
  if (f.isArray) type += f.arrayLength !== undefined ? `[${f.arrayLength}]` : f.arrayUpperBound !== undefined ? `[<=${f.arrayUpperBound}]` : '[]';
  if (f.isConstant) return `${type} ${f.name}=${f.valueText ?? String(f.value)}`;
  if (f.defaultValue === undefined) return `${type} ${f.name}`;
  const d = f.defaultValue;
  return `${type} ${f.name} ${Array.isArray(d) ? `[${d.join(', ')}]` : typeof d === 'string' ? JSON.stringify(d) : String(d)}`;
}

export class InterfaceRegistry {
  private readonly messages = new Map<string, Field[]>();
  private readonly services = new Map<string, { request: Field[]; response: Field[] }>();

  constructor() {
    for (const [name, def] of Object.entries(ros2jazzy)) this.messages.set(typeKey(name), def.definitions);
  }

  /** Adds a message type from its .msg text (complex field types fully qualified: `pkg/Name`). */
  addMessage(type: string, text: string): void {
    this.messages.set(typeKey(type), parseFields(type, text));
  }

  /** Adds a service type from its .srv text (request, a `---` line, response). */
  addService(type: string, text: string): void {
    const parts = text.split(/^---[ \t]*$/m);
    if (parts.length !== 2) throw new Error(`${type}: a .srv definition needs exactly one "---" line between request and response`);
    this.services.set(typeKey(type), { request: parseFields(`${type} request`, parts[0]), response: parseFields(`${type} response`, parts[1]) });
  }

  hasMessage(type: string): boolean { return this.messages.has(typeKey(type)); }
  hasService(type: string): boolean { return this.services.has(typeKey(type)); }

  /** Known types, ROS 2 spelling (`pkg/msg/Name`, `pkg/srv/Name`), sorted. */
  names(): string[] {
    const withKind = (key: string, kind: string) => key.replace('/', `/${kind}/`);
    return [...[...this.messages.keys()].map((k) => withKind(k, 'msg')), ...[...this.services.keys()].map((k) => withKind(k, 'srv'))].sort();
  }

  /** rosapi's message_details: the type's TypeDef, then those of its fields' types, depth first. */
  messageTypedefs(type: string): TypeDef[] {
    const key = typeKey(type);
    const fields = this.messages.get(key);
    if (!fields) throw new Error(`unknown message type "${type}": this robot has no definition of it (/rosapi/topics lists the types it uses; /rosapi/interfaces every type it knows)`);
    return this.withSubtypes(typedef(key, fields), new Set([key]));
  }

  /** rosapi's service_request_details / service_response_details. */
  serviceTypedefs(type: string, part: 'request' | 'response'): TypeDef[] {
    const key = typeKey(type);
    const srv = this.services.get(key);
    if (!srv) throw new Error(`unknown service type "${type}": this robot has no definition of it (/rosapi/service_type gives a service's type)`);
    return this.withSubtypes(typedef(`${key}_${part === 'request' ? 'Request' : 'Response'}`, srv[part]), new Set());
  }

  /**
   * The definition with its dependencies, as rosapi's `typedefs_full_text`: the type's .msg text,
   * then each dependency after a line of 80 `=` and `MSG: pkg/Name` (builtin_interfaces left out,
   * as rosapi does; ROS 2 parsers know them).
   */
  fullText(type: string): string {
    const rootKey = typeKey(type);
    if (!this.messages.has(rootKey)) throw new Error(`unknown message type "${type}"`);
    let text = '';
    const seen = new Set<string>();
    const pending = [rootKey];
    for (let root = true; pending.length; root = false) {
      const key = pending.pop()!;
      const fields = this.messages.get(key);
      if (!fields) throw new Error(`the definition of ${key} (used by ${rootKey}) is missing`);
      if (!root) text += `\n${'='.repeat(80)}\nMSG: ${key}\n`;
      text += fields.map((f) => `${msgLine(f)}\n`).join('');
      for (const f of fields) {
        if (f.isConstant || !isComposite(f)) continue;
        const dep = compositeName(f);
        if (dep.startsWith('builtin_interfaces/') || seen.has(dep)) continue;
        seen.add(dep);
        pending.push(dep);
      }
    }
    return text;
  }

  private withSubtypes(root: TypeDef, seen: Set<string>): TypeDef[] {
    const out = [root];
    const visit = (type: string, usedBy: string) => {
      if (seen.has(type) || !type.includes('/')) return;
      seen.add(type);
      const fields = this.messages.get(type);
      if (!fields) throw new Error(`the definition of ${type} (used by ${usedBy}) is missing`);
      const t = typedef(type, fields);
      out.push(t);
      for (const ft of t.fieldtypes) visit(ft, type);
    };
    for (const ft of root.fieldtypes) visit(ft, root.type);
    return out;
  }
}

function parseFields(what: string, text: string): Field[] {
  try {
    return text.trim() ? parse(text, { ros2: true, skipTypeFixup: true })[0].definitions : [];
  } catch (err) {
    throw new Error(`${what}: cannot parse the definition: ${(err as Error).message}`, { cause: err });
  }
}
