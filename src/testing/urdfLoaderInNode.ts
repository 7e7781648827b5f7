import { DOMParser as XmlDomParser, Document as XmlDocument, Element as XmlElement } from '@xmldom/xmldom';

/**
 * Test helper: lets urdf-loader parse in Node (which has no DOMParser) — xmldom, plus the one
 * querySelector form urdf-loader uses to find the root link.
 */
class NodeDomParser {
  parseFromString(text: string, type: string) {
    const doc = new XmlDomParser().parseFromString(text, type as 'text/xml');
    const robot = doc.documentElement as unknown as { querySelector?: (s: string) => unknown; getElementsByTagName: (t: string) => ArrayLike<{ getAttribute(n: string): string }> };
    robot.querySelector = (selector: string) => {
      const link = /^child\[link="(.*)"\]$/.exec(selector)?.[1];
      if (link === undefined) throw new Error(`unsupported selector ${selector}`);
      return Array.from(robot.getElementsByTagName('child')).find((c) => c.getAttribute('link') === link) ?? null;
    };
    return doc;
  }
}

export function installXmlDomForUrdfLoader(): void {
  Object.assign(globalThis, { DOMParser: NodeDomParser, Document: XmlDocument, Element: XmlElement });
}
