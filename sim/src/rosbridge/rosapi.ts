/**
 * rosapi (rosbridge_suite's graph-introspection node) for a RosbridgeServer: the `/rosapi/*`
 * services that roslib's `Ros` class and ROS GUIs call, answered as rosapi does on ROS 2
 * (`rosapi/scripts/rosapi_node`, `rosapi_msgs/srv/*.srv`).
 *
 * The graph has three nodes: the robot's node (the server's own topics and services), `/rosapi`
 * (these services) and `/rosbridge_websocket` (publishing what clients advertise, subscribing to
 * what they subscribe). Parameters are the robot node's, named `<node>:<param>` as ROS 2 rosapi
 * names them; values travel as JSON text.
 *
 * Lookups of names that do not exist answer as rosapi does (an empty type, empty lists); a type
 * whose definition is unknown fails the call (rosapi answers an empty list, which a client cannot
 * tell from a message without fields).
 */
import { InterfaceRegistry, typeKey } from './interfaces.ts';
import type { GraphTopic, RosbridgeServer } from './server.ts';

export const ROSAPI_NODE = '/rosapi';
export const BRIDGE_NODE = '/rosbridge_websocket';

/** One parameter of the robot's node. `set` returns an error text to refuse a value; without it the parameter is read-only. */
export interface ParamSpec {
  get(): unknown;
  set?(value: unknown): string | void;
}

export interface RosapiOptions {
  /** The robot's node name, e.g. `/path_studio_sim`. */
  node: string;
  params?: Record<string, ParamSpec>;
  /** Definitions of the robot's own interface types, on top of the common ROS 2 ones. */
  messages?: Record<string, string>;
  services?: Record<string, string>;
}

/** rosapi_msgs service definitions (the request, `---`, the response), for service_type and *_details. */
const ROSAPI_SRV: Record<string, [string, string]> = {
  topics: ['Topics', '---\nstring[] topics\nstring[] types'],
  topics_for_type: ['TopicsForType', 'string type\n---\nstring[] topics'],
  topics_and_raw_types: ['TopicsAndRawTypes', '---\nstring[] topics\nstring[] types\nstring[] typedefs_full_text'],
  services: ['Services', '---\nstring[] services'],
  services_for_type: ['ServicesForType', 'string type\n---\nstring[] services'],
  nodes: ['Nodes', '---\nstring[] nodes'],
  node_details: ['NodeDetails', 'string node\n---\nstring[] subscribing\nstring[] publishing\nstring[] services'],
  topic_type: ['TopicType', 'string topic\n---\nstring type'],
  service_type: ['ServiceType', 'string service\n---\nstring type'],
  publishers: ['Publishers', 'string topic\n---\nstring[] publishers'],
  subscribers: ['Subscribers', 'string topic\n---\nstring[] subscribers'],
  service_node: ['ServiceNode', 'string service\n---\nstring node'],
  service_providers: ['ServiceProviders', 'string service\n---\nstring[] providers'],
  message_details: ['MessageDetails', 'string type\n---\nrosapi_msgs/TypeDef[] typedefs'],
  service_request_details: ['ServiceRequestDetails', 'string type\n---\nrosapi_msgs/TypeDef[] typedefs'],
  service_response_details: ['ServiceResponseDetails', 'string type\n---\nrosapi_msgs/TypeDef[] typedefs'],
  action_servers: ['GetActionServers', '---\nstring[] action_servers'],
  interfaces: ['Interfaces', '---\nstring[] interfaces'],
  get_param_names: ['GetParamNames', '---\nstring[] names'],
  get_param: ['GetParam', 'string name\n---\nstring value\nbool successful\nstring reason'],
  has_param: ['HasParam', 'string name\n---\nbool exists'],
  set_param: ['SetParam', 'string name\nstring value\n---\nbool successful\nstring reason'],
  delete_param: ['DeleteParam', 'string name\n---\nbool successful\nstring reason'],
  get_time: ['GetTime', '---\nbuiltin_interfaces/Time time'],
};
const TYPEDEF_MSG = 'string type\nstring[] fieldnames\nstring[] fieldtypes\nint32[] fieldarraylen\nstring[] examples\nstring[] constnames\nstring[] constvalues';

/** A string field of a request: missing = "" (rosbridge fills defaults), anything else is refused. */
function field(args: unknown, name: string): string {
  const value = typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[name] : undefined;
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new Error(`"${name}" must be a string, got ${JSON.stringify(value)}`);
  return value;
}

const absolute = (name: string) => (name.startsWith('/') ? name : `/${name}`);

/** Registers the rosapi services on `server`; returns the interface registry it answers from. */
export function registerRosapi(server: RosbridgeServer, options: RosapiOptions): InterfaceRegistry {
  const registry = new InterfaceRegistry();
  registry.addMessage('rosapi_msgs/msg/TypeDef', TYPEDEF_MSG);
  for (const [, [type, text]] of Object.entries(ROSAPI_SRV)) registry.addService(`rosapi_msgs/srv/${type}`, text);
  for (const [type, text] of Object.entries(options.messages ?? {})) registry.addMessage(type, text);
  for (const [type, text] of Object.entries(options.services ?? {})) registry.addService(type, text);

  const robot = options.node;
  const params = options.params ?? {};
  const nodes = [robot, ROSAPI_NODE, BRIDGE_NODE];
  const isRosapi = (service: string) => service.startsWith(`${ROSAPI_NODE}/`);
  const topics = () => server.graph().topics;
  const services = () => server.graph().services;
  const topic = (name: string) => topics().find((t) => t.name === absolute(name));
  const serviceNode = (name: string) => {
    const s = services().find((x) => x.name === absolute(name));
    return s ? (isRosapi(s.name) ? ROSAPI_NODE : robot) : '';
  };
  const publishers = (t: GraphTopic | undefined) => (t ? [...(t.nodePublishes ? [robot] : []), ...(t.clientPublishers ? [BRIDGE_NODE] : [])] : []);
  const subscribers = (t: GraphTopic | undefined) => (t ? [...(t.nodeSubscribes ? [robot] : []), ...(t.clientSubscribers ? [BRIDGE_NODE] : [])] : []);

  /** `<node>:<param>` → the parameter, or why there is none. */
  const param = (name: string): { key: string; spec: ParamSpec } | { error: string } => {
    const sep = name.lastIndexOf(':');
    if (sep < 0) return { error: `malformed parameter name "${name}": expecting <node_name>:<param_name>, e.g. ${robot}:${Object.keys(params)[0] ?? 'name'} (/rosapi/get_param_names lists them)` };
    const node = absolute(name.slice(0, sep)), key = name.slice(sep + 1);
    if (node !== robot) return { error: `node ${node} has no parameters here (only ${robot} has)` };
    const spec = params[key];
    return spec ? { key, spec } : { error: `${robot} has no parameter "${key}" (/rosapi/get_param_names lists them)` };
  };

  const handlers: Record<string, (args: unknown) => unknown> = {
    topics: () => { const t = topics(); return { topics: t.map((x) => x.name), types: t.map((x) => x.type) }; },
    topics_for_type: (a) => { const type = typeKey(field(a, 'type')); return { topics: topics().filter((t) => typeKey(t.type) === type).map((t) => t.name) }; },
    topics_and_raw_types: () => {
      const t = topics();
      const text = (type: string) => { try { return registry.fullText(type); } catch (err) { return `# failed to get full definition text for ${type}: ${(err as Error).message}`; } };
      return { topics: t.map((x) => x.name), types: t.map((x) => x.type), typedefs_full_text: t.map((x) => text(x.type)) };
    },
    services: () => ({ services: services().map((s) => s.name) }),
    services_for_type: (a) => { const type = typeKey(field(a, 'type')); return { services: services().filter((s) => typeKey(s.type) === type).map((s) => s.name) }; },
    nodes: () => ({ nodes }),
    node_details: (a) => {
      const node = absolute(field(a, 'node'));
      const t = topics(), s = services();
      if (node === robot) return { subscribing: t.filter((x) => x.nodeSubscribes).map((x) => x.name), publishing: t.filter((x) => x.nodePublishes).map((x) => x.name), services: s.filter((x) => !isRosapi(x.name)).map((x) => x.name) };
      if (node === ROSAPI_NODE) return { subscribing: [], publishing: [], services: s.filter((x) => isRosapi(x.name)).map((x) => x.name) };
      if (node === BRIDGE_NODE) return { subscribing: t.filter((x) => x.clientSubscribers).map((x) => x.name), publishing: t.filter((x) => x.clientPublishers).map((x) => x.name), services: [] };
      return { subscribing: [], publishing: [], services: [] };
    },
    topic_type: (a) => ({ type: topic(field(a, 'topic'))?.type ?? '' }),
    service_type: (a) => ({ type: services().find((s) => s.name === absolute(field(a, 'service')))?.type ?? '' }),
    publishers: (a) => ({ publishers: publishers(topic(field(a, 'topic'))) }),
    subscribers: (a) => ({ subscribers: subscribers(topic(field(a, 'topic'))) }),
    service_node: (a) => ({ node: serviceNode(field(a, 'service')) }),
    service_providers: (a) => { const node = serviceNode(field(a, 'service')); return { providers: node ? [node] : [] }; },
    message_details: (a) => ({ typedefs: registry.messageTypedefs(field(a, 'type')) }),
    service_request_details: (a) => ({ typedefs: registry.serviceTypedefs(field(a, 'type'), 'request') }),
    service_response_details: (a) => ({ typedefs: registry.serviceTypedefs(field(a, 'type'), 'response') }),
    action_servers: () => ({ action_servers: [] }),
    interfaces: () => ({ interfaces: registry.names() }),
    get_param_names: () => ({ names: Object.keys(params).map((k) => `${robot}:${k}`) }),
    get_param: (a) => {
      const p = param(field(a, 'name'));
      return 'error' in p ? { value: '', successful: false, reason: p.error } : { value: JSON.stringify(p.spec.get()), successful: true, reason: '' };
    },
    has_param: (a) => ({ exists: !('error' in param(field(a, 'name'))) }),
    set_param: (a) => {
      const p = param(field(a, 'name'));
      if ('error' in p) return { successful: false, reason: p.error };
      if (!p.spec.set) return { successful: false, reason: `${robot}:${p.key} is read-only (set it with the sim's command-line option and restart)` };
      let value: unknown;
      try { value = JSON.parse(field(a, 'value')); } catch { return { successful: false, reason: `the value of set_param must be JSON text (roslib's Param.set sends JSON.stringify(value)), got ${JSON.stringify(field(a, 'value'))}` }; }
      const error = p.spec.set(value);
      return error ? { successful: false, reason: `${robot}:${p.key}: ${error}` } : { successful: true, reason: '' };
    },
    delete_param: (a) => {
      const p = param(field(a, 'name'));
      return { successful: false, reason: 'error' in p ? p.error : `${robot}:${p.key} is a declared parameter and cannot be deleted` };
    },
    get_time: () => { const ms = Date.now(); return { time: { sec: Math.floor(ms / 1000), nanosec: (ms % 1000) * 1_000_000 } }; },
  };
  for (const [name, handler] of Object.entries(handlers)) server.advertiseService(`${ROSAPI_NODE}/${name}`, `rosapi_msgs/srv/${ROSAPI_SRV[name][0]}`, handler);
  return registry;
}
