import { Physics } from './src/physics.ts';
import { buildSceneMjcf } from './src/scene/mjcf.ts';
import { sampleScene } from './src/scene/tasks.ts';
const base = buildSceneMjcf(sampleScene(1));
for (const [label, xml] of [['as is', base], ['pyramidal', base.replace('cone="elliptic" impratio="5"', '')], ['euler', base.replace('integrator="implicitfast"', '')], ['no objects', buildSceneMjcf({...sampleScene(1), objects: []}) ]] as const) {
  const p = await Physics.fromXml(xml);
  p.step(100);
  const t1 = performance.now();
  p.step(500);
  // eslint-disable-next-line
  console.log(label, 'ms/500', (performance.now() - t1).toFixed(1), 'ncon', (p as any).data.ncon);
}
