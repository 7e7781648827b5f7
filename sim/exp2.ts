import { Simulation } from './src/sim.ts';
import { sampleScene } from './src/scene/tasks.ts';
const sim = await Simulation.create(sampleScene(1));
let t1 = performance.now();
sim.physics.step(500);
console.log('500 physics steps ms', performance.now() - t1);
t1 = performance.now();
for (let i = 0; i < 100; i++) { sim.controller.commandTwist({ linear: [0, 0.1, -0.05], angular: [0, 0, 0] }, sim.time); sim.controller.update(sim.time, 0.01); }
console.log('100 ctrl updates ms', performance.now() - t1);
t1 = performance.now();
for (let i = 0; i < 1000; i++) sim.physics.geomPoses();
console.log('1000 geomPoses', performance.now() - t1);
