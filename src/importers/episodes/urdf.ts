/**
 * Reads the kinematic tree out of URDF text. The XML parser is injected (the browser's DOMParser on
 * the main thread, @xmldom/xmldom in Node tests), so this module stays free of DOM globals.
 */
import type { KinematicModel, UrdfJoint, Vec3 } from './kinematics';

interface XmlElementLike {
  nodeType: number;
  nodeName: string;
  getAttribute(name: string): string | null;
  childNodes: ArrayLike<XmlElementLike>;
}
interface XmlDocumentLike {
  documentElement: XmlElementLike | null;
  getElementsByTagName?(n: string): ArrayLike<unknown>;
}
/** The browser's DOMParser or @xmldom/xmldom's. */
export interface XmlParserLike {
  parseFromString(text: string, type: 'text/xml'): object;
}

const children = (el: XmlElementLike, name: string) => Array.from(el.childNodes).filter((c) => c.nodeType === 1 && c.nodeName === name);
const vec = (s: string | null | undefined, fallback: Vec3): Vec3 => {
  if (!s) return fallback;
  const v = s.trim().split(/\s+/).map(Number);
  return v.length === 3 && v.every(Number.isFinite) ? (v as Vec3) : fallback;
};

export function parseUrdf(text: string, parser: XmlParserLike, fileName = 'robot.urdf'): KinematicModel {
  const doc = parser.parseFromString(text, 'text/xml') as XmlDocumentLike;
  const root = doc.documentElement;
  if (!root || root.nodeName !== 'robot' || (doc.getElementsByTagName?.('parsererror').length ?? 0) > 0) {
    throw new Error(`${fileName} is not a URDF file (no <robot> element).`);
  }
  const links = children(root, 'link').map((l) => l.getAttribute('name') ?? '').filter(Boolean);
  const joints: UrdfJoint[] = children(root, 'joint').map((j) => {
    const origin = children(j, 'origin')[0];
    const limit = children(j, 'limit')[0];
    const mimic = children(j, 'mimic')[0];
    const type = (j.getAttribute('type') ?? 'fixed') as UrdfJoint['type'];
    return {
      name: j.getAttribute('name') ?? '',
      type,
      parent: children(j, 'parent')[0]?.getAttribute('link') ?? '',
      child: children(j, 'child')[0]?.getAttribute('link') ?? '',
      xyz: vec(origin?.getAttribute('xyz'), [0, 0, 0]),
      rpy: vec(origin?.getAttribute('rpy'), [0, 0, 0]),
      axis: vec(children(j, 'axis')[0]?.getAttribute('xyz'), [1, 0, 0]),
      limit: limit && limit.getAttribute('lower') !== null ? { lower: Number(limit.getAttribute('lower')), upper: Number(limit.getAttribute('upper')) } : undefined,
      mimic: mimic ? { joint: mimic.getAttribute('joint') ?? '', multiplier: Number(mimic.getAttribute('multiplier') ?? 1), offset: Number(mimic.getAttribute('offset') ?? 0) } : undefined,
    };
  });
  const childLinks = new Set(joints.map((j) => j.child));
  const roots = links.filter((l) => !childLinks.has(l));
  if (roots.length !== 1) throw new Error(`${fileName}: expected one root link, found ${roots.length} (${roots.slice(0, 4).join(', ')}).`);
  return { robotName: root.getAttribute('name') ?? 'robot', rootLink: roots[0], links, joints };
}
