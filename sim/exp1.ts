import { Simulation } from './src/sim.ts';
import { sampleScene } from './src/scene/tasks.ts';
const scene = sampleScene(1);
console.log(JSON.stringify(scene.task), scene.objects.length);
const t0 = performance.now();
const sim = await Simulation.create(scene);
console.log('create ms', performance.now() - t0, 'ee', sim.eePosition().map(v=>v.toFixed(3)), 'q', sim.armJoints().map(v=>v.toFixed(3)));
// drive +y 0.1 m/s for 1 s
let t = sim.time;
const t1 = performance.now();
for (let i = 0; i < 100; i++) { sim.controller.commandTwist({ linear: [0, 0.1, -0.05], angular: [0, 0, 0] }, sim.time); sim.step(); }
console.log('100 steps ms', performance.now() - t1);
console.log('after 1s ee', sim.eePosition().map(v=>v.toFixed(3)), 'rot', sim.eeRotation().map(v=>v.toFixed(2)).join(' '));
for (let i = 0; i < 30; i++) { sim.step(); if (i % 5 == 0) console.log(i, sim.eePosition().map(v=>v.toFixed(4)).join(' '), sim.controller.isHolding); }
