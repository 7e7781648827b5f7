import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { installXmlDomForUrdfLoader } from '../testing/urdfLoaderInNode';
import { UrdfLayer } from './urdfLayer';

/** A binary STL of one triangle. */
function oneTriangleStl(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(84 + 50);
  const view = new DataView(bytes.buffer);
  view.setUint32(80, 1, true);
  const corners = [0, 0, 0, 0.1, 0, 0, 0, 0.1, 0];
  corners.forEach((v, i) => view.setFloat32(84 + 12 + 4 * i, v, true));
  return bytes;
}

const urdf = `<robot name="arm">
  <link name="base"><visual><geometry><mesh filename="package://arm/meshes/base.stl"/></geometry></visual></link>
</robot>`;

describe('UrdfLayer', () => {
  it('says when a mesh has arrived after load returned, so the view draws it without being dragged', async () => {
    installXmlDomForUrdfLoader();
    // three's FileLoader reports progress with the DOM's ProgressEvent, which Node lacks.
    (globalThis as { ProgressEvent?: unknown }).ProgressEvent ??= class extends Event {
      constructor(type: string, init: object = {}) { super(type); Object.assign(this, init); }
    };
    let arrived!: () => void;
    const meshLoaded = new Promise<void>((resolve) => (arrived = resolve));
    const layer = new UrdfLayer(() => arrived());
    const meshes = new Map([['base.stl', new File([oneTriangleStl()], 'base.stl')]]);
    layer.load(urdf, meshes);
    const countMeshes = () => { let n = 0; layer.group.traverse((o) => { if ((o as THREE.Mesh).isMesh) n++; }); return n; };
    expect(countMeshes()).toBe(0); // not yet: the STL is read asynchronously
    await meshLoaded;
    expect(countMeshes()).toBe(1);
    layer.clear();
  });
});
